// P0.5 "Derivatives and gradient descent": the view the engine mounts.
//
// Traits read: scenarios (one per preset plus "custom", arrays as binary buffers),
// scenario, surface, learning_rate, n_steps, surface_options. The scenario menu
// switches here in JS (every preset is precomputed); surface, learning rate and
// steps re-run the Python simulation.
//
// Left: the map (a curve in 1-D, contour bands in 2-D) with the ball, its path and
// the step arrow −η∇L. Right: loss and gradient norm per step, both on log scales,
// and a red flag when the run climbs instead of descending. The contour image is
// drawn once per scenario, size and theme into an offscreen canvas.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, series, swatch, text, xAxis, yAxis, pointLabel } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale, logScale, logTicks, niceStep } from "../engine/scale.js";
import {
  LOG_FLOOR, arrowGeometry, aspectFor, bandIndex, clampToBox, contourLevels, fitRange, logDomain, panels,
  sampleGrid, status,
} from "./descent_layout.js";

const num = (v) => {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2).replace("e+", "e").replace("-", "−");
  return sig(v, 3).replace("-", "−");
};

/** A scenario dict from Python -> typed arrays and the numbers drawing needs. */
export function decodeScenario(s) {
  const S = {
    key: s.key, label: s.label, surface: s.surface, dim: s.dim, lr: s.learning_rate,
    critical: s.critical_learning_rate, convergedStep: s.converged_step, divergedStep: s.diverged_step,
    risingStep: s.rising_step, xRange: s.x_range, yRange: s.y_range, minimum: s.minimum,
    gridX: toFloat32(s.grid_x), gridY: toFloat32(s.grid_y), grid: toFloat32(s.grid_value),
    pos: toFloat32(s.position), loss: toFloat32(s.loss), grad: toFloat32(s.grad),
    gradNorm: toFloat32(s.grad_norm), diverged: toInt32(s.diverged), rising: toInt32(s.rising),
  };
  S.n = S.loss.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of S.grid) { if (v < lo) lo = v; if (v > hi) hi = v; }
  S.gridMin = lo;
  S.gridMax = hi;
  S.lossDomain = logDomain(S.loss);
  S.gradDomain = logDomain(S.gradNorm);
  return S;
}

/** A power-of-ten tick: "0.01", "1", "1000", or "1e−6" / "1e9" beyond those. */
const logLabel = (v) => {
  const e = Math.round(Math.log10(v));
  return e >= -2 && e <= 3 ? String(10 ** e >= 1 ? 10 ** e : Number((10 ** e).toFixed(-e))) : `1e${String(e).replace("-", "−")}`;
};

const hexRgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** Contour bands of scenario S into an offscreen canvas of box size × dpr. */
function contourImage(S, box, dpr, pal, fit) {
  const w = Math.max(1, Math.round(box.w * dpr));
  const h = Math.max(1, Math.round(box.h * dpr));
  const c = document.createElement("canvas");
  c.width = w;
  c.height = h;
  const g = c.getContext("2d");
  const levels = contourLevels(S.gridMin, S.gridMax, 12);
  const colours = [];
  for (let b = 0; b <= levels.length; b++) {
    colours.push(hexRgb(mix(pal.accent, pal.bg, 0.12 + (0.8 * b) / levels.length)));
  }
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

function arrow(g, x0, y0, x1, y1, color, width = 2.5) {
  const a = arrowGeometry(x0, y0, x1, y1);
  if (!a) return;
  g.strokeStyle = color;
  g.fillStyle = color;
  g.lineWidth = width;
  g.beginPath();
  g.moveTo(...a.shaft[0]);
  g.lineTo(...a.shaft[1]);
  g.stroke();
  g.beginPath();
  a.head.forEach(([x, y], i) => (i ? g.lineTo(x, y) : g.moveTo(x, y)));
  g.closePath();
  g.fill();
}

export function descentView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;
  let cache = { key: "", canvas: null };

  const scenarioSelect = ui.select({ label: "Scenario", options: [], value: "",
    onChange: (v) => ctx.set("scenario", v) });
  const surfaceSelect = ui.select({ label: "Surface", options: [], value: "", python: true,
    onChange: (v) => ctx.set("surface", v) });
  const lrInput = ui.number({ label: "Learning rate η", value: model.get("learning_rate"), min: 0, max: 1e6,
    step: "any", python: true, onChange: (v, raw) => {
      if (!Number.isFinite(v)) { ctx.inputError(`learning_rate must be a number; got ${JSON.stringify(raw)}`); return; }
      ctx.inputError("");
      ctx.set("learning_rate", v);
    } });
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
  ctx.watch("learning_rate", () => lrInput.set(model.get("learning_rate")));
  ctx.watch("n_steps", () => stepsInput.set(model.get("n_steps")));

  const at = (k) => {
    const kk = Math.min(Math.max(0, k), S.n - 1);
    const d = S.dim;
    return {
      k: kk, x: S.pos[kk * d], y: d > 1 ? S.pos[kk * d + 1] : S.loss[kk],
      gx: S.grad[kk * d], gy: d > 1 ? S.grad[kk * d + 1] : 0, loss: S.loss[kk], gn: S.gradNorm[kk],
      st: status(S, kk),
    };
  };

  // -- the map ---------------------------------------------------------------------------------
  function drawMap(g, p, info, c) {
    const { pal } = c;
    const one = S.dim === 1;
    const lrText = `η = ${num(S.lr)} = ${sig(S.lr / S.critical, 3)} × 2/L`;
    heading(g, p, one ? ["Loss curve L(w) and the ball", "Loss curve"] : ["Contour map of L(w₁, w₂)", "Contour map"],
      null, c);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 29, pal.fg, "path", { fg: pal.fg, line: true });
    lx = swatch(g, lx, p.y + 29, pal.compute, "step −η∇L", { fg: pal.fg, line: true });
    if (lx + g.measureText(lrText).width <= p.x + p.w) text(g, lrText, lx, p.y + 29, { color: pal.muted, baseline: "middle" });

    const yr = one ? [Math.min(0, S.gridMin), S.gridMax * 1.08] : S.yRange;
    const fit = fitRange(S.xRange, yr, p.plot, !one);
    const box = fit.box;
    if (one) {
      g.fillStyle = mix(pal.accent, pal.bg, 0.92);
      g.fillRect(box.x, box.y, box.w, box.h);
    } else {
      const dpr = Math.max(1, Math.min(4, (typeof window !== "undefined" && window.devicePixelRatio) || 1));
      const key = `${S.key}|${pal.theme}|${box.w}|${box.h}|${dpr}`;
      if (cache.key !== key) cache = { key, canvas: contourImage(S, box, dpr, pal, fit) };
      g.drawImage(cache.canvas, box.x, box.y, box.w, box.h);
    }
    // axes: a few ticks on each
    font(g, c.fam, 12);
    const xt = [];
    const xs = niceStep(S.xRange[1] - S.xRange[0], 4);
    for (let v = Math.ceil(S.xRange[0] / xs) * xs; v <= S.xRange[1] + 1e-9; v += xs) xt.push(v);
    xAxis(g, box, xt, fit.sx, (v) => num(Math.abs(v) < 1e-9 ? 0 : v), pal);
    const yt = [];
    const ys = niceStep(yr[1] - yr[0], 4);
    for (let v = Math.ceil(yr[0] / ys) * ys; v <= yr[1] + 1e-9; v += ys) yt.push(v);
    if (one) yAxis(g, box, yt, fit.sy, (v) => num(Math.abs(v) < 1e-9 ? 0 : v), pal);
    else for (const v of yt) text(g, num(Math.abs(v) < 1e-9 ? 0 : v), box.x - 6, fit.sy(v), { color: pal.muted, align: "right", baseline: "middle" });
    text(g, one ? "w" : "w₁", box.x + box.w, box.y + box.h - 6, { color: pal.muted, align: "right" });
    if (!one) text(g, "w₂", box.x + 4, box.y + 12, { color: pal.muted });

    g.save();
    g.beginPath();
    g.rect(box.x, box.y, box.w, box.h);
    g.clip();
    if (one) {                                // the curve itself
      g.strokeStyle = pal.accent;
      g.lineWidth = 2.5;
      series(g, S.grid, 0, S.grid.length, (i) => fit.sx(S.gridX[i]), (v) => fit.sy(v));
      g.stroke();
    }
    // the minimum
    const mx = fit.sx(S.minimum[0]);
    const my = one ? fit.sy(0) : fit.sy(S.minimum[1]);
    g.strokeStyle = pal.fg;
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(mx - 5, my - 5); g.lineTo(mx + 5, my + 5); g.moveTo(mx + 5, my - 5); g.lineTo(mx - 5, my + 5);
    g.stroke();

    // the path so far, with the current step gliding in
    const k = info.frame;
    const u = k > 0 ? info.tween : 1;
    const P = (i) => at(i);
    g.strokeStyle = pal.fg;
    g.lineWidth = 1.5;
    g.globalAlpha = 0.85;
    g.beginPath();
    const first = Math.max(0, k - 400);                 // a long run draws its last 400 steps
    for (let i = first; i < k; i++) {
      const q = P(i);
      const X = fit.sx(q.x);
      const Y = fit.sy(q.y);
      if (i === first) g.moveTo(X, Y); else g.lineTo(X, Y);
    }
    const cur = P(k);
    const prev = P(Math.max(0, k - 1));
    const bx = prev.x + (cur.x - prev.x) * u;
    const by = prev.y + (cur.y - prev.y) * u;
    if (k > 0) g.lineTo(fit.sx(bx), fit.sy(by));
    g.stroke();
    g.globalAlpha = 1;
    g.fillStyle = pal.fg;
    for (let i = first; i < k; i++) {
      const q = P(i);
      g.beginPath();
      g.arc(fit.sx(q.x), fit.sy(q.y), 2.2, 0, 2 * Math.PI);
      g.fill();
    }
    g.restore();

    // the ball, and the step it is about to take
    const ball = clampToBox(fit.sx(bx), fit.sy(by), box);
    if (!ball.off && u >= 1 && cur.st !== "diverged") {
      if (one) {                                        // the tangent: slope f'(w)
        const half = (S.xRange[1] - S.xRange[0]) * 0.12;
        g.strokeStyle = pal.muted;
        g.lineWidth = 1.5;
        g.setLineDash([4, 3]);
        g.beginPath();
        g.moveTo(fit.sx(cur.x - half), fit.sy(cur.y - cur.gx * half));
        g.lineTo(fit.sx(cur.x + half), fit.sy(cur.y + cur.gx * half));
        g.stroke();
        g.setLineDash([]);
        arrow(g, ball.x, ball.y, fit.sx(cur.x - S.lr * cur.gx), ball.y, pal.compute);
      } else {
        const tip = clampToBox(fit.sx(cur.x - S.lr * cur.gx), fit.sy(cur.y - S.lr * cur.gy), box, 2);
        arrow(g, ball.x, ball.y, tip.x, tip.y, pal.compute);
      }
    }
    g.fillStyle = ball.off ? pal.error : pal.highlight;
    g.strokeStyle = pal.fg;
    g.lineWidth = 1.5;
    g.beginPath();
    g.arc(ball.x, ball.y, 7, 0, 2 * Math.PI);
    g.fill();
    g.stroke();
    if (ball.off) {
      font(g, c.fam, 12, 600);
      g.textAlign = "left";              // pointLabel's halo is stroked with the current alignment
      const where = one ? `w = ${num(cur.x)}` : `(${num(cur.x)}, ${num(cur.y)})`;
      pointLabel(g, [`off the map: ${where}`, "off the map"], ball.x, ball.y + 16, box, pal.error, pal.bg, false);
    }
  }

  // -- the charts ------------------------------------------------------------------------------
  function drawSeries(g, p, info, c, ys, domain, title, color, flag) {
    const { pal } = c;
    heading(g, p, title, null, c);
    const plot = p.plot;
    const [lo, hi] = domain;
    const sx = linearScale(0, Math.max(1, S.n - 1), plot.x, plot.x + plot.w);
    const sy = logScale(lo, hi, plot.y + plot.h, plot.y);
    const syc = (v) => sy(Math.min(hi, Math.max(v, lo, LOG_FLOOR)));
    font(g, c.fam, 12);
    yAxis(g, plot, logTicks(lo, hi, 4), sy, logLabel, pal);
    const step = niceStep(S.n - 1, Math.max(2, Math.floor(plot.w / 70)));
    const xt = [];
    for (let v = 0; v <= S.n - 1; v += step) xt.push(v);
    xAxis(g, plot, xt, sx, (v) => (v === 0 ? "step 0" : formatInt(v)), pal);
    const m = Math.max(0, info.frame - 1 + (info.frame > 0 ? info.tween : 1));
    g.strokeStyle = color;
    g.globalAlpha = 0.3;
    g.lineWidth = 1.5;
    series(g, ys, 0, S.n, sx, syc);
    g.stroke();
    g.globalAlpha = 1;
    g.lineWidth = 2.5;
    const upto = Math.floor(m);
    series(g, ys, 0, upto + 1, sx, syc);
    if (upto + 1 < S.n) {
      const a = ys[upto];
      const b = ys[upto + 1];
      const t = m - upto;
      g.lineTo(sx(m), syc(10 ** (Math.log10(Math.max(a, LOG_FLOOR)) * (1 - t) + Math.log10(Math.max(b, LOG_FLOOR)) * t)));
    }
    g.stroke();
    const v = ys[info.frame];
    const x = sx(info.frame);
    const y = syc(v);
    g.fillStyle = color;
    g.beginPath();
    g.arc(x, y, 4.5, 0, 2 * Math.PI);
    g.fill();
    font(g, c.fam, 12, 600);
    g.textAlign = "left";
    pointLabel(g, num(v), x, y - 12, plot, pal.fg, pal.bg, true);
    if (flag) {                                          // the red flag
      font(g, c.fam, 13, 700);
      const s = flag;
      const w = g.measureText(s).width + 16;
      // top left: a diverging loss climbs from bottom left to top right, so this corner is free
      const fx = plot.x + 6;
      const fy = plot.y + 4;
      g.fillStyle = pal.error;
      g.fillRect(fx, fy, w, 22);
      text(g, s, fx + 8, fy + 11, { color: pal.bg, baseline: "middle" });
    }
  }

  const flagText = (st) => ({ diverged: "⚠ DIVERGED: overflow", rising: "⚠ DIVERGING: loss rising",
    edge: "on the edge: η = 2/L" }[st] || "");

  return {
    title: "Gradient descent: a ball on a loss surface",
    fps: 4,
    loop: true,
    aspect: aspectFor,
    minHeight: 400,
    frames: () => (S ? S.n : 1),
    frameLabel: (f) => (S ? `step ${formatInt(f)} / ${formatInt(S.n - 1)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure: gradient descent on the ${S.surface} surface with learning rate ${num(S.lr)}. Left, the `
        + `${S.dim === 1 ? "loss curve" : "contour map"} with the ball, its path and the next step; right, the loss `
        + "and the gradient norm per step on log scales."
      : "Gradient-descent figure (no data)"),

    draw(g, info) {
      if (!S || !S.n) throw new Error("no scenario to draw: the widget state has no trace");
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      drawMap(g, L.map, info, c);
      const st = at(info.frame).st;
      const bad = st === "diverged" || st === "rising";
      drawSeries(g, L.loss, info, c, S.loss, S.lossDomain, ["Loss L(w) per step (log scale)", "Loss (log)"],
        bad ? pal.error : pal.cache, bad || st === "edge" ? flagText(st) : "");
      drawSeries(g, L.grad, info, c, S.gradNorm, S.gradDomain, ["Gradient norm ‖∇L‖ (log scale)", "‖∇L‖ (log)"],
        pal.memory, "");
    },

    telemetry(frame) {
      if (!S || !S.n) return [];
      const v = at(frame);
      const statusText = {
        diverged: "⚠ diverged: the point overflowed",
        rising: "⚠ diverging: loss above its start",
        edge: "on the edge: bouncing, never settling",
        converged: "converged (‖∇L‖ < 1e−4)",
        descending: "descending",
      }[v.st];
      return [
        ["Step", `${formatInt(v.k)} of ${formatInt(S.n - 1)}`],
        ["Learning rate η", `${num(S.lr)} (${sig(S.lr / S.critical, 3)} × 2/L)`],
        ["Critical rate 2/L", num(S.critical)],
        ["Position w", S.dim === 1 ? num(v.x) : `(${num(v.x)}, ${num(v.y)})`],
        ["Loss L(w)", num(v.loss)],
        ["Gradient norm ‖∇L‖", num(v.gn)],
        ["Status", statusText],
      ];
    },

    describe(frame) {
      if (!S || !S.n) return "No trace to describe.";
      const v = at(frame);
      const where = S.dim === 1 ? `w = ${num(v.x)}` : `w = (${num(v.x)}, ${num(v.y)})`;
      const head = `${S.label}. Step ${formatInt(v.k)} of ${formatInt(S.n - 1)}: ${where}, loss ${num(v.loss)}, `
        + `gradient norm ${num(v.gn)}.`;
      const tail = {
        diverged: " The run has diverged: the point overflowed.",
        rising: ` Warning: the loss is above where it started; η is ${sig(S.lr / S.critical, 3)} times the critical 2/L, so each step overshoots further.`,
        edge: " η sits exactly on 2/L: the ball bounces between two points forever.",
        converged: " The gradient has all but vanished: converged.",
        descending: "",
      }[v.st];
      return head + tail;
    },
  };
}
