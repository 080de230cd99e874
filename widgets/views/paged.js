// P9.3 "PagedAttention": the view the engine mounts.
//
// Traits read: scenarios (one per block size, arrays as binary buffers), block_size,
// block_sizes, capacity_tokens, max_len_tokens. The block size switches here in JS
// (every scenario is precomputed); capacity and maximum length re-run the Python
// simulation. Left: each sequence's block table (logical -> physical) above the grid of
// physical blocks, shared blocks marked with their reference count and a copy-on-write
// drawn as it happens. Right: the same requests in contiguous max-length reservations.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, swatch, text } from "../engine/chart.js";
import { formatInt } from "../engine/format.js";
import { OKABE_ITO, mix } from "../engine/palette.js";
import {
  aspectFor, blockRect, centre, contigGeometry, gridGeometry, logicalRect, panels, slotRuns, tableGeometry,
} from "./paged_layout.js";

const SEQ_HUES = [OKABE_ITO.blue, OKABE_ITO.orange, OKABE_ITO.green, OKABE_ITO.purple, OKABE_ITO.vermillion,
  OKABE_ITO.sky];
const RUNNING = 2;
const WAITING = 1;
const NT = 8;   // columns of `totals`

const pct = (x) => `${(100 * x).toFixed(1)}%`;

/** A scenario dict from Python -> typed arrays and sizes. */
export function decodeScenario(s) {
  const S = {
    name: s.name, B: s.block_size, nBlocks: s.n_blocks, maxBlocks: s.max_blocks, F: s.n_frames,
    nSeqs: s.n_seqs, capacity: s.capacity_tokens, maxLen: s.max_len_tokens, nCow: s.n_cow_copies,
    names: s.seq_names, forkOf: s.fork_of, finals: s.final_tokens,
    pState: toInt32(s.p_state), pTokens: toInt32(s.p_tokens), table: toInt32(s.table),
    refcount: toInt32(s.refcount), fill: toInt32(s.fill), owner: toInt32(s.owner), cow: toInt32(s.cow),
    cState: toInt32(s.c_state), cTokens: toInt32(s.c_tokens), cStart: toInt32(s.c_start),
    cReserved: toInt32(s.c_reserved), totals: toInt32(s.totals), waste: toFloat32(s.waste),
  };
  return S;
}

/** Totals of frame `f`: reserved / used token slots and running / waiting counts, both layouts. */
export function frameTotals(S, f) {
  const k = Math.min(Math.max(0, f), S.F - 1);
  const t = S.totals.subarray(k * NT, k * NT + NT);
  return {
    k, pReserved: t[0], pUsed: t[1], cReserved: t[2], cUsed: t[3],
    pRunning: t[4], pWaiting: t[5], cRunning: t[6], cWaiting: t[7],
    pWaste: S.waste[2 * k], cWaste: S.waste[2 * k + 1],
    cow: [S.cow[3 * k], S.cow[3 * k + 1], S.cow[3 * k + 2]],
  };
}

function hatch(g, r, color) {
  g.save();
  g.beginPath();
  g.rect(r.x, r.y, r.w, r.h);
  g.clip();
  g.strokeStyle = color;
  g.lineWidth = 1;
  g.beginPath();
  for (let x = r.x - r.h; x < r.x + r.w; x += 6) { g.moveTo(x, r.y + r.h); g.lineTo(x + r.h, r.y); }
  g.stroke();
  g.restore();
}

function drawTables(g, p, S, k, ctx) {
  const { pal } = ctx;
  heading(g, p, ["Block tables: logical block → physical block", "Block tables"],
    `block size ${S.B} tokens · label = physical block id`, ctx);
  const geom = tableGeometry(p.plot, S.nSeqs, S.maxBlocks);
  const cells = [];
  for (let s = 0; s < S.nSeqs; s++) {
    const st = S.pState[k * S.nSeqs + s];
    const y = geom.y0 + s * geom.rowH + geom.rowH / 2;
    font(g, ctx.fam, 12, 600);
    text(g, S.names[s], p.x, y, { color: st === RUNNING ? ctx.seq[s] : pal.muted, baseline: "middle" });
    const tok = S.pTokens[k * S.nSeqs + s];
    const nb = st === RUNNING ? Math.ceil(tok / S.B) : 0;
    for (let j = 0; j < S.maxBlocks; j++) {
      const r = logicalRect(geom, s, j);
      if (j >= nb) {
        g.fillStyle = pal.empty;
        g.fillRect(r.x, r.y, r.w, r.h);
        continue;
      }
      const phys = S.table[(k * S.nSeqs + s) * S.maxBlocks + j];
      const filled = Math.min(S.B, tok - j * S.B);
      g.fillStyle = mix(ctx.seq[s], pal.bg, 0.55);
      g.fillRect(r.x, r.y, r.w, r.h);
      g.fillStyle = ctx.seq[s];
      g.fillRect(r.x, r.y, (r.w * filled) / S.B, r.h);
      const rc = S.refcount[k * S.nBlocks + phys];
      if (rc > 1) { g.strokeStyle = pal.fg; g.lineWidth = 2; g.strokeRect(r.x + 1, r.y + 1, r.w - 2, r.h - 2); }
      font(g, ctx.fam, 12);
      if (r.w >= 16 && r.h >= 12) {
        const label = String(phys);
        const tw = g.measureText(label).width + 6;
        g.fillStyle = pal.bg;
        g.fillRect(r.x + (r.w - tw) / 2, r.y + 2, tw, r.h - 4);
        text(g, label, r.x + r.w / 2, r.y + r.h / 2 + 1, { color: pal.fg, align: "center", baseline: "middle" });
      }
      cells.push([s, r, phys]);
    }
    if (st === WAITING) text(g, "waiting", geom.x0 + 4, y, { color: pal.muted, baseline: "middle" });
  }
  return cells;
}

function drawGrid(g, p, S, k, info, ctx) {
  const { pal } = ctx;
  const t = frameTotals(S, k);
  heading(g, p, ["Physical KV blocks (shared ones marked ×refcount)", "Physical KV blocks"],
    `${formatInt(S.nBlocks)} blocks × ${S.B} tokens · ${formatInt(t.pReserved / S.B)} in use · waste ${pct(t.pWaste)}`, ctx);
  const geom = gridGeometry(p.plot, S.nBlocks);
  const rects = [];
  for (let b = 0; b < S.nBlocks; b++) {
    const r = blockRect(geom, b);
    rects.push(r);
    const own = S.owner[k * S.nBlocks + b];
    const rc = S.refcount[k * S.nBlocks + b];
    if (own < 0) {
      g.fillStyle = pal.empty;
      g.fillRect(r.x, r.y, r.w, r.h);
      continue;
    }
    const fill = S.fill[k * S.nBlocks + b];
    g.fillStyle = ctx.seq[own];
    g.fillRect(r.x, r.y, (r.w * fill) / S.B, r.h);
    const empty = { x: r.x + (r.w * fill) / S.B, y: r.y, w: r.w - (r.w * fill) / S.B, h: r.h };
    if (empty.w > 0.5) { g.fillStyle = pal.bg; g.fillRect(empty.x, empty.y, empty.w, empty.h); hatch(g, empty, ctx.seq[own]); }
    g.strokeStyle = rc > 1 ? pal.fg : ctx.seq[own];
    g.lineWidth = rc > 1 ? 2 : 1;
    g.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
    if (rc > 1 && r.h >= 13) {
      font(g, ctx.fam, 12, 600);
      text(g, `×${rc}`, r.x + r.w - 3, r.y + r.h / 2 + 1, { color: pal.fg, align: "right", baseline: "middle" });
    }
  }
  // copy-on-write this step: a block copied from src to dst, drawn as a moving ghost
  if (t.cow[0] >= 0) {
    const a = rects[t.cow[1]];
    const b = rects[t.cow[2]];
    const u = info.tween;
    const x = a.x + (b.x - a.x) * u;
    const y = a.y + (b.y - a.y) * u;
    g.save();
    g.globalAlpha = 1 - 0.5 * u;
    g.strokeStyle = pal.highlight;
    g.lineWidth = 3;
    g.strokeRect(x, y, a.w, a.h);
    g.globalAlpha = 1;
    g.setLineDash([4, 3]);
    g.lineWidth = 2;
    g.beginPath();
    const [ax, ay] = centre(a);
    const [bx, by] = centre(b);
    g.moveTo(ax, ay);
    g.lineTo(bx, by);
    g.stroke();
    g.restore();
    font(g, ctx.fam, 12, 600);
    const label = `copy-on-write: ${S.names[t.cow[0]]} copies block ${t.cow[1]} → ${t.cow[2]}`;
    text(g, label, p.x, Math.min(geom.y0 + geom.rows * geom.cellH + 14, p.y + p.h - 2),
      { color: pal.fg, baseline: "middle" });
  }
  return rects;
}

function drawLinks(g, cells, rects, ctx) {
  g.save();
  g.globalAlpha = 0.35;
  g.lineWidth = 1;
  for (const [s, r, phys] of cells) {
    const b = rects[phys];
    if (!b) continue;
    g.strokeStyle = ctx.seq[s];
    g.beginPath();
    g.moveTo(r.x + r.w / 2, r.y + r.h);
    g.lineTo(b.x + b.w / 2, b.y);
    g.stroke();
  }
  g.restore();
}

function drawContig(g, p, S, k, ctx) {
  const { pal } = ctx;
  const t = frameTotals(S, k);
  heading(g, p, ["Contiguous: reserve the maximum length", "Contiguous (max length)"],
    `${formatInt(S.maxLen)}-token reservations · waste ${pct(t.cWaste)}`, ctx);
  const geom = contigGeometry(p.plot, S.capacity, S.maxLen);
  for (let r = 0; r < geom.rows; r++) {
    for (const q of slotRuns(geom, r * geom.perRow, geom.perRow)) { g.fillStyle = pal.empty; g.fillRect(q.x, q.y, q.w, q.h); }
  }
  for (let s = 0; s < S.nSeqs; s++) {
    const i = k * S.nSeqs + s;
    if (S.cState[i] !== RUNNING) continue;
    const start = S.cStart[i];
    const res = S.cReserved[i];
    const tok = S.cTokens[i];
    const future = S.finals[s] - tok;                      // will be written later
    for (const q of slotRuns(geom, start, tok)) { g.fillStyle = ctx.seq[s]; g.fillRect(q.x, q.y, q.w, q.h); }
    for (const q of slotRuns(geom, start + tok, future)) {
      g.fillStyle = mix(ctx.seq[s], pal.bg, 0.65);
      g.fillRect(q.x, q.y, q.w, q.h);
    }
    for (const q of slotRuns(geom, start + tok + future, res - tok - future)) {
      g.fillStyle = pal.bg;
      g.fillRect(q.x, q.y, q.w, q.h);
      hatch(g, q, mix(ctx.seq[s], pal.bg, 0.3));
    }
    const first = slotRuns(geom, start, 1)[0];
    if (first) {
      font(g, ctx.fam, 12, 600);
      text(g, S.names[s], p.x, first.y + first.h / 2, { color: ctx.seq[s], baseline: "middle" });
    }
  }
  // legend and the queue below the rows
  let y = geom.y0 + geom.rows * geom.rowH + 12;
  font(g, ctx.fam, 12);
  swatch(g, p.x, y, pal.fg, "written", { fg: pal.fg });
  y += 18;
  swatch(g, p.x, y, pal.muted, "reserved, written later", { fg: pal.fg });
  y += 18;
  const hatchBox = { x: p.x, y: y - 6, w: 12, h: 12 };
  hatch(g, hatchBox, pal.fg);
  text(g, "reserved, never written", p.x + 18, y, { color: pal.fg, baseline: "middle" });
  y += 24;
  const waiting = [];
  for (let s = 0; s < S.nSeqs; s++) if (S.cState[k * S.nSeqs + s] === WAITING) waiting.push(S.names[s]);
  if (waiting.length && y < p.y + p.h) {
    font(g, ctx.fam, 12, 600);
    text(g, `waiting for room: ${waiting.join(", ")}`, p.x, y, { color: pal.error, baseline: "middle" });
  }
}

export function pagedView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;

  const sizeSelect = ui.select({ label: "Block size (tokens)", options: [], value: "",
    onChange: (v) => ctx.set("block_size", Number(v)) });
  const intInput = (trait) => (value, raw) => {
    if (!Number.isInteger(value)) {
      ctx.inputError(`${trait} must be a whole number; got ${JSON.stringify(raw)}`);
      return;
    }
    ctx.inputError("");
    ctx.set(trait, value);
  };
  const capInput = ui.number({ label: "KV capacity (tokens)", value: model.get("capacity_tokens"), min: 1,
    max: 65536, onChange: intInput("capacity_tokens"), python: true });
  const maxInput = ui.number({ label: "Max length (tokens)", value: model.get("max_len_tokens"), min: 1,
    max: 4096, onChange: intInput("max_len_tokens"), python: true });

  const pick = () => {
    const want = Number(model.get("block_size"));
    S = scenarios.find((s) => s.B === want) || scenarios[0] || null;
    if (S) sizeSelect.set(S.B);
  };
  const load = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    sizeSelect.setOptions(scenarios.map((s) => ({ value: s.B, label: `${s.B}` })));
    pick();
  };
  load();
  ctx.watch("scenarios", () => { load(); ctx.refresh(); });
  ctx.watch("block_size", () => { pick(); ctx.refresh(); });
  ctx.watch("capacity_tokens", () => capInput.set(model.get("capacity_tokens")));
  ctx.watch("max_len_tokens", () => maxInput.set(model.get("max_len_tokens")));

  return {
    title: "PagedAttention: block tables against contiguous reservations",
    fps: 2,
    loop: true,
    aspect: aspectFor,
    minHeight: 420,
    frames: () => (S ? S.F : 1),
    frameLabel: (f) => (S ? `step ${formatInt(f + 1)} / ${formatInt(S.F)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure, block size ${S.B}: top left, each sequence's block table mapping logical blocks to `
        + "physical block numbers; bottom left, the grid of physical KV blocks coloured by owner, partly filled "
        + "blocks hatched, shared blocks marked with their reference count and a copy-on-write arrow when a forked "
        + "sequence writes into a shared block; right, the same requests in contiguous max-length reservations "
        + "with the never-written tail hatched."
      : "PagedAttention figure (no data)"),

    draw(g, info) {
      if (!S || !S.F) throw new Error("no scenario to draw: the widget state has no trace");
      const pal = info.palette;
      const c = { pal, fam: info.font, seq: SEQ_HUES.map((h) => (pal.theme === "dark" ? mix(h, "#ffffff", 0.1) : h)) };
      while (c.seq.length < S.nSeqs) c.seq.push(pal.muted);
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const k = Math.min(info.frame, S.F - 1);
      const cells = drawTables(g, L.tables, S, k, c);
      const rects = drawGrid(g, L.grid, S, k, info, c);
      drawLinks(g, cells, rects, c);
      drawContig(g, L.contig, S, k, c);
    },

    telemetry(frame) {
      if (!S) return [];
      const t = frameTotals(S, frame);
      return [
        ["Step", `${formatInt(t.k + 1)} of ${formatInt(S.F)}`],
        ["Paged: slots reserved / holding tokens", `${formatInt(t.pReserved)} / ${formatInt(t.pUsed)}`],
        ["Paged: waste", pct(t.pWaste)],
        ["Contiguous: slots reserved / holding tokens", `${formatInt(t.cReserved)} / ${formatInt(t.cUsed)}`],
        ["Contiguous: waste", pct(t.cWaste)],
        ["Sequences running (paged / contiguous)", `${t.pRunning} / ${t.cRunning}`],
        ["Waiting for memory (paged / contiguous)", `${t.pWaiting} / ${t.cWaiting}`],
        ["Copy-on-write copies (whole run)", formatInt(S.nCow)],
      ];
    },

    describe(frame) {
      if (!S) return "No trace to describe.";
      const t = frameTotals(S, frame);
      let s = `Step ${formatInt(t.k + 1)} of ${formatInt(S.F)}, block size ${S.B}: paged memory reserves `
        + `${formatInt(t.pReserved)} token slots and ${formatInt(t.pUsed)} hold tokens (${pct(t.pWaste)} waste), `
        + `${t.pRunning} sequences running; contiguous reserves ${formatInt(t.cReserved)} for ${formatInt(t.cUsed)} `
        + `(${pct(t.cWaste)} waste), ${t.cRunning} running and ${t.cWaiting} waiting for room.`;
      if (t.cow[0] >= 0) s += ` ${S.names[t.cow[0]]} writes into a shared block: copy-on-write from block ${t.cow[1]} to ${t.cow[2]}.`;
      return s;
    },
  };
}
