// P9.9 "Speculative decoding": the view the engine mounts.
//
// Traits read: scenarios (one per acceptance rate α, arrays as binary buffers), alpha,
// alphas, k, cost_ratio, n_passes. α switches here in JS (every scenario is
// precomputed); k, the cost ratio and the number of passes re-run the Python
// simulation. Top: one pass per frame: the draft's k tokens appear one by one, then
// the target's single verification pass colours the accepted prefix green and the
// first rejection red, and adds its own token; a time bar compares the pass's cost
// with plain decoding of the same tokens. Bottom: the histogram of tokens per pass so
// far against the closed form, and the running mean converging to E.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, series, swatch, text, xAxis, yAxis } from "../engine/chart.js";
import { formatInt } from "../engine/format.js";
import { linearScale, niceTicks } from "../engine/scale.js";
import { mix } from "../engine/palette.js";
import { aspectFor, histBars, panels, timeBars, tokenRow } from "./speculative_layout.js";

const f2 = (x) => Number(x).toFixed(2);

/** A scenario dict from Python -> typed arrays and sizes. */
export function decodeScenario(s) {
  return {
    name: s.name, alpha: s.alpha, k: s.k, c: s.cost_ratio, F: s.n_passes, E: s.E, speedup: s.speedup,
    passCost: s.pass_cost,
    nAccepted: toInt32(s.n_accepted), runningMean: toFloat32(s.running_mean),
    runningSpeedup: toFloat32(s.running_speedup), counts: toInt32(s.counts), pmf: toFloat32(s.pmf),
  };
}

/** What pass `f` shows: accepted prefix, tokens, running mean and speedup, histogram counts. */
export function passInfo(S, f) {
  const i = Math.min(Math.max(0, f), S.F - 1);
  const acc = S.nAccepted[i];
  const n = S.k + 1;
  return {
    i, accepted: acc, rejectedAt: acc < S.k ? acc : -1, tokens: acc + 1, bonus: acc === S.k,
    mean: S.runningMean[i], speedup: S.runningSpeedup[i], counts: S.counts.subarray(i * n, i * n + n),
  };
}

function drawPass(g, p, S, t, tween, ctx) {
  const { pal } = ctx;
  heading(g, p, ["This pass: the draft guesses k tokens, the target checks them in one pass", "This pass"],
    `pass ${formatInt(t.i + 1)} · k = ${S.k} · α = ${f2(S.alpha)} · c = ${f2(S.c)}`, ctx);
  const row = tokenRow(p.plot, S.k);
  const shown = tween >= 1 ? S.k : Math.floor(Math.min(1, tween / 0.6) * (S.k + 0.999));
  const verified = tween >= 0.7;
  font(g, ctx.fam, 12, 600);
  text(g, "tokens", row.labelX, row.rowY + row.rowH / 2, { color: pal.fg, baseline: "middle" });
  for (let j = 0; j < S.k; j++) {
    const r = row.boxes[j];
    let fill = pal.empty;
    let label = `d${j + 1}`;
    let labelColor = pal.muted;
    if (j < shown) { fill = mix(ctx.draft, pal.bg, 0.6); labelColor = pal.fg; }
    if (verified) {
      if (j < t.accepted) { fill = ctx.ok; labelColor = pal.bg; label = "✓"; }
      else if (j === t.rejectedAt) { fill = ctx.bad; labelColor = pal.bg; label = "✗"; }
      else { fill = pal.empty; labelColor = pal.muted; label = "–"; }
    }
    g.fillStyle = fill;
    g.fillRect(r.x, r.y, r.w, r.h);
    g.strokeStyle = pal.border;
    g.lineWidth = 1;
    g.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
    font(g, ctx.fam, 12, 600);
    if (r.w >= 16) text(g, label, r.x + r.w / 2, r.y + r.h / 2 + 1, { color: labelColor, align: "center", baseline: "middle" });
  }
  // the target's own token: the correction at the first rejection, or the bonus token
  const r = row.boxes[S.k];
  g.fillStyle = verified ? ctx.target : pal.empty;
  g.fillRect(r.x, r.y, r.w, r.h);
  g.strokeStyle = ctx.target;
  g.lineWidth = 2;
  g.strokeRect(r.x + 1, r.y + 1, r.w - 2, r.h - 2);
  if (r.w >= 16) {
    text(g, verified ? "T" : "?", r.x + r.w / 2, r.y + r.h / 2 + 1,
      { color: verified ? pal.bg : pal.muted, align: "center", baseline: "middle" });
  }
  font(g, ctx.fam, 12);
  const under = row.rowY + row.rowH + 14;
  const msg = !verified ? `draft proposes ${shown} of ${S.k} tokens`
    : t.bonus ? `all ${S.k} accepted + bonus token from the target: ${t.tokens} tokens`
      : `${t.accepted} accepted, d${t.rejectedAt + 1} rejected, target's correction: ${t.tokens} tokens`;
  text(g, msg, p.plot.x + 80, under, { color: pal.fg, baseline: "middle" });

  // cost of this pass against plain decoding of the same tokens (in target steps)
  const span = Math.max(S.passCost, S.k + 1);
  const b = timeBars(p.plot, S.k, S.c, t.tokens, span);
  font(g, ctx.fam, 12, 600);
  text(g, "speculative", b.labelX, b.y1 + b.h / 2, { color: pal.fg, baseline: "middle" });
  text(g, "plain", b.labelX, b.y2 + b.h / 2, { color: pal.fg, baseline: "middle" });
  g.fillStyle = mix(ctx.draft, pal.bg, 0.2);
  g.fillRect(b.draft.x, b.draft.y, Math.max(1, b.draft.w), b.draft.h);
  g.fillStyle = ctx.target;
  g.fillRect(b.verify.x, b.verify.y, b.verify.w, b.verify.h);
  g.fillStyle = mix(ctx.target, pal.bg, 0.45);
  const plainN = verified ? t.tokens : 0;          // known only once the target has verified
  for (let j = 0; j < plainN; j++) {
    g.fillRect(b.plain.x + j * b.unit + 1, b.plain.y, Math.max(1, b.unit - 2), b.plain.h);
  }
  font(g, ctx.fam, 12);
  const note = verified ? `${f2(S.passCost)} target steps for ${t.tokens} tokens · plain decoding: ${t.tokens} steps`
    : `${f2(S.passCost)} target steps for this pass · tokens known after verification`;
  text(g, note, p.plot.x + 80, b.y2 + b.h + 14, { color: pal.muted, baseline: "middle" });
  // legend on the row of the "tokens" line, right-aligned when there is room
  const ly = under;
  const lx0 = p.plot.x + p.plot.w - 300;
  if (lx0 > p.plot.x + 80 + g.measureText(msg).width + 16) {
    let x = lx0;
    x = swatch(g, x, ly, mix(ctx.draft, pal.bg, 0.2), "draft step", { fg: pal.fg });
    x = swatch(g, x, ly, ctx.target, "target pass", { fg: pal.fg });
    swatch(g, x, ly, mix(ctx.target, pal.bg, 0.45), "plain step", { fg: pal.fg });
  }
}

function drawHist(g, p, S, t, ctx) {
  const { pal } = ctx;
  const n = S.k + 1;
  heading(g, p, ["Tokens per pass: sampled so far vs closed form", "Tokens per pass"],
    `${formatInt(t.i + 1)} passes · bars sampled · dots αʲ(1−α), αᵏ`, ctx);
  const total = t.i + 1;
  let top = 0;
  for (let j = 0; j < n; j++) top = Math.max(top, t.counts[j] / total, S.pmf[j]);
  const { ticks, top: ymax } = niceTicks(Math.max(0.1, top), 4);
  const sy = linearScale(0, ymax, p.plot.y + p.plot.h, p.plot.y);
  font(g, ctx.fam, 12);
  yAxis(g, p.plot, ticks, sy, (v) => v.toFixed(2), pal);
  const bars = histBars(p.plot, n);
  xAxis(g, p.plot, Array.from({ length: n }, (_, j) => j), (j) => bars[j].cx, (j) => String(j + 1), pal);
  for (let j = 0; j < n; j++) {
    const v = t.counts[j] / total;
    const y = sy(v);
    g.fillStyle = j === t.tokens - 1 ? ctx.ok : mix(ctx.ok, pal.bg, 0.45);
    g.fillRect(bars[j].x, y, bars[j].w, p.plot.y + p.plot.h - y);
  }
  g.fillStyle = pal.fg;
  for (let j = 0; j < n; j++) {
    g.beginPath();
    g.arc(bars[j].cx, sy(S.pmf[j]), 4, 0, 2 * Math.PI);
    g.fill();
  }
}

function drawMean(g, p, S, t, ctx) {
  const { pal } = ctx;
  heading(g, p, ["Running mean of tokens per pass → E", "Running mean → E"],
    `mean ${f2(t.mean)} · E = (1−α^(k+1))/(1−α) = ${f2(S.E)}`, ctx);
  const { ticks, top: ymax } = niceTicks(S.k + 1, 4);
  const sx = linearScale(0, Math.max(1, S.F - 1), p.plot.x, p.plot.x + p.plot.w);
  const sy = linearScale(0, ymax, p.plot.y + p.plot.h, p.plot.y);
  font(g, ctx.fam, 12);
  yAxis(g, p.plot, ticks, sy, (v) => String(v), pal);
  xAxis(g, p.plot, niceTicks(S.F, 4).ticks.filter((v) => v <= S.F), (v) => sx(Math.max(0, v - 1)), (v) => formatInt(v), pal);
  g.save();
  g.strokeStyle = pal.fg;
  g.setLineDash([6, 4]);
  g.lineWidth = 1.5;
  g.beginPath();
  g.moveTo(p.plot.x, sy(S.E));
  g.lineTo(p.plot.x + p.plot.w, sy(S.E));
  g.stroke();
  g.restore();
  g.save();
  g.strokeStyle = ctx.target;
  g.lineWidth = 2;
  series(g, S.runningMean, 0, t.i + 1, sx, sy);
  g.stroke();
  g.fillStyle = ctx.target;
  g.beginPath();
  g.arc(sx(t.i), sy(t.mean), 4, 0, 2 * Math.PI);
  g.fill();
  g.restore();
  font(g, ctx.fam, 12);
  let x = p.plot.x + 4;
  const y = p.plot.y + p.plot.h - 10;
  x = swatch(g, x, y, ctx.target, "running mean", { fg: pal.fg, line: true });
  swatch(g, x, y, pal.fg, "E", { fg: pal.fg, line: true, dash: [6, 4] });
}

export function speculativeView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;

  const alphaSelect = ui.select({ label: "Acceptance rate α", options: [], value: "",
    onChange: (v) => ctx.set("alpha", Number(v)) });
  const numInput = (trait, integer) => (value, raw) => {
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      ctx.inputError(`${trait} must be ${integer ? "a whole number" : "a number"}; got ${JSON.stringify(raw)}`);
      return;
    }
    ctx.inputError("");
    ctx.set(trait, value);
  };
  const kInput = ui.number({ label: "Draft length k", value: model.get("k"), min: 1, max: 12,
    onChange: numInput("k", true), python: true });
  const cInput = ui.number({ label: "Cost ratio c", value: model.get("cost_ratio"), min: 0, max: 1, step: 0.01,
    onChange: numInput("cost_ratio", false), python: true });

  const pick = () => {
    const want = Number(model.get("alpha"));
    S = scenarios.find((s) => Math.abs(s.alpha - want) < 1e-9) || scenarios[0] || null;
    if (S) alphaSelect.set(S.alpha);
  };
  const load = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    alphaSelect.setOptions(scenarios.map((s) => ({ value: s.alpha, label: f2(s.alpha) })));
    pick();
  };
  load();
  ctx.watch("scenarios", () => { load(); ctx.refresh(); });
  ctx.watch("alpha", () => { pick(); ctx.refresh(); });
  ctx.watch("k", () => kInput.set(model.get("k")));
  ctx.watch("cost_ratio", () => cInput.set(model.get("cost_ratio")));

  return {
    title: "Speculative decoding: draft, verify, accept",
    fps: 2,
    loop: true,
    aspect: aspectFor,
    minHeight: 420,
    frames: () => (S ? S.F : 1),
    frameLabel: (f) => (S ? `pass ${formatInt(f + 1)} / ${formatInt(S.F)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure, acceptance rate ${f2(S.alpha)}, ${S.k} draft tokens per pass: top, one pass per frame, `
        + "the draft's tokens appear one by one, then the target's verification colours the accepted prefix green, "
        + "the first rejected token red and adds its own token; a time bar compares the pass's cost with plain "
        + "decoding of the same tokens. Bottom left, the histogram of tokens per pass so far with the closed-form "
        + "probabilities as dots; bottom right, the running mean of tokens per pass approaching the dashed line E."
      : "Speculative decoding figure (no data)"),

    draw(g, info) {
      if (!S || !S.F) throw new Error("no scenario to draw: the widget state has no trace");
      const pal = info.palette;
      const dark = pal.theme === "dark";
      const c = { pal, fam: info.font, ok: pal.memory, bad: pal.compute, target: pal.accent,
        draft: dark ? mix(pal.extra, "#ffffff", 0.1) : pal.extra };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const t = passInfo(S, info.frame);
      drawPass(g, L.pass, S, t, info.tween, c);
      drawHist(g, L.hist, S, t, c);
      drawMean(g, L.mean, S, t, c);
    },

    telemetry(frame) {
      if (!S) return [];
      const t = passInfo(S, frame);
      return [
        ["Pass", `${formatInt(t.i + 1)} of ${formatInt(S.F)}`],
        ["k (draft tokens) / α (acceptance rate) / c (cost ratio)", `${S.k} / ${f2(S.alpha)} / ${f2(S.c)}`],
        ["This pass: accepted / tokens", `${t.accepted} / ${t.tokens}`],
        ["Tokens per target pass: running mean", f2(t.mean)],
        ["Tokens per target pass: closed form E", f2(S.E)],
        ["Cost of a pass (target steps), k·c + 1", f2(S.passCost)],
        ["Speedup: sampled so far / closed form", `${f2(t.speedup)}× / ${f2(S.speedup)}×`],
      ];
    },

    describe(frame) {
      if (!S) return "No trace to describe.";
      const t = passInfo(S, frame);
      const what = t.bonus ? `all ${S.k} draft tokens accepted plus a bonus token`
        : `${t.accepted} draft tokens accepted, token ${t.rejectedAt + 1} rejected and replaced by the target's correction`;
      return `Pass ${formatInt(t.i + 1)} of ${formatInt(S.F)}, α ${f2(S.alpha)}, k ${S.k}: ${what}, `
        + `${t.tokens} tokens. Running mean ${f2(t.mean)} tokens per pass against E = ${f2(S.E)}; `
        + `speedup so far ${f2(t.speedup)}× against ${f2(S.speedup)}× in closed form.`;
    },
  };
}
