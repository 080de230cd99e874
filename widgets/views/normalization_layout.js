// Geometry helpers of the normalization figure. DOM-free, so Node's test runner checks it.
//
//   +--------------------------------+------------------------------------+
//   | one vector, stage by stage:    | residual-stream RMS per block,     |
//   |  input | −mean | ÷std | γ,β    | pre-norm vs post-norm              |
//   |                                +------------------------------------+
//   |                                | what each block adds, relative to  |
//   |                                | the stream                         |
//   +--------------------------------+------------------------------------+
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
  let vec;
  let stream;
  let rel;
  if (narrow) {
    const w = width - 2 * pad;
    const inner = height - 2 * pad - 2 * gapY;
    const h0 = Math.round(inner * 0.36);
    const h1 = Math.round(inner * 0.32);
    vec = { x: pad, y: pad, w, h: h0 };
    stream = { x: pad, y: vec.y + h0 + gapY, w, h: h1 };
    rel = { x: pad, y: stream.y + h1 + gapY, w, h: height - pad - (stream.y + h1 + gapY) };
  } else {
    const innerW = width - 2 * pad - gapX;
    const leftW = Math.round(innerW * 0.46);
    const innerH = height - 2 * pad;
    const half = Math.round((innerH - gapY) / 2);
    vec = { x: pad, y: pad, w: leftW, h: innerH };
    const rx = pad + leftW + gapX;
    stream = { x: rx, y: pad, w: innerW - leftW, h: half };
    rel = { x: rx, y: pad + half + gapY, w: innerW - leftW, h: innerH - half - gapY };
  }
  vec.plot = { x: vec.x + 40, y: vec.y + 44, w: Math.max(10, vec.w - 44), h: Math.max(10, vec.h - 44 - 40) };
  for (const p of [stream, rel]) {
    p.plot = { x: p.x + 50, y: p.y + 40, w: Math.max(10, p.w - 58), h: Math.max(10, p.h - 40 - 22) };
  }
  return { pad, narrow, vec, stream, rel };
}

/**
 * `groups` groups of `d` bars across `plot`: [{x, w, bars: [{x, w}]}], groups separated by a gap,
 * bars inside a group touching at most by 1 px.
 */
export function barGroups(groups, d, plot) {
  const gap = Math.max(6, Math.min(18, plot.w * 0.04));
  const gw = (plot.w - gap * (groups - 1)) / groups;
  const bw = gw / d;
  return Array.from({ length: groups }, (_, g) => {
    const x = plot.x + g * (gw + gap);
    return { x, w: gw, bars: Array.from({ length: d }, (_, i) => ({ x: x + i * bw, w: Math.max(1, bw - 1) })) };
  });
}

/** A symmetric value domain [−m, m] (m a nice number >= 1) holding every value of `arrays`. */
export function symDomain(arrays) {
  let m = 0;
  for (const a of arrays) for (const v of a) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  for (const s of [1, 2, 3, 4, 5, 8, 10, 15, 20, 30, 50, 100]) if (m <= s) return [-s, s];
  return [-Math.ceil(m), Math.ceil(m)];
}

/** Top of a linear axis from 0 holding `max`, a nice number. */
export function niceTop(max) {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (max <= m * p + 1e-12) return m * p;
  return 10 * p;
}
