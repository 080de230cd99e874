// P0.7 "Optimization: SGD, momentum, Adam": the view the engine mounts.
//
// Traits read: scenarios (one per preset plus "custom", arrays as binary buffers),
// scenario, surface, sgd_lr, momentum_lr, adam_lr, beta1, beta2, gradient_noise,
// n_steps, surface_options. The scenario menu switches here in JS (every preset is
// precomputed); the other controls re-run the Python simulation.
//
// Left: the contour map with every racer's path from the shared start. Right, top:
// the loss per step of each racer (log scale). Right, bottom: steps to converge, a
// bar per racer that grows while it races and stops when it reaches the minimum.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, series, swatch, text, xAxis, yAxis, pointLabel } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale, logScale, logTicks, niceStep } from "../engine/scale.js";
import {
  LOG_FLOOR, aspectFor, bandIndex, barRows, barSteps, clampToBox, contourLevels, fitRange, leader, logDomain,
  panels, pathStart, racerStatus, sampleGrid,
} from "./optimizers_layout.js";

const NAMES = { sgd: "SGD", momentum: "Momentum", adam: "Adam" };
const ROLE = { sgd: "compute", momentum: "cache", adam: "extra" };

const num = (v) => {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2).replace("e+", "e").replace("-", "−");
  return sig(v, 3).replace("-", "−");
};

/** A scenario dict from Python -> typed arrays and the numbers drawing needs. */
export function decodeScenario(s) {
  const S = {
    key: s.key, label: s.label, surface: s.surface, names: s.names, lrs: s.learning_rates, betas: s.betas,
    beta2: s.beta2, noise: s.gradient_noise, critical: s.critical_learning_rate, xRange: s.x_range,
    yRange: s.y_range, minimum: s.minimum, steps: s.steps, divergedStep: s.diverged_step,
    gridX: toFloat32(s.grid_x), gridY: toFloat32(s.grid_y), grid: toFloat32(s.grid_value),
    pos: toFloat32(s.position), loss: toFloat32(s.loss), dist: toFloat32(s.distance),
    converged: toInt32(s.converged), diverged: toInt32(s.diverged),
  };
  S.R = S.names.length;
  S.n = S.loss.length / S.R;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of S.grid) { if (v < lo) lo = v; if (v > hi) hi = v; }
  S.gridMin = lo;
  S.gridMax = hi;
  S.lossDomain = logDomain(S.loss);
  S.lossOf = Array.from({ length: S.R }, (_, r) => Float32Array.from({ length: S.n }, (_, f) => S.loss[f * S.R + r]));
  return S;
}

const logLabel = (v) => {
  const e = Math.round(Math.log10(v));
  return e >= -2 && e <= 3 ? String(10 ** e >= 1 ? 10 ** e : Number((10 ** e).toFixed(-e))) : `1e${String(e).replace("-", "−")}`;
};

const hexRgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** Grey contour bands of scenario S into an offscreen canvas (the racers' colours stay readable on it). */
function contourImage(S, box, dpr, pal, fit) {
  const w = Math.max(1, Math.round(box.w * dpr));
  const h = Math.max(1, Math.round(box.h * dpr));
  const c = document.createElement("canvas");
  c.width = w;
  c.height = h;
  const g = c.getContext("2d");
  const levels = contourLevels(S.gridMin, S.gridMax, 12);
  const colours = [];
  for (let b = 0; b <= levels.length; b++) colours.push(hexRgb(mix(pal.muted, pal.bg, 0.45 + (0.5 * b) / levels.length)));
  const img = g.createImageData(w, h);
  const d = img.data;
  for (let py = 0; py < h; py++) {
    const y = fit.iy(box.y + (py + 0.5) / dpr);
    for (let px = 0; px < w; px++) {
      const x = fit.ix(box.x + (px + 0.5) / dpr);
      const rgb = colours[bandIndex(sampleGrid(S.grid, S.gridX, S.gridY, x, y), levels)];
      const o = (py * w + px) * 4;
      d[o] = rgb[0]; d[o + 1] = rgb[1]; d[o + 2] = rgb[2]; d[o + 3] = 255;
    }
  }
  g.putImageData(img, 0, 0);
  return c;
}

/** A marker per racer: circle (SGD), square (momentum), triangle (Adam), so colour is not the only cue. */
function marker(g, name, x, y, r) {
  g.beginPath();
  if (name === "momentum") g.rect(x - r, y - r, 2 * r, 2 * r);
  else if (name === "adam") { g.moveTo(x, y - r * 1.2); g.lineTo(x + r * 1.1, y + r * 0.8); g.lineTo(x - r * 1.1, y + r * 0.8); g.closePath(); }
  else g.arc(x, y, r, 0, 2 * Math.PI);
}

export function optimizersView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;
  let cache = { key: "", canvas: null };

  const scenarioSelect = ui.select({ label: "Race", options: [], value: "", onChange: (v) => ctx.set("scenario", v) });
  const surfaceSelect = ui.select({ label: "Surface", options: [], value: "", python: true,
    onChange: (v) => ctx.set("surface", v) });
  const numberInput = (trait, label, min, max) => ui.number({ label, value: model.get(trait), min, max, step: "any",
    python: true, onChange: (v, raw) => {
      if (!Number.isFinite(v)) { ctx.inputError(`${trait} must be a number; got ${JSON.stringify(raw)}`); return; }
      ctx.inputError("");
      ctx.set(trait, v);
    } });
  const inputs = {
    sgd_lr: numberInput("sgd_lr", "SGD η", 0, 1e6),
    momentum_lr: numberInput("momentum_lr", "Momentum η", 0, 1e6),
    adam_lr: numberInput("adam_lr", "Adam η", 0, 1e6),
    beta1: numberInput("beta1", "β / β₁", 0, 0.999999),
    beta2: numberInput("beta2", "β₂", 0, 0.999999),
    gradient_noise: numberInput("gradient_noise", "Noise σ", 0, 1e6),
  };
  const stepsInput = ui.number({ label: "Steps", value: model.get("n_steps"), min: 1, max: 1000, python: true,
    onChange: (v, raw) => {
      if (!Number.isInteger(v)) { ctx.inputError(`n_steps must be a whole number; got ${JSON.stringify(raw)}`); return; }
      ctx.inputError("");
      ctx.set("n_steps", v);
    } });

  const pick = () => {
    const want = model.get("scenario");
    S = scenarios.find((s) => s.key === want) || scenarios[0] || null;
    if (S) scenarioSelect.set(S.key);
  };
  const loadScenarios = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    scenarioSelect.setOptions(scenarios.map((s) => ({ value: s.key, label: s.label })));
    cache = { key: "", canvas: null };
    pick();
  };
  const loadSurfaces = () => {
    const opts = model.get("surface_options") || [model.get("surface")];
    surfaceSelect.setOptions(opts.map((d) => ({ value: d, label: d })));
    surfaceSelect.set(model.get("surface"));
  };
  loadScenarios();
  loadSurfaces();

  ctx.watch("scenarios", () => { loadScenarios(); ctx.refresh(); });
  ctx.watch("scenario", () => { pick(); ctx.refresh(); });
  ctx.watch("surface", () => surfaceSelect.set(model.get("surface")));
  ctx.watch("surface_options", loadSurfaces);
  for (const [trait, input] of Object.entries(inputs)) ctx.watch(trait, () => input.set(model.get(trait)));
  ctx.watch("n_steps", () => stepsInput.set(model.get("n_steps")));

  const colour = (pal, r) => pal[ROLE[S.names[r]] || "fg"];
  const P = (f, r) => {
    const i = (Math.min(Math.max(0, f), S.n - 1) * S.R + r) * 2;
    return [S.pos[i], S.pos[i + 1]];
  };
  const hp = (v) => String(Number(v.toPrecision(3)));
  const hyper = (r) => {
    const name = S.names[r];
    const parts = [`η ${hp(S.lrs[r])}`];
    if (name === "momentum") parts.push(`β ${hp(S.betas[r])}`);
    if (name === "adam") parts.push(`β₁ ${hp(S.betas[r])}`, `β₂ ${hp(S.beta2[r])}`);
    return parts.join(", ");
  };

  // -- the map ---------------------------------------------------------------------------------
  function drawMap(g, p, info, c) {
    const { pal } = c;
    heading(g, p, ["Contour map of L(w₁, w₂): the race", "The race"], null, c);
    font(g, c.fam, 12);
    let lx = p.x;
    for (let r = 0; r < S.R; r++) lx = swatch(g, lx, p.y + 29, colour(pal, r), NAMES[S.names[r]] || S.names[r], { fg: pal.fg, line: true });
    const fit = fitRange(S.xRange, S.yRange, p.plot, true);
    const box = fit.box;
    const dpr = Math.max(1, Math.min(4, (typeof window !== "undefined" && window.devicePixelRatio) || 1));
    const key = `${S.key}|${pal.theme}|${box.w}|${box.h}|${dpr}`;
    if (cache.key !== key) cache = { key, canvas: contourImage(S, box, dpr, pal, fit) };
    g.drawImage(cache.canvas, box.x, box.y, box.w, box.h);
    font(g, c.fam, 12);
    const xt = [];
    const xs = niceStep(S.xRange[1] - S.xRange[0], 4);
    for (let v = Math.ceil(S.xRange[0] / xs) * xs; v <= S.xRange[1] + 1e-9; v += xs) xt.push(v);
    xAxis(g, box, xt, fit.sx, (v) => num(Math.abs(v) < 1e-9 ? 0 : v), pal);
    const yt = [];
    const ys = niceStep(S.yRange[1] - S.yRange[0], 4);
    for (let v = Math.ceil(S.yRange[0] / ys) * ys; v <= S.yRange[1] + 1e-9; v += ys) yt.push(v);
    for (const v of yt) text(g, num(Math.abs(v) < 1e-9 ? 0 : v), box.x - 6, fit.sy(v), { color: pal.muted, align: "right", baseline: "middle" });
    text(g, "w₁", box.x + box.w - 4, box.y + box.h - 6, { color: pal.fg, align: "right" });
    text(g, "w₂", box.x + 4, box.y + 14, { color: pal.fg });

    // the minimum
    const mx = fit.sx(S.minimum[0]);
    const my = fit.sy(S.minimum[1]);
    g.strokeStyle = pal.fg;
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(mx - 6, my - 6); g.lineTo(mx + 6, my + 6); g.moveTo(mx + 6, my - 6); g.lineTo(mx - 6, my + 6);
    g.stroke();

    const k = info.frame;
    const u = k > 0 ? info.tween : 1;
    g.save();
    g.beginPath();
    g.rect(box.x, box.y, box.w, box.h);
    g.clip();
    for (let r = 0; r < S.R; r++) {
      g.strokeStyle = colour(pal, r);
      g.lineWidth = 2;
      g.beginPath();
      const first = pathStart(k);
      for (let i = first; i <= k; i++) {
        let [x, y] = P(i, r);
        if (i === k && k > 0) {                       // the current step glides in
          const a = P(k - 1, r);
          x = a[0] + (x - a[0]) * u;
          y = a[1] + (y - a[1]) * u;
        }
        if (i === first) g.moveTo(fit.sx(x), fit.sy(y)); else g.lineTo(fit.sx(x), fit.sy(y));
      }
      g.stroke();
    }
    g.restore();
    // the racers, last (on top)
    for (let r = 0; r < S.R; r++) {
      const q0 = P(Math.max(0, k - 1), r);
      const q1 = P(k, r);
      const bx = k > 0 ? q0[0] + (q1[0] - q0[0]) * u : q1[0];
      const by = k > 0 ? q0[1] + (q1[1] - q0[1]) * u : q1[1];
      const ball = clampToBox(fit.sx(bx), fit.sy(by), box);
      g.fillStyle = colour(pal, r);
      g.strokeStyle = pal.bg;
      g.lineWidth = 1.5;
      marker(g, S.names[r], ball.x, ball.y, 6);
      g.fill();
      g.stroke();
      if (ball.off) {
        font(g, c.fam, 12, 600);
        g.textAlign = "left";
        pointLabel(g, [`${NAMES[S.names[r]]} off the map`, "off"], ball.x, ball.y + 14 + 14 * r, box, pal.error, pal.bg, false);
      }
    }
  }

  // -- loss per step ------------------------------------------------------------------------------
  function drawLoss(g, p, info, c) {
    const { pal } = c;
    heading(g, p, ["Loss L(w) per step (log scale)", "Loss (log)"], null, c);
    const plot = p.plot;
    const [lo, hi] = S.lossDomain;
    const sx = linearScale(0, Math.max(1, S.n - 1), plot.x, plot.x + plot.w);
    const sy = logScale(lo, hi, plot.y + plot.h, plot.y);
    const syc = (v) => sy(Math.min(hi, Math.max(Number.isFinite(v) ? v : hi, lo, LOG_FLOOR)));
    font(g, c.fam, 12);
    yAxis(g, plot, logTicks(lo, hi, 4), sy, logLabel, pal);
    const step = niceStep(S.n - 1, Math.max(2, Math.floor(plot.w / 70)));
    const xt = [];
    for (let v = 0; v <= S.n - 1; v += step) xt.push(v);
    xAxis(g, plot, xt, sx, (v) => (v === 0 ? "step 0" : formatInt(v)), pal);
    const k = info.frame;
    for (let r = 0; r < S.R; r++) {
      const ys = S.lossOf[r];
      g.strokeStyle = colour(pal, r);
      g.globalAlpha = 0.25;
      g.lineWidth = 1.5;
      series(g, ys, 0, S.n, sx, syc, Math.max(1, Math.floor(S.n / plot.w)));
      g.stroke();
      g.globalAlpha = 1;
      g.lineWidth = 2.5;
      series(g, ys, 0, k + 1, sx, syc, Math.max(1, Math.floor(S.n / plot.w)));
      g.stroke();
      g.fillStyle = colour(pal, r);
      marker(g, S.names[r], sx(k), syc(ys[k]), 4.5);
      g.fill();
    }
  }

  // -- steps to converge ---------------------------------------------------------------------------
  function drawBars(g, p, info, c) {
    const { pal } = c;
    heading(g, p, ["Steps to converge (within 0.01 of the minimum)", "Steps to converge"], null, c);
    const plot = p.plot;
    const sx = linearScale(0, Math.max(1, S.n - 1), plot.x, plot.x + plot.w);
    const rows = barRows(plot, S.R);
    const k = info.frame;
    const best = leader(S.steps, k);
    g.strokeStyle = pal.border;
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(plot.x + 0.5, plot.y);
    g.lineTo(plot.x + 0.5, plot.y + plot.h);
    g.stroke();
    for (let r = 0; r < S.R; r++) {
      const row = rows[r];
      const len = barSteps(k, S.steps[r], S.divergedStep[r]);
      const st = racerStatus(S.converged, S.diverged, S.R, k, r);
      font(g, c.fam, 12, r === best ? 700 : 400);
      text(g, NAMES[S.names[r]] || S.names[r], p.x, row.mid, { color: pal.fg, baseline: "middle" });
      g.fillStyle = st === "diverged" ? pal.error : colour(pal, r);
      g.globalAlpha = st === "racing" ? 0.55 : 1;
      g.fillRect(plot.x, row.y, Math.max(1, sx(len) - plot.x), row.h);
      g.globalAlpha = 1;
      const label = st === "converged" ? `${formatInt(S.steps[r])} steps${r === best ? " ★" : ""}`
        : st === "diverged" ? `diverged at step ${formatInt(S.divergedStep[r])}` : `${formatInt(len)}…`;
      font(g, c.fam, 12, 600);
      const tx = sx(len) + 6;
      const w = g.measureText(label).width;
      if (tx + w <= plot.x + plot.w) text(g, label, tx, row.mid, { color: pal.fg, baseline: "middle" });
      else text(g, label, Math.max(plot.x + 4, sx(len) - 6), row.mid, { color: pal.bg, align: "right", baseline: "middle" });
    }
    font(g, c.fam, 12);
    const step = niceStep(S.n - 1, Math.max(2, Math.floor(plot.w / 70)));
    const xt = [];
    for (let v = 0; v <= S.n - 1; v += step) xt.push(v);
    xAxis(g, plot, xt, sx, (v) => formatInt(v), pal);
  }

  const statusWord = (st, r) => ({ converged: `converged at step ${formatInt(S.steps[r])}`,
    diverged: `diverged at step ${formatInt(S.divergedStep[r])}`, racing: "racing" }[st]);
  const statusShort = (st, r) => ({ converged: `✓ step ${formatInt(S.steps[r])}`,
    diverged: `⚠ diverged (step ${formatInt(S.divergedStep[r])})`, racing: "racing" }[st]);

  return {
    title: "Optimizers racing on a loss surface",
    fps: 15,
    loop: true,
    aspect: aspectFor,
    minHeight: 420,
    frames: () => (S ? S.n : 1),
    frameLabel: (f) => (S ? `step ${formatInt(f)} / ${formatInt(S.n - 1)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure: ${S.names.map((n) => NAMES[n]).join(", ")} race from one start on the ${S.surface} `
        + "surface. Left, the contour map with each optimiser's path; right, the loss per step on a log scale "
        + "and a bar per optimiser counting the steps it needs to reach the minimum."
      : "Optimizer-race figure (no data)"),

    draw(g, info) {
      if (!S || !S.n) throw new Error("no scenario to draw: the widget state has no trace");
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      drawMap(g, L.map, info, c);
      drawLoss(g, L.loss, info, c);
      drawBars(g, L.bars, info, c);
    },

    telemetry(frame) {
      if (!S || !S.n) return [];
      const f = Math.min(Math.max(0, frame), S.n - 1);
      const rows = [["Step", `${formatInt(f)} of ${formatInt(S.n - 1)}`]];
      for (let r = 0; r < S.R; r++) {
        const st = racerStatus(S.converged, S.diverged, S.R, f, r);
        rows.push([`${NAMES[S.names[r]]} (${hyper(r)})`, `loss ${num(S.lossOf[r][f])} · ${statusShort(st, r)}`]);
      }
      rows.push(["SGD limit 2/λ_max", num(S.critical)]);
      if (S.noise) rows.push(["Gradient noise σ", num(S.noise)]);
      return rows;
    },

    describe(frame) {
      if (!S || !S.n) return "No trace to describe.";
      const f = Math.min(Math.max(0, frame), S.n - 1);
      const parts = [];
      for (let r = 0; r < S.R; r++) {
        const st = racerStatus(S.converged, S.diverged, S.R, f, r);
        parts.push(`${NAMES[S.names[r]]} loss ${num(S.lossOf[r][f])}, ${statusWord(st, r)}`);
      }
      const best = leader(S.steps, f);
      const tail = best >= 0 ? ` ${NAMES[S.names[best]]} reached the minimum first.` : "";
      return `${S.label}. Step ${formatInt(f)} of ${formatInt(S.n - 1)}: ${parts.join("; ")}.${tail}`;
    },
  };
}
