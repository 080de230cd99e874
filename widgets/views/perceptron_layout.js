// Geometry helpers of the perceptron figure. DOM-free, so Node's test runner checks it.
//
//   +------------------------------+---------------------------+
//   | the plane: points, the line  | accuracy per visit        |
//   | w·x + b = 0, the shaded      +---------------------------+
//   | class-1 side, the normal w   | mistakes so far           |
//   +------------------------------+---------------------------+
//
// Narrow canvases stack the three panels in one column.

export const TITLE_H = 40;   // title line + legend line above the plane
export const NARROW = 560;

/** Width / height of the canvas: landscape, or a portrait stack when narrow. */
export const aspectFor = (width) => (width < NARROW ? 0.6 : 1.75);

/** The three panels and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const narrow = width < NARROW;
  const gapX = 28;
  const gapY = 14;
  let plane;
  let acc;
  let miss;
  if (narrow) {
    const w = width - 2 * pad;
    const inner = height - 2 * pad - 2 * gapY;
    const hs = [0.56, 0.22].map((f) => Math.round(inner * f));
    plane = { x: pad, y: pad, w, h: hs[0] };
    acc = { x: pad, y: pad + hs[0] + gapY, w, h: hs[1] };
    miss = { x: pad, y: acc.y + hs[1] + gapY, w, h: height - pad - (acc.y + hs[1] + gapY) };
  } else {
    const innerW = width - 2 * pad - gapX;
    const planeW = Math.round(innerW * 0.55);
    const innerH = height - 2 * pad;
    const half = Math.round((innerH - gapY) / 2);
    plane = { x: pad, y: pad, w: planeW, h: innerH };
    const rx = pad + planeW + gapX;
    acc = { x: rx, y: pad, w: innerW - planeW, h: half };
    miss = { x: rx, y: pad + half + gapY, w: innerW - planeW, h: innerH - half - gapY };
  }
  const axisL = 40;
  const axisB = 22;
  plane.plot = { x: plane.x + axisL, y: plane.y + TITLE_H, w: Math.max(10, plane.w - axisL - 6),
    h: Math.max(10, plane.h - TITLE_H - axisB) };
  const chartL = 46;
  const chartTop = 24;
  for (const p of [acc, miss]) {
    p.plot = { x: p.x + chartL, y: p.y + chartTop, w: Math.max(10, p.w - chartL - 8),
      h: Math.max(10, p.h - chartTop - axisB) };
  }
  return { pad, narrow, plane, acc, miss };
}

/**
 * Map a square data window onto a plot with one unit the same length on both axes, centred.
 * Returns {sx, sy, ix, iy, box}: data → px, px → data, and the drawn rectangle.
 */
export function fitSquare(xRange, yRange, plot) {
  const [x0, x1] = xRange;
  const [y0, y1] = yRange;
  const k = Math.min(plot.w / (x1 - x0), plot.h / (y1 - y0));
  const w = k * (x1 - x0);
  const h = k * (y1 - y0);
  const bx = plot.x + (plot.w - w) / 2;
  const by = plot.y + (plot.h - h) / 2;
  return {
    sx: (x) => bx + (x - x0) * k,
    sy: (y) => by + h - (y - y0) * k,
    ix: (px) => x0 + (px - bx) / k,
    iy: (py) => y0 + (by + h - py) / k,
    box: { x: bx, y: by, w, h },
  };
}

/**
 * The polygon of the window [x0,x1]×[y0,y1] where w1·x + w2·y + b > 0 (the class-1 side),
 * as a list of [x, y] corners in data units; [] when the side misses the window (or w = 0).
 * Sutherland–Hodgman clipping of the window rectangle against one half-plane.
 */
export function positiveSide(w1, w2, b, xRange, yRange) {
  if (w1 === 0 && w2 === 0) return [];
  const [x0, x1] = xRange;
  const [y0, y1] = yRange;
  const rect = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  const f = ([x, y]) => w1 * x + w2 * y + b;
  const out = [];
  for (let i = 0; i < rect.length; i++) {
    const p = rect[i];
    const q = rect[(i + 1) % rect.length];
    const fp = f(p);
    const fq = f(q);
    if (fp > 0) out.push(p);
    if ((fp > 0) !== (fq > 0) && fp !== fq) {
      const t = fp / (fp - fq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out.length >= 3 ? out : [];
}

/**
 * The segment of the line w1·x + w2·y + b = 0 inside the window, as [[x, y], [x, y]],
 * or null when it misses the window (or w = 0, when there is no line).
 */
export function boundarySegment(w1, w2, b, xRange, yRange) {
  if (w1 === 0 && w2 === 0) return null;
  const [x0, x1] = xRange;
  const [y0, y1] = yRange;
  const pts = [];
  const add = (x, y) => {
    const eps = 1e-9 * (1 + Math.abs(x) + Math.abs(y));
    if (x < x0 - eps || x > x1 + eps || y < y0 - eps || y > y1 + eps) return;
    if (pts.some(([a, c]) => Math.abs(a - x) < eps && Math.abs(c - y) < eps)) return;
    pts.push([x, y]);
  };
  if (w2 !== 0) { add(x0, -(w1 * x0 + b) / w2); add(x1, -(w1 * x1 + b) / w2); }
  if (w1 !== 0) { add(-(w2 * y0 + b) / w1, y0); add(-(w2 * y1 + b) / w1, y1); }
  if (pts.length < 2) return null;
  // the two points farthest apart (a line through a corner can add a duplicate-ish third)
  let best = [pts[0], pts[1]];
  let d = -1;
  for (let i = 0; i < pts.length; i++) for (let j = i + 1; j < pts.length; j++) {
    const dd = (pts[i][0] - pts[j][0]) ** 2 + (pts[i][1] - pts[j][1]) ** 2;
    if (dd > d) { d = dd; best = [pts[i], pts[j]]; }
  }
  return best;
}

/** The point of the line w·x + b = 0 closest to the origin (the foot of the normal), or null if w = 0. */
export function footOfNormal(w1, w2, b) {
  const n2 = w1 * w1 + w2 * w2;
  if (n2 === 0) return null;
  return [(-b * w1) / n2, (-b * w2) / n2];
}

/** What the frame shows: "start", "mistake", "correct", "converged" (last frame of a run that settled) or "stuck". */
export function status(S, k) {
  if (k <= 0) return "start";
  if (k === S.n - 1) return S.convergedEpoch > 0 ? "converged" : "stuck";
  return S.mistake[k] ? "mistake" : "correct";
}
