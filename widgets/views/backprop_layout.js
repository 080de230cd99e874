// Geometry helpers of the backpropagation figure. DOM-free, so Node's test runner checks it.
//
//   +--------------------------------------------+------------------+
//   | computation graph: one column per depth,   | ∂L/∂input:       |
//   | inputs on the left, the loss on the right  | backprop vs      |
//   |                                            | finite difference|
//   +--------------------------------------------+------------------+
//
// Narrow canvases stack the two panels.

export const NARROW = 600;

/** Width / height of the canvas: landscape, or a portrait stack when narrow. */
export const aspectFor = (width) => (width < NARROW ? 0.62 : 1.75);

/** The graph panel and the check panel (each with a `plot` area) for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const narrow = width < NARROW;
  let graph;
  let check;
  if (narrow) {
    const inner = height - 2 * pad - 14;
    const gh = Math.round(inner * 0.64);
    graph = { x: pad, y: pad, w: width - 2 * pad, h: gh };
    check = { x: pad, y: pad + gh + 14, w: width - 2 * pad, h: height - pad - (pad + gh + 14) };
  } else {
    const innerW = width - 2 * pad - 24;
    const gw = Math.round(innerW * 0.7);
    graph = { x: pad, y: pad, w: gw, h: height - 2 * pad };
    check = { x: pad + gw + 24, y: pad, w: innerW - gw, h: height - 2 * pad };
  }
  graph.plot = { x: graph.x, y: graph.y + 40, w: graph.w, h: Math.max(10, graph.h - 40) };
  check.plot = { x: check.x + 44, y: check.y + 40, w: Math.max(10, check.w - 50), h: Math.max(10, check.h - 40 - 8) };
  return { pad, narrow, graph, check };
}

/**
 * Centre and size of every node: column = depth (left to right), rows in node order inside a column.
 * Returns [{x, y, w, h}] (x, y = centre) and every box lies inside `area`.
 */
export function nodeBoxes(depth, area) {
  const n = depth.length;
  let cols = 1;
  for (let i = 0; i < n; i++) cols = Math.max(cols, depth[i] + 1);
  const perCol = new Array(cols).fill(0);
  const row = new Array(n);
  for (let i = 0; i < n; i++) row[i] = perCol[depth[i]]++;
  const colW = area.w / cols;
  const maxRows = Math.max(1, ...perCol);
  const w = Math.max(8, Math.min(colW - 10, 92));
  const h = Math.max(8, Math.min(area.h / maxRows - 8, 50));
  const out = [];
  for (let i = 0; i < n; i++) {
    const rows = perCol[depth[i]];
    const rowH = area.h / rows;
    out.push({ x: area.x + colW * (depth[i] + 0.5), y: area.y + rowH * (row[i] + 0.5), w, h });
  }
  return out;
}

/** An edge from operand box `a` to result box `b`: [x0, y0, x1, y1] from a's right side to b's left side. */
export function edgeEnds(a, b) {
  return [a.x + a.w / 2, a.y, b.x - b.w / 2, b.y];
}

/**
 * What frame `f` shows of node `i` in a graph of `n` nodes: forward frames 0..n−1 reveal values in
 * node order; backward frames n..2n−1 reveal gradients from the last node back to the first.
 */
export function revealed(phase, active, i) {
  if (phase === 0) return { value: i <= active, grad: false };
  return { value: true, grad: i >= active };
}

/** Symmetric axis limit for the gradient bars: the largest magnitude, at least `floor`, padded by 10 %. */
export function gradLimit(values, floor = 1e-3) {
  let m = floor;
  for (const v of values) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m * 1.1;
}
