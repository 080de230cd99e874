// Geometry of the SLO figure. DOM-free, so Node's test runner checks it.
//
//   +------------------------------+------------------------------+
//   | saturation: req/s against    | TTFT histogram (log time)    |
//   | offered load; throughput,    |   P50 P90 P99 | SLO          |
//   | goodput, the offered line    +------------------------------+
//   |                              | TPOT histogram (log time)    |
//   +------------------------------+------------------------------+
//
// On a narrow canvas the three panels stack.

export const NARROW = 640;
export const TITLE_H = 40;
export const AXIS_H = 40;
export const LEFT_W = 44;

export const aspectFor = (width) => (width < NARROW ? 0.5 : 1.75);

function withPlot(p) {
  p.plot = { x: p.x + LEFT_W, y: p.y + TITLE_H, w: Math.max(10, p.w - LEFT_W - 8), h: Math.max(10, p.h - TITLE_H - AXIS_H) };
  return p;
}

/** The saturation panel and the two histogram panels, each with its plot area. */
export function panels(width, height) {
  const pad = 12;
  const gap = 20;
  const narrow = width < NARROW;
  let sat;
  let ttft;
  let tpot;
  if (narrow) {
    const h = (height - 2 * pad - 2 * gap) / 3;
    sat = { x: pad, y: pad, w: width - 2 * pad, h };
    ttft = { x: pad, y: pad + h + gap, w: width - 2 * pad, h };
    tpot = { x: pad, y: pad + 2 * (h + gap), w: width - 2 * pad, h };
  } else {
    const leftW = Math.round((width - 2 * pad - gap) * 0.48);
    const rightW = width - 2 * pad - gap - leftW;
    const h2 = (height - 2 * pad - gap) / 2;
    sat = { x: pad, y: pad, w: leftW, h: height - 2 * pad };
    ttft = { x: pad + leftW + gap, y: pad, w: rightW, h: h2 };
    tpot = { x: pad + leftW + gap, y: pad + h2 + gap, w: rightW, h: h2 };
  }
  return { narrow, sat: withPlot(sat), ttft: withPlot(ttft), tpot: withPlot(tpot) };
}

/** x of value `v` on a log axis [lo, hi] across `plot` (clamped to the plot). */
export function logX(plot, lo, hi, v) {
  const u = (Math.log(Math.min(Math.max(v, lo), hi)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
  return plot.x + u * plot.w;
}

/** Bar `i` of `nBins` equal log-width bins holding `count` of at most `maxCount`. */
export function binRect(plot, i, nBins, count, maxCount) {
  const w = plot.w / nBins;
  const h = maxCount > 0 ? (plot.h * count) / maxCount : 0;
  return { x: plot.x + i * w, y: plot.y + plot.h - h, w: Math.max(0.5, w - 1), h };
}

/** Lower and upper edge (seconds) of log bin `i` of `nBins` over [lo, hi]. */
export function binEdges(lo, hi, nBins, i) {
  const r = Math.log(hi / lo) / nBins;
  return [lo * Math.exp(r * i), lo * Math.exp(r * (i + 1))];
}

/** Decade ticks (and 2x, 5x when few decades) inside [lo, hi]. */
export function logTicksIn(lo, hi) {
  const out = [];
  const decades = Math.log10(hi / lo);
  const mult = decades <= 3 ? [1, 2, 5] : [1];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mult) {
      const v = m * 10 ** e;
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(Number(v.toPrecision(6)));
    }
  }
  return out;
}

/**
 * Label rows for markers at `xs` (px): a label `w` px wide goes in the first row where it
 * does not touch the previous label; returns one row index per marker.
 */
export function labelRows(xs, w) {
  const rightEdge = [];
  return xs.map((x) => {
    let r = 0;
    while (rightEdge[r] !== undefined && x - w / 2 < rightEdge[r] + 4) r += 1;
    rightEdge[r] = x + w / 2;
    return r;
  });
}
