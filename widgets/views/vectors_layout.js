// Geometry and pure helpers of the vectors figure (P0.3). DOM-free, so Node's test
// runner checks it.
//
//   wide:  +----------------+------------------------------+
//          | the plane:     | a·b (left axis) and cos θ     |
//          | a, b, θ, proj  | (right axis) as b turns       |
//          +----------------+------------------------------+
//   narrow: the plane above, the chart below.

export const NARROW = 620;

/** Width / height of the canvas. */
export const aspectFor = (width) => (width < NARROW ? 0.62 : 1.9);

/** The plane (square) and the chart (with an inner `plot`) for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const narrow = width < NARROW;
  let plane;
  let chart;
  if (narrow) {
    const side = Math.max(60, Math.min(width - 2 * pad, Math.round((height - 3 * pad) * 0.58)));
    plane = { x: (width - side) / 2, y: pad, w: side, h: side };
    chart = { x: pad, y: plane.y + side + pad, w: width - 2 * pad, h: Math.max(60, height - side - 3 * pad) };
  } else {
    const side = Math.max(60, Math.min(height - 2 * pad, Math.round(width * 0.46)));
    plane = { x: pad, y: (height - side) / 2, w: side, h: side };
    chart = { x: plane.x + side + 2 * pad, y: pad, w: width - side - 4 * pad, h: height - 2 * pad };
  }
  const left = narrow ? 46 : 56;
  const right = narrow ? 44 : 52;
  chart.plot = { x: chart.x + left, y: chart.y + 40, w: Math.max(10, chart.w - left - right),
    h: Math.max(10, chart.h - 40 - 42) };
  return { pad, narrow, plane, chart };
}

/** Map data (x, y) in [-limit, limit]² onto a square box (y up). */
export function planeMap(box, limit) {
  const unit = box.w / (2 * limit);
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  const map = (p) => ({ x: cx + p[0] * unit, y: cy - p[1] * unit });
  return { cx, cy, unit, map };
}

/** The smallest limit (a whole number, at least 2) that fits every given length with a margin. */
export function planeLimit(lengths) {
  const m = Math.max(0, ...lengths.filter(Number.isFinite));
  return Math.max(2, Math.ceil(m * 1.15));
}

/** The two back corners of an arrow head at (x1, y1) pointing away from (x0, y0), in px. */
export function arrowHead(x0, y0, x1, y1, size = 10) {
  const ang = Math.atan2(y1 - y0, x1 - x0);
  const spread = 0.45;
  return [
    { x: x1 - size * Math.cos(ang - spread), y: y1 - size * Math.sin(ang - spread) },
    { x: x1 - size * Math.cos(ang + spread), y: y1 - size * Math.sin(ang + spread) },
  ];
}

/**
 * The arc of the angle between directions a and b (data vectors, y up): start angle and sweep
 * in data radians, sweep in [-π, π], so |sweep| is the angle between them.
 */
export function angleArc(a, b) {
  const ta = Math.atan2(a[1], a[0]);
  let d = Math.atan2(b[1], b[0]) - ta;
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d < -Math.PI) d += 2 * Math.PI;
  return { start: ta, sweep: d };
}

/** Points of that arc at radius r around (cx, cy) in px (canvas y points down). */
export function arcPoints(cx, cy, r, arc, steps = 24) {
  return Array.from({ length: steps + 1 }, (_, k) => {
    const t = arc.start + (arc.sweep * k) / steps;
    return { x: cx + r * Math.cos(t), y: cy - r * Math.sin(t) };
  });
}
