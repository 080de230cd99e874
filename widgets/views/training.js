// P1.5 "Training dynamics": the view the engine mounts.
//
// Traits read: scenarios (one per preset plus "custom", arrays as binary buffers),
// scenario, learning_rate, batch_size, weight_decay, n_points, n_steps. The scenario
// menu switches here in JS (every preset is precomputed); the rest re-run Python.
//
// Left: the training points (filled) and validation points (rings) of two classes over
// the network's P(class 1), blended between snapshots, with the 0.5 contour dotted.
// Right: training, validation and mini-batch loss per step (log scale), and the
// generalization gap (validation − training loss) per step.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, series, swatch, text, xAxis, yAxis } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale, logScale, logTicks, niceStep } from "../engine/scale.js";
import { aspectFor, gapDomain, lossDomain, panels, snapshotBlend } from "./training_layout.js";

const num = (v) => {
  if (!Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2).replace("e+", "e").replace("-", "−");
  return sig(v, 3).replace("-", "−");
};
const pct = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : "—");
const logLabel = (v) => {
  const e = Math.round(Math.log10(v));
  return e >= -2 && e <= 1 ? String(Number((10 ** e).toFixed(Math.max(0, -e)))) : `1e${String(e).replace("-", "−")}`;
};

/** A scenario dict from Python -> typed arrays. */
export function decodeScenario(s) {
  const S = {
    key: s.key, label: s.label, n: s.n_frames, G: s.grid, nParams: s.n_params, nTrain: s.n_train, nVal: s.n_val,
    B: s.batch_size, lr: s.learning_rate, wd: s.weight_decay, best: s.best_step, bestVal: s.best_val,
    train: toFloat32(s.train_loss), val: toFloat32(s.val_loss), batch: toFloat32(s.batch_loss),
    trainAcc: toFloat32(s.train_acc), valAcc: toFloat32(s.val_acc), epoch: toFloat32(s.epoch), gap: toFloat32(s.gap),
    wnorm: toFloat32(s.weight_norm), xTrain: toFloat32(s.x_train), yTrain: toInt32(s.y_train),
    xVal: toFloat32(s.x_val), yVal: toInt32(s.y_val), gx: toFloat32(s.grid_x), gy: toFloat32(s.grid_y),
    snapSteps: toInt32(s.boundary_step), prob: toFloat32(s.boundary_prob),
  };
  S.lossDomain = lossDomain([...S.train, ...S.val, ...S.batch]);
  S.gapDomain = gapDomain(S.gap);
  return S;
}

export function trainingView(ctx) {
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
    learning_rate: numberInput("Learning rate η", "learning_rate", 0, 10, "any", false),
    batch_size: numberInput("Batch size", "batch_size", 1, 1000, 1, true),
    weight_decay: numberInput("Weight decay λ", "weight_decay", 0, 100, "any", false),
    n_points: numberInput("Data points", "n_points", 20, 1000, 1, true),
    n_steps: numberInput("Steps", "n_steps", 1, 300, 1, true),
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

  function drawData(g, p, k, c) {
    const { pal } = c;
    heading(g, p, [`Data and decision boundary after step ${formatInt(k)}`, `Boundary, step ${formatInt(k)}`], null, c);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 29, pal.cache, "class 0", { fg: pal.fg });
    lx = swatch(g, lx, p.y + 29, pal.compute, "class 1", { fg: pal.fg });
    if (lx + 110 <= p.x + p.w) text(g, "ring = validation", lx, p.y + 29, { color: pal.muted, baseline: "middle" });
    const plot = p.plot;
    const G = S.G;
    const sx = linearScale(S.gx[0], S.gx[G - 1], plot.x, plot.x + plot.w);
    const sy = linearScale(S.gy[0], S.gy[G - 1], plot.y + plot.h, plot.y);
    const { a, b, t } = snapshotBlend(S.snapSteps, k);
    const P = (i, j) => (1 - t) * S.prob[(a * G + i) * G + j] + t * S.prob[(b * G + i) * G + j];
    const cw = plot.w / (G - 1);
    const ch = plot.h / (G - 1);
    const c0 = mix(pal.cache, pal.bg, 0.72);
    const c1 = mix(pal.compute, pal.bg, 0.72);
    for (let i = 0; i < G; i++) {
      for (let j = 0; j < G; j++) {
        const x0 = Math.max(plot.x, sx(S.gx[j]) - cw / 2);
        const y0 = Math.max(plot.y, sy(S.gy[i]) - ch / 2);
        const x1 = Math.min(plot.x + plot.w, sx(S.gx[j]) + cw / 2);
        const y1 = Math.min(plot.y + plot.h, sy(S.gy[i]) + ch / 2);
        const v = P(i, j);
        g.fillStyle = Number.isFinite(v) ? mix(c0, c1, Math.min(1, Math.max(0, v))) : pal.empty;
        g.fillRect(x0, y0, x1 - x0 + 0.5, y1 - y0 + 0.5);
      }
    }
    // the 0.5 contour: a dot where P crosses 0.5 between neighbouring grid points
    g.fillStyle = pal.fg;
    for (let i = 0; i < G; i++) {
      for (let j = 0; j < G; j++) {
        const v = P(i, j) - 0.5;
        if (j + 1 < G) {
          const w = P(i, j + 1) - 0.5;
          if (v * w < 0) {
            const f = v / (v - w);
            g.beginPath();
            g.arc(sx(S.gx[j] + f * (S.gx[j + 1] - S.gx[j])), sy(S.gy[i]), 2, 0, 2 * Math.PI);
            g.fill();
          }
        }
        if (i + 1 < G) {
          const w = P(i + 1, j) - 0.5;
          if (v * w < 0) {
            const f = v / (v - w);
            g.beginPath();
            g.arc(sx(S.gx[j]), sy(S.gy[i] + f * (S.gy[i + 1] - S.gy[i])), 2, 0, 2 * Math.PI);
            g.fill();
          }
        }
      }
    }
    g.strokeStyle = pal.border;
    g.lineWidth = 1;
    g.strokeRect(plot.x, plot.y, plot.w, plot.h);
    const dot = (x, y, cls, hollow) => {
      const color = cls === 1 ? pal.compute : pal.cache;
      g.beginPath();
      g.arc(sx(x), sy(y), hollow ? 4 : 3.5, 0, 2 * Math.PI);
      if (hollow) {
        g.strokeStyle = color;
        g.lineWidth = 2;
        g.stroke();
      } else {
        g.fillStyle = color;
        g.fill();
        g.strokeStyle = pal.bg;
        g.lineWidth = 0.8;
        g.stroke();
      }
    };
    for (let i = 0; i < S.yTrain.length; i++) dot(S.xTrain[2 * i], S.xTrain[2 * i + 1], S.yTrain[i], false);
    for (let i = 0; i < S.yVal.length; i++) dot(S.xVal[2 * i], S.xVal[2 * i + 1], S.yVal[i], true);
  }

  function stepAxis(g, plot, sx, c) {
    const step = niceStep(S.n - 1, Math.max(2, Math.floor(plot.w / 70)));
    const xt = [];
    for (let v = 0; v <= S.n - 1; v += step) xt.push(v);
    xAxis(g, plot, xt, sx, (v) => (v === 0 ? "step 0" : formatInt(v)), c.pal);
  }

  function curve(g, ys, k, sx, sy, color, dash) {
    g.strokeStyle = color;
    g.setLineDash(dash);
    g.globalAlpha = 0.25;
    g.lineWidth = 1.5;
    series(g, ys, 0, S.n, sx, sy);
    g.stroke();
    g.globalAlpha = 1;
    g.lineWidth = 2.5;
    series(g, ys, 0, k + 1, sx, sy);
    g.stroke();
    g.setLineDash([]);
  }

  function drawLoss(g, p, k, c) {
    const { pal } = c;
    heading(g, p, ["Loss per step (cross-entropy, log scale)", "Loss per step (log)"], null, c);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 29, pal.cache, "train", { fg: pal.fg, line: true });
    lx = swatch(g, lx, p.y + 29, pal.compute, "validation", { fg: pal.fg, line: true, dash: [6, 3] });
    lx = swatch(g, lx, p.y + 29, pal.muted, "batch", { fg: pal.fg });
    if (lx + 120 <= p.x + p.w) swatch(g, lx, p.y + 29, pal.memory, "lowest val.", { fg: pal.fg, line: true, dash: [2, 3] });
    const plot = p.plot;
    const sx = linearScale(0, Math.max(1, S.n - 1), plot.x, plot.x + plot.w);
    const [lo, hi] = S.lossDomain;
    const sLog = logScale(lo, hi, plot.y + plot.h, plot.y);
    const sy = (v) => sLog(Math.min(hi, Math.max(lo, v)));
    yAxis(g, plot, logTicks(lo, hi, 5), sLog, logLabel, pal);
    stepAxis(g, plot, sx, c);
    g.fillStyle = pal.muted;
    for (let i = 1; i <= k; i++) {
      const v = S.batch[i];
      if (!(v > 0)) continue;
      g.fillRect(sx(i) - 1, sy(v) - 1, 2, 2);
    }
    const bx = Math.round(sx(S.best)) + 0.5;
    g.strokeStyle = pal.memory;
    g.lineWidth = 1.5;
    g.setLineDash([2, 3]);
    g.beginPath();
    g.moveTo(bx, plot.y);
    g.lineTo(bx, plot.y + plot.h);
    g.stroke();
    g.setLineDash([]);
    curve(g, S.train, k, sx, sy, pal.cache, []);
    curve(g, S.val, k, sx, sy, pal.compute, [6, 3]);
    for (const [ys, color] of [[S.train, pal.cache], [S.val, pal.compute]]) {
      if (!Number.isFinite(ys[k])) continue;
      g.fillStyle = color;
      g.beginPath();
      g.arc(sx(k), sy(ys[k]), 4.5, 0, 2 * Math.PI);
      g.fill();
    }
  }

  function drawGap(g, p, k, c) {
    const { pal } = c;
    heading(g, p, ["Generalization gap: validation − training loss", "Gap: val − train"], null, c);
    const plot = p.plot;
    const sx = linearScale(0, Math.max(1, S.n - 1), plot.x, plot.x + plot.w);
    const [lo, hi] = S.gapDomain;
    const sy = linearScale(lo, hi, plot.y + plot.h, plot.y);
    const span = hi - lo;
    const st = niceStep(span, 4);
    const yt = [];
    for (let v = Math.ceil(lo / st) * st; v <= hi + 1e-12; v += st) yt.push(Number(v.toFixed(10)));
    font(g, c.fam, 12);
    yAxis(g, plot, yt, sy, (v) => num(v), pal);
    stepAxis(g, plot, sx, c);
    g.strokeStyle = pal.fg;
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(plot.x, Math.round(sy(0)) + 0.5);
    g.lineTo(plot.x + plot.w, Math.round(sy(0)) + 0.5);
    g.stroke();
    curve(g, S.gap, k, sx, sy, pal.extra, []);
    if (Number.isFinite(S.gap[k])) {
      g.fillStyle = pal.extra;
      g.beginPath();
      g.arc(sx(k), sy(S.gap[k]), 4.5, 0, 2 * Math.PI);
      g.fill();
    }
  }

  return {
    title: "Training dynamics: loss curves, generalization gap and decision boundary",
    fps: 12,
    loop: true,
    aspect: aspectFor,
    minHeight: 440,
    frames: () => (S ? S.n : 1),
    frameLabel: (f) => (S ? `step ${formatInt(kOf(f))} / ${formatInt(S.n - 1)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure: ${S.label}. Left, ${S.nTrain} training and ${S.nVal} validation points of two classes `
        + "over the network's decision boundary; right, the training, validation and mini-batch loss per step, "
        + "and the gap between validation and training loss."
      : "Training figure (no data)"),

    draw(g, info) {
      if (!S || !S.n) throw new Error("no scenario to draw: the widget state has no runs");
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const k = kOf(info.frame);
      drawData(g, L.data, k, c);
      drawLoss(g, L.loss, k, c);
      drawGap(g, L.gap, k, c);
    },

    telemetry(frame) {
      if (!S || !S.n) return [];
      const k = kOf(frame);
      return [
        ["Step (epoch)", `${formatInt(k)} of ${formatInt(S.n - 1)} (epoch ${num(S.epoch[k])})`],
        ["η, batch, λ", `${num(S.lr)}, ${formatInt(S.B)}, ${num(S.wd)}`],
        ["Loss on this batch", k === 0 ? "— (no step yet)" : num(S.batch[k])],
        ["Loss: train, validation", `${num(S.train[k])}, ${num(S.val[k])}`],
        ["Generalization gap", num(S.gap[k])],
        ["Accuracy: train, validation", `${pct(S.trainAcc[k])}, ${pct(S.valAcc[k])}`],
        ["Lowest validation loss", `${num(S.bestVal)} at step ${formatInt(S.best)}`],
        ["Weight norm ‖θ‖", num(S.wnorm[k])],
      ];
    },

    describe(frame) {
      if (!S || !S.n) return "No runs to describe.";
      const k = kOf(frame);
      return `${S.label}. Step ${formatInt(k)} of ${formatInt(S.n - 1)}: training loss ${num(S.train[k])}, `
        + `validation loss ${num(S.val[k])}, gap ${num(S.gap[k])}; accuracy ${pct(S.trainAcc[k])} on training, `
        + `${pct(S.valAcc[k])} on validation.`;
    },
  };
}
