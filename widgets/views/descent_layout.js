// Geometry and number helpers of the gradient-descent figure. DOM-free, so Node's
// test runner checks it.
//
//   +------------------------------+---------------------------+
//   | the map: curve (1-D) or      | loss per step (log)       |
//   | contour bands (2-D), the     +---------------------------+
//   | ball, its path, the step     | gradient norm (log)       |
//   +------------------------------+---------------------------+
//
// Narrow canvases stack the three panels in one column.

export const TITLE_H = 40;   // title line + legend line above the map
export const NARROW = 560;

/** Width / height of the canvas: landscape, or a portrait stack when narrow. */
export const aspectFor = (width) => (width < NARROW ? 0.6 : 1.75);

/** The three panels and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const narrow = width < NARROW;
  const gapX = 28;
  const gapY = 14;
  let map;
  let loss;
  let grad;
  if (narrow) {
    const w = width - 2 * pad;
    const inner = height - 2 * pad - 2 * gapY;
    const hs = [0.5, 0.25, 0.25].map((f) => Math.round(inner * f));
    map = { x: pad, y: pad, w, h: hs[0] };
    loss = { x: pad, y: pad + hs[0] + gapY, w, h: hs[1] };
    grad = { x: pad, y: loss.y + hs[1] + gapY, w, h: height - pad - (loss.y + hs[1] + gapY) };
  } else {
    const innerW = width - 2 * pad - gapX;
    const mapW = Math.round(innerW * 0.55);
    const innerH = height - 2 * pad;
    const half = Math.round((innerH - gapY) / 2);
    map = { x: pad, y: pad, w: mapW, h: innerH };
    const rx = pad + mapW + gapX;
    loss = { x: rx, y: pad, w: innerW - mapW, h: half };
    grad = { x: rx, y: pad + half + gapY, w: innerW - mapW, h: innerH - half - gapY };
  }
  const axisL = 40;
  const axisB = 22;
  map.plot = { x: map.x + axisL, y: map.y + TITLE_H, w: Math.max(10, map.w - axisL - 6),
    h: Math.max(10, map.h - TITLE_H - axisB) };
  const chartL = 58;
  const chartTop = 24;
  for (const p of [loss, grad]) {
    p.plot = { x: p.x + chartL, y: p.y + chartTop, w: Math.max(10, p.w - chartL - 8),
      h: Math.max(10, p.h - chartTop - axisB) };
  }
  return { pad, narrow, map, loss, grad };
}

/**
 * Map data ranges onto a plot. `equal` (2-D maps) keeps one unit the same length
 * on both axes and centres the drawing; otherwise each axis fills the plot.
 * Returns {sx, sy, ix, iy, box}: data → px, px → data, and the drawn rectangle.
 */
export function fitRange(xRange, yRange, plot, equal) {
  const [x0, x1] = xRange;
  const [y0, y1] = yRange;
  let kx = plot.w / (x1 - x0);
  let ky = plot.h / (y1 - y0);
  if (equal) kx = ky = Math.min(kx, ky);
  const w = kx * (x1 - x0);
  const h = ky * (y1 - y0);
  const bx = plot.x + (plot.w - w) / 2;
  const by = plot.y + (plot.h - h) / 2;
  return {
    sx: (x) => bx + (x - x0) * kx,
    sy: (y) => by + h - (y - y0) * ky,
    ix: (px) => x0 + (px - bx) / kx,
    iy: (py) => y0 + (by + h - py) / ky,
    box: { x: bx, y: by, w, h },
  };
}

/** A point clamped into `box`, with whether it had to move (the ball left the map). */
export function clampToBox(x, y, box, margin = 6) {
  const cx = Math.min(Math.max(x, box.x + margin), box.x + box.w - margin);
  const cy = Math.min(Math.max(y, box.y + margin), box.y + box.h - margin);
  const ok = Number.isFinite(x) && Number.isFinite(y);
  return { x: ok ? cx : box.x + box.w - margin, y: ok ? cy : box.y + margin,
    off: !ok || cx !== x || cy !== y };
}

/**
 * Contour levels for values in [lo, hi]: `n` levels spaced on a log scale of
 * (v − lo) when the range spans decades (a steep valley), else evenly.
 */
export function contourLevels(lo, hi, n = 12) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const out = [];
  for (let i = 1; i <= n; i++) {
    // (v - lo) from span·1e-3 to span, geometric: the valley floor gets its own bands
    out.push(lo + span * 10 ** (-3 + (3 * i) / n));
  }
  return out;
}

/** Index of the band `v` falls in: 0 below levels[0], levels.length above the last. */
export function bandIndex(v, levels) {
  let a = 0;
  let b = levels.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (v < levels[m]) b = m; else a = m + 1;
  }
  return a;
}

/** Bilinear sample of a row-major grid values[i * nx + j] = f(xs[j], ys[i]) at (x, y). */
export function sampleGrid(values, xs, ys, x, y) {
  const nx = xs.length;
  const ny = ys.length;
  const fx = Math.min(Math.max(((x - xs[0]) / (xs[nx - 1] - xs[0])) * (nx - 1), 0), nx - 1);
  const fy = Math.min(Math.max(((y - ys[0]) / (ys[ny - 1] - ys[0])) * (ny - 1), 0), ny - 1);
  const j = Math.min(Math.floor(fx), nx - 2);
  const i = Math.min(Math.floor(fy), ny - 2);
  const u = fx - j;
  const v = fy - i;
  const a = values[i * nx + j];
  const b = values[i * nx + j + 1];
  const c = values[(i + 1) * nx + j];
  const d = values[(i + 1) * nx + j + 1];
  return (a * (1 - u) + b * u) * (1 - v) + (c * (1 - u) + d * u) * v;
}

/** Smallest positive value a log chart shows: values below are drawn at this floor. */
export const LOG_FLOOR = 1e-12;

/** [lo, hi] decade bounds for positive values of `ys`, floored at LOG_FLOOR. */
export function logDomain(ys) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of ys) {
    if (!Number.isFinite(v)) continue;
    const c = Math.max(v, LOG_FLOOR);
    if (c < lo) lo = c;
    if (c > hi) hi = c;
  }
  if (!(hi >= lo)) return [0.1, 10];
  let a = Math.floor(Math.log10(lo));
  let b = Math.ceil(Math.log10(hi));
  if (b === a) b += 1;
  a = Math.max(a, b - 16);           // float32 noise below 1e-16 of the top is not a signal
  return [10 ** a, 10 ** b];
}

/** Where the run stands at step `k`: "diverged", "rising", "edge", "converged" or "descending". */
export function status(S, k) {
  if (S.diverged[k]) return "diverged";
  if (S.rising[k]) return "rising";
  if (S.convergedStep >= 0 && k >= S.convergedStep) return "converged";
  // the learning rate sits on 2/L (within float rounding): the loss neither grows nor shrinks
  if (Math.abs(S.lr / S.critical - 1) < 1e-6 && k > 0) return "edge";
  return "descending";
}

/** An arrow from (x0, y0) to (x1, y1) as a shaft and a head of two points; null when too short. */
export function arrowGeometry(x0, y0, x1, y1, head = 8) {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = Math.hypot(dx, dy);
  if (!(len > 2)) return null;
  const ux = dx / len;
  const uy = dy / len;
  const h = Math.min(head, len * 0.6);
  const bx = x1 - ux * h;
  const by = y1 - uy * h;
  return { shaft: [[x0, y0], [bx, by]], head: [[x1, y1], [bx - uy * h * 0.5, by + ux * h * 0.5],
    [bx + uy * h * 0.5, by - ux * h * 0.5]] };
}
