// Geometry of the radix-cache figure. DOM-free, so Node's test runner checks it.
//
//   +-------------------------------------------------------------+
//   | the radix tree as an icicle: x = blocks from the root,      |
//   | one row band per leaf, a node spans the rows of its leaves  |
//   +------------------------------+------------------------------+
//   | this request: hit | computed | hit rate and cache size      |
//   +------------------------------+------------------------------+

export const TITLE_H = 38;   // title line + subtitle line above each panel's plot

/** Snap to the half CSS pixel: crisp edges at devicePixelRatio 1 and 2. */
export const snap = (v) => Math.round(v * 2) / 2;

/** Below this width the panels stack in one column. */
export const NARROW = 620;

/** Width / height of the canvas. */
export const aspectFor = (width) => (width < NARROW ? 0.55 : 1.6);

/** The three panels and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const gap = 22;
  const narrow = width < NARROW;
  const w = width - 2 * pad;
  let tree;
  let request;
  let chart;
  if (narrow) {
    const inner = height - 2 * pad - 2 * gap;
    const hs = [0.5, 0.2, 0.3].map((f) => Math.floor(inner * f));
    tree = { x: pad, y: pad, w, h: hs[0] };
    request = { x: pad, y: pad + hs[0] + gap, w, h: hs[1] };
    chart = { x: pad, y: request.y + hs[1] + gap, w, h: hs[2] };
  } else {
    const inner = height - 2 * pad - gap;
    const topH = Math.round(inner * 0.62);
    const leftW = Math.round((w - gap) * 0.45);
    tree = { x: pad, y: pad, w, h: topH };
    request = { x: pad, y: pad + topH + gap, w: leftW, h: inner - topH };
    chart = { x: pad + leftW + gap, y: request.y, w: w - leftW - gap, h: inner - topH };
  }
  for (const p of [tree, request, chart]) {
    p.plot = { x: p.x, y: p.y + TITLE_H, w: Math.max(10, p.w), h: Math.max(10, p.h - TITLE_H) };
  }
  tree.plot.h = Math.max(10, tree.plot.h - 20);      // a legend line under the tree
  chart.plot.x += 40;                                 // y-axis labels
  chart.plot.w = Math.max(10, chart.w - 52);
  chart.plot.h = Math.max(10, chart.plot.h - 22);     // x-axis labels
  return { pad, narrow, tree, request, chart };
}

/**
 * Icicle layout of a tree given in depth-first order: `parent[i]` (-1 for a child of the
 * root, always an earlier index) and `nKeys[i]` (the node's edge length in blocks).
 * Node i spans x from its ancestors' keys to theirs plus its own (scaled so `maxDepth`
 * keys fill the plot width) and y over the rows of the leaves below it. Returns
 * {rects: [{x, y, w, h, depth}], leaves, rowH}.
 */
export function icicle(parent, nKeys, plot, maxDepth) {
  const n = parent.length;
  const start = new Array(n).fill(0);    // keys above the node
  const first = new Array(n).fill(0);    // first leaf row
  const count = new Array(n).fill(0);    // leaves below
  const isLeaf = new Array(n).fill(true);
  for (let i = 0; i < n; i++) {
    const p = parent[i];
    if (p >= 0) { start[i] = start[p] + nKeys[p]; isLeaf[p] = false; }
  }
  let leaves = 0;
  for (let i = 0; i < n; i++) if (isLeaf[i]) { first[i] = leaves; count[i] = 1; leaves += 1; }
  for (let i = n - 1; i >= 0; i--) {        // children come after their parent in DFS order
    const p = parent[i];
    if (p >= 0) {
      if (count[p] === 0) first[p] = first[i];
      first[p] = Math.min(first[p], first[i]);
      count[p] += count[i];
    }
  }
  const rowH = leaves ? Math.min(28, plot.h / leaves) : plot.h;
  const unit = plot.w / Math.max(1, maxDepth);
  const gap = rowH >= 6 ? 1 : 0;
  const rects = [];
  for (let i = 0; i < n; i++) {
    const x = snap(plot.x + start[i] * unit);
    const x1 = snap(plot.x + (start[i] + nKeys[i]) * unit);
    const y = snap(plot.y + first[i] * rowH);
    const y1 = snap(plot.y + (first[i] + count[i]) * rowH);
    rects.push({ x, y, w: Math.max(1, x1 - x - gap), h: Math.max(1, y1 - y - gap), depth: start[i] });
  }
  return { rects, leaves, rowH, unit };
}

/** One request's prompt then answer as a bar of blocks: [{x, w, kind}] with kind
 * "hit" (served by the cache), "computed" (prefilled) or "answer" (decoded). */
export function requestBar(plot, promptBlocks, hitBlocks, answerBlocks, maxBlocks) {
  const unit = plot.w / Math.max(1, maxBlocks);
  const out = [];
  const hit = Math.min(hitBlocks, promptBlocks);
  let x = plot.x;
  const push = (k, kind) => {
    if (k <= 0) return;
    const w = k * unit;
    out.push({ x: snap(x), w: Math.max(1, snap(x + w) - snap(x)), kind, blocks: k });
    x += w;
  };
  push(hit, "hit");
  push(promptBlocks - hit, "computed");
  push(answerBlocks, "answer");
  return out;
}
