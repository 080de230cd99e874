// P9.4 "Prefix caching and RadixAttention": the view the engine mounts.
//
// Traits read: scenarios (one per cache capacity, arrays as binary buffers), capacity,
// capacities, share, n_requests, seed. The capacity switches here in JS (every scenario
// is precomputed); share, n_requests and seed re-run the Python simulation.
// Top: the radix tree after each request, drawn as an icicle (x = KV blocks from the
// root, a node spans the rows of the leaves under it), the request's cache hits and its
// newly inserted blocks coloured. Bottom left: this request's prompt, hit and computed.
// Bottom right: cumulative hit rate and cache occupancy over the requests so far.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, series, swatch, text, xAxis, yAxis } from "../engine/chart.js";
import { formatInt } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale } from "../engine/scale.js";
import { aspectFor, icicle, panels, requestBar } from "./radix_layout.js";

const NT = 9;          // columns of `totals`
const HIT = 1;
const INSERTED = 2;

const pct = (x) => `${(100 * x).toFixed(1)}%`;

/** A scenario dict from Python -> typed arrays and sizes. */
export function decodeScenario(s) {
  return {
    name: s.name, capacity: s.capacity, F: s.n_frames, maxDepth: s.max_depth, B: s.block_tokens,
    segments: s.segments, families: s.families,
    offsets: toInt32(s.offsets), parent: toInt32(s.parent), nkeys: toInt32(s.nkeys), seg: toInt32(s.seg),
    state: toInt32(s.state), age: toInt32(s.age), totals: toInt32(s.totals), family: toInt32(s.family),
    hitRate: toFloat32(s.hit_rate),
  };
}

/** Totals of frame `f` (clamped): this request and the run so far. */
export function frameTotals(S, f) {
  const k = Math.min(Math.max(0, f), S.F - 1);
  const t = S.totals.subarray(k * NT, k * NT + NT);
  return {
    k, prompt: t[0], hit: t[1], size: t[2], evicted: t[3], cumPrompt: t[4], cumHit: t[5], cumEvicted: t[6],
    nodes: t[7], answer: t[8], hitRate: S.hitRate[k], family: S.families[S.family[k]],
  };
}

/** Nodes of frame `k`: parent (local index), keys, segment, state, age. */
export function frameNodes(S, k) {
  const a = S.offsets[k];
  const b = S.offsets[k + 1];
  const parent = Array.from(S.parent.subarray(a, b));
  return { parent, nkeys: Array.from(S.nkeys.subarray(a, b)), seg: S.seg.subarray(a, b),
    state: S.state.subarray(a, b), age: S.age.subarray(a, b) };
}

function drawTree(g, p, S, k, info, c) {
  const { pal } = c;
  const t = frameTotals(S, k);
  heading(g, p, ["Radix tree of cached KV blocks (x: blocks from the root)", "Radix tree of cached blocks"],
    `request ${formatInt(k + 1)}: ${t.family} · ${formatInt(t.size)} / ${formatInt(S.capacity)} blocks cached · ${formatInt(t.nodes)} nodes`, c);
  const N = frameNodes(S, k);
  const L = icicle(N.parent, N.nkeys, p.plot, S.maxDepth);
  font(g, c.fam, 12);
  for (let i = 0; i < L.rects.length; i++) {
    const r = L.rects[i];
    const st = N.state[i];
    let fill;
    if (st === HIT) fill = pal.cache;
    else if (st === INSERTED) fill = pal.compute;
    else fill = mix(pal.cache, pal.bg, Math.min(0.85, 0.55 + 0.02 * N.age[i]));
    g.fillStyle = fill;
    g.fillRect(r.x, r.y, r.w, r.h);
    if (st === HIT) {
      g.strokeStyle = pal.fg;
      g.lineWidth = 1.5;
      g.strokeRect(r.x + 0.75, r.y + 0.75, Math.max(0, r.w - 1.5), Math.max(0, r.h - 1.5));
    }
    if (r.h >= 14) {
      const label = S.segments[N.seg[i]];
      const short = label.split(" ")[0];
      const s = g.measureText(label).width + 8 <= r.w ? label : (g.measureText(short).width + 8 <= r.w ? short : "");
      if (s) text(g, s, r.x + 4, r.y + Math.min(r.h, 28) / 2 + 1, { color: st === HIT || st === INSERTED ? pal.bg : pal.fg, baseline: "middle" });
    }
  }
  // the cache's capacity as a share of the deepest path, for scale
  let x = p.x;
  const y = p.plot.y + p.plot.h + 12;
  font(g, c.fam, 12);
  x = swatch(g, x, y, pal.cache, "hit by this request", { fg: pal.fg });
  x = swatch(g, x, y, pal.compute, "inserted (prefilled or decoded)", { fg: pal.fg });
  swatch(g, x, y, mix(pal.cache, pal.bg, 0.65), "cached (fades while idle)", { fg: pal.fg });
  if (info.tween < 0.5 && t.evicted > 0) {
    font(g, c.fam, 12, 600);
    text(g, `LRU evicted ${formatInt(t.evicted)} blocks`, p.x + p.w, p.y + 12, { color: pal.error, align: "right" });
  }
}

function drawRequest(g, p, S, k, c) {
  const { pal } = c;
  const t = frameTotals(S, k);
  heading(g, p, ["This request: prompt blocks hit or computed", "This request"],
    `${formatInt(t.hit)} of ${formatInt(t.prompt)} prompt blocks from the cache · ${formatInt(t.hit * S.B)} tokens not prefilled`, c);
  const bar = { x: p.plot.x, y: p.plot.y + 4, w: p.plot.w, h: Math.min(28, p.plot.h / 3) };
  const segs = requestBar(bar, t.prompt, t.hit, t.answer, S.maxDepth);
  g.fillStyle = pal.empty;
  g.fillRect(bar.x, bar.y, bar.w, bar.h);
  const colour = { hit: pal.cache, computed: pal.compute, answer: mix(pal.compute, pal.bg, 0.6) };
  for (const s of segs) { g.fillStyle = colour[s.kind]; g.fillRect(s.x, bar.y, s.w, bar.h); }
  let x = p.x;
  const y = bar.y + bar.h + 16;
  if (y < p.y + p.h) {
    font(g, c.fam, 12);
    x = swatch(g, x, y, pal.cache, "hit", { fg: pal.fg });
    x = swatch(g, x, y, pal.compute, "prefilled", { fg: pal.fg });
    swatch(g, x, y, colour.answer, "answer (decoded)", { fg: pal.fg });
  }
  const y2 = y + 22;
  if (y2 < p.y + p.h) {
    const full = `so far: ${formatInt(t.cumHit * S.B)} of ${formatInt(t.cumPrompt * S.B)} prompt tokens from the cache`;
    const short = `so far: ${formatInt(t.cumHit * S.B)} / ${formatInt(t.cumPrompt * S.B)} tokens hit`;
    text(g, g.measureText(full).width <= p.w ? full : short, p.x, y2, { color: pal.fg, baseline: "middle" });
  }
}

function drawChart(g, p, S, k, c) {
  const { pal } = c;
  const t = frameTotals(S, k);
  heading(g, p, ["Hit rate so far and cache occupancy", "Hit rate, occupancy"],
    `hit rate ${pct(t.hitRate)} · occupancy ${pct(t.size / S.capacity)}`, c);
  const pl = p.plot;
  const sx = linearScale(0, Math.max(1, S.F - 1), pl.x, pl.x + pl.w);
  const sy = linearScale(0, 1, pl.y + pl.h, pl.y);
  font(g, c.fam, 12);
  yAxis(g, pl, [0, 0.5, 1], sy, (v) => `${Math.round(100 * v)}%`, pal);
  xAxis(g, pl, [0, S.F - 1], sx, (v) => `request ${v + 1}`, pal);
  const occ = new Float32Array(S.F);
  for (let i = 0; i < S.F; i++) occ[i] = S.totals[i * NT + 2] / S.capacity;
  g.save();
  g.lineWidth = 2;
  g.strokeStyle = pal.memory;
  g.setLineDash([5, 3]);
  series(g, occ, 0, k + 1, sx, sy);
  g.stroke();
  g.setLineDash([]);
  g.strokeStyle = pal.cache;
  g.lineWidth = 2.5;
  series(g, S.hitRate, 0, k + 1, sx, sy);
  g.stroke();
  g.strokeStyle = pal.muted;
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(Math.round(sx(k)) + 0.5, pl.y);
  g.lineTo(Math.round(sx(k)) + 0.5, pl.y + pl.h);
  g.stroke();
  g.restore();
  // legend low on the right, where both curves rarely go once the cache has warmed up
  const ly = pl.y + pl.h - 10;
  const wOcc = 21 + g.measureText("occupancy").width;
  const wHit = 21 + g.measureText("hit rate").width + 14;
  const lx = Math.max(pl.x + 4, pl.x + pl.w - wOcc - wHit - 4);
  g.fillStyle = pal.bg;
  g.fillRect(lx - 4, ly - 9, wOcc + wHit + 8, 18);
  const x = swatch(g, lx, ly, pal.cache, "hit rate", { fg: pal.fg, line: true });
  swatch(g, x, ly, pal.memory, "occupancy", { fg: pal.fg, line: true, dash: [5, 3] });
}

export function radixView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;

  const capSelect = ui.select({ label: "Cache capacity (blocks)", options: [], value: "",
    onChange: (v) => ctx.set("capacity", Number(v)) });
  const numInput = (trait, isInt) => (value, raw) => {
    if (!Number.isFinite(value) || (isInt && !Number.isInteger(value))) {
      ctx.inputError(`${trait} must be a ${isInt ? "whole number" : "number"}; got ${JSON.stringify(raw)}`);
      return;
    }
    ctx.inputError("");
    ctx.set(trait, value);
  };
  const shareInput = ui.number({ label: "Share of requests with a shared prefix", value: model.get("share"),
    min: 0, max: 1, step: 0.05, onChange: numInput("share", false), python: true });
  const nInput = ui.number({ label: "Requests", value: model.get("n_requests"), min: 1, max: 400,
    onChange: numInput("n_requests", true), python: true });

  const pick = () => {
    const want = Number(model.get("capacity"));
    S = scenarios.find((s) => s.capacity === want) || scenarios[0] || null;
    if (S) capSelect.set(S.capacity);
  };
  const load = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    capSelect.setOptions(scenarios.map((s) => ({ value: s.capacity, label: `${s.capacity}` })));
    pick();
  };
  load();
  ctx.watch("scenarios", () => { load(); ctx.refresh(); });
  ctx.watch("capacity", () => { pick(); ctx.refresh(); });
  ctx.watch("share", () => shareInput.set(model.get("share")));
  ctx.watch("n_requests", () => nInput.set(model.get("n_requests")));

  return {
    title: "Prefix caching: a radix tree of KV blocks with LRU eviction",
    fps: 1.5,
    loop: true,
    aspect: aspectFor,
    minHeight: 440,
    frames: () => (S ? S.F : 1),
    frameLabel: (f) => (S ? `request ${formatInt(f + 1)} / ${formatInt(S.F)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure, cache of ${S.capacity} blocks: top, the radix tree of cached prompt blocks drawn as `
        + "horizontal bars, a shared prefix as one tall bar with its continuations stacked to its right; the "
        + "blocks the current request found in the cache are outlined, the blocks it inserted are in a second "
        + "colour, idle blocks fade until least-recently-used eviction removes them; bottom left, the current "
        + "request's prompt split into cached and computed blocks; bottom right, the cumulative hit rate and the "
        + "cache occupancy over the requests."
      : "Prefix cache figure (no data)"),

    draw(g, info) {
      if (!S || !S.F) throw new Error("no scenario to draw: the widget state has no trace");
      const c = { pal: info.palette, fam: info.font };
      g.fillStyle = c.pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const k = Math.min(info.frame, S.F - 1);
      drawTree(g, L.tree, S, k, info, c);
      drawRequest(g, L.request, S, k, c);
      drawChart(g, L.chart, S, k, c);
    },

    telemetry(frame) {
      if (!S) return [];
      const t = frameTotals(S, frame);
      return [
        ["Request", `${formatInt(t.k + 1)} of ${formatInt(S.F)} (${t.family})`],
        ["This request: prompt blocks hit / total", `${formatInt(t.hit)} / ${formatInt(t.prompt)}`],
        ["Hit rate so far (prompt tokens)", pct(t.hitRate)],
        ["Prefill tokens saved so far", formatInt(t.cumHit * S.B)],
        ["Cache size (blocks)", `${formatInt(t.size)} of ${formatInt(S.capacity)}`],
        ["Blocks evicted so far (LRU)", formatInt(t.cumEvicted)],
        ["Tree nodes", formatInt(t.nodes)],
      ];
    },

    describe(frame) {
      if (!S) return "No trace to describe.";
      const t = frameTotals(S, frame);
      let s = `Request ${formatInt(t.k + 1)} of ${formatInt(S.F)}, ${t.family}: ${formatInt(t.hit)} of `
        + `${formatInt(t.prompt)} prompt blocks found in the cache. Hit rate so far ${pct(t.hitRate)}; the cache `
        + `holds ${formatInt(t.size)} of ${formatInt(S.capacity)} blocks in ${formatInt(t.nodes)} nodes.`;
      if (t.evicted > 0) s += ` Least-recently-used eviction removed ${formatInt(t.evicted)} blocks.`;
      return s;
    },
  };
}
