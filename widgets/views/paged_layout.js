// Geometry of the PagedAttention figure. DOM-free, so Node's test runner checks it.
//
//   +----------------------------------+-------------------------------+
//   | block tables: one row per seq    | contiguous: one row per       |
//   |   logical block j -> physical id | max-length reservation,       |
//   +----------------------------------+ reserved-but-empty hatched    |
//   | physical blocks (a grid)         |                               |
//   +----------------------------------+-------------------------------+
//
// Left: paged. Right: the contiguous baseline on the same token budget.

export const TITLE_H = 38;   // title line + subtitle line above each panel's plot

/** Snap to the half CSS pixel: crisp edges at devicePixelRatio 1 and 2. */
export const snap = (v) => Math.round(v * 2) / 2;

/** Below this width the panels stack in one column. */
export const NARROW = 620;

/** Width / height of the canvas. */
export const aspectFor = (width) => (width < NARROW ? 0.5 : 1.75);

/** The three panels and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const gap = 24;
  const narrow = width < NARROW;
  let tables;
  let grid;
  let contig;
  if (narrow) {
    const w = width - 2 * pad;
    const inner = height - 2 * pad - 2 * gap;
    const hs = [0.34, 0.36, 0.3].map((f) => Math.floor(inner * f));
    tables = { x: pad, y: pad, w, h: hs[0] };
    grid = { x: pad, y: pad + hs[0] + gap, w, h: hs[1] };
    contig = { x: pad, y: grid.y + hs[1] + gap, w, h: hs[2] };
  } else {
    const innerW = width - 2 * pad - gap;
    const leftW = Math.round(innerW * 0.58);
    const innerH = height - 2 * pad - gap;
    const topH = Math.round(innerH * 0.47);
    tables = { x: pad, y: pad, w: leftW, h: topH };
    grid = { x: pad, y: pad + topH + gap, w: leftW, h: innerH - topH };
    contig = { x: pad + leftW + gap, y: pad, w: innerW - leftW, h: innerH };
  }
  for (const p of [tables, grid, contig]) {
    p.plot = { x: p.x, y: p.y + TITLE_H, w: Math.max(10, p.w), h: Math.max(10, p.h - TITLE_H) };
  }
  tables.plot.x += 34;                       // room for the sequence names
  tables.plot.w = Math.max(10, tables.w - 34);
  contig.plot.x += 34;
  contig.plot.w = Math.max(10, contig.w - 34);
  return { pad, narrow, tables, grid, contig };
}

/** Block-table cells: `nSeqs` rows × `maxBlocks` logical blocks, at most 26 px tall. */
export function tableGeometry(plot, nSeqs, maxBlocks) {
  const rows = Math.max(1, nSeqs);
  const cols = Math.max(1, maxBlocks);
  const rowH = Math.min(26, plot.h / rows);
  const cellW = Math.min(plot.w / cols, 3 * rowH);
  return { x0: plot.x, y0: plot.y, rows, cols, rowH, cellW, gap: cellW >= 6 ? 2 : 1 };
}

/** Rectangle of logical block `j` of sequence row `s`. */
export function logicalRect(geom, s, j) {
  const x = snap(geom.x0 + j * geom.cellW);
  const y = snap(geom.y0 + s * geom.rowH);
  return { x, y, w: Math.max(1, snap(geom.cellW - geom.gap)), h: Math.max(1, snap(geom.rowH - geom.gap - 2)) };
}

/**
 * The grid of `nBlocks` physical blocks: the column count that makes cells as large as
 * possible with a width/height ratio near `ratio`.
 */
export function gridGeometry(plot, nBlocks, ratio = 1.6) {
  const n = Math.max(1, nBlocks);
  let best = null;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const h = Math.min(plot.h / rows, plot.w / cols / ratio);
    if (!best || h > best.cellH + 1e-9) best = { cols, rows, cellH: h };
  }
  const cellH = Math.min(best.cellH, 40);
  const cellW = cellH * ratio;
  return { x0: plot.x, y0: plot.y, cols: best.cols, rows: best.rows, cellW, cellH, n,
    gap: cellH >= 8 ? 2 : 1 };
}

/** Rectangle of physical block `id` (row-major from the top left). */
export function blockRect(geom, id) {
  const c = id % geom.cols;
  const r = Math.floor(id / geom.cols);
  const x = snap(geom.x0 + c * geom.cellW);
  const y = snap(geom.y0 + r * geom.cellH);
  return { x, y, w: Math.max(1, snap(geom.cellW - geom.gap)), h: Math.max(1, snap(geom.cellH - geom.gap)) };
}

/** Contiguous memory: `capacity` token slots laid out in rows of `maxLen` (one reservation each). */
export function contigGeometry(plot, capacity, maxLen) {
  const perRow = Math.max(1, maxLen);
  const rows = Math.max(1, Math.ceil(capacity / perRow));
  const rowH = Math.min(30, plot.h / rows);
  return { x0: plot.x, y0: plot.y, rows, perRow, slotW: plot.w / perRow, rowH, capacity };
}

/** Rectangles covering slots [start, start + len), split where the run wraps to the next row. */
export function slotRuns(geom, start, len) {
  const out = [];
  let a = Math.max(0, start);
  const end = Math.min(geom.capacity, start + len);
  while (a < end) {
    const r = Math.floor(a / geom.perRow);
    const rowEnd = Math.min(end, (r + 1) * geom.perRow);
    const c = a - r * geom.perRow;
    const x = snap(geom.x0 + c * geom.slotW);
    const x1 = snap(geom.x0 + (rowEnd - r * geom.perRow) * geom.slotW);
    out.push({ x, y: snap(geom.y0 + r * geom.rowH), w: Math.max(0.5, x1 - x), h: Math.max(1, snap(geom.rowH - 4)) });
    a = rowEnd;
  }
  return out;
}

/** Tokens held by each slot of a block: [filled, empty] for a block of `blockSize` holding `fill`. */
export function blockSplit(fill, blockSize) {
  const f = Math.max(0, Math.min(blockSize, fill));
  return [f, blockSize - f];
}

/** Centre of a rectangle. */
export const centre = (r) => [r.x + r.w / 2, r.y + r.h / 2];
