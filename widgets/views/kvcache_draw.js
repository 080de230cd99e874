// Drawing of the KV-cache figure: the attention-score triangle and the cache grid
// here, the two charts in kvcache_charts.js. Geometry comes from kvcache_layout.js,
// colours from the palette.

import { font, heading, swatch, text } from "../engine/chart.js";
import { formatBytes, formatInt } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { drawBytes, drawFlops } from "./kvcache_charts.js";
import {
  cacheCellRect, cacheGeometry, cellRect, layerGrouping, panels, trianglePolygon, triangleGeometry,
} from "./kvcache_layout.js";

const rectsPath = (g, rects) => {
  g.beginPath();
  for (const r of rects) g.rect(r.x, r.y, r.w, r.h);
};

function fillCells(g, groups) {
  for (const [color, rects] of groups) {
    if (!rects.length) continue;
    g.fillStyle = color;
    rectsPath(g, rects);
    g.fill();
  }
}

function polygon(g, pts, color) {
  g.fillStyle = color;
  g.beginPath();
  pts.forEach(([x, y], i) => (i ? g.lineTo(x, y) : g.moveTo(x, y)));
  g.closePath();
  g.fill();
}

/** A band under a token axis: prompt | generated | still to come, labelled where it fits. */
function tokenBand(g, x0, colW, y, S, n, ctx) {
  const { pal } = ctx;
  const N = S.N;
  const [P, gen, rest] = [S.promptLen, n - S.promptLen, N - n].map(formatInt);
  const seg = [
    [0, S.promptLen, ctx.promptColor, [`prompt ${P}`, "prompt", P]],
    [S.promptLen, n, ctx.modeColor, [`generated ${gen}`, "generated", gen]],
    [n, N, pal.grid, [`${rest} to come`, `+${rest}`]],
  ];
  font(g, ctx.fam, 12);
  for (const [a, b, color, labels] of seg) {
    if (b <= a) continue;
    g.fillStyle = color;
    g.fillRect(x0 + a * colW, y, (b - a) * colW, 3);
    const w = (b - a) * colW;
    const s = labels.find((l) => g.measureText(l).width + 6 <= w);
    if (s) text(g, s, x0 + ((a + b) / 2) * colW, y + 6, { color: pal.muted, align: "center", baseline: "top" });
  }
}

function drawTriangle(g, p, S, info, ctx) {
  const { pal, cached } = ctx;
  const k = info.frame;
  const n = S.ctx[k];
  const N = S.N;
  const geom = triangleGeometry(p.plot, N);
  heading(g, p, ["Attention scores this step", "Scores this step"], null, ctx);
  font(g, ctx.fam, 12);
  const lx = swatch(g, p.x, p.y + 29, ctx.modeColor, "computed", { fg: pal.fg });
  if (cached) {
    const skip = ["skipped (K, V cached)", "skipped"].find((s) => lx + 14 + g.measureText(s).width <= p.x + p.w);
    if (skip) swatch(g, lx, p.y + 29, pal.reused, skip, { fg: pal.fg });
  }

  const sweep = Math.floor(info.tween * n + 1e-6);           // keys swept so far this step
  const fresh = mix(ctx.modeColor, pal.bg, 0.78);              // scheduled, not yet computed
  if (geom.cells) {
    const groups = new Map([[pal.empty, []], [pal.reused, []], [fresh, []], [ctx.modeColor, []]]);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j <= i; j++) {
        let c = pal.empty;
        if (i < n) {
          if (cached && i < n - 1) c = pal.reused;
          else c = j < sweep ? ctx.modeColor : fresh;
        }
        groups.get(c).push(cellRect(geom, i, j));
      }
    }
    fillCells(g, groups);
  } else {
    polygon(g, trianglePolygon(geom, 0, N), pal.empty);
    polygon(g, trianglePolygon(geom, 0, n), cached ? pal.reused : fresh);
    const x1 = geom.x0 + Math.max(geom.cell, sweep * geom.cell);
    if (cached) {
      // one query row: at least 2.5 px tall, or it vanishes among thousands of rows
      const h = Math.max(2.5, geom.cell);
      g.fillStyle = ctx.modeColor;
      g.fillRect(geom.x0, Math.min(geom.y0 + n * geom.cell, geom.y0 + geom.side) - h, x1 - geom.x0, h);
    } else {
      g.save();
      g.beginPath();
      g.rect(geom.x0, geom.y0, x1 - geom.x0, n * geom.cell);
      g.clip();
      polygon(g, trianglePolygon(geom, 0, n), ctx.modeColor);
      g.restore();
    }
  }

  // axis names and the prompt/generated band along the keys
  font(g, ctx.fam, 12);
  g.save();
  g.translate(p.x + 9, geom.y0 + geom.side / 2);
  g.rotate(-Math.PI / 2);
  text(g, "queries ↓", 0, 0, { color: pal.muted, align: "center", baseline: "middle" });
  g.restore();
  tokenBand(g, geom.x0, geom.cell, geom.y0 + geom.side + 4, S, n, ctx);

  // the free upper half carries the count
  const pairs = cached ? n : (n * (n + 1)) / 2;
  const lines = [
    [`${formatInt(pairs)} query–key pairs`, 13, 600, ctx.modeColor],
    [cached ? `1 new query × ${formatInt(n)} keys` : `all ${formatInt(n)} queries × their keys`, 12, 400, pal.fg],
    ["upper half: causal mask", 12, 400, pal.muted],
  ];
  let y = geom.y0 + 14;
  for (const [s, px, weight, color] of lines) {
    font(g, ctx.fam, px, weight);
    const free = geom.side - (y - geom.y0) - geom.cell - 6;     // width left of the diagonal at this y
    if (g.measureText(s).width > free) break;
    text(g, s, geom.x0 + geom.side, y, { color, align: "right", baseline: "middle" });
    y += 17;
  }
}

function kvSubtitle(S) {
  const heads = {
    mha: `${S.nKvHeads} KV heads × ${S.headDim}`,
    gqa: `${S.nKvHeads} KV heads × ${S.headDim} (GQA)`,
    mqa: `1 KV head × ${S.headDim} (MQA)`,
    mla: "compressed latent (MLA)",
  }[S.attention] || `${S.nKvHeads} KV heads`;
  return `${S.nLayers} layers · ${heads} · ${S.dtype} · ${formatBytes(S.kvPerToken)} per token`;
}

function drawCache(g, p, S, info, ctx) {
  const { pal, cached } = ctx;
  const n = S.ctx[info.frame];
  const N = S.N;
  const grouping = layerGrouping(S.nLayers);
  const geom = cacheGeometry(p.plot, N, grouping.rows);
  heading(g, p, cached ? ["KV cache: layers × tokens", "KV cache"]
    : ["No cache: K, V recomputed for every token", "No cache: all K, V recomputed", "No cache"], kvSubtitle(S), ctx);

  const fill = info.tween * grouping.rows;              // layer rows written so far this step
  const filled = Math.floor(fill + 1e-6);
  const fresh = mix(ctx.modeColor, pal.bg, 0.78);
  const colour = (r, t) => {
    if (t >= n) return pal.empty;
    const writing = cached ? t === n - 1 : true;        // with no cache, every column is rebuilt
    if (!writing) return t < S.promptLen ? ctx.promptColor : ctx.modeColor;
    if (r < filled) return ctx.modeColor;
    return r === filled && info.tween < 1 ? pal.highlight : fresh;
  };
  if (geom.cells) {
    const groups = new Map();
    for (let t = 0; t < N; t++) {
      for (let r = 0; r < grouping.rows; r++) {
        const c = colour(r, t);
        if (!groups.has(c)) groups.set(c, []);
        groups.get(c).push(cacheCellRect(geom, r, t));
      }
    }
    fillCells(g, groups);
  } else {
    // columns too thin to draw one by one: draw runs of equal colour per row
    for (let r = 0; r < grouping.rows; r++) {
      let t0 = 0;
      for (let t = 1; t <= N; t++) {
        if (t < N && colour(r, t) === colour(r, t0)) continue;
        const a = cacheCellRect(geom, r, t0);
        const b = cacheCellRect(geom, r, t - 1);
        g.fillStyle = colour(r, t0);
        g.fillRect(a.x, a.y, b.x + b.w - a.x, a.h);
        t0 = t;
      }
    }
  }
  if (cached && n - 1 < N) {       // outline the column this step appends
    const top = cacheCellRect(geom, grouping.rows - 1, n - 1);
    const bot = cacheCellRect(geom, 0, n - 1);
    g.strokeStyle = pal.fg;
    g.lineWidth = 1;
    g.strokeRect(top.x - 1, top.y - 1, top.w + 2, bot.y + bot.h - top.y + 2);
  }

  // layer axis: layer 0 at the bottom, the last layer on top, grouping in the middle
  font(g, ctx.fam, 12);
  const ax = geom.x0 - 6;
  text(g, "layer 0", ax, geom.bottom - geom.rowH / 2, { color: pal.muted, align: "right", baseline: "middle" });
  text(g, `layer ${S.nLayers - 1}`, ax, geom.y0 + geom.rowH / 2, { color: pal.muted, align: "right", baseline: "middle" });
  if (grouping.label && geom.h > g.measureText(grouping.label).width + 50) {
    g.save();
    g.translate(p.x + 8, geom.y0 + geom.h / 2);
    g.rotate(-Math.PI / 2);
    text(g, grouping.label, 0, 0, { color: pal.muted, align: "center", baseline: "middle" });
    g.restore();
  }
  tokenBand(g, geom.x0, geom.colW, geom.bottom + 4, S, n, ctx);
}

/** Draw the whole figure for decoded scenario `S`. */
export function drawFigure(g, info, S, cached) {
  const pal = info.palette;
  const ctx = {
    pal, cached, fam: info.font,
    computeColor: pal.compute, cacheColor: pal.cache, memoryColor: pal.memory,
    modeColor: cached ? pal.cache : pal.compute,
    promptColor: mix(cached ? pal.cache : pal.compute, pal.bg, 0.5),
  };
  g.fillStyle = pal.bg;
  g.fillRect(0, 0, info.width, info.height);
  const L = panels(info.width, info.height);
  drawTriangle(g, L.tri, S, info, ctx);
  drawCache(g, L.cache, S, info, ctx);
  drawFlops(g, L.flops, S, info, ctx);
  drawBytes(g, L.bytes, S, info, ctx);
}
