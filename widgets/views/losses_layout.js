// Geometry helpers of the loss figure. DOM-free, so Node's test runner checks it.
//
//   +------------------------------+---------------------------+
//   | trained with cross-entropy:  | p(correct) per step       |
//   |   bars p_k, target, pulls    +---------------------------+
//   | trained with MSE: the same   | pull on the correct logit |
//   |                              | vs p(correct) (log)       |
//   +------------------------------+---------------------------+
//
// Narrow canvases stack the panels in one column.

export const NARROW = 560;

/** Width / height of the canvas: landscape, or a portrait stack when narrow. */
export const aspectFor = (width) => (width < NARROW ? 0.55 : 1.7);

/** The four panels (two bar rows, two charts) and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const narrow = width < NARROW;
  const gapX = 28;
  const gapY = 14;
  let barsCE;
  let barsMSE;
  let pc;
  let pull;
  if (narrow) {
    const w = width - 2 * pad;
    const inner = height - 2 * pad - 3 * gapY;
    const hs = [0.25, 0.25, 0.25].map((f) => Math.round(inner * f));
    barsCE = { x: pad, y: pad, w, h: hs[0] };
    barsMSE = { x: pad, y: barsCE.y + hs[0] + gapY, w, h: hs[1] };
    pc = { x: pad, y: barsMSE.y + hs[1] + gapY, w, h: hs[2] };
    pull = { x: pad, y: pc.y + hs[2] + gapY, w, h: height - pad - (pc.y + hs[2] + gapY) };
  } else {
    const innerW = width - 2 * pad - gapX;
    const leftW = Math.round(innerW * 0.5);
    const innerH = height - 2 * pad;
    const half = Math.round((innerH - gapY) / 2);
    barsCE = { x: pad, y: pad, w: leftW, h: half };
    barsMSE = { x: pad, y: pad + half + gapY, w: leftW, h: innerH - half - gapY };
    const rx = pad + leftW + gapX;
    pc = { x: rx, y: pad, w: innerW - leftW, h: half };
    pull = { x: rx, y: pad + half + gapY, w: innerW - leftW, h: innerH - half - gapY };
  }
  for (const p of [barsCE, barsMSE]) {
    p.plot = { x: p.x + 40, y: p.y + 40, w: Math.max(10, p.w - 46), h: Math.max(10, p.h - 40 - 22) };
  }
  for (const p of [pc, pull]) {
    p.plot = { x: p.x + 50, y: p.y + 40, w: Math.max(10, p.w - 58), h: Math.max(10, p.h - 40 - 22) };
  }
  return { pad, narrow, barsCE, barsMSE, pc, pull };
}

/** `n` bars spread over `plot` with gaps: [{x, w}] left to right, each at least 2 px wide. */
export function barSlots(n, plot) {
  const slot = plot.w / n;
  const w = Math.max(2, Math.min(slot * 0.3, 60));
  return Array.from({ length: n }, (_, i) => ({ x: plot.x + slot * (i + 0.5) - w / 2, w }));
}

/**
 * Length in px of the arrow for a pull −∂L/∂z (positive = up): `pxPerUnit` per unit of pull,
 * clamped to ±maxPx; 0 for non-finite input.
 */
export function arrowPx(pull, pxPerUnit, maxPx) {
  if (!Number.isFinite(pull)) return 0;
  return Math.max(-maxPx, Math.min(maxPx, pull * pxPerUnit));
}

/** Log-scale domain [lo, hi] (powers of ten) that holds every value above `floor`. */
export function logDomain(values, floor = 1e-8) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    const u = Math.max(Math.abs(v), floor);
    if (u < lo) lo = u;
    if (u > hi) hi = u;
  }
  if (!Number.isFinite(lo)) return [floor, 1];
  let a = 10 ** Math.floor(Math.log10(lo));
  let b = 10 ** Math.ceil(Math.log10(hi));
  if (a === b) { a /= 10; b *= 10; }
  return [a, b];
}
