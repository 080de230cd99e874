// Geometry of the chunked-prefill figure. DOM-free, so Node's test runner checks it.
//
//   +--------------------------------------------------------------+
//   | one row per request: waiting, prefill, a tick per token       |
//   +------------------------------+-------------------------------+
//   | engine steps: x = time,       | gap before each token (ms)    |
//   | height = step time, colour =  | against time, P99 line        |
//   | prefill vs decode share       |                               |
//   +------------------------------+-------------------------------+

export const TITLE_H = 38;   // title line + subtitle line above each panel's plot
export const LABEL_W = 74;   // request names left of the raster

/** Snap to the half CSS pixel: crisp edges at devicePixelRatio 1 and 2. */
export const snap = (v) => Math.round(v * 2) / 2;

/** Below this width the panels stack in one column. */
export const NARROW = 620;

/** Width / height of the canvas. */
export const aspectFor = (width) => (width < NARROW ? 0.55 : 1.55);

/** The three panels and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const gap = 22;
  const narrow = width < NARROW;
  const w = width - 2 * pad;
  let raster;
  let steps;
  let gaps;
  if (narrow) {
    const inner = height - 2 * pad - 2 * gap;
    const hs = [0.42, 0.29, 0.29].map((f) => Math.floor(inner * f));
    raster = { x: pad, y: pad, w, h: hs[0] };
    steps = { x: pad, y: pad + hs[0] + gap, w, h: hs[1] };
    gaps = { x: pad, y: steps.y + hs[1] + gap, w, h: hs[2] };
  } else {
    const inner = height - 2 * pad - gap;
    const topH = Math.round(inner * 0.52);
    const leftW = Math.round((w - gap) * 0.55);
    raster = { x: pad, y: pad, w, h: topH };
    steps = { x: pad, y: pad + topH + gap, w: leftW, h: inner - topH };
    gaps = { x: pad + leftW + gap, y: steps.y, w: w - leftW - gap, h: inner - topH };
  }
  for (const p of [raster, steps, gaps]) {
    p.plot = { x: p.x + 46, y: p.y + TITLE_H, w: Math.max(10, p.w - 52), h: Math.max(10, p.h - TITLE_H - 22) };
  }
  raster.plot.x = raster.x + LABEL_W;
  raster.plot.w = Math.max(10, raster.w - LABEL_W - 6);
  raster.plot.h = Math.max(10, raster.h - TITLE_H - 20);
  return { pad, narrow, raster, steps, gaps };
}

/** Rows of the raster: one per request, at most 22 px tall. */
export function rowGeometry(plot, nRows) {
  const rows = Math.max(1, nRows);
  const rowH = Math.min(22, plot.h / rows);
  return { y0: plot.y, rowH, rows, barH: Math.max(2, rowH - 4) };
}

/** Rectangle of a step running [t0, t1] whose duration is `dur`, under time scale `sx`
 * and duration scale `sy` (baseline at sy(0)); at least 1 px wide. */
export function stepRect(sx, sy, t0, t1, dur) {
  const x = sx(t0);
  const x1 = sx(t1);
  const y = sy(dur);
  const base = sy(0);
  return { x, y, w: Math.max(1, x1 - x), h: Math.max(1, base - y) };
}

/** Split a step rectangle by its composition: the prefill share on top, decodes below. */
export function splitStep(r, prefillTokens, decodes) {
  const total = prefillTokens + decodes;
  const f = total > 0 ? prefillTokens / total : 0;
  const hp = r.h * f;
  return { prefill: { x: r.x, y: r.y, w: r.w, h: hp }, decode: { x: r.x, y: r.y + hp, w: r.w, h: r.h - hp } };
}

/** The index of the step running at time `t` (the last that started by then), or -1. */
export function stepAt(starts, t) {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
