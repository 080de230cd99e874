// Geometry of the disaggregation figure. DOM-free, so Node's test runner checks it.
//
//   +--------------------------------------------------------------+
//   | GPUs: [prefill pool] ==== KV hand-off ====> [decode pool]     |
//   |       (or four colocated replicas in a row)                   |
//   +------------------------------+-------------------------------+
//   | SLO attainment against load   | goodput per configuration     |
//   +------------------------------+-------------------------------+

export const TITLE_H = 38;

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
  let pools;
  let curve;
  let bars;
  if (narrow) {
    const inner = height - 2 * pad - 2 * gap;
    const hs = [0.4, 0.3, 0.3].map((f) => Math.floor(inner * f));
    pools = { x: pad, y: pad, w, h: hs[0] };
    curve = { x: pad, y: pad + hs[0] + gap, w, h: hs[1] };
    bars = { x: pad, y: curve.y + hs[1] + gap, w, h: hs[2] };
  } else {
    const inner = height - 2 * pad - gap;
    const topH = Math.round(inner * 0.46);
    const leftW = Math.round((w - gap) * 0.55);
    pools = { x: pad, y: pad, w, h: topH };
    curve = { x: pad, y: pad + topH + gap, w: leftW, h: inner - topH };
    bars = { x: pad + leftW + gap, y: curve.y, w: w - leftW - gap, h: inner - topH };
  }
  for (const p of [pools, curve, bars]) {
    p.plot = { x: p.x, y: p.y + TITLE_H, w: Math.max(10, p.w), h: Math.max(10, p.h - TITLE_H) };
  }
  curve.plot.x += 42;
  curve.plot.w = Math.max(10, curve.w - 50);
  curve.plot.h = Math.max(10, curve.plot.h - 22);
  bars.plot.x += 132;
  bars.plot.w = Math.max(10, bars.w - 140);
  pools.plot.h = Math.max(10, pools.plot.h - 18);
  return { pad, narrow, pools, curve, bars };
}

/**
 * GPU boxes. Disaggregated: the prefill pool stacked in the left column, the decode pool in
 * the right column, the link between them. Colocated: all GPUs side by side.
 * Returns {boxes: [{x, y, w, h}], link: {x0, y0, x1, y1} | null}.
 */
export function gpuBoxes(plot, nPrefill, nDecode) {
  const boxes = [];
  if (nDecode === 0) {
    const n = Math.max(1, nPrefill);
    const gap = 14;
    const bw = Math.min(220, (plot.w - gap * (n - 1)) / n);
    const bh = Math.min(84, plot.h);
    const x0 = plot.x + (plot.w - (n * bw + (n - 1) * gap)) / 2;
    for (let i = 0; i < n; i++) boxes.push({ x: snap(x0 + i * (bw + gap)), y: snap(plot.y + (plot.h - bh) / 2), w: snap(bw), h: snap(bh) });
    return { boxes, link: null };
  }
  const colW = Math.min(240, plot.w * 0.34);
  const column = (n, x) => {
    const gap = 8;
    const bh = Math.min(56, (plot.h - gap * (n - 1)) / n);
    const y0 = plot.y + (plot.h - (n * bh + (n - 1) * gap)) / 2;
    for (let i = 0; i < n; i++) boxes.push({ x: snap(x), y: snap(y0 + i * (bh + gap)), w: snap(colW), h: snap(Math.max(8, bh)) });
  };
  column(nPrefill, plot.x);
  column(nDecode, plot.x + plot.w - colW);
  const ym = plot.y + plot.h / 2;
  return { boxes, link: { x0: snap(plot.x + colW + 10), y0: ym, x1: snap(plot.x + plot.w - colW - 10), y1: ym } };
}

/** Positions of `n` dots travelling along the link, spaced along it and moved by `tween`. */
export function linkDots(link, n, tween) {
  const out = [];
  const k = Math.min(n, 12);
  for (let i = 0; i < k; i++) {
    const u = (((i + 0.5) / Math.max(1, k)) * 0.8 + tween * 0.2) % 1;
    out.push({ x: link.x0 + (link.x1 - link.x0) * u, y: link.y0 + (link.y1 - link.y0) * u });
  }
  return out;
}

/** Horizontal bars, one per configuration, of `values` against `max` inside `plot`. */
export function barRows(plot, values, max) {
  const n = Math.max(1, values.length);
  const rowH = Math.min(30, plot.h / n);
  return values.map((v, i) => ({
    x: plot.x, y: snap(plot.y + i * rowH + 3), w: Math.max(0, (plot.w * Math.max(0, v)) / Math.max(1e-9, max)),
    h: Math.max(2, rowH - 8), cy: plot.y + i * rowH + rowH / 2,
  }));
}
