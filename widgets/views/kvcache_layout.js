// Geometry of the KV-cache figure. DOM-free, so Node's test runner checks it.
//
//   +---------------------------+----------------------------------+
//   | attention scores (n × n)  | KV cache: layers × tokens        |
//   +---------------------------+----------------------------------+
//   | FLOPs per step (log)      | KV-cache bytes                   |
//   +---------------------------+----------------------------------+
//
// Left column: compute. Right column: memory.

export const MAX_LAYER_ROWS = 32;
export const TITLE_H = 40;   // title line + legend/subtitle line above each panel's plot

/** Snap to the half CSS pixel: crisp edges at devicePixelRatio 1 and 2. */
export const snap = (v) => Math.round(v * 2) / 2;
const snapUp = (v) => Math.ceil(v * 2 - 1e-9) / 2;
const snapDown = (v) => Math.floor(v * 2 + 1e-9) / 2;

/** A plot rectangle shrunk to half-pixel edges, so snapped cells never leave it. */
function snapped(plot) {
  const x = snapUp(plot.x);
  const y = snapUp(plot.y);
  return { x, y, w: snapDown(plot.x + plot.w) - x, h: snapDown(plot.y + plot.h) - y };
}

/**
 * Rows for `nLayers` layers when at most `maxRows` fit: several layers share a
 * row once there are more than `maxRows`. The last (top) row may hold fewer.
 */
export function layerGrouping(nLayers, maxRows = MAX_LAYER_ROWS) {
  const n = Math.max(1, Math.floor(nLayers));
  const perRow = Math.ceil(n / maxRows);
  const rows = Math.ceil(n / perRow);
  const lastRow = n - (rows - 1) * perRow;
  let label = "";
  if (perRow > 1) {
    label = `${perRow} layers per row`;
    if (lastRow !== perRow) label += ` (top row ${lastRow})`;
  }
  return { nLayers: n, perRow, rows, lastRow, label };
}

/** Which row layer `layer` (0-based) is drawn in. */
export const rowOfLayer = (layer, grouping) => Math.floor(layer / grouping.perRow);

/** Below this width the four panels stack in one column. */
export const NARROW = 560;

/** Width / height of the canvas: landscape 2 × 2 grid, or a portrait stack when narrow. */
export const aspectFor = (width) => (width < NARROW ? 0.55 : 1.6);

/** The four panels and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const narrow = width < NARROW;
  const gapX = 32;
  const gapY = 14;
  let tri;
  let cache;
  let flops;
  let bytes;
  if (narrow) {
    const w = width - 2 * pad;
    const inner = height - 2 * pad - 3 * gapY;
    const shares = [0.32, 0.26, 0.21, 0.21];
    let y = pad;
    [tri, cache, flops, bytes] = shares.map((f) => {
      const h = Math.round(inner * f);
      const b = { x: pad, y, w, h };
      y += h + gapY;
      return b;
    });
  } else {
    const innerW = width - 2 * pad - gapX;
    const innerH = height - 2 * pad - gapY;
    const topH = Math.round(innerH * 0.6);
    const row = [pad, pad + topH + gapY];
    const rowH = [topH, innerH - topH];
    // top: the square score grid needs less width than the cache grid;
    // bottom: the log chart carries two labelled lines, so it gets the wider half
    const split = [Math.round(innerW * 0.42), Math.round(innerW * 0.54)];
    const box = (c, r) => ({ x: c ? pad + split[r] + gapX : pad, y: row[r],
      w: c ? innerW - split[r] : split[r], h: rowH[r] });
    [tri, cache, flops, bytes] = [box(0, 0), box(1, 0), box(0, 1), box(1, 1)];
  }

  // the triangle is square: n queries × n keys
  const triAxisL = 18;
  const triAxisB = 22;
  const side = Math.max(10, Math.min(tri.w - triAxisL - 4, tri.h - TITLE_H - triAxisB));
  tri.plot = { x: tri.x + triAxisL, y: tri.y + TITLE_H, w: side, h: side };

  const cacheAxisL = 58;
  cache.plot = { x: cache.x + cacheAxisL, y: cache.y + TITLE_H,
    w: Math.max(10, cache.w - cacheAxisL - 4), h: Math.max(10, cache.h - TITLE_H - triAxisB) };

  const chartL = 74;
  const chartB = 22;
  const chartTop = 24;
  for (const p of [flops, bytes]) {
    p.plot = { x: p.x + chartL, y: p.y + chartTop, w: Math.max(10, p.w - chartL - 8),
      h: Math.max(10, p.h - chartTop - chartB) };
  }
  return { pad, narrow, tri, cache, flops, bytes };
}

/** Cell geometry of an N × N attention-score grid in a square plot. */
export function triangleGeometry(plot, N) {
  const n = Math.max(1, N);
  const p = snapped(plot);
  const side = Math.min(p.w, p.h);
  const cell = side / n;
  return { x0: p.x, y0: p.y, side, N: n, cell, gap: cell >= 4.5 ? 1 : 0, cells: cell >= 2.5 };
}

/** Rectangle of score cell (query i, key j); rows go down, keys go right. */
export function cellRect(geom, i, j) {
  const x = snap(geom.x0 + j * geom.cell);
  const y = snap(geom.y0 + i * geom.cell);
  const x1 = snap(geom.x0 + (j + 1) * geom.cell);
  const y1 = snap(geom.y0 + (i + 1) * geom.cell);
  const w = Math.min(Math.max(0.5, x1 - x - geom.gap), geom.x0 + geom.side - x);
  const h = Math.min(Math.max(0.5, y1 - y - geom.gap), geom.y0 + geom.side - y);
  return { x, y, w, h };
}

/**
 * The causal triangle of the first `rows` queries as a polygon (for when cells are
 * too small to draw one by one): query i sees keys 0..i.
 */
export function trianglePolygon(geom, rowFrom, rowTo) {
  const { x0, y0, cell } = geom;
  const a = Math.max(0, rowFrom);
  const b = Math.max(a, rowTo);
  return [
    [x0, y0 + a * cell], [x0 + (a + 1) * cell, y0 + a * cell],
    [x0 + b * cell, y0 + (b - 1) * cell], [x0 + b * cell, y0 + b * cell], [x0, y0 + b * cell],
  ];
}

/** Cell geometry of the KV-cache grid: `rows` layer rows (row 0 at the bottom) × N token columns. */
export function cacheGeometry(plot, N, rows) {
  const n = Math.max(1, N);
  const p = snapped(plot);
  const colW = p.w / n;
  const rowH = Math.min(p.h / Math.max(1, rows), 22);
  const gridH = rowH * rows;
  return { x0: p.x, y0: p.y + p.h - gridH, bottom: p.y + p.h, w: p.w, h: gridH,
    N: n, rows, colW, rowH, gapX: colW >= 5 ? 1 : 0, gapY: rowH >= 5 ? 1 : 0, cells: colW >= 2.5 };
}

/** Rectangle of cache cell (layer row r, token t); r = 0 is the bottom row. */
export function cacheCellRect(geom, r, t) {
  const x = snap(geom.x0 + t * geom.colW);
  const x1 = snap(geom.x0 + (t + 1) * geom.colW);
  const y1 = snap(geom.bottom - r * geom.rowH);
  const y = snap(geom.bottom - (r + 1) * geom.rowH);
  const w = Math.min(Math.max(0.5, x1 - x - geom.gapX), geom.x0 + geom.w - x);
  return { x, y, w, h: Math.max(0.5, y1 - y - geom.gapY) };
}

/**
 * Token positions worth labelling on a token axis, most important first (the
 * current length, then 0, the end of the prompt and the end), dropping any
 * closer than `minGap` tokens to one already kept.
 */
export function tokenTicks(promptLen, n, N, minGap) {
  const wanted = [n, 0, promptLen, N];
  const out = [];
  for (const t of wanted) {
    if (t < 0 || t > N) continue;
    if (out.some((o) => Math.abs(o - t) < minGap)) continue;
    out.push(t);
  }
  return out.sort((a, b) => a - b);
}
