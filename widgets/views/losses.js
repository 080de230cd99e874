// P1.3 "Loss functions and cross-entropy": the view the engine mounts.
//
// Traits read: scenarios (one per preset plus "custom", arrays as binary buffers),
// scenario, wrong_logit, n_classes, learning_rate, n_steps. The scenario menu
// switches here in JS (every preset is precomputed); the rest re-run Python.
//
// Left: two rows of probability bars, one run trained with cross-entropy and one
// with squared error on the softmax, each against the one-hot target (outlined)
// with an arrow per class showing the pull −∂L/∂z on that logit. Right: p(correct)
// per step for both runs, and the pull on the correct logit against p(correct)
// (log scale) with both runs' current positions.

import { toFloat32 } from "../engine/codec.js";
import { font, heading, series, swatch, text, xAxis, yAxis, pointLabel } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale, logScale, logTicks, niceStep } from "../engine/scale.js";
import { arrowPx, aspectFor, barSlots, logDomain, panels } from "./losses_layout.js";

const num = (v) => {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2).replace("e+", "e").replace("-", "−");
  return sig(v, 3).replace("-", "−");
};
const logLabel = (v) => {
  const e = Math.round(Math.log10(v));
  return e >= -2 && e <= 2 ? String(10 ** e >= 1 ? 10 ** e : Number((10 ** e).toFixed(-e))) : `1e${String(e).replace("-", "−")}`;
};

/** A scenario dict from Python -> typed arrays. */
export function decodeScenario(s) {
  const run = (p) => ({
    probs: toFloat32(s[`${p}_probs`]), grad: toFloat32(s[`${p}_grad`]), loss: toFloat32(s[`${p}_loss`]),
    pc: toFloat32(s[`${p}_pc`]), gnorm: toFloat32(s[`${p}_gnorm`]), ce: toFloat32(s[`${p}_ce`]),
  });
  const S = {
    key: s.key, label: s.label, V: s.n_classes, lr: s.learning_rate, wrong: s.wrong_logit,
    ceReach: s.ce_reach, mseReach: s.mse_reach, ce: run("ce"), mse: run("mse"),
    curveP: toFloat32(s.curve_p), curveCE: toFloat32(s.curve_ce), curveMSE: toFloat32(s.curve_mse),
    curveGCE: toFloat32(s.curve_gce), curveGMSE: toFloat32(s.curve_gmse),
  };
  S.n = S.ce.pc.length;
  S.pullDomain = logDomain([...S.curveGCE, ...S.curveGMSE], 1e-4);
  return S;
}

export function lossView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;

  const scenarioSelect = ui.select({ label: "Scenario", options: [], value: "",
    onChange: (v) => ctx.set("scenario", v) });
  const numberInput = (label, trait, min, max, step, whole) => ui.number({ label, value: model.get(trait), min, max,
    step, python: true, onChange: (v, raw) => {
      if (whole ? !Number.isInteger(v) : !Number.isFinite(v)) {
        ctx.inputError(`${trait} must be ${whole ? "a whole number" : "a number"}; got ${JSON.stringify(raw)}`);
        return;
      }
      ctx.inputError("");
      ctx.set(trait, v);
    } });
  const inputs = {
    wrong_logit: numberInput("Wrong-class logit", "wrong_logit", -20, 20, "any", false),
    n_classes: numberInput("Classes", "n_classes", 2, 10, 1, true),
    learning_rate: numberInput("Learning rate η", "learning_rate", 0, 100, "any", false),
    n_steps: numberInput("Steps", "n_steps", 1, 400, 1, true),
  };

  const pick = () => {
    const want = model.get("scenario");
    S = scenarios.find((s) => s.key === want) || scenarios[0] || null;
    if (S) scenarioSelect.set(S.key);
  };
  const loadScenarios = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    scenarioSelect.setOptions(scenarios.map((s) => ({ value: s.key, label: s.label })));
    pick();
  };
  loadScenarios();
  ctx.watch("scenarios", () => { loadScenarios(); ctx.refresh(); });
  ctx.watch("scenario", () => { pick(); ctx.refresh(); });
  for (const [trait, input] of Object.entries(inputs)) ctx.watch(trait, () => input.set(model.get(trait)));

  const kOf = (f) => Math.min(Math.max(0, f), S.n - 1);

  function drawBars(g, p, R, name, color, k, c) {
    const { pal } = c;
    heading(g, p, [`Trained with ${name}: p after step ${k}`, `${name}, step ${k}`], null, c);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 29, color, "p(class)", { fg: pal.fg });
    lx = swatch(g, lx, p.y + 29, pal.fg, "target", { fg: pal.fg, line: true, dash: [4, 3] });
    if (lx + 120 <= p.x + p.w) swatch(g, lx, p.y + 29, pal.extra, "pull −∂L/∂z", { fg: pal.fg, line: true });
    const plot = p.plot;
    const sy = linearScale(0, 1, plot.y + plot.h, plot.y);
    yAxis(g, plot, [0, 0.5, 1], sy, (v) => String(v), pal);
    const slots = barSlots(S.V, plot);
    xAxis(g, plot, [], (v) => v, String, pal);
    const V = S.V;
    const maxPx = plot.h * 0.45;
    for (let j = 0; j < V; j++) {
      const { x, w } = slots[j];
      const pj = R.probs[k * V + j];
      g.fillStyle = j === 0 ? color : mix(color, pal.bg, 0.45);
      g.fillRect(x, sy(pj), w, sy(0) - sy(pj));
      // the one-hot target: an outline to 1 for the correct class, a mark at 0 for the rest
      g.strokeStyle = pal.fg;
      g.lineWidth = 1.5;
      g.setLineDash([4, 3]);
      if (j === 0) g.strokeRect(x - 3, sy(1), w + 6, sy(0) - sy(1));
      g.setLineDash([]);
      // the pull on this logit, from the top of the bar
      const pull = -R.grad[k * V + j];
      const len = arrowPx(pull, maxPx, maxPx);
      const ax = x + w + 10;
      const ay = sy(pj);
      if (Math.abs(len) >= 1) {
        g.strokeStyle = pal.extra;
        g.fillStyle = pal.extra;
        g.lineWidth = 3;
        g.beginPath();
        g.moveTo(ax, ay);
        g.lineTo(ax, ay - len);
        g.stroke();
        const dir = len > 0 ? -1 : 1;
        const head = Math.min(8, Math.abs(len));
        g.beginPath();
        g.moveTo(ax, ay - len);
        g.lineTo(ax - 5, ay - len - dir * head);
        g.lineTo(ax + 5, ay - len - dir * head);
        g.closePath();
        g.fill();
      } else {
        g.fillStyle = pal.extra;
        g.beginPath();
        g.arc(ax, ay, 2.5, 0, 2 * Math.PI);
        g.fill();
      }
      font(g, c.fam, 12, j === 0 ? 600 : 400);
      text(g, j === 0 ? "correct" : `class ${j}`, x + w / 2, plot.y + plot.h + 6, { color: pal.muted, align: "center", baseline: "top" });
    }
    font(g, c.fam, 12, 600);
    g.textAlign = "left";
    const pc = R.pc[k];
    pointLabel(g, [`p(correct) = ${num(pc)}, pull ${num(-R.grad[k * V])}`, `p = ${num(pc)}`],
      slots[0].x + slots[0].w + 24, sy(Math.min(0.9, Math.max(0.1, pc))), plot, pal.fg, pal.bg, false);
  }

  function drawPc(g, p, k, c) {
    const { pal } = c;
    heading(g, p, ["p(correct) per step, CE vs MSE", "p(correct) per step"], null, c);
    font(g, c.fam, 12);
    const lx = swatch(g, p.x, p.y + 29, pal.cache, "CE", { fg: pal.fg, line: true });
    swatch(g, lx, p.y + 29, pal.compute, "MSE", { fg: pal.fg, line: true, dash: [6, 3] });
    const plot = p.plot;
    const sx = linearScale(0, Math.max(1, S.n - 1), plot.x, plot.x + plot.w);
    const sy = linearScale(0, 1, plot.y + plot.h, plot.y);
    yAxis(g, plot, [0, 0.25, 0.5, 0.75, 1], sy, (v) => String(v), pal);
    const step = niceStep(S.n - 1, Math.max(2, Math.floor(plot.w / 70)));
    const xt = [];
    for (let v = 0; v <= S.n - 1; v += step) xt.push(v);
    xAxis(g, plot, xt, sx, (v) => (v === 0 ? "step 0" : formatInt(v)), pal);
    for (const [R, color, dash] of [[S.ce, pal.cache, []], [S.mse, pal.compute, [6, 3]]]) {
      g.strokeStyle = color;
      g.setLineDash(dash);
      g.globalAlpha = 0.3;
      g.lineWidth = 1.5;
      series(g, R.pc, 0, S.n, sx, sy);
      g.stroke();
      g.globalAlpha = 1;
      g.lineWidth = 2.5;
      series(g, R.pc, 0, k + 1, sx, sy);
      g.stroke();
      g.setLineDash([]);
      g.fillStyle = color;
      g.beginPath();
      g.arc(sx(k), sy(R.pc[k]), 4.5, 0, 2 * Math.PI);
      g.fill();
    }
  }

  function drawPull(g, p, k, c) {
    const { pal } = c;
    heading(g, p, ["Pull on the correct logit |∂L/∂z_c| vs p(correct)", "|∂L/∂z_c| vs p(correct)"], null, c);
    font(g, c.fam, 12);
    const lx = swatch(g, p.x, p.y + 29, pal.cache, "CE: 1 − p", { fg: pal.fg, line: true });
    swatch(g, lx, p.y + 29, pal.compute, "MSE on softmax", { fg: pal.fg, line: true, dash: [6, 3] });
    const plot = p.plot;
    const sx = linearScale(0, 1, plot.x, plot.x + plot.w);
    const [lo, hi] = S.pullDomain;
    const sy = logScale(lo, hi, plot.y + plot.h, plot.y);
    const syc = (v) => sy(Math.min(hi, Math.max(lo, v)));
    yAxis(g, plot, logTicks(lo, hi, 4), sy, logLabel, pal);
    xAxis(g, plot, [0, 0.25, 0.5, 0.75, 1], sx, (v) => String(v), pal);
    text(g, "p(correct)", plot.x + plot.w, plot.y + plot.h - 6, { color: pal.muted, align: "right" });
    const m = S.curveP.length;
    for (const [ys, color, dash] of [[S.curveGCE, pal.cache, []], [S.curveGMSE, pal.compute, [6, 3]]]) {
      g.strokeStyle = color;
      g.lineWidth = 2;
      g.setLineDash(dash);
      g.beginPath();
      for (let i = 0; i < m; i++) {
        const X = sx(S.curveP[i]);
        const Y = syc(ys[i]);
        if (i) g.lineTo(X, Y); else g.moveTo(X, Y);
      }
      g.stroke();
      g.setLineDash([]);
    }
    const V = S.V;
    for (const [R, color, label] of [[S.ce, pal.cache, "CE"], [S.mse, pal.compute, "MSE"]]) {
      const X = sx(R.pc[k]);
      const Y = syc(Math.abs(R.grad[k * V]));
      g.fillStyle = color;
      g.strokeStyle = pal.fg;
      g.lineWidth = 1.5;
      g.beginPath();
      g.arc(X, Y, 6, 0, 2 * Math.PI);
      g.fill();
      g.stroke();
      font(g, c.fam, 12, 600);
      g.textAlign = "left";
      pointLabel(g, label, X, Y + (label === "CE" ? -14 : 14), plot, pal.fg, pal.bg, label === "CE");
    }
  }

  return {
    title: "Cross-entropy vs squared error: the pull on a wrong prediction",
    fps: 6,
    loop: true,
    aspect: aspectFor,
    minHeight: 440,
    frames: () => (S ? S.n : 1),
    frameLabel: (f) => (S ? `step ${formatInt(f)} / ${formatInt(S.n - 1)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure: ${S.label}. Left, the probabilities of ${S.V} classes for a run trained with cross-entropy `
        + "and one trained with squared error, against the one-hot target, with arrows for the pull on each logit; "
        + "right, the probability of the correct class per step, and the pull on the correct logit against it."
      : "Loss figure (no data)"),

    draw(g, info) {
      if (!S || !S.n) throw new Error("no scenario to draw: the widget state has no runs");
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const k = kOf(info.frame);
      drawBars(g, L.barsCE, S.ce, "cross-entropy", pal.cache, k, c);
      drawBars(g, L.barsMSE, S.mse, "MSE", pal.compute, k, c);
      drawPc(g, L.pc, k, c);
      drawPull(g, L.pull, k, c);
    },

    telemetry(frame) {
      if (!S || !S.n) return [];
      const k = kOf(frame);
      const V = S.V;
      const reach = (r) => (r < 0 ? "not within the run" : `step ${formatInt(r)}`);
      return [
        ["Step", `${formatInt(k)} of ${formatInt(S.n - 1)} (η = ${num(S.lr)})`],
        ["p(correct): CE run, MSE run", `${num(S.ce.pc[k])}, ${num(S.mse.pc[k])}`],
        ["Loss: CE run (CE), MSE run (MSE)", `${num(S.ce.loss[k])}, ${num(S.mse.loss[k])}`],
        ["Pull on correct logit: CE, MSE", `${num(-S.ce.grad[k * V])}, ${num(-S.mse.grad[k * V])}`],
        ["‖∇z L‖: CE, MSE", `${num(S.ce.gnorm[k])}, ${num(S.mse.gnorm[k])}`],
        ["p(correct) passes 0.5: CE, MSE", `${reach(S.ceReach)}, ${reach(S.mseReach)}`],
      ];
    },

    describe(frame) {
      if (!S || !S.n) return "No runs to describe.";
      const k = kOf(frame);
      const V = S.V;
      return `${S.label}. Step ${formatInt(k)} of ${formatInt(S.n - 1)}. Trained with cross-entropy, the correct `
        + `class has probability ${num(S.ce.pc[k])} and its logit is pulled up by ${num(-S.ce.grad[k * V])}; trained `
        + `with squared error, it has ${num(S.mse.pc[k])}, pulled up by ${num(-S.mse.grad[k * V])}.`;
    },
  };
}
