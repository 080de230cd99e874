// Geometry and lookup helpers of the training figure. DOM-free, so Node's test runner checks it.
//
//   +---------------------+------------------------------------+
//   | data + decision     | loss per step: train, validation,  |
//   | boundary P(class 1) | batch (log scale)                  |
//   |                     +------------------------------------+
//   |                     | generalization gap: val − train    |
//   +---------------------+------------------------------------+
//
// Narrow canvases stack the panels in one column.

export const NARROW = 600;

/** Width / height of the canvas: landscape, or a portrait stack when narrow. */
export const aspectFor = (width) => (width < NARROW ? 0.5 : 1.8);

/** The three panels and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const narrow = width < NARROW;
  const gap = 14;
  let data;
  let loss;
  let gapP;
  if (narrow) {
    const w = width - 2 * pad;
    const inner = height - 2 * pad - 2 * gap;
    const h0 = Math.round(inner * 0.42);
    const h1 = Math.round(inner * 0.33);
    data = { x: pad, y: pad, w, h: h0 };
    loss = { x: pad, y: pad + h0 + gap, w, h: h1 };
    gapP = { x: pad, y: loss.y + h1 + gap, w, h: height - pad - (loss.y + h1 + gap) };
  } else {
    const innerW = width - 2 * pad - 28;
    const lw = Math.round(innerW * 0.4);
    const innerH = height - 2 * pad;
    const top = Math.round((innerH - gap) * 0.6);
    data = { x: pad, y: pad, w: lw, h: innerH };
    const rx = pad + lw + 28;
    loss = { x: rx, y: pad, w: innerW - lw, h: top };
    gapP = { x: rx, y: pad + top + gap, w: innerW - lw, h: innerH - top - gap };
  }
  // the data plot is square, centred in what is left under the heading
  const side = Math.max(10, Math.min(data.w - 8, data.h - 48));
  data.plot = { x: data.x + (data.w - side) / 2, y: data.y + 44, w: side, h: side };
  for (const p of [loss, gapP]) {
    p.plot = { x: p.x + 52, y: p.y + 40, w: Math.max(10, p.w - 60), h: Math.max(10, p.h - 40 - 22) };
  }
  return { pad, narrow, data, loss, gap: gapP };
}

/**
 * The boundary snapshots around `step`: indices a ≤ b into `steps` (ascending) and the blend
 * weight t of b, so the shown boundary is (1 − t)·snap[a] + t·snap[b].
 */
export function snapshotBlend(steps, step) {
  const n = steps.length;
  if (!n) return { a: 0, b: 0, t: 0 };
  if (step <= steps[0]) return { a: 0, b: 0, t: 0 };
  for (let i = 1; i < n; i++) {
    if (step <= steps[i]) {
      const t = (step - steps[i - 1]) / (steps[i] - steps[i - 1]);
      return { a: i - 1, b: i, t };
    }
  }
  return { a: n - 1, b: n - 1, t: 0 };
}

/** Log-scale domain [lo, hi] in powers of ten for the finite positive values (at least `floor`). */
export function lossDomain(values, floor = 1e-4) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || v <= 0) continue;
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

/** Symmetric-enough linear domain for the gap curve: always contains 0, padded by 10 %. */
export function gapDomain(values) {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const pad = Math.max(0.05, (hi - lo) * 0.1);
  return [lo - (lo < 0 ? pad : 0), hi + pad];
}
