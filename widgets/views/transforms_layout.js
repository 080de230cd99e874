// Geometry helpers of the matrices-as-transforms figure. DOM-free, so Node's test
// runner checks it.
//
//   +------------------------------+---------------------------+
//   | the plane: grid warping      | C = AB: A (m×k) left,     |
//   | under W, then shifted by b,  | B (k×n) above, C (m×n)    |
//   | basis arrows, unit square    | filling one dot product   |
//   +------------------------------+---------------------------+
//
// Narrow canvases stack the two panels in one column.

export const TITLE_H = 40;
export const NARROW = 560;

/** Width / height of the canvas: landscape, or a portrait stack when narrow. */
export const aspectFor = (width) => (width < NARROW ? 0.7 : 1.9);

/** The two panels and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const narrow = width < NARROW;
  let plane;
  let gemm;
  if (narrow) {
    const inner = height - 2 * pad - 14;
    const h0 = Math.round(inner * 0.55);
    plane = { x: pad, y: pad, w: width - 2 * pad, h: h0 };
    gemm = { x: pad, y: pad + h0 + 14, w: width - 2 * pad, h: inner - h0 };
  } else {
    const innerW = width - 2 * pad - 28;
    const w0 = Math.round(innerW * 0.48);
    plane = { x: pad, y: pad, w: w0, h: height - 2 * pad };
    gemm = { x: pad + w0 + 28, y: pad, w: innerW - w0, h: height - 2 * pad };
  }
  for (const p of [plane, gemm]) {
    p.plot = { x: p.x + 4, y: p.y + TITLE_H, w: Math.max(10, p.w - 8), h: Math.max(10, p.h - TITLE_H - 4) };
  }
  return { pad, narrow, plane, gemm };
}

/** The symmetric half-width of a view that holds every point in `pts` (flat x,y pairs), at least `min`. */
export function extent(pts, min = 1) {
  let m = min;
  for (let i = 0; i < pts.length; i++) {
    const a = Math.abs(pts[i]);
    if (Number.isFinite(a) && a > m) m = a;
  }
  return m * 1.05;
}

/** An equal-aspect map of [-r, r]² onto the centre of `box`: {sx, sy, box}. */
export function squareFit(r, box) {
  const side = Math.min(box.w, box.h);
  const x0 = box.x + (box.w - side) / 2;
  const y0 = box.y + (box.h - side) / 2;
  const s = side / (2 * r);
  return {
    sx: (x) => x0 + (x + r) * s,
    sy: (y) => y0 + (r - y) * s,
    box: { x: x0, y: y0, w: side, h: side },
  };
}

/**
 * Where the three matrices of C = AB go in `box`: B (k×n) on top right, A (m×k) bottom left,
 * C (m×n) bottom right, so C's row i lines up with A's row i and its column j with B's column j.
 * Returns {cell, A, B, C}, each matrix as {x, y, rows, cols}; cell is the side of one square cell.
 */
export function gemmLayout(m, k, n, box) {
  const gap = 10;
  const cols = k + n;
  const rows = k + m;
  const cell = Math.max(4, Math.min(40, Math.floor(Math.min((box.w - gap) / cols, (box.h - gap) / rows))));
  const totalW = cols * cell + gap;
  const totalH = rows * cell + gap;
  const x0 = box.x + Math.max(0, (box.w - totalW) / 2);
  const y0 = box.y + Math.max(0, (box.h - totalH) / 2);
  const cx = x0 + k * cell + gap;
  const cy = y0 + k * cell + gap;
  return {
    cell,
    A: { x: x0, y: cy, rows: m, cols: k },
    B: { x: cx, y: y0, rows: k, cols: n },
    C: { x: cx, y: cy, rows: m, cols: n },
  };
}

/** The rectangle of cell (i, j) of a matrix placed by gemmLayout. */
export const cellRect = (M, cell, i, j) => ({ x: M.x + j * cell, y: M.y + i * cell, w: cell, h: cell });

/** The GEMM cell shown at `frame` (mirrors vizkit.widgets.transforms.gemm_cell_at). */
export function cellAt(frame, nFrames, nCells) {
  if (nFrames <= 1) return nCells - 1;
  return Math.min(nCells - 1, Math.floor((frame * nCells) / nFrames));
}

/** The phase of an affine scenario at `frame`: "morph" (I → W) or "shift" (adding b). */
export const phase = (frame, nMorph) => (frame <= nMorph ? "morph" : "shift");
