// Geometry of the batching figure. DOM-free, so Node's test runner checks it.
//
//   +-------------------------------+-------------------------------+
//   | static: title, legend         | continuous: title, legend     |
//   | one row per request (Gantt)   | one row per request (Gantt)   |
//   |   time ->                     |   time ->                     |
//   | occupancy strip               | occupancy strip               |
//   +-------------------------------+-------------------------------+
//
// Both panels share one time axis [0, endS], so a run that finishes sooner ends
// further left. With one policy shown, its panel takes the whole width.

export const TITLE_H = 40;     // title + subtitle above each Gantt
export const AXIS_H = 22;      // time-axis labels under the Gantt
export const STRIP_H = 46;     // occupancy strip
export const LABEL_W = 34;     // left margin for "req" and strip ticks

/** Below this width the panels stack in one column. */
export const NARROW = 640;

/** Width / height of the canvas. */
export const aspectFor = (width) => (width < NARROW ? 0.55 : 1.7);

/** Snap to the half CSS pixel: crisp edges at devicePixelRatio 1 and 2. */
export const snap = (v) => Math.round(v * 2) / 2;

/** Which policies a "policy" choice draws, in panel order (0 = static, 1 = continuous). */
export function shownPolicies(choice) {
  if (choice === "static") return [0];
  if (choice === "continuous") return [1];
  return [0, 1];
}

/** One panel per shown policy: {x, y, w, h, gantt, strip} in CSS px. */
export function panels(width, height, nShown) {
  const pad = 12;
  const gap = 24;
  const n = Math.max(1, nShown);
  const narrow = width < NARROW && n > 1;
  const out = [];
  for (let i = 0; i < n; i++) {
    let p;
    if (narrow) {
      const h = (height - 2 * pad - gap * (n - 1)) / n;
      p = { x: pad, y: pad + i * (h + gap), w: width - 2 * pad, h };
    } else {
      const w = (width - 2 * pad - gap * (n - 1)) / n;
      p = { x: pad + i * (w + gap), y: pad, w, h: height - 2 * pad };
    }
    const plotX = p.x + LABEL_W;
    const plotW = Math.max(10, p.w - LABEL_W);
    const ganttH = Math.max(10, p.h - TITLE_H - AXIS_H - STRIP_H - 8);
    p.gantt = { x: plotX, y: p.y + TITLE_H, w: plotW, h: ganttH };
    p.strip = { x: plotX, y: p.gantt.y + ganttH + AXIS_H + 8, w: plotW, h: STRIP_H - 8 };
    out.push(p);
  }
  return { narrow, panels: out };
}

/** Row height for `n` requests in a Gantt box (fractional rows are fine: they are filled, not stroked). */
export function rowGeometry(gantt, n) {
  const rows = Math.max(1, n);
  const rowH = Math.min(14, gantt.h / rows);
  return { rows, rowH, gap: rowH >= 4 ? 1 : 0, y0: gantt.y };
}

/** The rectangle of request `i` between times `t0` and `t1` (a zero-width span gives w = 0). */
export function spanRect(gantt, rg, endS, i, t0, t1) {
  const x0 = timeX(gantt, endS, t0);
  const x1 = timeX(gantt, endS, t1);
  const y = rg.y0 + i * rg.rowH;
  return { x: x0, y, w: Math.max(0, x1 - x0), h: Math.max(0.75, rg.rowH - rg.gap) };
}

/** x of time `t` seconds on a panel's axis [0, endS]. */
export function timeX(box, endS, t) {
  const span = endS > 0 ? endS : 1;
  const u = Math.min(1, Math.max(0, t / span));
  return box.x + u * box.w;
}

/** Time of frame `f` of `nFrames` (frame f shows the state at (f + 1) / nFrames of the run). */
export function frameTime(endS, nFrames, f) {
  const F = Math.max(1, nFrames);
  const k = Math.min(F - 1, Math.max(0, f));
  return (endS * (k + 1)) / F;
}

/** Up to `max` "nice" tick times in [0, endS]. */
export function timeTicks(endS, max = 6) {
  if (!(endS > 0)) return [0];
  const raw = endS / Math.max(1, max);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const out = [];
  for (let t = 0; t <= endS + 1e-9; t += step) out.push(Number(t.toFixed(6)));
  return out;
}
