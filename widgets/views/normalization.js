// P1.8 "Normalization: LayerNorm, RMSNorm, pre- vs post-norm": the view the engine mounts.
//
// Traits read: norms (four small precomputed normalisations: LayerNorm / RMSNorm × two
// vectors), norm, vector, residual (the pre-/post-norm residual-stream trace), depth,
// d_model, branch_gain, seed. Norm and vector switch here in JS; the rest re-run Python.
//
// Left: one vector's features as bars at every stage of the chosen norm, with its mean
// (dashed) and ±RMS (dotted) marked. Right: the RMS of the residual stream per block for
// a pre-norm and a post-norm stack (one block per frame), with the √ℓ fit; below, what
// each block's branch adds relative to the stream it is added to.

import { toFloat32 } from "../engine/codec.js";
import { font, heading, series, swatch, text, xAxis, yAxis } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale, niceStep } from "../engine/scale.js";
import { aspectFor, barGroups, niceTop, panels, symDomain } from "./normalization_layout.js";

const NORMS = [["layer", "LayerNorm"], ["rms", "RMSNorm"]];
const VECTORS = [["example", "Example vector"], ["shifted", "Same vector + 10"]];
const SHORT = { input: "input", "subtract mean": "− mean", "divide by std": "÷ std", "gain and bias": "γ·, + β",
  "divide by rms": "÷ rms", gain: "γ·" };
const tick = (v) => String(Number(v.toFixed(2))).replace("-", "−");

const num = (v) => {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2).replace("e+", "e").replace("-", "−");
  return sig(v, 3).replace("-", "−");
};

/** A normalisation dict from Python -> typed arrays. */
export function decodeNorm(s) {
  const d = s.d;
  const flat = toFloat32(s.vector);
  const stages = s.stages.map((name, i) => ({ name, v: flat.subarray(i * d, (i + 1) * d) }));
  return { key: s.key, kind: s.kind, vec: s.vector_key, label: s.label, d, stages,
    mean: toFloat32(s.mean), std: toFloat32(s.std), rms: toFloat32(s.rms) };
}

/** The residual trace from Python -> typed arrays, with the relative branch sizes. */
export function decodeResidual(r) {
  const R = { n: r.n_frames, d: r.d_model, pre: toFloat32(r.pre), post: toFloat32(r.post),
    preBranch: toFloat32(r.pre_branch), postBranch: toFloat32(r.post_branch), fit: toFloat32(r.fit) };
  // what block ℓ adds, relative to the stream it is added to (frame 0 has no block)
  R.preRel = R.preBranch.map((b, i) => (i === 0 ? NaN : b / R.pre[i - 1]));
  R.postRel = R.postBranch.map((b, i) => (i === 0 ? NaN : b / R.post[i - 1]));
  return R;
}

export function normView(ctx) {
  const { model, ui } = ctx;
  let all = [];
  let N = null;
  let R = null;
  let vdom = [-1, 1];

  const normSelect = ui.select({ label: "Norm", options: NORMS.map(([value, label]) => ({ value, label })),
    value: model.get("norm"), onChange: (v) => ctx.set("norm", v) });
  const vecSelect = ui.select({ label: "Vector", options: VECTORS.map(([value, label]) => ({ value, label })),
    value: model.get("vector"), onChange: (v) => ctx.set("vector", v) });
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
    depth: numberInput("Blocks", "depth", 1, 200, 1, true),
    d_model: numberInput("Width d_model", "d_model", 1, 256, 1, true),
    branch_gain: numberInput("Branch gain", "branch_gain", 0, 100, "any", false),
    seed: numberInput("Seed", "seed", 0, 1000000, 1, true),
  };

  const pick = () => {
    const key = `${model.get("norm")}-${model.get("vector")}`;
    N = all.find((s) => s.key === key) || all[0] || null;
    if (N) { normSelect.set(N.kind); vecSelect.set(N.vec); }
    // one value scale for both norms of the same vector, so switching compares like with like
    vdom = symDomain(all.filter((s) => N && s.vec === N.vec).flatMap((s) => s.stages.map((st) => st.v)));
  };
  const load = () => {
    all = (model.get("norms") || []).map(decodeNorm);
    const r = model.get("residual");
    R = r && r.n_frames ? decodeResidual(r) : null;
    pick();
  };
  load();
  ctx.watch("norms", () => { load(); ctx.refresh(); });
  ctx.watch("residual", () => { load(); ctx.refresh(); });
  ctx.watch("norm", () => { pick(); ctx.refresh(); });
  ctx.watch("vector", () => { pick(); ctx.refresh(); });
  for (const [trait, input] of Object.entries(inputs)) ctx.watch(trait, () => input.set(model.get(trait)));

  const kOf = (f) => Math.min(Math.max(0, f), R.n - 1);

  function drawVector(g, p, c) {
    const { pal } = c;
    heading(g, p, [`${N.label}: one token's features, stage by stage`, `${N.label}`, N.label.split(" · ")[0]],
      null, c);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 30, pal.fg, "mean", { fg: pal.fg, line: true, dash: [6, 3] });
    swatch(g, lx, p.y + 30, pal.extra, "± RMS", { fg: pal.fg, line: true, dash: [2, 3] });
    const plot = p.plot;
    const sy = linearScale(vdom[0], vdom[1], plot.y + plot.h, plot.y);
    const top = vdom[1];
    yAxis(g, plot, [-top, -top / 2, 0, top / 2, top], sy, tick, pal);
    const G = barGroups(N.stages.length, N.d, plot);
    for (let s = 0; s < N.stages.length; s++) {
      const grp = G[s];
      const v = N.stages[s].v;
      const color = s === 0 ? pal.cache : pal.compute;
      for (let i = 0; i < N.d; i++) {
        const y0 = sy(0);
        const y1 = sy(v[i]);
        g.fillStyle = v[i] >= 0 ? color : mix(color, pal.bg, 0.35);
        g.fillRect(grp.bars[i].x, Math.min(y0, y1), grp.bars[i].w, Math.max(1, Math.abs(y1 - y0)));
      }
      const hline = (y, color, dash) => {
        g.strokeStyle = color;
        g.lineWidth = 2;
        g.setLineDash(dash);
        g.beginPath();
        g.moveTo(grp.x - 2, y);
        g.lineTo(grp.x + grp.w + 2, y);
        g.stroke();
        g.setLineDash([]);
      };
      hline(sy(N.mean[s]), pal.fg, [6, 3]);
      hline(sy(N.rms[s]), pal.extra, [2, 3]);
      hline(sy(-N.rms[s]), pal.extra, [2, 3]);
      font(g, c.fam, 12, 600);
      const name = N.stages[s].name;
      const fits = g.measureText(name).width <= grp.w + 4;
      text(g, fits ? name : (SHORT[name] || name), grp.x + grp.w / 2, plot.y + plot.h + 6,
        { color: pal.fg, align: "center", baseline: "top" });
      font(g, c.fam, 12);
      const stat = `μ ${num(N.mean[s])}, rms ${num(N.rms[s])}`;
      const short = `rms ${num(N.rms[s])}`;
      text(g, g.measureText(stat).width <= grp.w + 4 ? stat : short, grp.x + grp.w / 2, plot.y + plot.h + 23,
        { color: pal.muted, align: "center", baseline: "top" });
    }
  }

  function drawStream(g, p, k, c) {
    const { pal } = c;
    heading(g, p, ["RMS of the residual stream after each block", "Residual-stream RMS"], null, c);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 29, pal.cache, "pre-norm", { fg: pal.fg, line: true });
    lx = swatch(g, lx, p.y + 29, pal.compute, "post-norm", { fg: pal.fg, line: true, dash: [6, 3] });
    if (lx + 100 < p.x + p.w) swatch(g, lx, p.y + 29, pal.muted, "√ℓ fit", { fg: pal.fg, line: true, dash: [2, 3] });
    const plot = p.plot;
    let mx = 0;
    for (const a of [R.pre, R.post, R.fit]) for (const v of a) if (Number.isFinite(v)) mx = Math.max(mx, v);
    const top = niceTop(mx);
    const sx = linearScale(0, Math.max(1, R.n - 1), plot.x, plot.x + plot.w);
    const sy = linearScale(0, top, plot.y + plot.h, plot.y);
    yAxis(g, plot, [0, top / 4, top / 2, (3 * top) / 4, top], sy, tick, pal);
    const step = niceStep(R.n - 1, Math.max(2, Math.floor(plot.w / 70)));
    const xt = [];
    for (let v = 0; v <= R.n - 1; v += step) xt.push(v);
    xAxis(g, plot, xt, sx, (v) => (v === 0 ? "block 0" : formatInt(v)), pal);
    g.strokeStyle = pal.muted;
    g.lineWidth = 1.5;
    g.setLineDash([2, 3]);
    series(g, R.fit, 0, R.n, sx, sy);
    g.stroke();
    g.setLineDash([]);
    for (const [a, color, dash] of [[R.pre, pal.cache, []], [R.post, pal.compute, [6, 3]]]) {
      g.strokeStyle = color;
      g.setLineDash(dash);
      g.globalAlpha = 0.3;
      g.lineWidth = 1.5;
      series(g, a, 0, R.n, sx, sy);
      g.stroke();
      g.globalAlpha = 1;
      g.lineWidth = 3;
      series(g, a, 0, k + 1, sx, sy);
      g.stroke();
      g.setLineDash([]);
      g.fillStyle = color;
      g.beginPath();
      g.arc(sx(k), sy(a[k]), 5, 0, 2 * Math.PI);
      g.fill();
    }
  }

  function drawRel(g, p, k, c) {
    const { pal } = c;
    heading(g, p, ["What block ℓ adds, relative to the stream it joins", "Branch / stream RMS"], null, c);
    font(g, c.fam, 12);
    const lx = swatch(g, p.x, p.y + 29, pal.cache, "pre-norm", { fg: pal.fg, line: true });
    swatch(g, lx, p.y + 29, pal.compute, "post-norm", { fg: pal.fg, line: true, dash: [6, 3] });
    const plot = p.plot;
    let mx = 0;
    for (const a of [R.preRel, R.postRel]) for (const v of a) if (Number.isFinite(v)) mx = Math.max(mx, v);
    const top = niceTop(mx);
    const sx = linearScale(0, Math.max(1, R.n - 1), plot.x, plot.x + plot.w);
    const sy = linearScale(0, top, plot.y + plot.h, plot.y);
    yAxis(g, plot, [0, top / 2, top], sy, tick, pal);
    const step = niceStep(R.n - 1, Math.max(2, Math.floor(plot.w / 70)));
    const xt = [];
    for (let v = 0; v <= R.n - 1; v += step) xt.push(v);
    xAxis(g, plot, xt, sx, (v) => (v === 0 ? "block 0" : formatInt(v)), pal);
    for (const [a, color, dash] of [[R.preRel, pal.cache, []], [R.postRel, pal.compute, [6, 3]]]) {
      g.strokeStyle = color;
      g.setLineDash(dash);
      g.lineWidth = 2;
      series(g, a, 1, Math.max(2, k + 1), sx, sy);
      g.stroke();
      g.setLineDash([]);
      if (k >= 1) {
        g.fillStyle = color;
        g.beginPath();
        g.arc(sx(k), sy(a[k]), 4.5, 0, 2 * Math.PI);
        g.fill();
      }
    }
  }

  return {
    title: "LayerNorm and RMSNorm on one vector; the residual stream, pre-norm vs post-norm",
    fps: 6,
    loop: true,
    aspect: aspectFor,
    minHeight: 460,
    frames: () => (R ? R.n : 1),
    frameLabel: (f) => (R ? `block ${formatInt(kOf(f))} / ${formatInt(R.n - 1)}` : "no data"),
    ariaLabel: () => (N && R
      ? `Animated figure. Left: ${N.label}, the features of one token as bars at each stage of the normalisation, `
        + "with the mean and the root-mean-square marked. Right: the root-mean-square of the residual stream after "
        + "each block for a pre-norm and a post-norm stack, and what each block adds relative to the stream."
      : "Normalization figure (no data)"),

    draw(g, info) {
      if (!N || !R || !R.n) throw new Error("no traces to draw: the widget state is empty");
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const k = kOf(info.frame);
      drawVector(g, L.vec, c);
      drawStream(g, L.stream, k, c);
      drawRel(g, L.rel, k, c);
    },

    telemetry(frame) {
      if (!N || !R || !R.n) return [];
      const k = kOf(frame);
      const last = N.stages.length - 1;
      const rel = (a) => (k === 0 ? "no block yet" : num(a[k]));
      return [
        ["Block", `${formatInt(k)} of ${formatInt(R.n - 1)} (d_model ${formatInt(R.d)})`],
        ["Stream RMS: pre-norm, post-norm", `${num(R.pre[k])}, ${num(R.post[k])}`],
        ["Branch / stream: pre-norm, post-norm", `${rel(R.preRel)}, ${rel(R.postRel)}`],
        [`${N.label.split(" · ")[0]} input: mean, rms`, `${num(N.mean[0])}, ${num(N.rms[0])}`],
        [`${N.label.split(" · ")[0]} output: mean, rms`, `${num(N.mean[last])}, ${num(N.rms[last])}`],
      ];
    },

    describe(frame) {
      if (!N || !R || !R.n) return "Nothing to describe.";
      const k = kOf(frame);
      const last = N.stages.length - 1;
      return `${N.label}: the input has mean ${num(N.mean[0])} and RMS ${num(N.rms[0])}; the output has mean `
        + `${num(N.mean[last])} and RMS ${num(N.rms[last])}. After block ${formatInt(k)} of ${formatInt(R.n - 1)}, `
        + `the pre-norm residual stream has RMS ${num(R.pre[k])} and the post-norm stream ${num(R.post[k])}.`;
    },
  };
}
