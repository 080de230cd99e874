// Geometry and number helpers of the optimizer-race figure. DOM-free, so Node's
// test runner checks it. The map helpers (fitRange, contourLevels, ...) are the
// gradient-descent figure's, re-exported here.
//
//   +------------------------------+---------------------------+
//   | contour map: the three       | loss per step (log), one  |
//   | racers' paths from one start | line per optimiser        |
//   |                              +---------------------------+
//   |                              | steps to converge: bars   |
//   +------------------------------+---------------------------+

import { panels as descentPanels } from "./descent_layout.js";

export {
  LOG_FLOOR, aspectFor, bandIndex, clampToBox, contourLevels, fitRange, logDomain, sampleGrid,
} from "./descent_layout.js";
export { NARROW } from "./descent_layout.js";

/** Left margin of the bar chart: room for the optimiser names. */
export const BAR_LABEL_W = 84;

/** Share of the width the map takes on a wide canvas (the ravine is twice as wide as tall). */
export const MAP_SHARE = 0.6;

/** The three panels: `map`, `loss` and `bars`, each with its `plot` area. */
export function panels(width, height) {
  const L = descentPanels(width, height);
  if (!L.narrow) {                      // widen the map, keep the right column's split
    const gapX = L.loss.x - (L.map.x + L.map.w);
    const innerW = L.map.w + gapX + L.loss.w;
    const mapW = Math.round(innerW * MAP_SHARE);
    const shift = mapW - L.map.w;
    L.map.w = mapW;
    L.map.plot.w = Math.max(10, L.map.plot.w + shift);
    for (const p of [L.loss, L.grad]) {
      p.x += shift;
      p.w -= shift;
      p.plot.x += shift;
      p.plot.w = Math.max(10, p.plot.w - shift);
    }
  }
  const bars = L.grad;
  const top = 24;
  bars.plot = { x: bars.x + BAR_LABEL_W, y: bars.y + top, w: Math.max(10, bars.w - BAR_LABEL_W - 8),
    h: Math.max(10, bars.h - top - 22) };
  return { pad: L.pad, narrow: L.narrow, map: L.map, loss: L.loss, bars };
}

/** Where racer r stands at frame f: "diverged", "converged" or "racing". Arrays are (F, R) row-major. */
export function racerStatus(converged, diverged, nRacers, f, r) {
  const i = f * nRacers + r;
  if (diverged[i]) return "diverged";
  if (converged[i]) return "converged";
  return "racing";
}

/**
 * Length (in steps) of racer r's bar at frame f: it grows one step per frame until
 * the racer converges (then it stops at `steps`) or diverges (then it stops there).
 */
export function barSteps(frame, steps, divergedStep) {
  let end = Infinity;
  if (steps >= 0) end = steps;
  if (divergedStep >= 0) end = Math.min(end, divergedStep);
  return Math.min(frame, end);
}

/** The rows of the bar chart inside `plot`: one band per racer, with a gap. */
export function barRows(plot, n) {
  const band = plot.h / Math.max(1, n);
  const h = Math.max(4, Math.min(26, band * 0.62));
  return Array.from({ length: n }, (_, i) => ({ y: plot.y + i * band + (band - h) / 2, h, mid: plot.y + (i + 0.5) * band }));
}

/** The winner so far: index of the racer with the fewest steps to converge among those done by frame f, or -1. */
export function leader(steps, frame) {
  let best = -1;
  for (let r = 0; r < steps.length; r++) {
    if (steps[r] < 0 || steps[r] > frame) continue;
    if (best < 0 || steps[r] < steps[best]) best = r;
  }
  return best;
}

/** First index of the path to draw so that at most `max` segments are stroked up to frame k. */
export function pathStart(k, max = 400) {
  return Math.max(0, k - max);
}
