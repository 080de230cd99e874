// P9.1 "Anatomy of an inference engine": the view the engine mounts.
//
// Traits read: scenarios (one per workload; per-frame arrays as binary buffers), scenario,
// rate_per_s, kv_gb, n_requests. The scenario switches here in JS; rate, KV memory and the
// request count re-run the Python simulation. Top: the pipeline a request travels,
// queue -> scheduler -> block manager -> executor -> done, with the requests in each
// stage drawn as dots and KV memory as a grid of hundredths; preemptions travel back from
// the block manager to the queue. Bottom: queue length, running batch and KV blocks in use
// over the whole run, revealed up to the current frame.

import { toFloat32 } from "../engine/codec.js";
import { font, text } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { aspectFor, cellGrid, dotGrid, filledCells, frameX, layout } from "./anatomy_layout.js";

export const FIELDS = ["tEnd", "firstStep", "nSteps", "waiting", "running", "prefill", "decode", "kvFrac",
  "preempted", "preemptedTotal", "finished", "stepMs", "prefillSteps", "tokens"];

const pct = (x) => `${(100 * x).toFixed(1)}%`;

/** A scenario dict from Python -> typed arrays and sizes. */
export function decodeScenario(s) {
  return {
    name: s.name, label: s.label, n: s.n_requests, nBlocks: s.n_blocks, B: s.block_size, nSteps: s.n_steps,
    F: s.n_frames, endS: s.end_s, maxWaiting: s.max_waiting, maxRunning: s.max_running, K: s.n_fields,
    frames: toFloat32(s.frames),
  };
}

/** Row `f` of the frame table as named numbers. */
export function frameRow(S, f) {
  const k = Math.min(Math.max(0, f), S.F - 1);
  const o = k * S.K;
  const row = { k };
  FIELDS.forEach((name, i) => { row[name] = S.frames[o + i]; });
  return row;
}

/** The first of `variants` that fits `w` px in the current font (else the last one). */
export function pickText(g, variants, w) {
  const list = Array.isArray(variants) ? variants : [variants];
  return list.find((t) => g.measureText(t).width <= w) || list[list.length - 1];
}

function box(g, r, title, pal, fam) {
  g.fillStyle = pal.panel;
  g.fillRect(r.x, r.y, r.w, r.h);
  g.strokeStyle = pal.border;
  g.lineWidth = 1;
  g.strokeRect(Math.round(r.x) + 0.5, Math.round(r.y) + 0.5, Math.round(r.w) - 1, Math.round(r.h) - 1);
  font(g, fam, 13, 600);
  text(g, pickText(g, title, r.w - 12), r.x + 8, r.y + 16, { color: pal.fg });
}

function arrow(g, x0, y0, x1, y1, color, width = 1.5) {
  g.strokeStyle = color;
  g.fillStyle = color;
  g.lineWidth = width;
  g.beginPath(); g.moveTo(x0, y0); g.lineTo(x1, y1); g.stroke();
  const a = Math.atan2(y1 - y0, x1 - x0);
  g.beginPath();
  g.moveTo(x1, y1);
  g.lineTo(x1 - 8 * Math.cos(a - 0.45), y1 - 8 * Math.sin(a - 0.45));
  g.lineTo(x1 - 8 * Math.cos(a + 0.45), y1 - 8 * Math.sin(a + 0.45));
  g.closePath();
  g.fill();
}

function dots(g, grid, color, from = 0, to = grid.shown) {
  g.fillStyle = color;
  g.beginPath();
  for (let i = from; i < to; i++) {
    const [x, y] = grid.pts[i];
    g.moveTo(x + grid.r, y);
    g.arc(x, y, grid.r, 0, 2 * Math.PI);
  }
  g.fill();
}

function caption(g, r, s, pal, fam, color) {
  font(g, fam, 12);
  text(g, pickText(g, s, r.w - 12), r.x + 8, r.y + r.h - 8, { color: color || pal.muted });
}

function drawPipeline(g, L, S, row, pal, fam) {
  const B = L.boxes;
  const c = { wait: mix(pal.fg, pal.bg, 0.55), prefill: pal.compute, decode: pal.cache, kv: pal.memory };
  // queue
  box(g, B.queue, "Queue", pal, fam);
  const qd = dotGrid(B.queue, row.waiting, 80);
  dots(g, qd, c.wait);
  caption(g, B.queue, [`${formatInt(row.waiting)} waiting${row.waiting > qd.shown ? ` (${qd.shown} drawn)` : ""}`,
    `${formatInt(row.waiting)} waiting`, formatInt(row.waiting)], pal, fam);
  // scheduler
  box(g, B.scheduler, "Scheduler", pal, fam);
  font(g, fam, 12);
  const decodeSteps = row.nSteps - row.prefillSteps;
  const lines = [
    [`${formatInt(row.nSteps)} step${row.nSteps === 1 ? "" : "s"} this frame:`, `${formatInt(row.nSteps)} steps:`],
    [`${formatInt(row.prefillSteps)} prefill, ${formatInt(decodeSteps)} decode`, `${formatInt(row.prefillSteps)} P + ${formatInt(decodeSteps)} D`],
    row.prefill > 0
      ? [`last: prefill ${formatInt(row.prefill)} prompt${row.prefill === 1 ? "" : "s"}`, `last: prefill ×${formatInt(row.prefill)}`, `P ×${formatInt(row.prefill)}`]
      : [`last: decode ${formatInt(row.decode)} sequences`, `last: decode ×${formatInt(row.decode)}`, `D ×${formatInt(row.decode)}`],
  ];
  lines.forEach((v, i) => {
    const y = B.scheduler.y + 36 + i * 17;
    if (y < B.scheduler.y + B.scheduler.h - 4) text(g, pickText(g, v, B.scheduler.w - 14), B.scheduler.x + 8, y, { color: pal.fg });
  });
  // block manager
  box(g, B.blocks, ["Block manager", "Blocks"], pal, fam);
  const cg = cellGrid(B.blocks, 100);
  const filled = filledCells(row.kvFrac, 100);
  for (let i = 0; i < 100; i++) {
    const r = cg.rect(i);
    g.fillStyle = i < filled ? c.kv : pal.empty;
    g.fillRect(r.x, r.y, r.w, r.h);
  }
  caption(g, B.blocks, [`KV ${pct(row.kvFrac)} of ${formatInt(S.nBlocks)} blocks`, `KV ${pct(row.kvFrac)}`], pal, fam);
  // executor
  box(g, B.executor, ["Executor (GPU)", "Executor"], pal, fam);
  const nDots = row.prefill + row.decode;
  const ed = dotGrid(B.executor, nDots, 160);
  const nPre = Math.min(ed.shown, row.prefill);
  dots(g, ed, c.prefill, 0, nPre);
  dots(g, ed, c.decode, nPre, ed.shown);
  const kind = row.prefill > 0 ? "prefill" : "decode";
  caption(g, B.executor, [`${kind} step ${sig(row.stepMs, 3)} ms · ${formatInt(row.running)} running`,
    `${kind} step ${sig(row.stepMs, 3)} ms`, `${sig(row.stepMs, 3)} ms`], pal, fam);
  // done
  box(g, B.done, "Done", pal, fam);
  font(g, fam, 18, 600);
  text(g, formatInt(row.finished), B.done.x + B.done.w / 2, B.done.y + B.done.h / 2, { color: pal.fg, align: "center", baseline: "middle" });
  caption(g, B.done, `of ${formatInt(S.n)}`, pal, fam);
  // flow arrows
  const mid = (r) => r.y + r.h / 2;
  const link = (a, b) => {
    if (Math.abs(mid(a) - mid(b)) < 2) arrow(g, a.x + a.w + 3, mid(a), b.x - 3, mid(b), pal.muted);
    else arrow(g, a.x + a.w / 2, a.y + a.h + 3, b.x + b.w / 2, b.y - 3, pal.muted);
  };
  link(B.queue, B.scheduler);
  link(B.scheduler, B.blocks);
  if (L.narrow) arrow(g, B.blocks.x + B.blocks.w / 2, B.blocks.y + B.blocks.h + 3, B.executor.x + B.executor.w * 0.8, B.executor.y - 3, pal.muted);
  else link(B.blocks, B.executor);
  link(B.executor, B.done);
  // preemption: back from the block manager to the queue
  const hot = row.preempted > 0;
  const y = L.laneY;
  const col = hot ? pal.error : mix(pal.muted, pal.bg, 0.5);
  g.strokeStyle = col;
  g.lineWidth = hot ? 2.5 : 1;
  g.setLineDash(hot ? [] : [4, 4]);
  g.beginPath();
  const xb = B.blocks.x + B.blocks.w * 0.3;
  const xq = B.queue.x + B.queue.w * 0.5;
  g.moveTo(xb, B.blocks.y + B.blocks.h);
  g.lineTo(xb, y);
  g.lineTo(xq, y);
  g.stroke();
  g.setLineDash([]);
  arrow(g, xq, y, xq, B.queue.y + B.queue.h + 2, col, hot ? 2.5 : 1);
  font(g, fam, 12, hot ? 600 : 400);
  const label = hot ? `preempted ${formatInt(row.preempted)} this frame (${formatInt(row.preemptedTotal)} in all)`
    : `preemptions: ${formatInt(row.preemptedTotal)} so far`;
  g.fillStyle = pal.bg;
  const tw = g.measureText(label).width;
  const lx = Math.min(xq + 12, Math.max(L.pad, xb - tw - 8));
  g.fillRect(lx - 3, y - 9, tw + 6, 18);
  text(g, label, lx, y, { color: hot ? pal.error : pal.muted, baseline: "middle" });
}

function drawStrips(g, L, S, f, pal, fam) {
  const specs = [
    { name: "queue length", idx: 3, max: Math.max(1, S.maxWaiting), color: mix(pal.fg, pal.bg, 0.3) },
    { name: "running batch", idx: 4, max: Math.max(1, S.maxRunning), color: pal.cache },
    { name: "KV blocks used", idx: 7, max: 1, color: pal.memory },
  ];
  const k = Math.min(Math.max(0, f), S.F - 1);
  specs.forEach((sp, j) => {
    const St = L.strips[j];
    g.fillStyle = pal.empty;
    g.fillRect(St.x, St.y, St.w, St.h);
    font(g, fam, 12);
    text(g, sp.name, L.pad, St.y + St.h / 2, { color: pal.fg, baseline: "middle" });
    text(g, sp.idx === 7 ? "100%" : formatInt(sp.max), St.x - 4, St.y + 6, { color: pal.muted, align: "right", baseline: "middle" });
    const ys = (v) => St.y + St.h - (St.h * Math.min(1, v / sp.max));
    const line = (to, color, width) => {
      g.strokeStyle = color;
      g.lineWidth = width;
      g.beginPath();
      for (let i = 0; i <= to; i++) {
        const x = frameX(St, S.F, i);
        const y = ys(S.frames[i * S.K + sp.idx]);
        if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
      }
      g.stroke();
    };
    line(S.F - 1, mix(sp.color, pal.bg, 0.75), 1);
    line(k, sp.color, 2);
    if (sp.idx === 7) {               // preemptions: ticks on the KV strip
      g.fillStyle = pal.error;
      for (let i = 0; i <= k; i++) {
        if (S.frames[i * S.K + 8] > 0) g.fillRect(frameX(St, S.F, i) - 1, St.y, 2, 6);
      }
    }
  });
  const x = frameX(L.strips[0], S.F, k);
  g.strokeStyle = pal.fg;
  g.lineWidth = 1;
  g.beginPath(); g.moveTo(x, L.strips[0].y - 4); g.lineTo(x, L.strips[2].y + L.strips[2].h + 4); g.stroke();
}

export function anatomyView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;

  const scenarioSelect = ui.select({ label: "Scenario", options: [], value: "", onChange: (v) => ctx.set("scenario", v) });
  const numberInput = (trait, integer) => (value, raw) => {
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      ctx.inputError(`${trait} must be a ${integer ? "whole " : ""}number; got ${JSON.stringify(raw)}`);
      return;
    }
    ctx.inputError("");
    ctx.set(trait, value);
  };
  const rateInput = ui.number({ label: "Arrival rate (req/s)", value: model.get("rate_per_s"), min: 0.1, max: 10000,
    step: 0.1, onChange: numberInput("rate_per_s", false), python: true });
  const kvInput = ui.number({ label: "KV memory (GB)", value: model.get("kv_gb"), min: 0.3, max: 55, step: 0.1,
    onChange: numberInput("kv_gb", false), python: true });
  const nInput = ui.number({ label: "Requests", value: model.get("n_requests"), min: 1, max: 300,
    onChange: numberInput("n_requests", true), python: true });

  const pick = () => {
    const want = model.get("scenario");
    S = scenarios.find((s) => s.name === want) || scenarios[0] || null;
    if (S) scenarioSelect.set(S.name);
  };
  const load = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    scenarioSelect.setOptions(scenarios.map((s) => ({ value: s.name, label: `${s.name}: ${s.label}` })));
    pick();
  };
  load();
  ctx.watch("scenarios", () => { load(); ctx.refresh(); });
  ctx.watch("scenario", () => { pick(); ctx.refresh(); });
  ctx.watch("rate_per_s", () => rateInput.set(model.get("rate_per_s")));
  ctx.watch("kv_gb", () => kvInput.set(model.get("kv_gb")));
  ctx.watch("n_requests", () => nInput.set(model.get("n_requests")));

  const stepRange = (row) => `${formatInt(row.firstStep + 1)}–${formatInt(row.firstStep + row.nSteps)}`;

  return {
    title: "Anatomy of an inference engine: queue, scheduler, block manager, executor",
    fps: 10,
    loop: true,
    aspect: aspectFor,
    minHeight: 460,
    frames: () => (S ? S.F : 1),
    frameLabel: (f) => {
      if (!S) return "no data";
      const row = frameRow(S, f);
      return `steps ${stepRange(row)} of ${formatInt(S.nSteps)} · t = ${sig(row.tEnd, 3)} s`;
    },
    ariaLabel: () => (S
      ? `Animated figure, scenario ${S.name} (${S.label}): five boxes in a row, queue, scheduler, block manager, `
        + "executor and done, with waiting requests as grey dots in the queue, the scheduler's decision in words, "
        + "KV memory in use as a grid of one hundred cells, and the running batch as dots in the executor, "
        + "vermillion for prefills and blue for decodes; an arrow from the block manager back to the queue lights "
        + "up when requests are preempted. Below, three line charts over the whole run: queue length, running batch "
        + "and KV blocks in use, drawn up to the current step."
      : "Engine anatomy figure (no data)"),

    draw(g, info) {
      if (!S || !S.F) throw new Error("no scenario to draw: the widget state has no trace");
      const pal = info.palette;
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = layout(info.width, info.height);
      const row = frameRow(S, info.frame);
      drawPipeline(g, L, S, row, pal, info.font);
      drawStrips(g, L, S, info.frame, pal, info.font);
    },

    telemetry(frame) {
      if (!S) return [];
      const r = frameRow(S, frame);
      return [
        ["Time", `${sig(r.tEnd, 3)} s`],
        ["Engine steps in this frame", `${stepRange(r)} (${formatInt(r.nSteps)})`],
        ["Queue length", formatInt(r.waiting)],
        ["Running batch (prefill + decode in last step)", `${formatInt(r.running)} (${formatInt(r.prefill)} + ${formatInt(r.decode)})`],
        ["KV blocks in use", `${pct(r.kvFrac)} of ${formatInt(S.nBlocks)}`],
        ["Preemptions (this frame / total)", `${formatInt(r.preempted)} / ${formatInt(r.preemptedTotal)}`],
        ["Last step time", `${sig(r.stepMs, 3)} ms`],
        ["Requests finished", `${formatInt(r.finished)} of ${formatInt(S.n)}`],
      ];
    },

    describe(frame) {
      if (!S) return "No trace to describe.";
      const r = frameRow(S, frame);
      let s = `At ${sig(r.tEnd, 3)} s, after engine step ${formatInt(r.firstStep + r.nSteps)} of ${formatInt(S.nSteps)}: `
        + `${formatInt(r.waiting)} requests waiting, ${formatInt(r.running)} running, KV memory ${pct(r.kvFrac)} used, `
        + `${formatInt(r.finished)} of ${formatInt(S.n)} finished.`;
      if (r.preempted > 0) s += ` ${formatInt(r.preempted)} requests were preempted in these steps.`;
      return s;
    },
  };
}
