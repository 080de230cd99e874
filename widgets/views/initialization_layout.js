// Geometry helpers of the initialization figure. DOM-free, so Node's test runner checks it.
//
//   +-----------------------------+---------------------------------+
//   | histogram of the activations| log10 std of the activations    |
//   | at the current layer        | per layer, all four schemes     |
//   | (input outlined)            +---------------------------------+
//   |                             | log10 std of the gradient       |
//   +-----------------------------+---------------------------------+
//
// Narrow canvases stack the panels in one column.

export const NARROW = 560;

/** Width / height of the canvas: landscape, or a portrait stack when narrow. */
export const aspectFor = (width) => (width < NARROW ? 0.6 : 1.75);

/** The three panels and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const narrow = width < NARROW;
  const gapX = 28;
  const gapY = 14;
  let hist;
  let act;
  let grad;
  if (narrow) {
    const w = width - 2 * pad;
    const inner = height - 2 * pad - 2 * gapY;
    const h0 = Math.round(inner * 0.36);
    const h1 = Math.round(inner * 0.32);
    hist = { x: pad, y: pad, w, h: h0 };
    act = { x: pad, y: hist.y + h0 + gapY, w, h: h1 };
    grad = { x: pad, y: act.y + h1 + gapY, w, h: height - pad - (act.y + h1 + gapY) };
  } else {
    const innerW = width - 2 * pad - gapX;
    const leftW = Math.round(innerW * 0.46);
    const innerH = height - 2 * pad;
    const half = Math.round((innerH - gapY) / 2);
    hist = { x: pad, y: pad, w: leftW, h: innerH };
    const rx = pad + leftW + gapX;
    act = { x: rx, y: pad, w: innerW - leftW, h: half };
    grad = { x: rx, y: pad + half + gapY, w: innerW - leftW, h: innerH - half - gapY };
  }
  hist.plot = { x: hist.x + 44, y: hist.y + 44, w: Math.max(10, hist.w - 52), h: Math.max(10, hist.h - 44 - 44) };
  for (const p of [act, grad]) {
    p.plot = { x: p.x + 50, y: p.y + 40, w: Math.max(10, p.w - 58), h: Math.max(10, p.h - 40 - 22) };
  }
  return { pad, narrow, hist, act, grad };
}

/** `n` histogram bars filling `plot` edge to edge: [{x, w}] left to right, each at least 1 px wide. */
export function binSlots(n, plot) {
  const slot = plot.w / n;
  return Array.from({ length: n }, (_, i) => ({ x: plot.x + slot * i, w: Math.max(1, slot - 1) }));
}

/** A "nice" top for a histogram whose tallest bar is `max` (a fraction in [0, 1]). */
export function histTop(max) {
  const steps = [0.05, 0.1, 0.2, 0.25, 0.5, 1];
  for (const s of steps) if (max <= s + 1e-12) return s;
  return 1;
}

/**
 * Integer log10 domain [lo, hi] holding every finite value in the arrays (already clamped), padded to
 * whole decades, at least 2 decades tall, and always including 0 (a spread of 1).
 */
export function logRange(arrays) {
  let lo = 0;
  let hi = 0;
  for (const a of arrays) for (const v of a) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  lo = Math.floor(lo);
  hi = Math.ceil(hi);
  if (hi - lo < 2) { lo -= 1; hi += 1; }
  return [lo, hi];
}

/** Integer tick values inside [lo, hi], at most `maxTicks`, always including 0 when in range. */
export function decadeTicks(lo, hi, maxTicks = 6) {
  const span = hi - lo;
  const every = [1, 2, 5, 10, 20, 50].find((s) => span / s <= maxTicks) || 100;
  const out = [];
  for (let v = Math.ceil(lo / every) * every; v <= hi; v += every) out.push(v);
  return out;
}
