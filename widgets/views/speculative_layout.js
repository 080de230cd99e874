// Geometry of the speculative-decoding figure. DOM-free, so Node's test runner checks it.
//
//   +-------------------------------------------------------------+
//   | this pass: draft tokens d1..dk, then the target's token     |
//   | time bar: k draft steps (k·c) + one target pass (1)         |
//   +------------------------------+------------------------------+
//   | tokens per pass: histogram   | running mean -> E            |
//   +------------------------------+------------------------------+

export const TITLE_H = 38;   // title line + subtitle line above each panel's plot

/** Below this width the panels stack in one column. */
export const NARROW = 620;

/** Width / height of the canvas. */
export const aspectFor = (width) => (width < NARROW ? 0.55 : 1.7);

/** The three panels and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const gap = 24;
  const narrow = width < NARROW;
  let pass;
  let hist;
  let mean;
  if (narrow) {
    const w = width - 2 * pad;
    const inner = height - 2 * pad - 2 * gap;
    const hs = [0.36, 0.32, 0.32].map((f) => Math.floor(inner * f));
    pass = { x: pad, y: pad, w, h: hs[0] };
    hist = { x: pad, y: pad + hs[0] + gap, w, h: hs[1] };
    mean = { x: pad, y: hist.y + hs[1] + gap, w, h: hs[2] };
  } else {
    const innerW = width - 2 * pad - gap;
    const innerH = height - 2 * pad - gap;
    const topH = Math.round(innerH * 0.44);
    const leftW = Math.round(innerW * 0.5);
    pass = { x: pad, y: pad, w: width - 2 * pad, h: topH };
    hist = { x: pad, y: pad + topH + gap, w: leftW, h: innerH - topH };
    mean = { x: pad + leftW + gap, y: pad + topH + gap, w: innerW - leftW, h: innerH - topH };
  }
  for (const p of [pass, hist, mean]) {
    p.plot = { x: p.x, y: p.y + TITLE_H, w: Math.max(10, p.w), h: Math.max(10, p.h - TITLE_H) };
  }
  // charts need room for y labels on the left and x labels below
  for (const p of [hist, mean]) {
    p.plot.x += 40;
    p.plot.w = Math.max(10, p.w - 48);
    p.plot.h = Math.max(10, p.plot.h - 22);
  }
  return { pad, narrow, pass, hist, mean };
}

/**
 * Token boxes of one pass: k draft boxes then one target box, in a row across `plot`
 * (at most 56 px wide, with a wider gap before the target's token), plus the time bar below.
 */
export function tokenRow(plot, k) {
  const n = k + 1;
  const gap = 6;
  const sep = 18;                                  // extra space before the target's box
  const w = Math.max(8, Math.min(56, (plot.w - 80 - (n - 1) * gap - sep) / n));
  const h = Math.max(10, Math.min(34, plot.h * 0.3));
  const x0 = plot.x + 80;
  const y = plot.y + 4;
  const boxes = [];
  for (let i = 0; i < n; i++) {
    boxes.push({ x: x0 + i * (w + gap) + (i === k ? sep : 0), y, w, h });
  }
  return { boxes, labelX: plot.x, rowY: y, rowH: h };
}

/**
 * The time bar: draft steps (k·c) then the target pass (1), scaled so that `span`
 * target steps fill the bar; and below it, plain decoding's `tokens` steps for the same tokens.
 */
export function timeBars(plot, k, c, tokens, span) {
  const x0 = plot.x + 80;
  const w = Math.max(10, plot.x + plot.w - x0);
  const unit = w / Math.max(span, 1e-9);
  const h = Math.max(8, Math.min(18, plot.h * 0.16));
  const y1 = plot.y + plot.h * 0.52;
  const y2 = y1 + h + 10;
  const draft = { x: x0, y: y1, w: k * c * unit, h };
  const verify = { x: x0 + k * c * unit, y: y1, w: unit, h };
  const plain = { x: x0, y: y2, w: tokens * unit, h };
  return { draft, verify, plain, unit, labelX: plot.x, y1, y2, h };
}

/** Bars of the histogram: one per token count 1..k+1, `frac` of the plot wide each. */
export function histBars(plot, n, frac = 0.7) {
  const slot = plot.w / Math.max(n, 1);
  const w = slot * frac;
  return Array.from({ length: n }, (_, i) => ({ x: plot.x + i * slot + (slot - w) / 2, w, cx: plot.x + (i + 0.5) * slot }));
}
