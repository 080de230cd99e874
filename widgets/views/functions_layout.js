// Geometry and pure helpers of the function-families figure (P0.2). DOM-free, so
// Node's test runner checks it.
//
//   +-----------------------------------------------------------+
//   | f(x): the curve, the two ends of the sweep (faint), the     |
//   | probe point and its tangent line                            |
//   +-----------------------------------------------------------+
//   | f'(x): the slope curve and the probe's slope                |
//   +-----------------------------------------------------------+

export const NARROW = 560;

/** Width / height of the canvas: landscape, or taller when narrow. */
export const aspectFor = (width) => (width < NARROW ? 0.8 : 1.6);

/** The two panels (each with an inner `plot` box) for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const narrow = width < NARROW;
  const labelW = narrow ? 44 : 56;
  const titleH = 22;
  const axisH = 20;
  const gap = 10;
  const avail = height - 2 * pad - gap;
  const topH = Math.round(avail * 0.62);
  const top = { x: pad, y: pad, w: width - 2 * pad, h: topH };
  const bottom = { x: pad, y: pad + topH + gap, w: width - 2 * pad, h: avail - topH };
  for (const p of [top, bottom]) {
    p.plot = { x: p.x + labelW, y: p.y + titleH, w: Math.max(10, p.w - labelW - 8), h: Math.max(10, p.h - titleH - axisH) };
  }
  return { pad, narrow, top, bottom };
}

/** A linear map from [d0, d1] to [r0, r1] with its inverse. */
export function scaleOf(d0, d1, r0, r1) {
  const k = (r1 - r0) / (d1 - d0);
  const f = (v) => r0 + (v - d0) * k;
  f.invert = (p) => d0 + (p - r0) / k;
  return f;
}

/** The grid index nearest to data x on a grid of n points from xMin to xMax (clamped). */
export function nearestIndex(x, xMin, xMax, n) {
  if (!Number.isFinite(x)) return 0;
  const i = Math.round(((x - xMin) / (xMax - xMin)) * (n - 1));
  return Math.min(n - 1, Math.max(0, i));
}

/** The x of grid point i. */
export const gridX = (i, xMin, xMax, n) => xMin + ((xMax - xMin) * i) / (n - 1);

/**
 * Split samples (xs, ys) into runs of finite points for drawing: NaN ends a run
 * (a family undefined there, like ln x at x <= 0). Returns [[{x, y}, ...], ...].
 */
export function finiteRuns(xs, ys) {
  const runs = [];
  let run = [];
  for (let i = 0; i < ys.length; i++) {
    if (Number.isFinite(ys[i])) run.push({ x: xs[i], y: ys[i] });
    else if (run.length) { runs.push(run); run = []; }
  }
  if (run.length) runs.push(run);
  return runs;
}

/**
 * The tangent line y = y0 + slope (x − x0) cut to the data box [xMin, xMax] × [yMin, yMax]:
 * its two end points, or null when it misses the box or the point is undefined.
 */
export function tangentSegment(x0, y0, slope, xMin, xMax, yMin, yMax) {
  if (![x0, y0, slope].every(Number.isFinite)) return null;
  let lo = xMin;
  let hi = xMax;
  if (Math.abs(slope) > 1e-12) {
    const xa = x0 + (yMin - y0) / slope;
    const xb = x0 + (yMax - y0) / slope;
    lo = Math.max(lo, Math.min(xa, xb));
    hi = Math.min(hi, Math.max(xa, xb));
  } else if (y0 < yMin || y0 > yMax) return null;
  if (hi < lo) return null;
  return [{ x: lo, y: y0 + slope * (lo - x0) }, { x: hi, y: y0 + slope * (hi - x0) }];
}

/** A [lo, hi] domain for values (NaN ignored), padded by 10%, clamped to ±limit, never empty. */
export function valueDomain(values, limit = 8) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!Number.isFinite(lo)) return [-1, 1];
  lo = Math.max(-limit, lo);
  hi = Math.min(limit, hi);
  if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
  const pad = (hi - lo) * 0.1;
  return [lo - pad, hi + pad];
}
