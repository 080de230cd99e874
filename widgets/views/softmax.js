// P0.6 "Probability, softmax, entropy, cross-entropy, KL": the view the engine mounts.
//
// Traits read: scenarios (one per preset plus "custom", arrays as binary buffers),
// scenario, logits, target. One frame is one temperature T. Left: the bars of
// softmax(z / T), the target outcome outlined and the uniform level 1/V dashed.
// Right: entropy H(p), cross-entropy H(target, p) and KL(target ‖ p) in bits
// against T on a log axis, with a cursor at the current T. Every number shown
// comes from the Python trace.

import { toFloat32 } from "../engine/codec.js";
import { font, heading, series, swatch, text, xAxis, yAxis } from "../engine/chart.js";
import { sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale, logScale } from "../engine/scale.js";
import { aspectFor, barRect, bitsMax, panels } from "./softmax_layout.js";

const num = (v) => (Number.isFinite(v) ? sig(v, 3).replace("-", "−") : "∞");
// a bar's label: three decimals, tiny values as "<0.001" so neighbours never collide
const barLabel = (v) => (v < 0.001 ? "<0.001" : v.toFixed(3));
// headroom above p = 1 for the value labels
const P_TOP = 1.12;

function decodeScenario(s) {
  const S = {
    key: s.key, label: s.label, V: s.V, target: s.target, logits: s.logits, uniformBits: s.uniform_bits,
    temps: toFloat32(s.temperature), probs: toFloat32(s.probs), H: toFloat32(s.entropy_bits),
    CE: toFloat32(s.cross_entropy_bits), KL: toFloat32(s.kl_bits),
  };
  S.n = S.temps.length;
  // a confident wrong guess can cost tens of bits: cap the axis at 2 log₂ V and let that curve leave the top
  S.top = Math.min(bitsMax([S.H, S.CE, S.KL, [S.uniformBits]]), bitsMax([[2 * S.uniformBits]]));
  return S;
}

export function softmaxView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;

  const scenarioSelect = ui.select({ label: "Scenario", options: [], value: "",
    onChange: (v) => ctx.set("scenario", v) });
  const targetInput = ui.number({ label: "Target outcome (index)", value: model.get("target"), min: 0, max: 11,
    python: true, onChange: (v, raw) => {
      if (!Number.isInteger(v)) { ctx.inputError(`target must be a whole number; got ${JSON.stringify(raw)}`); return; }
      ctx.inputError("");
      ctx.set("target", v);
    } });
  const logitEls = [0, 1, 2, 3].map((i) => ui.number({ label: `logit z${"₀₁₂₃"[i]}`, value: model.get("logits")[i] ?? 0,
    min: -50, max: 50, step: "any", python: true, onChange: (v, raw) => {
      if (!Number.isFinite(v)) { ctx.inputError(`logit ${i} must be a number; got ${JSON.stringify(raw)}`); return; }
      ctx.inputError("");
      const z = [...model.get("logits")];
      while (z.length <= i) z.push(0);
      z[i] = v;
      ctx.set("logits", z);
    } }));

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
  ctx.watch("target", () => targetInput.set(model.get("target")));
  ctx.watch("logits", () => logitEls.forEach((e, i) => e.set(model.get("logits")[i] ?? 0)));

  const at = (f) => Math.min(Math.max(0, f), S.n - 1);

  function drawBars(g, p, f, c) {
    const { pal } = c;
    heading(g, p, [`softmax(z / T) at T = ${num(S.temps[f])}`, `p at T = ${num(S.temps[f])}`], null, c);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 29, pal.cache, "probability", { fg: pal.fg });
    lx = swatch(g, lx, p.y + 29, pal.compute, "target outcome", { fg: pal.fg });
    swatch(g, lx, p.y + 29, pal.muted, "uniform 1/V", { fg: pal.fg, line: true, dash: [4, 3] });
    const plot = p.plot;
    const sy = linearScale(0, P_TOP, plot.y + plot.h, plot.y);
    yAxis(g, plot, [0, 0.25, 0.5, 0.75, 1], sy, (v) => String(v), pal);
    for (let i = 0; i < S.V; i++) {
      const v = S.probs[f * S.V + i];
      const r = barRect(i, S.V, plot, v, P_TOP);
      g.fillStyle = i === S.target ? pal.compute : mix(pal.cache, pal.bg, 0.15);
      g.fillRect(r.x, r.y, r.w, r.h);
      if (i === S.target) {
        g.strokeStyle = pal.fg;
        g.lineWidth = 2;
        g.strokeRect(r.x, r.y, r.w, r.h);
      }
      font(g, c.fam, 11);
      text(g, barLabel(v), r.x + r.w / 2, r.y - 4, { color: pal.fg, align: "center" });
      text(g, `z=${num(S.logits[i])}`, r.x + r.w / 2, plot.y + plot.h + 14, { color: pal.muted, align: "center" });
      text(g, `#${i}`, r.x + r.w / 2, plot.y + plot.h + 27, { color: pal.muted, align: "center" });
    }
    const u = sy(1 / S.V);
    g.strokeStyle = pal.muted;
    g.lineWidth = 1.5;
    g.setLineDash([4, 3]);
    g.beginPath();
    g.moveTo(plot.x, u);
    g.lineTo(plot.x + plot.w, u);
    g.stroke();
    g.setLineDash([]);
  }

  function drawCurves(g, p, f, c) {
    const { pal } = c;
    heading(g, p, ["Bits against temperature T (log axis)", "Bits vs T"], null, c);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 29, pal.cache, "H(p)", { fg: pal.fg, line: true });
    lx = swatch(g, lx, p.y + 29, pal.memory, "KL", { fg: pal.fg, line: true });
    lx = swatch(g, lx, p.y + 29, pal.compute, "CE (dashed)", { fg: pal.fg, line: true, dash: [6, 4] });
    swatch(g, lx, p.y + 29, pal.muted, "log₂ V", { fg: pal.fg, line: true, dash: [4, 3] });
    const plot = p.plot;
    const sx = logScale(S.temps[0], S.temps[S.n - 1], plot.x, plot.x + plot.w);
    const sy = linearScale(0, S.top, plot.y + plot.h, plot.y);
    const syc = (v) => sy(Math.min(S.top, Math.max(0, v)));
    const yt = [];
    const step = S.top > 4 ? 1 : 0.5;
    for (let v = 0; v <= S.top + 1e-9; v += step) yt.push(v);
    yAxis(g, plot, yt, sy, (v) => String(v), pal);
    xAxis(g, plot, [0.1, 0.3, 1, 3, 10].filter((v) => v >= S.temps[0] - 1e-9 && v <= S.temps[S.n - 1] + 1e-9), sx,
      (v) => `T=${v}`, pal);
    const u = sy(S.uniformBits);
    g.strokeStyle = pal.muted;
    g.lineWidth = 1.5;
    g.setLineDash([4, 3]);
    g.beginPath();
    g.moveTo(plot.x, u);
    g.lineTo(plot.x + plot.w, u);
    g.stroke();
    g.setLineDash([]);
    const X = (i) => sx(S.temps[i]);
    // KL under CE: with a one-hot target they coincide, so CE is dashed on top
    for (const [ys, col, dash] of [[S.H, pal.cache, null], [S.KL, pal.memory, null], [S.CE, pal.compute, [6, 4]]]) {
      g.strokeStyle = col;
      g.lineWidth = 2.5;
      if (dash) g.setLineDash(dash);
      series(g, ys, 0, S.n, X, syc);
      g.stroke();
      g.setLineDash([]);
      g.fillStyle = col;
      g.beginPath();
      g.arc(X(f), syc(ys[f]), 4.5, 0, 2 * Math.PI);
      g.fill();
    }
    g.strokeStyle = pal.fg;
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(X(f), plot.y);
    g.lineTo(X(f), plot.y + plot.h);
    g.stroke();
  }

  return {
    title: "Softmax with temperature: entropy, cross-entropy and KL",
    fps: 6,
    loop: true,
    aspect: aspectFor,
    minHeight: 360,
    frames: () => (S ? S.n : 1),
    frameLabel: (f) => (S ? `T = ${num(S.temps[at(f)])} (frame ${f + 1} / ${S.n})` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure: ${S.label}. Left, bars of the softmax probabilities of ${S.V} outcomes as the `
        + "temperature sweeps from 0.1 to 10, the target outcome highlighted. Right, entropy, cross-entropy "
        + "and KL divergence in bits against the temperature."
      : "Softmax figure (no data)"),

    draw(g, info) {
      if (!S || !S.n) throw new Error("no scenario to draw: the widget state has no trace");
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const f = at(info.frame);
      drawBars(g, L.bars, f, c);
      drawCurves(g, L.curves, f, c);
    },

    telemetry(frame) {
      if (!S || !S.n) return [];
      const f = at(frame);
      return [
        ["Temperature T", num(S.temps[f])],
        ["p(target)", num(S.probs[f * S.V + S.target])],
        ["Entropy H(p)", `${num(S.H[f])} bits (max log₂ V = ${num(S.uniformBits)})`],
        ["Cross-entropy", `${num(S.CE[f])} bits`],
        ["KL(target ‖ p)", `${num(S.KL[f])} bits`],
      ];
    },

    describe(frame) {
      if (!S || !S.n) return "No trace to describe.";
      const f = at(frame);
      return `${S.label}. Temperature ${num(S.temps[f])}: the target outcome gets probability `
        + `${num(S.probs[f * S.V + S.target])}; entropy ${num(S.H[f])} bits, cross-entropy ${num(S.CE[f])} bits, `
        + `KL ${num(S.KL[f])} bits.`;
    },
  };
}
