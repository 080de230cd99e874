// Geometry helpers of the universal-approximation figure. DOM-free, so Node's test runner checks it.
//
//   +------------------------------+---------------------------+
//   | the units v·φ(s(x − t)) and  | fit error vs width        |
//   | their running sum over the   | (log–log)                 |
//   | target curve                 +---------------------------+
//   |                              | the activation φ and φ′   |
//   +------------------------------+---------------------------+
//
// Narrow canvases stack the three panels in one column.

export const TITLE_H = 40;
export const NARROW = 560;

/** Width / height of the canvas: landscape, or a portrait stack when narrow. */
export const aspectFor = (width) => (width < NARROW ? 0.6 : 1.75);

/** The three panels and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const narrow = width < NARROW;
  const gapX = 28;
  const gapY = 14;
  let fit;
  let sweep;
  let act;
  if (narrow) {
    const w = width - 2 * pad;
    const inner = height - 2 * pad - 2 * gapY;
    const hs = [0.52, 0.24].map((f) => Math.round(inner * f));
    fit = { x: pad, y: pad, w, h: hs[0] };
    sweep = { x: pad, y: pad + hs[0] + gapY, w, h: hs[1] };
    act = { x: pad, y: sweep.y + hs[1] + gapY, w, h: height - pad - (sweep.y + hs[1] + gapY) };
  } else {
    const innerW = width - 2 * pad - gapX;
    const fitW = Math.round(innerW * 0.58);
    const innerH = height - 2 * pad;
    const half = Math.round((innerH - gapY) / 2);
    fit = { x: pad, y: pad, w: fitW, h: innerH };
    const rx = pad + fitW + gapX;
    sweep = { x: rx, y: pad, w: innerW - fitW, h: half };
    act = { x: rx, y: pad + half + gapY, w: innerW - fitW, h: innerH - half - gapY };
  }
  fit.plot = { x: fit.x + 40, y: fit.y + TITLE_H, w: Math.max(10, fit.w - 46), h: Math.max(10, fit.h - TITLE_H - 22) };
  for (const p of [sweep, act]) {
    p.plot = { x: p.x + 52, y: p.y + 24, w: Math.max(10, p.w - 60), h: Math.max(10, p.h - 24 - 22) };
  }
  return { pad, narrow, fit, sweep, act };
}

/**
 * The y window of the fit panel: the target's range padded by a quarter of its span on each side
 * (at least 0.5 in total), so partial sums that shoot off are clipped rather than squashing the target.
 */
export function fitWindow(target) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of target) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const span = Math.max(hi - lo, 0.5);
  return [lo - 0.25 * span, hi + 0.25 * span];
}

/** Index of `width` in the sweep widths, or of the nearest width on a log scale. */
export function nearestWidth(widths, width) {
  let best = 0;
  let d = Infinity;
  for (let i = 0; i < widths.length; i++) {
    const dd = Math.abs(Math.log(widths[i]) - Math.log(width));
    if (dd < d) { d = dd; best = i; }
  }
  return best;
}

/** Log-scale domain [lo, hi] (powers of ten) that holds every positive value; floor 1e-6. */
export function logDomain(values, floor = 1e-6) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    const u = Math.max(v, floor);
    if (u < lo) lo = u;
    if (u > hi) hi = u;
  }
  if (!Number.isFinite(lo)) return [floor, 1];
  let a = 10 ** Math.floor(Math.log10(lo));
  let b = 10 ** Math.ceil(Math.log10(hi));
  if (a === b) { a /= 10; b *= 10; }
  return [a, b];
}
