// P0.3 "Vectors, dot product, cosine similarity": the view the engine mounts.
//
// Traits read: scenarios (one per preset plus "custom"; arrays as float32 bytes) and scenario.
// The scenario menu works here in JS; a and b_length re-run the Python simulation (set them
// from a notebook cell).
//
// Left (top when narrow): the plane with the fixed arrow a, the turning arrow b, the angle θ
// between them, and the projection of a onto the line of b (the foot of the perpendicular
// from a's tip). Right (bottom): a·b for every direction of b (left axis) and cos θ (right
// axis: the same curve, rescaled by ‖a‖‖b‖), the current frame marked. Every number is read
// from the trace computed in Python.

import { toFloat32 } from "../engine/codec.js";
import { font, heading, swatch, text, xAxis, yAxis } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale, niceStep } from "../engine/scale.js";
import { angleArc, arcPoints, arrowHead, aspectFor, panels, planeLimit, planeMap } from "./vectors_layout.js";

const num = (v) => {
  if (!Number.isFinite(v)) return String(v);
  const r = Math.abs(v) < 5e-4 ? 0 : v;
  const t = sig(r, 3);
  return (t.includes(".") && !t.includes("e") ? t.replace(/0+$/, "").replace(/\.$/, "") : t).replace("-", "−");
};

/** A scenario dict from Python -> typed arrays. */
export function decodeScenario(s) {
  const S = {
    key: s.key, label: s.label, frames: s.n_frames, aLen: s.a_len, bLen: s.b_len,
    a: toFloat32(s.a), b: toFloat32(s.b), angle: toFloat32(s.angle_deg), dot: toFloat32(s.dot),
    cosine: toFloat32(s.cosine), proj: toFloat32(s.projection), scalar: toFloat32(s.scalar_proj),
  };
  S.limit = planeLimit([S.aLen, S.bLen]);
  return S;
}

export function vectorsView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;

  const scenarioSelect = ui.select({ label: "Arrows", options: [], value: "",
    onChange: (v) => ctx.set("scenario", v) });
  const pick = () => {
    const want = model.get("scenario");
    S = scenarios.find((s) => s.key === want) || scenarios[0] || null;
    if (S) scenarioSelect.set(S.key);
  };
  const load = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    scenarioSelect.setOptions(scenarios.map((s) => ({ value: s.key, label: s.label })));
    pick();
  };
  load();
  ctx.watch("scenarios", () => { load(); ctx.refresh(); });
  ctx.watch("scenario", () => { pick(); ctx.refresh(); });

  const bAt = (f) => [S.b[2 * f], S.b[2 * f + 1]];
  const pAt = (f) => [S.proj[2 * f], S.proj[2 * f + 1]];

  function arrow(g, m, from, to, color, width) {
    const p0 = m.map(from);
    const p1 = m.map(to);
    g.strokeStyle = color;
    g.fillStyle = color;
    g.lineWidth = width;
    g.beginPath(); g.moveTo(p0.x, p0.y); g.lineTo(p1.x, p1.y); g.stroke();
    const [c1, c2] = arrowHead(p0.x, p0.y, p1.x, p1.y, 8 + 2 * width);
    g.beginPath(); g.moveTo(p1.x, p1.y); g.lineTo(c1.x, c1.y); g.lineTo(c2.x, c2.y); g.closePath(); g.fill();
  }

  function drawPlane(g, L, f, c) {
    const { pal } = c;
    const box = L.plane;
    const m = planeMap(box, S.limit);
    g.fillStyle = pal.panel;
    g.fillRect(box.x, box.y, box.w, box.h);
    g.strokeStyle = pal.grid;
    g.lineWidth = 1;
    for (let v = -S.limit; v <= S.limit; v += 1) {
      const p = m.map([v, v]);
      g.beginPath(); g.moveTo(Math.round(p.x) + 0.5, box.y); g.lineTo(Math.round(p.x) + 0.5, box.y + box.h); g.stroke();
      g.beginPath(); g.moveTo(box.x, Math.round(p.y) + 0.5); g.lineTo(box.x + box.w, Math.round(p.y) + 0.5); g.stroke();
    }
    g.strokeStyle = pal.border;
    g.beginPath(); g.moveTo(box.x, m.cy); g.lineTo(box.x + box.w, m.cy); g.stroke();
    g.beginPath(); g.moveTo(m.cx, box.y); g.lineTo(m.cx, box.y + box.h); g.stroke();

    const a = [S.a[0], S.a[1]];
    const b = bAt(f);
    const p = pAt(f);
    // the line through b, faint
    const far = S.limit * 3 / S.bLen;
    const l0 = m.map([-b[0] * far, -b[1] * far]);
    const l1 = m.map([b[0] * far, b[1] * far]);
    g.save();
    g.beginPath(); g.rect(box.x, box.y, box.w, box.h); g.clip();
    g.strokeStyle = mix(pal.compute, pal.bg, 0.65);
    g.setLineDash([3, 5]);
    g.beginPath(); g.moveTo(l0.x, l0.y); g.lineTo(l1.x, l1.y); g.stroke();
    // perpendicular from a's tip to its foot on that line
    const tip = m.map(a);
    const foot = m.map(p);
    g.strokeStyle = pal.muted;
    g.lineWidth = 1.5;
    g.setLineDash([5, 4]);
    g.beginPath(); g.moveTo(tip.x, tip.y); g.lineTo(foot.x, foot.y); g.stroke();
    g.setLineDash([]);
    // the projection itself, along the line of b
    g.strokeStyle = pal.highlight;
    g.lineWidth = 7;
    g.globalAlpha = 0.85;
    g.beginPath(); g.moveTo(m.cx, m.cy); g.lineTo(foot.x, foot.y); g.stroke();
    g.globalAlpha = 1;
    g.restore();
    // angle arc
    const arc = angleArc(a, b);
    const r = Math.max(16, Math.min(40, m.unit * 0.6));
    const pts = arcPoints(m.cx, m.cy, r, arc);
    g.strokeStyle = pal.fg;
    g.lineWidth = 1.5;
    g.beginPath();
    pts.forEach((q, k) => (k ? g.lineTo(q.x, q.y) : g.moveTo(q.x, q.y)));
    g.stroke();
    const mid = arcPoints(m.cx, m.cy, r + 12, { start: arc.start + arc.sweep / 2, sweep: 0 }, 1)[0];
    font(g, c.fam, 13, 700);
    text(g, "θ", mid.x, mid.y, { color: pal.fg, align: "center", baseline: "middle" });
    arrow(g, m, [0, 0], a, pal.cache, 3);
    arrow(g, m, [0, 0], b, pal.compute, 3);
    font(g, c.fam, 14, 700);
    const la = m.map([a[0] * 1.08, a[1] * 1.08]);
    const lb = m.map([b[0] * 1.12, b[1] * 1.12]);
    text(g, "a", la.x, la.y, { color: pal.cache, align: "center", baseline: "middle" });
    text(g, "b", lb.x, lb.y, { color: pal.compute, align: "center", baseline: "middle" });
    g.fillStyle = pal.fg;
    g.beginPath(); g.arc(foot.x, foot.y, 3.5, 0, 2 * Math.PI); g.fill();
    font(g, c.fam, 12);
    g.strokeStyle = pal.border;
    g.lineWidth = 1;
    g.strokeRect(box.x + 0.5, box.y + 0.5, box.w - 1, box.h - 1);
    let x = box.x + 8;
    const y = box.y + box.h - 12;
    x = swatch(g, x, y, pal.highlight, "projection of a on b", { fg: pal.fg, line: true });
  }

  function drawChart(g, L, f, c) {
    const { pal } = c;
    const p = L.chart;
    const plot = p.plot;
    heading(g, p, ["a·b (left) and cos θ (right) as b turns"], null, c);
    const amp = S.aLen * S.bLen;
    const sy = linearScale(-amp * 1.1, amp * 1.1, plot.y + plot.h, plot.y);
    const sx = linearScale(0, S.frames - 1, plot.x, plot.x + plot.w);
    font(g, c.fam, 12);
    const step = niceStep(2 * amp, 4);
    const ticks = [];
    for (let v = Math.ceil(-amp / step) * step; v <= amp + 1e-9; v += step) ticks.push(Math.abs(v) < 1e-9 ? 0 : v);
    yAxis(g, plot, ticks, sy, num, pal);
    const turn = Array.from({ length: 5 }, (_, k) => Math.round((k * S.frames) / 4)).filter((k) => k < S.frames);
    xAxis(g, plot, turn, sx, (k) => `${Math.round((360 * k) / S.frames)}°`, pal);
    // right axis: cos θ
    for (const cv of [-1, -0.5, 0, 0.5, 1]) {
      text(g, num(cv), plot.x + plot.w + 6, sy(cv * amp), { color: pal.muted, align: "left", baseline: "middle" });
    }
    text(g, "cos θ", plot.x + plot.w + 6, plot.y - 10, { color: pal.muted, align: "left", baseline: "middle" });
    text(g, "a·b", plot.x - 6, plot.y - 10, { color: pal.muted, align: "right", baseline: "middle" });
    g.strokeStyle = pal.border;
    g.beginPath(); g.moveTo(plot.x, Math.round(sy(0)) + 0.5); g.lineTo(plot.x + plot.w, Math.round(sy(0)) + 0.5); g.stroke();
    // the curve, done part solid
    g.lineWidth = 2.5;
    g.strokeStyle = mix(pal.compute, pal.bg, 0.6);
    g.beginPath();
    for (let k = 0; k < S.frames; k++) (k ? g.lineTo(sx(k), sy(S.dot[k])) : g.moveTo(sx(k), sy(S.dot[k])));
    g.stroke();
    g.strokeStyle = pal.compute;
    g.beginPath();
    for (let k = 0; k <= f; k++) (k ? g.lineTo(sx(k), sy(S.dot[k])) : g.moveTo(sx(k), sy(S.dot[k])));
    g.stroke();
    g.fillStyle = pal.compute;
    g.beginPath(); g.arc(sx(f), sy(S.dot[f]), 6, 0, 2 * Math.PI); g.fill();
    font(g, c.fam, 13, 700);
    const above = S.dot[f] < amp * 0.6;
    text(g, `a·b = ${num(S.dot[f])}, cos θ = ${num(S.cosine[f])}`, Math.min(Math.max(sx(f), plot.x + 90), plot.x + plot.w - 90),
      sy(S.dot[f]) + (above ? -14 : 18), { color: pal.fg, align: "center", baseline: "middle" });
    font(g, c.fam, 12);
    text(g, "angle of b, measured from a", plot.x + plot.w / 2, plot.y + plot.h + 40, { color: pal.muted, align: "center", baseline: "bottom" });
  }

  return {
    title: "Vectors: dot product, cosine similarity and projection",
    fps: 8,
    loop: true,
    aspect: aspectFor,
    minHeight: 380,
    frames: () => (S ? S.frames : 1),
    frameLabel: (f) => (S ? `θ = ${num(S.angle[Math.min(f, S.frames - 1)])}° (frame ${formatInt(f + 1)} / ${formatInt(S.frames)})` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure: ${S.label}. Left, arrow a fixed and arrow b turning once around the origin, with the `
        + "angle between them and the projection of a onto the line of b. Right, the dot product a·b for every "
        + "direction of b, which is also cos θ on the right axis."
      : "Vectors figure (no data)"),

    draw(g, info) {
      if (!S || !S.frames) throw new Error("no scenario to draw: the widget state has no trace");
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const f = Math.min(info.frame, S.frames - 1);
      drawPlane(g, L, f, c);
      drawChart(g, L, f, c);
    },

    telemetry(frame) {
      if (!S || !S.frames) return [];
      const f = Math.min(frame, S.frames - 1);
      const b = bAt(f);
      return [
        ["a", `(${num(S.a[0])}, ${num(S.a[1])}), ‖a‖ = ${num(S.aLen)}`],
        ["b", `(${num(b[0])}, ${num(b[1])}), ‖b‖ = ${num(S.bLen)}`],
        ["Angle θ", `${num(S.angle[f])}°`],
        ["a·b", num(S.dot[f])],
        ["cos θ", num(S.cosine[f])],
        ["Projection of a on b", `${num(S.scalar[f])} along b`],
      ];
    },

    describe(frame) {
      if (!S || !S.frames) return "No trace to describe.";
      const f = Math.min(frame, S.frames - 1);
      const sign = S.dot[f] > 1e-3 ? "they point the same way" : S.dot[f] < -1e-3 ? "they point apart" : "they are at right angles";
      return `${S.label}. Angle ${num(S.angle[f])} degrees: a·b = ${num(S.dot[f])}, cos θ = ${num(S.cosine[f])}; ${sign}.`;
    },
  };
}
