// Geometry helpers of the softmax figure. DOM-free, so Node's test runner checks it.
//
//   +------------------------------+---------------------------+
//   | bars: softmax(z / T) per     | H, CE, KL in bits against |
//   | outcome, target outlined     | T (log scale), cursor at  |
//   |                              | the current temperature   |
//   +------------------------------+---------------------------+
//
// Narrow canvases stack the two panels in one column.

export const TITLE_H = 40;
export const NARROW = 560;

/** Width / height of the canvas: landscape, or a portrait stack when narrow. */
export const aspectFor = (width) => (width < NARROW ? 0.75 : 2.0);

/** The two panels and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const narrow = width < NARROW;
  let bars;
  let curves;
  if (narrow) {
    const inner = height - 2 * pad - 14;
    const h0 = Math.round(inner * 0.5);
    bars = { x: pad, y: pad, w: width - 2 * pad, h: h0 };
    curves = { x: pad, y: pad + h0 + 14, w: width - 2 * pad, h: inner - h0 };
  } else {
    const innerW = width - 2 * pad - 28;
    const w0 = Math.round(innerW * 0.5);
    bars = { x: pad, y: pad, w: w0, h: height - 2 * pad };
    curves = { x: pad + w0 + 28, y: pad, w: innerW - w0, h: height - 2 * pad };
  }
  const axisL = 46;
  const axisB = 34;
  for (const p of [bars, curves]) {
    p.plot = { x: p.x + axisL, y: p.y + TITLE_H, w: Math.max(10, p.w - axisL - 8),
      h: Math.max(10, p.h - TITLE_H - axisB) };
  }
  return { pad, narrow, bars, curves };
}

/** Bar i of V in `plot`: equal slots, each bar 70 % of its slot, centred. */
export function barRect(i, V, plot, value, maxValue = 1) {
  const slot = plot.w / V;
  const w = slot * 0.7;
  const h = plot.h * Math.max(0, Math.min(1, value / maxValue));
  return { x: plot.x + i * slot + (slot - w) / 2, y: plot.y + plot.h - h, w, h };
}

/** The upper end of the bits axis: the largest finite value among the series, at least `min`, rounded up to 0.5. */
export function bitsMax(series, min = 1) {
  let m = min;
  for (const s of series) for (const v of s) if (Number.isFinite(v) && v > m) m = v;
  return Math.ceil(m * 2) / 2;
}

/** The frame whose temperature is nearest T = 1 (in log distance). */
export function frameNearest(temps, T = 1) {
  let best = 0;
  for (let i = 1; i < temps.length; i++) {
    if (Math.abs(Math.log(temps[i] / T)) < Math.abs(Math.log(temps[best] / T))) best = i;
  }
  return best;
}
