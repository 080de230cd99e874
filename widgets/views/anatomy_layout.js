// Geometry of the engine-anatomy figure. DOM-free, so Node's test runner checks it.
//
//   +--------+    +-----------+    +---------------+    +------------+    +------+
//   | queue  | -> | scheduler | -> | block manager | -> |  executor  | -> | done |
//   +--------+    +-----------+    +---------------+    +------------+    +------+
//        ^---------------- preempted ------'
//   queue length      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
//   running batch     ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
//   KV blocks used    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
//
// On a narrow canvas the five stages wrap into two rows (queue, scheduler, block
// manager; executor, done).

export const NARROW = 640;
export const STAGES = ["queue", "scheduler", "blocks", "executor", "done"];

/** Width / height of the canvas. */
export const aspectFor = (width) => (width < NARROW ? 0.62 : 1.65);

/** The stage boxes, the three strip charts and the return arrow's lane, in CSS px. */
export function layout(width, height) {
  const pad = 12;
  const narrow = width < NARROW;
  const innerW = width - 2 * pad;
  const pipeH = Math.round(height * (narrow ? 0.52 : 0.5));
  const boxes = {};
  const gap = narrow ? 18 : 26;
  if (narrow) {
    const rowH = (pipeH - 3 * gap) / 2;
    const top = ["queue", "scheduler", "blocks"];
    const bottom = ["executor", "done"];
    const w3 = (innerW - 2 * gap) / 3;
    top.forEach((k, i) => { boxes[k] = { x: pad + i * (w3 + gap), y: pad + 16, w: w3, h: rowH }; });
    const wE = (innerW - gap) * 0.68;
    boxes.executor = { x: pad, y: pad + 16 + rowH + 2 * gap, w: wE, h: rowH };
    boxes.done = { x: pad + wE + gap, y: boxes.executor.y, w: innerW - wE - gap, h: rowH };
    void bottom;
  } else {
    const weights = [1.1, 1.0, 1.15, 1.2, 0.55];
    const total = weights.reduce((a, b) => a + b, 0);
    const avail = innerW - gap * (STAGES.length - 1);
    let x = pad;
    STAGES.forEach((k, i) => {
      const w = (avail * weights[i]) / total;
      boxes[k] = { x, y: pad + 16, w, h: pipeH - 16 - 34 };
      x += w + gap;
    });
  }
  const laneY = narrow ? boxes.executor.y - gap / 2 : boxes.queue.y + boxes.queue.h + 18;
  const stripTop = pad + pipeH + 8;
  const stripH = (height - stripTop - pad - 3 * 22) / 3;
  const strips = [0, 1, 2].map((i) => ({
    x: pad + 110, y: stripTop + i * (stripH + 22) + 16, w: Math.max(10, innerW - 110), h: Math.max(10, stripH - 6),
  }));
  return { narrow, pad, boxes, laneY, strips };
}

/**
 * Up to `max` dots of diameter <= 12 packed row by row into `box` (inset by 8 px at the
 * sides and by `top` px at the top): returns {r, pts: [[x, y], ...], shown}.
 */
export function dotGrid(box, n, max = 60, top = 26) {
  const shown = Math.max(0, Math.min(n, max));
  const inner = { x: box.x + 8, y: box.y + top, w: Math.max(4, box.w - 16), h: Math.max(4, box.h - top - 8) };
  if (!shown) return { r: 0, pts: [], shown };
  let d = 12;
  for (; d > 3; d -= 1) {
    const cols = Math.floor(inner.w / d);
    const rows = Math.floor(inner.h / d);
    if (cols * rows >= shown) break;
  }
  const cols = Math.max(1, Math.floor(inner.w / d));
  const pts = [];
  for (let i = 0; i < shown; i++) {
    pts.push([inner.x + (i % cols) * d + d / 2, inner.y + Math.floor(i / cols) * d + d / 2]);
  }
  return { r: Math.max(1, d / 2 - 1), pts, shown };
}

/** A `cols x rows` grid of cells in `box` below `top`: the KV pool in 100ths. */
export function cellGrid(box, cells = 100, top = 26) {
  const cols = 10;
  const rows = Math.ceil(cells / cols);
  const inner = { x: box.x + 8, y: box.y + top, w: Math.max(4, box.w - 16), h: Math.max(4, box.h - top - 22) };
  const s = Math.max(2, Math.min(inner.w / cols, inner.h / rows));
  const x0 = inner.x + (inner.w - s * cols) / 2;
  return {
    cols, rows, s,
    rect: (i) => ({ x: x0 + (i % cols) * s, y: inner.y + Math.floor(i / cols) * s, w: Math.max(1, s - 1.5), h: Math.max(1, s - 1.5) }),
  };
}

/** Cells of 100 to fill for a used fraction: never 0 when anything is used, never 100 before full. */
export function filledCells(frac, cells = 100) {
  if (!(frac > 0)) return 0;
  if (frac >= 1) return cells;
  return Math.min(cells - 1, Math.max(1, Math.round(frac * cells)));
}

/** Linear map from frame index (0..F-1) to a strip's x. */
export function frameX(strip, F, f) {
  const span = Math.max(1, F - 1);
  return strip.x + (Math.min(Math.max(0, f), span) / span) * strip.w;
}
