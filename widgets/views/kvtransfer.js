// P9.8 "Moving the KV cache": the view the engine mounts.
//
// Traits read: scenarios (one per link, arrays as binary buffers), link_name, links,
// model, gpu, tp, prompt_tokens. The link switches here in JS (every scenario is
// precomputed); model, GPU, tensor parallelism and prompt length re-run the Python
// simulation. Top: the prompt's KV blocks on the prefill GPU, packets streaming through
// the link, blocks landing on the decode GPU. Bottom: the whole transfer on every link
// (log axis) beside one decode step and the prefill of the same prompt.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, text, xAxis } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { decadeDomain, logScale, logTicks } from "../engine/scale.js";
import { mix } from "../engine/palette.js";
import { aspectFor, blockGrid, cellRect, chartRows, panels, pipeBand } from "./kvtransfer_layout.js";

const LABELS = {
  nvlink4: "NVLink 4", nvlink5: "NVLink 5", "ib-ndr": "IB NDR", "ib-hdr": "IB HDR",
  "roce-400g": "RoCE 400G", pcie5: "PCIe 5", "tcp-100g": "TCP 100G",
};
export const linkLabel = (name) => LABELS[name] || name;

/** Milliseconds with three significant digits. */
export const ms = (x) => `${sig(x, 3)} ms`;

/** A scenario dict from Python -> typed arrays and sizes. */
export function decodeScenario(s) {
  return {
    name: s.name, bw: s.bw_gbs, lat: s.latency_us, nBlocks: s.n_blocks, nMessages: s.n_messages, F: s.n_frames,
    totalMs: s.total_ms, totalMiB: s.total_mib, kvKiB: s.kv_kib_per_token, decodeMs: s.decode_ms,
    prefillMs: s.prefill_ms, ratio: s.ratio,
    depart: toFloat32(s.depart), arrive: toFloat32(s.arrive), timeMs: toFloat32(s.time_ms),
    nArrived: toInt32(s.n_arrived), nInFlight: toInt32(s.n_in_flight), mibArrived: toFloat32(s.mib_arrived),
  };
}

/** Progress at frame `f` (all from the Python trace). */
export function frameState(S, f) {
  const k = Math.min(Math.max(0, f), S.F - 1);
  return { k, timeMs: S.timeMs[k], arrived: S.nArrived[k], inFlight: S.nInFlight[k], mib: S.mibArrived[k] };
}

/** Blocks in the pipe at normalised time t: departed within the last `window`; u = how far along. */
export function packetsAt(S, t, window) {
  const out = [];
  for (let i = 0; i < S.nBlocks; i++) {
    const d = S.depart[i];
    if (d < t && S.arrive[i] > t - window && d > t - window) out.push([i, Math.min(1, (t - d) / window)]);
  }
  return out;
}

function drawGrid(g, p, S, title, sub, fillOf, ctx) {
  heading(g, p, title, sub, ctx);
  const grid = blockGrid(p.plot, S.nBlocks);
  for (let i = 0; i < S.nBlocks; i++) {
    const r = cellRect(grid, i);
    g.fillStyle = fillOf(i);
    g.fillRect(r.x, r.y, r.w, r.h);
  }
  return grid;
}

function drawChart(g, p, scenarios, S, st, ctx) {
  const { pal } = ctx;
  heading(g, p, ["Whole transfer on every link, beside one decode step and the prefill", "Transfer vs decode step"],
    `${S.totalMiB.toFixed(1)} MiB per link · decode step ${ms(S.decodeMs)} · prefill ${ms(S.prefillMs)}`, ctx);
  let lo = Math.min(S.decodeMs, S.prefillMs);
  let hi = Math.max(S.decodeMs, S.prefillMs);
  for (const s of scenarios) { lo = Math.min(lo, s.totalMs); hi = Math.max(hi, s.totalMs); }
  const [d0, d1] = decadeDomain(lo / 2, hi);       // room left of the fastest bar
  const sx = logScale(d0, d1, p.plot.x, p.plot.x + p.plot.w);
  font(g, ctx.fam, 12);
  xAxis(g, p.plot, logTicks(d0, d1, 7), sx, (v) => (v >= 1 ? `${v} ms` : `${sig(v, 1)} ms`), pal);
  const rows = chartRows(p.plot, scenarios.length);
  scenarios.forEach((s, i) => {
    const r = rows[i];
    const sel = s === S;
    font(g, ctx.fam, 12, sel ? 700 : 400);
    text(g, linkLabel(s.name), p.x, r.cy, { color: sel ? pal.fg : pal.muted, baseline: "middle" });
    const w = sx(s.totalMs) - p.plot.x;
    g.fillStyle = sel ? mix(ctx.link, pal.bg, 0.55) : mix(pal.muted, pal.bg, 0.55);
    g.fillRect(p.plot.x, r.y, Math.max(1, w), r.h);
    if (sel) {                                             // progress of the current instant
      g.fillStyle = ctx.link;
      g.fillRect(p.plot.x, r.y, Math.max(1, sx(Math.max(st.timeMs, d0)) - p.plot.x), r.h);
    }
    font(g, ctx.fam, 12);
    const label = ms(s.totalMs);
    const lw = g.measureText(label).width;
    const x = p.plot.x + w + 6 + lw < p.plot.x + p.plot.w ? p.plot.x + w + 6 : p.plot.x + w - lw - 6;
    text(g, label, x, r.cy, { color: pal.fg, baseline: "middle" });
  });
  for (const [v, name, color, dash] of [[S.decodeMs, "decode step", ctx.recv, [6, 4]], [S.prefillMs, "prefill", ctx.send, [2, 3]]]) {
    const x = Math.round(sx(v)) + 0.5;
    g.save();
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.setLineDash(dash);
    g.beginPath();
    g.moveTo(x, p.plot.y);
    g.lineTo(x, p.plot.y + p.plot.h);
    g.stroke();
    g.restore();
    font(g, ctx.fam, 12, 600);
    const tw = g.measureText(name).width;
    text(g, name, Math.min(x + 4, p.plot.x + p.plot.w - tw), p.plot.y - 4, { color, baseline: "bottom" });
  }
}

export function kvtransferView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;

  const linkSelect = ui.select({ label: "Link", options: [], value: "", onChange: (v) => ctx.set("link_name", v) });
  const intInput = (trait) => (value, raw) => {
    if (!Number.isInteger(value)) {
      ctx.inputError(`${trait} must be a whole number; got ${JSON.stringify(raw)}`);
      return;
    }
    ctx.inputError("");
    ctx.set(trait, value);
  };
  const promptInput = ui.number({ label: "Prompt (tokens)", value: model.get("prompt_tokens"), min: 1, max: 65536,
    onChange: intInput("prompt_tokens"), python: true });
  const perInput = ui.number({ label: "Blocks per message", value: model.get("blocks_per_message"), min: 1, max: 4096,
    onChange: intInput("blocks_per_message"), python: true });

  const pick = () => {
    const want = model.get("link_name");
    S = scenarios.find((s) => s.name === want) || scenarios[0] || null;
    if (S) linkSelect.set(S.name);
  };
  const load = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    linkSelect.setOptions(scenarios.map((s) => ({ value: s.name, label: linkLabel(s.name) })));
    pick();
  };
  load();
  ctx.watch("scenarios", () => { load(); ctx.refresh(); });
  ctx.watch("link_name", () => { pick(); ctx.refresh(); });
  ctx.watch("prompt_tokens", () => promptInput.set(model.get("prompt_tokens")));
  ctx.watch("blocks_per_message", () => perInput.set(model.get("blocks_per_message")));

  return {
    title: "Moving a prompt's KV cache from a prefill GPU to a decode GPU",
    fps: 8,
    loop: true,
    aspect: aspectFor,
    minHeight: 420,
    frames: () => (S ? S.F : 1),
    frameLabel: (f) => (S ? `${ms(frameState(S, f).timeMs)} / ${ms(S.totalMs)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure, ${linkLabel(S.name)}: top left, the prompt's ${formatInt(S.nBlocks)} KV blocks on the prefill GPU, `
        + "fading as they leave; top middle, packets streaming through the link; top right, the blocks landing on the "
        + "decode GPU; bottom, the time of the whole transfer on every link on a logarithmic axis, with dashed lines "
        + "marking one decode step and the prefill of the same prompt."
      : "KV transfer figure (no data)"),

    draw(g, info) {
      if (!S || !S.F) throw new Error("no scenario to draw: the widget state has no trace");
      const pal = info.palette;
      const c = { pal, fam: info.font, send: pal.cache, recv: pal.memory, link: pal.highlight };
      if (pal.theme === "light") c.link = "#b36b00";
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const st = frameState(S, info.frame);
      const t = Math.min(1, (st.k + Math.min(1, info.tween)) / S.F);
      const tol = 1e-6;
      drawGrid(g, L.send, S, ["Prefill GPU: KV blocks to send", "Prefill GPU"],
        `${formatInt(S.nBlocks)} blocks · ${sig(S.kvKiB, 3)} KiB per token on this link`,
        (i) => (S.depart[i] >= t ? c.send : mix(c.send, pal.bg, 0.8)), c);
      const grid = drawGrid(g, L.recv, S, ["Decode GPU: KV blocks landed", "Decode GPU"],
        `${formatInt(st.arrived)} of ${formatInt(S.nBlocks)} blocks · ${st.mib.toFixed(1)} MiB`,
        (i) => (S.arrive[i] <= t + tol ? c.recv : pal.empty), c);
      // the link: packets departed within the last frame slide along the pipe
      heading(g, L.pipe, [`${linkLabel(S.name)}: ${sig(S.bw, 3)} GB/s each way`, linkLabel(S.name)],
        `${sig(S.lat, 2)} µs per message · ${formatInt(S.nMessages)} messages`, c);
      const packet = Math.max(4, Math.min(18, grid.cell - grid.gap));
      const band = pipeBand(L.pipe.plot, packet);
      g.fillStyle = pal.panel;
      g.fillRect(band.x, band.y, band.w, band.h);
      g.strokeStyle = pal.border;
      g.lineWidth = 1;
      g.strokeRect(band.x + 0.5, band.y + 0.5, band.w - 1, band.h - 1);
      const flying = packetsAt(S, t, 1 / S.F);
      g.fillStyle = c.link;
      flying.forEach(([i, u]) => {
        const y = band.y + 4 + ((i % 3) * (band.h - 8 - packet)) / 2;
        g.fillRect(band.at(u), y, packet, packet);
      });
      font(g, c.fam, 12);
      text(g, "→", band.x + band.w / 2, band.y + band.h + 14, { color: pal.muted, align: "center", baseline: "middle" });
      drawChart(g, L.chart, scenarios, S, st, c);
    },

    telemetry(frame) {
      if (!S) return [];
      const st = frameState(S, frame);
      return [
        ["Link: bandwidth each way / latency", `${linkLabel(S.name)}: ${sig(S.bw, 3)} GB/s / ${sig(S.lat, 2)} µs`],
        ["KV on this link: per token / whole prompt", `${sig(S.kvKiB, 3)} KiB / ${S.totalMiB.toFixed(1)} MiB`],
        ["Blocks / messages", `${formatInt(S.nBlocks)} / ${formatInt(S.nMessages)}`],
        ["Elapsed / whole transfer", `${ms(st.timeMs)} / ${ms(S.totalMs)}`],
        ["Blocks landed / in flight", `${formatInt(st.arrived)} / ${formatInt(st.inFlight)}`],
        ["One decode step (batch 1)", ms(S.decodeMs)],
        ["Transfer ÷ decode step", `${sig(S.ratio, 3)}×`],
        ["Prefill of the prompt", ms(S.prefillMs)],
      ];
    },

    describe(frame) {
      if (!S) return "No trace to describe.";
      const st = frameState(S, frame);
      return `${linkLabel(S.name)}, ${ms(st.timeMs)} of ${ms(S.totalMs)}: ${formatInt(st.arrived)} of `
        + `${formatInt(S.nBlocks)} KV blocks have landed (${st.mib.toFixed(1)} of ${S.totalMiB.toFixed(1)} MiB). `
        + `The whole transfer takes ${sig(S.ratio, 3)} decode steps of ${ms(S.decodeMs)}; the prefill took ${ms(S.prefillMs)}.`;
    },
  };
}
