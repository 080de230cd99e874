// P9.7 "Disaggregated prefill and decode": the view the engine mounts.
//
// Traits read: scenarios (one per configuration and animated load, arrays as binary
// buffers), sweep (SLO attainment per configuration and rate, goodput, GPUs needed),
// config, load, slo_ttft_ms, slo_tpot_ms. Configuration and load switch here in JS; the
// SLO re-scores the stored traces in Python.
// Top: the four GPUs, as a prefill pool and a decode pool joined by the KV hand-off, or
// as colocated replicas; per GPU, requests in their prefill phase and requests decoding.
// Bottom left: SLO attainment against load for every configuration, the 90% line and
// the animated load. Bottom right: goodput per configuration and GPUs for 100 req/s.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, swatch, text, xAxis, yAxis } from "../engine/chart.js";
import { formatInt } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale } from "../engine/scale.js";
import { aspectFor, barRows, gpuBoxes, linkDots, panels } from "./disagg_layout.js";

const pct = (x) => `${(100 * x).toFixed(1)}%`;
const rate = (r) => `${Math.round(r)} req/s`;

/** A scenario dict from Python -> typed arrays and sizes. */
export function decodeScenario(s) {
  const S = {
    config: s.config, load: s.load, kind: s.kind, nPrefill: s.n_prefill, nDecode: s.n_decode, G: s.n_gpus,
    F: s.n_frames, attainment: s.attainment, ttft90: s.ttft_p90_ms, tpot90: s.tpot_p90_ms, end: s.end_s,
    frameT: toFloat32(s.frame_t), pre: toInt32(s.pre), dec: toInt32(s.dec), hand: toInt32(s.hand),
  };
  let m = 1;
  for (let i = 0; i < S.pre.length; i++) m = Math.max(m, S.pre[i], S.dec[i]);
  S.maxCount = m;
  return S;
}

/** Frame `f`: time, per-GPU counts, hand-offs in this frame, totals. */
export function frameState(S, f) {
  const k = Math.min(Math.max(0, f), S.F - 1);
  const pre = Array.from(S.pre.subarray(k * S.G, (k + 1) * S.G));
  const dec = Array.from(S.dec.subarray(k * S.G, (k + 1) * S.G));
  return { k, t: S.frameT[k], pre, dec, hand: S.hand[k], nPre: pre.reduce((a, b) => a + b, 0),
    nDec: dec.reduce((a, b) => a + b, 0) };
}

const CONFIG_HUES = (pal) => [pal.muted, pal.memory, pal.compute, pal.cache, pal.extra];

function drawPools(g, p, S, st, info, c) {
  const { pal } = c;
  const title = S.kind === "disagg"
    ? [`Prefill pool (${S.nPrefill} GPU) → KV hand-off over NVLink → decode pool (${S.nDecode} GPU)`, "Prefill pool → decode pool"]
    : [`${S.G} colocated replicas${S.kind === "chunked" ? " with chunked prefill" : ""}: each GPU prefills and decodes`, "Colocated replicas"];
  heading(g, p, title, `${rate(S.load)} · t = ${st.t.toFixed(2)} s · ${formatInt(st.nPre)} in prefill, ${formatInt(st.nDec)} decoding`, c);
  const L = gpuBoxes(p.plot, S.kind === "disagg" ? S.nPrefill : S.G, S.kind === "disagg" ? S.nDecode : 0);
  font(g, c.fam, 12);
  for (let i = 0; i < L.boxes.length; i++) {
    const b = L.boxes[i];
    const isPrefill = S.kind === "disagg" && i < S.nPrefill;
    const isDecode = S.kind === "disagg" && i >= S.nPrefill;
    g.fillStyle = pal.panel;
    g.fillRect(b.x, b.y, b.w, b.h);
    g.strokeStyle = pal.border;
    g.lineWidth = 1;
    g.strokeRect(b.x + 0.5, b.y + 0.5, b.w - 1, b.h - 1);
    const name = isPrefill ? `prefill GPU ${i + 1}` : isDecode ? `decode GPU ${i - S.nPrefill + 1}` : `GPU ${i + 1}`;
    const inner = { x: b.x + 6, w: b.w - 12 };
    if (b.h >= 40) text(g, name, inner.x, b.y + 10, { color: pal.fg, baseline: "middle" });
    const rows = [];
    if (!isDecode) rows.push([st.pre[i], pal.compute, "prefill"]);
    if (!isPrefill) rows.push([st.dec[i], pal.cache, "decoding"]);
    const top = b.h >= 40 ? b.y + 20 : b.y + 3;
    const rh = Math.max(3, Math.min(16, (b.y + b.h - 3 - top) / rows.length - 2));
    rows.forEach(([n, col, label], j) => {
      const y = top + j * (rh + 2);
      const labelW = 96;
      const bw = Math.max(0, inner.w - labelW);
      g.fillStyle = pal.empty;
      g.fillRect(inner.x + labelW, y, bw, rh);
      g.fillStyle = col;
      g.fillRect(inner.x + labelW, y, (bw * Math.min(n, S.maxCount)) / S.maxCount, rh);
      if (rh >= 11) text(g, `${label} ${formatInt(n)}`, inner.x, y + rh / 2, { color: pal.fg, baseline: "middle" });
    });
  }
  if (L.link) {
    const { x0, y0, x1, y1 } = L.link;
    g.save();
    g.strokeStyle = pal.muted;
    g.lineWidth = 3;
    g.beginPath();
    g.moveTo(x0, y0);
    g.lineTo(x1 - 8, y1);
    g.stroke();
    g.fillStyle = pal.muted;
    g.beginPath();
    g.moveTo(x1, y1);
    g.lineTo(x1 - 10, y1 - 6);
    g.lineTo(x1 - 10, y1 + 6);
    g.closePath();
    g.fill();
    g.fillStyle = pal.highlight;
    for (const d of linkDots(L.link, st.hand, info.tween)) {
      g.beginPath();
      g.arc(d.x, d.y, 5, 0, 2 * Math.PI);
      g.fill();
    }
    g.restore();
    font(g, c.fam, 12);
    text(g, `${formatInt(st.hand)} KV hand-offs this frame`, (x0 + x1) / 2, y0 - 14, { color: pal.fg, align: "center", baseline: "middle" });
  }
  const ly = p.plot.y + p.plot.h + 10;
  let x = p.x;
  x = swatch(g, x, ly, pal.compute, "requests in prefill (queued or running)", { fg: pal.fg });
  x = swatch(g, x, ly, pal.cache, "requests decoding", { fg: pal.fg });
  if (S.kind === "disagg") swatch(g, x, ly, pal.highlight, "KV hand-off", { fg: pal.fg });
}

function drawCurve(g, p, sweep, S, c) {
  const { pal } = c;
  heading(g, p, ["SLO attainment against load (4 GPUs)", "SLO attainment"],
    `SLO: TTFT ≤ ${sweep.slo_ttft_ms} ms and TPOT ≤ ${sweep.slo_tpot_ms} ms · goodput = last load ≥ ${Math.round(100 * sweep.target)}%`, c);
  const pl = p.plot;
  const rates = sweep.rates;
  const sx = linearScale(0, rates[rates.length - 1], pl.x, pl.x + pl.w);
  const sy = linearScale(0, 1, pl.y + pl.h, pl.y);
  font(g, c.fam, 12);
  yAxis(g, pl, [0, 0.5, 1], sy, (v) => `${Math.round(100 * v)}%`, pal);
  xAxis(g, pl, [0, 60, 120, 180, 240].filter((v) => v <= rates[rates.length - 1]), sx, (v) => `${v} req/s`, pal);
  const hues = CONFIG_HUES(pal);
  g.save();
  g.strokeStyle = pal.fg;
  g.setLineDash([3, 3]);
  g.lineWidth = 1;
  const yt = Math.round(sy(sweep.target)) + 0.5;
  g.beginPath();
  g.moveTo(pl.x, yt);
  g.lineTo(pl.x + pl.w, yt);
  g.stroke();
  g.setLineDash([]);
  const xl = Math.round(sx(S.load)) + 0.5;
  g.strokeStyle = pal.muted;
  g.beginPath();
  g.moveTo(xl, pl.y);
  g.lineTo(xl, pl.y + pl.h);
  g.stroke();
  sweep.configs.forEach((name, i) => {
    const a = sweep.attainment[name];
    g.strokeStyle = hues[i % hues.length];
    g.lineWidth = name === S.config ? 3.5 : 1.5;
    g.beginPath();
    rates.forEach((r, j) => { if (j) g.lineTo(sx(r), sy(a[j])); else g.moveTo(sx(r), sy(a[j])); });
    g.stroke();
  });
  g.restore();
}

function drawBars(g, p, sweep, S, c) {
  const { pal } = c;
  heading(g, p, ["Goodput (req/s on 4 GPUs) · GPUs for 100 req/s", "Goodput"], "bar: goodput · label: GPUs needed for 100 req/s", c);
  const vals = sweep.configs.map((n) => sweep.goodput[n]);
  const max = Math.max(1, ...vals);
  const rows = barRows(p.plot, vals, max);
  const hues = CONFIG_HUES(pal);
  font(g, c.fam, 12);
  rows.forEach((r, i) => {
    const name = sweep.configs[i];
    text(g, name, p.x, r.cy, { color: name === S.config ? pal.fg : pal.muted, baseline: "middle" });
    g.fillStyle = hues[i % hues.length];
    g.fillRect(r.x, r.y, r.w, r.h);
    if (name === S.config) { g.strokeStyle = pal.fg; g.lineWidth = 2; g.strokeRect(r.x, r.y, Math.max(2, r.w), r.h); }
    const need = sweep.gpus_for_100[name];
    const label = `${Math.round(vals[i])} · ${need > 0 ? `${need} GPUs` : "never"}`;
    const lw = g.measureText(label).width;
    const inside = r.w > lw + 10;
    text(g, label, inside ? r.x + r.w - 5 : r.x + r.w + 5, r.cy, {
      color: inside ? pal.bg : pal.fg, align: inside ? "right" : "left", baseline: "middle" });
  });
}

export function disaggView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let sweep = null;
  let S = null;

  const configSelect = ui.select({ label: "Configuration", options: [], value: "",
    onChange: (v) => ctx.set("config", v) });
  const loadSelect = ui.select({ label: "Load", options: [], value: "",
    onChange: (v) => ctx.set("load", Number(v)) });
  const numInput = (trait) => (value, raw) => {
    if (!Number.isFinite(value) || value <= 0) {
      ctx.inputError(`${trait} must be a number > 0; got ${JSON.stringify(raw)}`);
      return;
    }
    ctx.inputError("");
    ctx.set(trait, value);
  };
  const ttftInput = ui.number({ label: "SLO: TTFT (ms)", value: model.get("slo_ttft_ms"), min: 1, max: 100000,
    onChange: numInput("slo_ttft_ms"), python: true });
  const tpotInput = ui.number({ label: "SLO: TPOT (ms)", value: model.get("slo_tpot_ms"), min: 1, max: 10000,
    onChange: numInput("slo_tpot_ms"), python: true });

  const pick = () => {
    const cfg = model.get("config");
    const load = Number(model.get("load"));
    S = scenarios.find((s) => s.config === cfg && s.load === load) || scenarios[0] || null;
    if (S) { configSelect.set(S.config); loadSelect.set(S.load); }
  };
  const load = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    sweep = model.get("sweep") || null;
    const configs = [...new Set(scenarios.map((s) => s.config))];
    const loads = [...new Set(scenarios.map((s) => s.load))];
    configSelect.setOptions(configs.map((x) => ({ value: x, label: x })));
    loadSelect.setOptions(loads.map((x) => ({ value: x, label: rate(x) })));
    pick();
  };
  load();
  ctx.watch("scenarios", () => { load(); ctx.refresh(); });
  ctx.watch("sweep", () => { sweep = model.get("sweep") || null; ctx.refresh(); });
  ctx.watch("config", () => { pick(); ctx.refresh(); });
  ctx.watch("load", () => { pick(); ctx.refresh(); });
  ctx.watch("slo_ttft_ms", () => ttftInput.set(model.get("slo_ttft_ms")));
  ctx.watch("slo_tpot_ms", () => tpotInput.set(model.get("slo_tpot_ms")));

  return {
    title: "Disaggregated prefill and decode: two pools against colocated replicas",
    fps: 4,
    loop: true,
    aspect: aspectFor,
    minHeight: 440,
    frames: () => (S ? S.F : 1),
    frameLabel: (f) => (S ? `t = ${frameState(S, f).t.toFixed(2)} s` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure, ${S.config} at ${rate(S.load)}: top, the four GPUs, either a prefill pool and a decode `
        + "pool joined by an arrow along which dots show KV caches being handed off, or four replicas side by "
        + "side; each GPU shows how many requests are in their prefill phase and how many are decoding. Bottom "
        + "left, the share of requests meeting the latency SLO against load for every configuration, with the "
        + "90% line; bottom right, each configuration's goodput and the GPUs it needs for 100 requests per second."
      : "Disaggregation figure (no data)"),

    draw(g, info) {
      if (!S || !S.F || !sweep) throw new Error("no scenario to draw: the widget state has no trace");
      const c = { pal: info.palette, fam: info.font };
      g.fillStyle = c.pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const st = frameState(S, info.frame);
      drawPools(g, L.pools, S, st, info, c);
      drawCurve(g, L.curve, sweep, S, c);
      drawBars(g, L.bars, sweep, S, c);
    },

    telemetry(frame) {
      if (!S || !sweep) return [];
      const st = frameState(S, frame);
      return [
        ["Configuration / load", `${S.config} / ${rate(S.load)}`],
        ["Time", `${st.t.toFixed(2)} s`],
        ["Requests in prefill / decoding", `${formatInt(st.nPre)} / ${formatInt(st.nDec)}`],
        ["KV hand-offs this frame", formatInt(st.hand)],
        ["SLO met at this load", pct(S.attainment)],
        ["P90 TTFT / P90 TPOT", `${S.ttft90.toFixed(1)} ms / ${S.tpot90.toFixed(1)} ms`],
        ["Goodput of this configuration", rate(sweep.goodput[S.config])],
        ["GPUs for 100 req/s", sweep.gpus_for_100[S.config] > 0 ? formatInt(sweep.gpus_for_100[S.config]) : "never"],
      ];
    },

    describe(frame) {
      if (!S || !sweep) return "No trace to describe.";
      const st = frameState(S, frame);
      return `${S.config} at ${rate(S.load)}, t = ${st.t.toFixed(2)} s: ${formatInt(st.nPre)} requests in prefill, `
        + `${formatInt(st.nDec)} decoding, ${formatInt(st.hand)} KV hand-offs in this frame. ${pct(S.attainment)} of `
        + `requests meet the SLO at this load; goodput ${rate(sweep.goodput[S.config])}.`;
    },
  };
}
