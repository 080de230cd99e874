// P1.6 "Initialization and signal propagation": the view the engine mounts.
//
// Traits read: scenarios (one per scheme × activation, arrays as binary buffers),
// scheme, activation, depth, width, seed. Scheme and activation switch here in JS
// (every combination is precomputed); depth, width and seed re-run Python.
//
// Left: the histogram of the activations at the current layer (one layer per frame),
// with the input's histogram outlined for reference. Right: log10 of the spread (std)
// of the activations per layer for all four schemes, and of the backward gradient;
// the chosen scheme is drawn bold, the current layer marked.

import { toFloat32 } from "../engine/codec.js";
import { fit, font, heading, series, swatch, text, xAxis, yAxis } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale, niceStep } from "../engine/scale.js";
import { aspectFor, binSlots, decadeTicks, histTop, logRange, panels } from "./initialization_layout.js";

const SCHEMES = [["small", "Too small (std 0.01)"], ["xavier", "Xavier / Glorot"], ["he", "He / Kaiming"],
  ["large", "Too large (std 1)"]];
const SHORT = { small: "too small", xavier: "Xavier", he: "He", large: "too large" };
const ACTS = [["tanh", "tanh"], ["relu", "ReLU"]];
const DASH = { small: [2, 3], xavier: [8, 4], he: [], large: [4, 2, 1, 2] };

const num = (v) => {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2).replace("e+", "e").replace("-", "−");
  return sig(v, 3).replace("-", "−");
};
/** 10^v for a clamped log10 value, as text. */
const pow10 = (v) => (v >= 30 ? "overflow (≥ 1e30)" : v <= -30 ? "vanished (≤ 1e−30)" : num(10 ** v));
const decade = (e) => (e === 0 ? "1" : e === 1 ? "10" : `1e${String(e).replace("-", "−")}`);

/** A scenario dict from Python -> typed arrays. */
export function decodeScenario(s) {
  const S = {
    key: s.key, scheme: s.scheme, act: s.activation, label: s.label, wstd: s.weight_std, n: s.n_frames,
    bins: s.n_bins, lo: s.hist_lo, hi: s.hist_hi, hist: toFloat32(s.hist), logStd: toFloat32(s.log_std),
    logGrad: toFloat32(s.log_grad), rms: toFloat32(s.rms), mean: toFloat32(s.mean), zero: toFloat32(s.zero),
  };
  return S;
}

export function initView(ctx) {
  const { model, ui } = ctx;
  let all = [];
  let S = null;
  let group = [];       // the four schemes of the current activation
  let actRange = [-1, 1];
  let gradRange = [-1, 1];

  const schemeSelect = ui.select({ label: "Scheme", options: SCHEMES.map(([value, label]) => ({ value, label })),
    value: model.get("scheme"), onChange: (v) => ctx.set("scheme", v) });
  const actSelect = ui.select({ label: "Activation", options: ACTS.map(([value, label]) => ({ value, label })),
    value: model.get("activation"), onChange: (v) => ctx.set("activation", v) });
  const numberInput = (label, trait, min, max) => ui.number({ label, value: model.get(trait), min, max, step: 1,
    python: true, onChange: (v, raw) => {
      if (!Number.isInteger(v)) {
        ctx.inputError(`${trait} must be a whole number; got ${JSON.stringify(raw)}`);
        return;
      }
      ctx.inputError("");
      ctx.set(trait, v);
    } });
  const inputs = {
    depth: numberInput("Depth (layers)", "depth", 1, 200),
    width: numberInput("Width (units)", "width", 1, 512),
    seed: numberInput("Seed", "seed", 0, 1000000),
  };

  const pick = () => {
    const sc = model.get("scheme");
    const ac = model.get("activation");
    group = all.filter((s) => s.act === ac);
    if (!group.length) group = all.filter((s) => s.act === (all[0] && all[0].act));
    S = group.find((s) => s.scheme === sc) || group[0] || null;
    if (S) { schemeSelect.set(S.scheme); actSelect.set(S.act); }
    actRange = logRange(group.map((s) => s.logStd));
    gradRange = logRange(group.map((s) => s.logGrad));
  };
  const load = () => {
    all = (model.get("scenarios") || []).map(decodeScenario);
    pick();
  };
  load();
  ctx.watch("scenarios", () => { load(); ctx.refresh(); });
  ctx.watch("scheme", () => { pick(); ctx.refresh(); });
  ctx.watch("activation", () => { pick(); ctx.refresh(); });
  for (const [trait, input] of Object.entries(inputs)) ctx.watch(trait, () => input.set(model.get(trait)));

  const kOf = (f) => Math.min(Math.max(0, f), S.n - 1);
  const colorOf = (pal, scheme) => ({ small: pal.cache, xavier: pal.memory, he: pal.compute, large: pal.extra })[scheme];

  function drawHist(g, p, k, c) {
    const { pal } = c;
    heading(g, p, [`Activations after layer ${k} (${S.label})`, `Activations, layer ${k}`, `Layer ${k}`], null, c);
    const plot = p.plot;
    const B = S.bins;
    let mx = 0;
    for (let j = 0; j < B; j++) mx = Math.max(mx, S.hist[k * B + j], S.hist[j]);
    const top = histTop(mx);
    const sy = linearScale(0, top, plot.y + plot.h, plot.y);
    const yt = [0, top / 2, top];
    font(g, c.fam, 12);
    yAxis(g, plot, yt, sy, (v) => `${sig(100 * v, 2)}%`, pal);
    const sx = linearScale(S.lo, S.hi, plot.x, plot.x + plot.w);
    xAxis(g, plot, [-4, -2, 0, 2, 4].filter((v) => v >= S.lo && v <= S.hi), sx, (v) => String(v).replace("-", "−"), pal);
    const slots = binSlots(B, plot);
    const color = colorOf(pal, S.scheme);
    for (let j = 0; j < B; j++) {
      const v = S.hist[k * B + j];
      if (v <= 0) continue;
      g.fillStyle = color;
      g.fillRect(slots[j].x, sy(v), slots[j].w, sy(0) - sy(v));
    }
    // the input's histogram (layer 0), outlined for comparison
    g.strokeStyle = pal.fg;
    g.lineWidth = 1.5;
    g.setLineDash([4, 3]);
    g.beginPath();
    for (let j = 0; j < B; j++) {
      const y = sy(S.hist[j]);
      if (j) g.lineTo(slots[j].x, y); else g.moveTo(slots[j].x, y);
      g.lineTo(slots[j].x + slots[j].w + 1, y);
    }
    g.stroke();
    g.setLineDash([]);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 30 + 0, color, `layer ${k}`, { fg: pal.fg });
    if (lx + 120 < p.x + p.w) lx = swatch(g, lx, p.y + 30, pal.fg, "input (layer 0)", { fg: pal.fg, line: true, dash: [4, 3] });
    text(g, fit(g, "value (input std = 1) · end bins collect everything beyond ±4", p.w - 4), plot.x,
      plot.y + plot.h + 24, { color: pal.muted, baseline: "top" });
  }

  function drawDepth(g, p, key, range, title, k, c) {
    const { pal } = c;
    heading(g, p, title, null, c);
    font(g, c.fam, 12);
    let lx = p.x;
    for (const s of group) {
      if (lx + 90 > p.x + p.w) break;
      lx = swatch(g, lx, p.y + 29, colorOf(pal, s.scheme), SHORT[s.scheme], { fg: pal.fg, line: true, dash: DASH[s.scheme] });
    }
    const plot = p.plot;
    const n = S.n;
    const sx = linearScale(0, Math.max(1, n - 1), plot.x, plot.x + plot.w);
    const [lo, hi] = range;
    const sy = linearScale(lo, hi, plot.y + plot.h, plot.y);
    yAxis(g, plot, decadeTicks(lo, hi, Math.max(2, Math.floor(plot.h / 28))), sy, decade, pal);
    const step = niceStep(n - 1, Math.max(2, Math.floor(plot.w / 70)));
    const xt = [];
    for (let v = 0; v <= n - 1; v += step) xt.push(v);
    xAxis(g, plot, xt, sx, (v) => (v === 0 ? "layer 0" : formatInt(v)), pal);
    for (const s of group) {
      const on = s.scheme === S.scheme;
      g.strokeStyle = on ? colorOf(pal, s.scheme) : mix(colorOf(pal, s.scheme), pal.bg, 0.35);
      g.lineWidth = on ? 3 : 1.5;
      g.setLineDash(DASH[s.scheme]);
      series(g, s[key], 0, n, sx, sy);
      g.stroke();
      g.setLineDash([]);
    }
    const x = sx(k);
    g.strokeStyle = pal.muted;
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(x, plot.y);
    g.lineTo(x, plot.y + plot.h);
    g.stroke();
    g.fillStyle = colorOf(pal, S.scheme);
    g.strokeStyle = pal.fg;
    g.lineWidth = 1.5;
    g.beginPath();
    g.arc(x, sy(S[key][k]), 5.5, 0, 2 * Math.PI);
    g.fill();
    g.stroke();
  }

  return {
    title: "Activations through a deep stack under four initialization schemes",
    fps: 8,
    loop: true,
    aspect: aspectFor,
    minHeight: 440,
    frames: () => (S ? S.n : 1),
    frameLabel: (f) => (S ? `layer ${formatInt(kOf(f))} / ${formatInt(S.n - 1)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure: ${S.label}. Left, the histogram of the activations one layer at a time, with the input's `
        + "histogram outlined; right, the spread of the activations and of the gradient per layer, on a log scale, "
        + "for the four schemes: too small, Xavier, He and too large."
      : "Initialization figure (no data)"),

    draw(g, info) {
      if (!S || !S.n) throw new Error("no scenario to draw: the widget state has no runs");
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const k = kOf(info.frame);
      drawHist(g, L.hist, k, c);
      drawDepth(g, L.act, "logStd", actRange, ["Std of the activations per layer (log scale)", "Activation std (log)"], k, c);
      drawDepth(g, L.grad, "logGrad", gradRange, ["Std of the gradient per layer (log scale)", "Gradient std (log)"], k, c);
    },

    telemetry(frame) {
      if (!S || !S.n) return [];
      const k = kOf(frame);
      const last = S.n - 1;
      return [
        ["Layer", `${formatInt(k)} of ${formatInt(last)} (${S.label})`],
        ["Weight std", num(S.wstd)],
        ["Activation std, RMS here", `${pow10(S.logStd[k])}, ${num(S.rms[k])}`],
        ["Mean, share of exact zeros", `${num(S.mean[k])}, ${sig(100 * S.zero[k], 3)}%`],
        ["Gradient std here", pow10(S.logGrad[k])],
        ["Activation std at the last layer", pow10(S.logStd[last])],
      ];
    },

    describe(frame) {
      if (!S || !S.n) return "No runs to describe.";
      const k = kOf(frame);
      return `${S.label}. Layer ${formatInt(k)} of ${formatInt(S.n - 1)}: the activations have std `
        + `${pow10(S.logStd[k])} (the input has 1) and the gradient arriving here has std ${pow10(S.logGrad[k])}.`;
    },
  };
}
