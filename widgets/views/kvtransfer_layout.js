// Geometry of the KV-transfer figure. DOM-free, so Node's test runner checks it.
//
//   +-------------------+--------------------+-------------------+
//   | prefill GPU:      |  link: packets     | decode GPU:       |
//   | KV blocks to send |  in flight  ---->  | KV blocks landed  |
//   +-------------------+--------------------+-------------------+
//   | every link: transfer ms (log axis) | decode step | prefill  |
//   +-------------------------------------------------------------+

export const TITLE_H = 38;   // title line + subtitle line above each panel's plot

/** Below this width the panels stack in one column. */
export const NARROW = 620;

/** Width / height of the canvas. */
export const aspectFor = (width) => (width < NARROW ? 0.5 : 1.6);

/** The four panels and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const gap = 20;
  const narrow = width < NARROW;
  const w = width - 2 * pad;
  let send;
  let pipe;
  let recv;
  let chart;
  if (narrow) {
    const inner = height - 2 * pad - 3 * gap;
    const hs = [0.24, 0.14, 0.24, 0.38].map((f) => Math.floor(inner * f));
    send = { x: pad, y: pad, w, h: hs[0] };
    pipe = { x: pad, y: send.y + hs[0] + gap, w, h: hs[1] };
    recv = { x: pad, y: pipe.y + hs[1] + gap, w, h: hs[2] };
    chart = { x: pad, y: recv.y + hs[2] + gap, w, h: hs[3] };
  } else {
    const innerH = height - 2 * pad - gap;
    const topH = Math.round(innerH * 0.52);
    const innerW = w - 2 * gap;
    const side = Math.round(innerW * 0.34);
    send = { x: pad, y: pad, w: side, h: topH };
    pipe = { x: pad + side + gap, y: pad, w: innerW - 2 * side, h: topH };
    recv = { x: pipe.x + pipe.w + gap, y: pad, w: side, h: topH };
    chart = { x: pad, y: pad + topH + gap, w, h: innerH - topH };
  }
  for (const p of [send, pipe, recv, chart]) {
    p.plot = { x: p.x, y: p.y + TITLE_H, w: Math.max(10, p.w), h: Math.max(10, p.h - TITLE_H) };
  }
  chart.plot.x += 84;                          // link names on the left
  chart.plot.w = Math.max(10, chart.w - 84 - 8);
  chart.plot.y += 18;                          // reference-line labels above the bars
  chart.plot.h = Math.max(10, chart.plot.h - 22 - 18);  // tick labels below
  return { pad, narrow, send, pipe, recv, chart };
}

/** A grid of `n` square-ish cells filling `plot`, row-major from the top left. */
export function blockGrid(plot, n) {
  const count = Math.max(1, n);
  const aspect = plot.w / Math.max(plot.h, 1);
  let cols = Math.max(1, Math.ceil(Math.sqrt(count * aspect)));
  let rows = Math.ceil(count / cols);
  while (rows * Math.min(plot.w / cols, plot.h / rows) > plot.h + 1e-9 && cols < count) {
    cols += 1;
    rows = Math.ceil(count / cols);
  }
  const cell = Math.min(plot.w / cols, plot.h / rows);
  const gap = cell >= 6 ? 1 : 0;
  return { x0: plot.x, y0: plot.y, cols, rows, cell, gap };
}

/** The rectangle of cell `i` in a `blockGrid`. */
export function cellRect(grid, i) {
  const c = i % grid.cols;
  const r = Math.floor(i / grid.cols);
  return { x: grid.x0 + c * grid.cell, y: grid.y0 + r * grid.cell, w: Math.max(1, grid.cell - grid.gap),
    h: Math.max(1, grid.cell - grid.gap) };
}

/** The pipe: a horizontal band in the middle of `plot`; `at(u)` is the x of a packet u ∈ [0, 1] along it. */
export function pipeBand(plot, packet) {
  const h = Math.max(packet + 8, Math.min(40, plot.h * 0.4));
  const y = plot.y + (plot.h - h) / 2;
  const x0 = plot.x;
  const x1 = plot.x + plot.w - packet;
  return { x: plot.x, y, w: plot.w, h, at: (u) => x0 + (x1 - x0) * Math.min(1, Math.max(0, u)) };
}

/** Rows of the link chart: one bar row per link, `n` rows in `plot`. */
export function chartRows(plot, n) {
  const rowH = plot.h / Math.max(1, n);
  const barH = Math.max(6, Math.min(22, rowH * 0.62));
  return Array.from({ length: n }, (_, i) => ({ y: plot.y + i * rowH + (rowH - barH) / 2, h: barH, cy: plot.y + (i + 0.5) * rowH }));
}
