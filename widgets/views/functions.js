// P0.2 "Function families": the view the engine mounts.
//
// Traits read: scenarios (one per family plus "custom"; curves as float32 bytes, NaN where
// the family is undefined), scenario, x0. The scenario menu, the probe's x (a number box,
// or a click / drag on the canvas) work here in JS; family, param, lo and hi re-run the
// Python simulation (set them from a notebook cell).
//
// Top: f(x) for this frame's parameter value, with faint copies at the two ends of the sweep,
// the probe point and its tangent line. Bottom: the slope f'(x), with the probe's slope marked.
// Every number shown is read from the trace computed in Python.

import { toFloat32 } from "../engine/codec.js";
import { font, heading, swatch, text, xAxis, yAxis } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { niceStep } from "../engine/scale.js";
import {
  aspectFor, finiteRuns, gridX, nearestIndex, panels, scaleOf, tangentSegment, valueDomain,
} from "./functions_layout.js";

const num = (v) => {
  if (!Number.isFinite(v)) return "undefined";
  const r = Math.abs(v) < 5e-7 ? 0 : v;
  const t = sig(r, 4);
  return (t.includes(".") && !t.includes("e") ? t.replace(/0+$/, "").replace(/\.$/, "") : t).replace("-", "−");
};

const FORMULA = {
  linear: (p) => `f(x) = ${p} x + b`,
  polynomial: () => "f(x) = 1 − x + c x²",
  exp: () => "f(x) = e^(k x)",
  log: () => "f(x) = a ln x",
  sigmoid: () => "f(x) = σ(w x) = 1 / (1 + e^(−w x))",
  relu: () => "f(x) = max(0, x + b)",
};

/** The same formulas, short enough for a narrow screen. */
const SHORT = {
  linear: () => "w x + b", polynomial: () => "1 − x + c x²", exp: () => "e^(k x)", log: () => "a ln x",
  sigmoid: () => "σ(w x)", relu: () => "max(0, x + b)",
};

/** A scenario dict from Python -> typed arrays. */
export function decodeScenario(s) {
  const S = {
    key: s.key, label: s.label, family: s.family, param: s.param, frames: s.n_frames, n: s.n_points,
    xMin: s.x_min, xMax: s.x_max, yMin: s.y_min, yMax: s.y_max,
    paramValue: toFloat32(s.param_value), value: toFloat32(s.value), slope: toFloat32(s.slope),
  };
  S.xs = Float64Array.from({ length: S.n }, (_, i) => gridX(i, S.xMin, S.xMax, S.n));
  S.slopeDom = valueDomain(S.slope, 8);
  S.valueDom = valueDomain([S.yMin, S.yMax], 8);
  return S;
}

export function functionsView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;
  let canvas = null;
  let geom = null;          // the last top panel and its x scale, for pointer -> x
  let dragging = false;

  const scenarioSelect = ui.select({ label: "Family", options: [], value: "",
    onChange: (v) => ctx.set("scenario", v) });
  const probeInput = ui.number({ label: "Probe x", value: model.get("x0"), min: -4, max: 4, step: 0.1,
    onChange: (v) => {
      if (Number.isFinite(v) && S && v >= S.xMin && v <= S.xMax) { ctx.inputError(""); ctx.set("x0", v); }
      else ctx.inputError(`Probe x must be a number from ${S ? S.xMin : -4} to ${S ? S.xMax : 4}.`);
    } });

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
  ctx.watch("x0", () => { probeInput.set(model.get("x0")); ctx.refresh(); });

  const probe = () => (S ? nearestIndex(model.get("x0"), S.xMin, S.xMax, S.n) : 0);
  const at = (arr, f, i) => arr[f * S.n + i];

  const pointerX = (e) => {
    if (!geom || !canvas) return null;
    const r = canvas.getBoundingClientRect();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    const p = geom.plot;
    if (py < geom.y || py > geom.y + geom.h + geom.extra || px < p.x - 6 || px > p.x + p.w + 6) return null;
    return Math.min(S.xMax, Math.max(S.xMin, geom.sx.invert(px)));
  };
  const setFromPointer = (e) => {
    const x = pointerX(e);
    if (x === null) return false;
    const snapped = gridX(nearestIndex(x, S.xMin, S.xMax, S.n), S.xMin, S.xMax, S.n);
    ctx.set("x0", Math.round(snapped * 1000) / 1000);
    return true;
  };
  const onDown = (e) => { if (setFromPointer(e)) { dragging = true; canvas.style.cursor = "ew-resize"; } };
  const onMove = (e) => { if (dragging) setFromPointer(e); };
  const onUp = () => { dragging = false; if (canvas) canvas.style.cursor = ""; };
  const attach = (c) => {
    if (canvas === c) return;
    canvas = c;
    c.addEventListener("pointerdown", onDown);
    c.addEventListener("pointermove", onMove);
    c.addEventListener("pointerup", onUp);
    c.addEventListener("pointerleave", onUp);
  };

  function drawRuns(g, xs, ys, sx, sy, box) {
    g.save();
    g.beginPath();
    g.rect(box.x, box.y, box.w, box.h);
    g.clip();
    for (const run of finiteRuns(xs, ys)) {
      g.beginPath();
      run.forEach((pt, k) => { const X = sx(pt.x); const Y = sy(pt.y); if (k) g.lineTo(X, Y); else g.moveTo(X, Y); });
      if (run.length === 1) g.lineTo(sx(run[0].x) + 1, sy(run[0].y));
      g.stroke();
    }
    g.restore();
  }

  function ticksOf(lo, hi, count) {
    const step = niceStep(hi - lo, count);
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.abs(v) < 1e-9 ? 0 : v);
    return out;
  }

  function panel(g, p, dom, title, c, sx) {
    const { pal } = c;
    heading(g, p, [title], null, c);
    const sy = scaleOf(dom[0], dom[1], p.plot.y + p.plot.h, p.plot.y);
    font(g, c.fam, 12);
    yAxis(g, p.plot, ticksOf(dom[0], dom[1], 4), sy, num, pal);
    xAxis(g, p.plot, ticksOf(S.xMin, S.xMax, 8), sx, num, pal);
    g.save();
    g.strokeStyle = pal.border;
    g.lineWidth = 1;
    if (dom[0] < 0 && dom[1] > 0) {       // the x axis, y = 0
      g.beginPath(); g.moveTo(p.plot.x, Math.round(sy(0)) + 0.5); g.lineTo(p.plot.x + p.plot.w, Math.round(sy(0)) + 0.5); g.stroke();
    }
    if (S.xMin < 0 && S.xMax > 0) {       // the y axis, x = 0
      g.beginPath(); g.moveTo(Math.round(sx(0)) + 0.5, p.plot.y); g.lineTo(Math.round(sx(0)) + 0.5, p.plot.y + p.plot.h); g.stroke();
    }
    g.restore();
    return sy;
  }

  return {
    title: "Function families: value and slope as a parameter sweeps",
    fps: 6,
    loop: true,
    aspect: aspectFor,
    minHeight: 400,
    frames: () => (S ? S.frames : 1),
    frameLabel: (f) => (S ? `${S.param} = ${num(S.paramValue[Math.min(f, S.frames - 1)])} (frame ${formatInt(f + 1)} / ${formatInt(S.frames)})` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure: ${S.label}. Top, the curve f(x) for x from ${S.xMin} to ${S.xMax} as ${S.param} changes, `
        + "with the probe point and its tangent line; bottom, the slope f'(x) with the probe's slope marked."
      : "Function families figure (no data)"),

    draw(g, info) {
      if (!S || !S.frames) throw new Error("no scenario to draw: the widget state has no trace");
      attach(g.canvas);
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const f = Math.min(info.frame, S.frames - 1);
      const i = probe();
      const sx = scaleOf(S.xMin, S.xMax, L.top.plot.x, L.top.plot.x + L.top.plot.w);
      geom = { plot: L.top.plot, y: L.top.y, h: L.top.h, extra: L.bottom.h + 20, sx };
      const row = (arr, fr) => arr.subarray(fr * S.n, (fr + 1) * S.n);

      // -- top: f(x) --
      const title = `${(L.narrow ? SHORT : FORMULA)[S.family](S.param)}${L.narrow ? ", " : "    ("}${S.param} = `
        + `${num(S.paramValue[f])}${L.narrow ? "" : ")"}`;
      const sy = panel(g, L.top, S.valueDom, title, c, sx);
      const half = Math.floor(S.frames / 2);
      g.lineWidth = 1.5;
      g.setLineDash([4, 4]);
      g.strokeStyle = mix(pal.muted, pal.bg, 0.35);
      drawRuns(g, S.xs, row(S.value, 0), sx, sy, L.top.plot);
      drawRuns(g, S.xs, row(S.value, Math.max(0, half - 1)), sx, sy, L.top.plot);
      g.setLineDash([]);
      g.lineWidth = 3;
      g.strokeStyle = pal.cache;
      drawRuns(g, S.xs, row(S.value, f), sx, sy, L.top.plot);
      const x0 = S.xs[i];
      const y0 = at(S.value, f, i);
      const d0 = at(S.slope, f, i);
      const seg = tangentSegment(x0, y0, d0, S.xMin, S.xMax, S.valueDom[0], S.valueDom[1]);
      if (seg) {
        g.strokeStyle = pal.compute;
        g.lineWidth = 2;
        g.setLineDash([7, 4]);
        g.beginPath();
        g.moveTo(sx(seg[0].x), sy(seg[0].y));
        g.lineTo(sx(seg[1].x), sy(seg[1].y));
        g.stroke();
        g.setLineDash([]);
      }
      g.strokeStyle = mix(pal.highlight, pal.bg, 0.2);
      g.lineWidth = 1;
      g.beginPath();
      g.moveTo(Math.round(sx(x0)) + 0.5, L.top.plot.y);
      g.lineTo(Math.round(sx(x0)) + 0.5, L.bottom.plot.y + L.bottom.plot.h);
      g.stroke();
      if (Number.isFinite(y0) && y0 >= S.valueDom[0] && y0 <= S.valueDom[1]) {
        g.fillStyle = pal.compute;
        g.beginPath(); g.arc(sx(x0), sy(y0), 6, 0, 2 * Math.PI); g.fill();
      }
      font(g, c.fam, 12);
      let lx = L.top.plot.x + 6;
      const ly = L.top.plot.y + 10;
      lx = swatch(g, lx, ly, pal.cache, "f(x)", { fg: pal.fg, line: true });
      lx = swatch(g, lx, ly, pal.compute, "tangent at probe", { fg: pal.fg, line: true, dash: [7, 4] });
      if (!L.narrow) swatch(g, lx, ly, mix(pal.muted, pal.bg, 0.35), "ends of the sweep", { fg: pal.fg, line: true, dash: [4, 4] });

      // -- bottom: f'(x) --
      const sy2 = panel(g, L.bottom, S.slopeDom, "slope f′(x)", c, sx);
      g.lineWidth = 2.5;
      g.strokeStyle = pal.memory;
      drawRuns(g, S.xs, row(S.slope, f), sx, sy2, L.bottom.plot);
      if (Number.isFinite(d0) && d0 >= S.slopeDom[0] && d0 <= S.slopeDom[1]) {
        g.fillStyle = pal.compute;
        g.beginPath(); g.arc(sx(x0), sy2(d0), 5, 0, 2 * Math.PI); g.fill();
      }
      if (!Number.isFinite(y0)) {
        font(g, c.fam, 13, 700);
        text(g, `f is undefined at x = ${num(x0)}`, L.top.plot.x + L.top.plot.w - 6, L.top.plot.y + 12,
          { color: pal.error, align: "right" });
      }
    },

    telemetry(frame) {
      if (!S || !S.frames) return [];
      const f = Math.min(frame, S.frames - 1);
      const i = probe();
      return [
        ["Family", S.family],
        [`Parameter ${S.param}`, num(S.paramValue[f])],
        ["Probe x", num(S.xs[i])],
        ["f(x)", num(at(S.value, f, i))],
        ["Slope f′(x)", num(at(S.slope, f, i))],
      ];
    },

    describe(frame) {
      if (!S || !S.frames) return "No trace to describe.";
      const f = Math.min(frame, S.frames - 1);
      const i = probe();
      return `${S.label}. ${S.param} = ${num(S.paramValue[f])}. At x = ${num(S.xs[i])}, f(x) = `
        + `${num(at(S.value, f, i))} and the slope is ${num(at(S.slope, f, i))}.`;
    },

    destroy() {
      if (canvas) {
        canvas.removeEventListener("pointerdown", onDown);
        canvas.removeEventListener("pointermove", onMove);
        canvas.removeEventListener("pointerup", onUp);
        canvas.removeEventListener("pointerleave", onUp);
      }
    },
  };
}
