// P9.6 "Prefill-decode interference and chunked prefill": the view the engine mounts.
//
// Traits read: scenarios (one per scheduling mode, arrays as binary buffers), mode, modes,
// long_prompt_tokens, n_chats. The mode switches here in JS (every scenario is
// precomputed); the prompt length and the number of chats re-run the Python simulation.
// Top: one row per request, its wait, its prefill and a tick for every token it emits.
// Bottom left: every engine step as a bar, as wide as it lasts and as tall as its time,
// split by how many of its tokens were prefill and decode. Bottom right: the gap before
// each output token, with the run's P99.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, swatch, text, xAxis, yAxis } from "../engine/chart.js";
import { formatInt } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale, logScale, niceTicks } from "../engine/scale.js";
import { aspectFor, panels, rowGeometry, splitStep, stepAt, stepRect } from "./chunked_layout.js";

const ms = (s) => `${(1e3 * s).toFixed(1)} ms`;
const msShort = (s) => `${Math.round(1e3 * s)} ms`;

/** A scenario dict from Python -> typed arrays and sizes. */
export function decodeScenario(s) {
  return {
    mode: s.mode, nSteps: s.n_steps, nReq: s.n_requests, F: s.n_frames, nTok: s.n_tokens, end: s.end_s,
    itlP50: s.itl_p50_s, itlP99: s.itl_p99_s, itlMax: s.itl_max_s, ttftLong: s.ttft_long_s,
    ttftShort: s.ttft_short_s, maxStep: s.max_step_s,
    stepStart: toFloat32(s.step_start), stepS: toFloat32(s.step_s), prefill: toInt32(s.prefill_tokens),
    decodes: toInt32(s.decodes), tokReq: toInt32(s.tok_req), tokT: toFloat32(s.tok_t), tokGap: toFloat32(s.tok_gap),
    arrival: toFloat32(s.arrival), firstToken: toFloat32(s.first_token), firstSched: toFloat32(s.first_sched),
    finish: toFloat32(s.finish), prompt: toInt32(s.prompt), frameT: toFloat32(s.frame_t),
    frameSteps: toInt32(s.frame_steps), frameWorst: toFloat32(s.frame_worst),
  };
}

export const modeLabel = (m) => (m === 0 ? "no chunking" : `chunked, ${formatInt(m)}-token budget`);

/** What frame `f` shows: the time, the step running then and the worst gap so far. */
export function frameState(S, f) {
  const k = Math.min(Math.max(0, f), S.F - 1);
  const t = S.frameT[k];
  const i = stepAt(S.stepStart, t);
  return {
    k, t, step: i, nSteps: S.frameSteps[k], worst: S.frameWorst[k],
    stepPrefill: i >= 0 ? S.prefill[i] : 0, stepDecodes: i >= 0 ? S.decodes[i] : 0, stepS: i >= 0 ? S.stepS[i] : 0,
  };
}

/** Round-millisecond ticks (in seconds) from 0 to at most `end`. */
export function timeTicks(end, count) {
  return niceTicks(end * 1e3, count).ticks.filter((v) => v <= end * 1e3 + 1e-9).map((v) => v / 1e3);
}

function requestName(S, r, longLen) {
  return S.prompt[r] === longLen ? `long ${formatInt(S.prompt[r])}` : `chat ${r + 1}`;
}

function drawRaster(g, p, S, st, c) {
  const { pal } = c;
  heading(g, p, ["Requests: waiting, prefill, and a tick per output token", "Requests over time"],
    `${modeLabel(S.mode)} · t = ${msShort(st.t)} · long-prompt TTFT ${ms(S.ttftLong)}`, c);
  const pl = p.plot;
  const sx = linearScale(0, c.end, pl.x, pl.x + pl.w);
  const R = rowGeometry(pl, S.nReq);
  const longLen = c.longLen;
  font(g, c.fam, 12);
  for (let r = 0; r < S.nReq; r++) {
    const y = R.y0 + r * R.rowH;
    const isLong = S.prompt[r] === longLen;
    if (R.rowH >= 12) text(g, requestName(S, r, longLen), p.x, y + R.rowH / 2, { color: isLong ? pal.fg : pal.muted, baseline: "middle" });
    const a = S.arrival[r];
    if (a > st.t) continue;
    const s0 = Math.min(S.firstSched[r], st.t);
    const f0 = Math.min(S.firstToken[r], st.t);
    g.fillStyle = pal.grid;
    g.fillRect(sx(a), y + 2, Math.max(1, sx(s0) - sx(a)), R.barH);
    g.fillStyle = pal.compute;
    if (st.t >= S.firstSched[r]) g.fillRect(sx(s0), y + 2, Math.max(1, sx(f0) - sx(s0)), R.barH);
  }
  g.strokeStyle = pal.cache;
  g.lineWidth = 1.5;
  g.beginPath();
  for (let i = 0; i < S.nTok; i++) {
    const t = S.tokT[i];
    if (t > st.t) continue;
    const y = R.y0 + S.tokReq[i] * R.rowH;
    const x = Math.round(sx(t)) + 0.5;
    g.moveTo(x, y + 2);
    g.lineTo(x, y + 2 + R.barH);
  }
  g.stroke();
  // the cursor
  g.strokeStyle = pal.fg;
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(Math.round(sx(st.t)) + 0.5, pl.y);
  g.lineTo(Math.round(sx(st.t)) + 0.5, pl.y + R.rows * R.rowH);
  g.stroke();
  let x = pl.x;
  const ly = Math.min(p.y + p.h - 8, pl.y + R.rows * R.rowH + 12);
  x = swatch(g, x, ly, pal.grid, "waiting", { fg: pal.fg });
  x = swatch(g, x, ly, pal.compute, "prefill", { fg: pal.fg });
  swatch(g, x, ly, pal.cache, "token emitted", { fg: pal.fg });
}

function drawSteps(g, p, S, st, c) {
  const { pal } = c;
  heading(g, p, ["Engine steps: width = height = step time", "Engine steps"],
    st.step >= 0 ? `this step: ${formatInt(st.stepPrefill)} prefill tokens + ${formatInt(st.stepDecodes)} decodes, ${ms(st.stepS)}` : "no step yet", c);
  const pl = p.plot;
  const sx = linearScale(0, c.end, pl.x, pl.x + pl.w);
  const yt = niceTicks(c.maxStep * 1e3, 3);
  const sy = linearScale(0, yt.top / 1e3, pl.y + pl.h, pl.y);
  font(g, c.fam, 12);
  yAxis(g, pl, yt.ticks.map((v) => v / 1e3), sy, msShort, pal);
  xAxis(g, pl, timeTicks(c.end, 4), sx, msShort, pal);
  for (let i = 0; i < S.nSteps; i++) {
    const t0 = S.stepStart[i];
    if (t0 > st.t) break;
    const r = stepRect(sx, sy, t0, Math.min(t0 + S.stepS[i], st.t), S.stepS[i]);
    const parts = splitStep(r, S.prefill[i], S.decodes[i]);
    g.fillStyle = pal.compute;
    g.fillRect(parts.prefill.x, parts.prefill.y, parts.prefill.w, parts.prefill.h);
    g.fillStyle = mix(pal.cache, pal.bg, i === st.step ? 0 : 0.25);
    g.fillRect(parts.decode.x, parts.decode.y, parts.decode.w, parts.decode.h);
  }
  let x = pl.x + 4;
  x = swatch(g, x, pl.y + 8, pal.compute, "prefill share", { fg: pal.fg });
  swatch(g, x, pl.y + 8, pal.cache, "decode share", { fg: pal.fg });
}

function drawGaps(g, p, S, st, c) {
  const { pal } = c;
  heading(g, p, ["Gap before each output token (log scale)", "Inter-token gaps"],
    `P99 ${ms(S.itlP99)} · median ${ms(S.itlP50)} · worst so far ${ms(st.worst)}`, c);
  const pl = p.plot;
  const sx = linearScale(0, c.end, pl.x, pl.x + pl.w);
  const sy = logScale(c.gapLo, c.gapHi, pl.y + pl.h, pl.y);
  font(g, c.fam, 12);
  const ticks = [];
  for (let v = c.gapLo; v <= c.gapHi * 1.0001; v *= 10) ticks.push(v);
  yAxis(g, pl, ticks, sy, msShort, pal);
  xAxis(g, pl, timeTicks(c.end, 3), sx, msShort, pal);
  g.fillStyle = pal.cache;
  for (let i = 0; i < S.nTok; i++) {
    const t = S.tokT[i];
    if (t > st.t) continue;
    if (i > 0 && S.tokReq[i - 1] !== S.tokReq[i]) continue;   // a first token: its gap is a TTFT
    if (i === 0) continue;
    const y = sy(Math.max(c.gapLo, S.tokGap[i]));
    g.fillRect(sx(t) - 1.5, y - 1.5, 3, 3);
  }
  const yp = Math.round(sy(Math.max(c.gapLo, S.itlP99))) + 0.5;
  g.save();
  g.strokeStyle = pal.highlight;
  g.lineWidth = 2;
  g.setLineDash([6, 4]);
  g.beginPath();
  g.moveTo(pl.x, yp);
  g.lineTo(pl.x + pl.w, yp);
  g.stroke();
  g.restore();
  text(g, "P99", pl.x + pl.w - 2, yp - 8, { color: pal.fg, align: "right", baseline: "middle" });
}

export function chunkedView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;
  let common = null;

  const modeSelect = ui.select({ label: "Scheduling", options: [], value: "",
    onChange: (v) => ctx.set("mode", Number(v)) });
  const intInput = (trait) => (value, raw) => {
    if (!Number.isInteger(value)) {
      ctx.inputError(`${trait} must be a whole number; got ${JSON.stringify(raw)}`);
      return;
    }
    ctx.inputError("");
    ctx.set(trait, value);
  };
  const longInput = ui.number({ label: "Long prompt (tokens)", value: model.get("long_prompt_tokens"), min: 512,
    max: 7000, onChange: intInput("long_prompt_tokens"), python: true });
  const chatInput = ui.number({ label: "Chats decoding", value: model.get("n_chats"), min: 1, max: 32,
    onChange: intInput("n_chats"), python: true });

  const pick = () => {
    const want = Number(model.get("mode"));
    S = scenarios.find((s) => s.mode === want) || scenarios[0] || null;
    if (S) modeSelect.set(S.mode);
  };
  const load = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    modeSelect.setOptions(scenarios.map((s) => ({ value: s.mode, label: modeLabel(s.mode) })));
    // one time axis, one step-time axis and one gap axis for every mode, so switching compares
    let end = 0;
    let maxStep = 0;
    let gapHi = 0;
    for (const s of scenarios) {
      end = Math.max(end, s.end);
      maxStep = Math.max(maxStep, s.maxStep);
      gapHi = Math.max(gapHi, s.itlMax);
    }
    common = { end: end || 1, maxStep: maxStep || 1e-3, gapLo: 1e-3,
      gapHi: 10 ** Math.ceil(Math.log10(Math.max(gapHi, 2e-3))), longLen: Number(model.get("long_prompt_tokens")) };
    pick();
  };
  load();
  ctx.watch("scenarios", () => { load(); ctx.refresh(); });
  ctx.watch("mode", () => { pick(); ctx.refresh(); });
  ctx.watch("long_prompt_tokens", () => longInput.set(model.get("long_prompt_tokens")));
  ctx.watch("n_chats", () => chatInput.set(model.get("n_chats")));

  return {
    title: "Chunked prefill: a long prompt against running decodes",
    fps: 8,
    loop: true,
    aspect: aspectFor,
    minHeight: 460,
    frames: () => (S ? S.F : 1),
    frameLabel: (f) => (S ? `t = ${msShort(frameState(S, f).t)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure, ${modeLabel(S.mode)}: top, one row per request over time with its wait, its prefill `
        + "and a tick for every output token; a long prefill without chunking shows as a gap in every other row's "
        + "ticks. Bottom left, each engine step as a bar as wide and as tall as its duration, split into its "
        + "prefill and decode shares. Bottom right, the gap before every output token on a log scale with a "
        + "dashed line at the 99th percentile."
      : "Chunked prefill figure (no data)"),

    draw(g, info) {
      if (!S || !S.F) throw new Error("no scenario to draw: the widget state has no trace");
      const c = { pal: info.palette, fam: info.font, ...common };
      g.fillStyle = c.pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const st = frameState(S, info.frame);
      drawRaster(g, L.raster, S, st, c);
      drawSteps(g, L.steps, S, st, c);
      drawGaps(g, L.gaps, S, st, c);
    },

    telemetry(frame) {
      if (!S) return [];
      const st = frameState(S, frame);
      return [
        ["Time", msShort(st.t)],
        ["Steps so far", formatInt(st.nSteps)],
        ["This step: prefill tokens / decodes", `${formatInt(st.stepPrefill)} / ${formatInt(st.stepDecodes)}`],
        ["This step: duration", ms(st.stepS)],
        ["Worst inter-token gap so far", ms(st.worst)],
        ["P99 inter-token gap (whole run)", ms(S.itlP99)],
        ["Mean TTFT, long prompts", ms(S.ttftLong)],
        ["Mean TTFT, chats", ms(S.ttftShort)],
      ];
    },

    describe(frame) {
      if (!S) return "No trace to describe.";
      const st = frameState(S, frame);
      return `${modeLabel(S.mode)}, t = ${msShort(st.t)}: the current step computes ${formatInt(st.stepPrefill)} `
        + `prefill tokens and ${formatInt(st.stepDecodes)} decodes in ${ms(st.stepS)}. Worst gap between two `
        + `tokens so far ${ms(st.worst)}; over the whole run the P99 gap is ${ms(S.itlP99)} and the long prompts `
        + `wait ${ms(S.ttftLong)} for their first token.`;
    },
  };
}
