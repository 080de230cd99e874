import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, angleArc, arcPoints, arrowHead, aspectFor, panels, planeLimit, planeMap } from "../views/vectors_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("plane is square, plane and chart sit inside the canvas without overlapping", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 900, 1300]) {
    const height = Math.max(380, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    const canvas = { x: 0, y: 0, w: width, h: height };
    assert.ok(inside(L.plane, canvas), `width ${width}: plane ${JSON.stringify(L.plane)}`);
    assert.ok(inside(L.chart, canvas), `width ${width}: chart`);
    assert.ok(inside(L.chart.plot, L.chart), `width ${width}: plot`);
    assert.ok(!overlap(L.plane, L.chart), `width ${width}: overlap`);
    assert.equal(L.plane.w, L.plane.h);
    assert.equal(L.narrow, width < NARROW);
  }
});

test("planeMap puts the origin at the centre, y up, and the limit at the edges", () => {
  const box = { x: 10, y: 20, w: 200, h: 200 };
  const m = planeMap(box, 4);
  assert.deepEqual(m.map([0, 0]), { x: 110, y: 120 });
  assert.deepEqual(m.map([4, 4]), { x: 210, y: 20 });
  assert.deepEqual(m.map([-4, -4]), { x: 10, y: 220 });
  assert.equal(m.unit, 25);
});

test("planeLimit fits the longest arrow with a margin", () => {
  assert.equal(planeLimit([1, 1.5]), 2);
  assert.equal(planeLimit([2.236, 4.5]), 6);
  assert.ok(planeLimit([3.9]) * 1 >= 3.9 * 1.15);
  assert.equal(planeLimit([NaN]), 2);
});

test("angleArc sweeps the smaller angle between the directions, with sign", () => {
  const close = (x, y) => Math.abs(x - y) < 1e-12;
  let arc = angleArc([1, 0], [0, 1]);
  assert.ok(close(arc.start, 0) && close(arc.sweep, Math.PI / 2));
  arc = angleArc([1, 0], [0, -1]);
  assert.ok(close(arc.sweep, -Math.PI / 2));
  arc = angleArc([-1, 0.001], [-1, -0.001]);          // across the ±π seam: a tiny angle
  assert.ok(Math.abs(arc.sweep) < 0.01);
  for (let k = 0; k < 36; k++) {
    const t = (k * Math.PI) / 18;
    const a = angleArc([2, 1], [Math.cos(t), Math.sin(t)]);
    assert.ok(Math.abs(a.sweep) <= Math.PI + 1e-12);
  }
});

test("arcPoints start on a, end on b, at radius r (canvas y down)", () => {
  const pts = arcPoints(100, 100, 20, angleArc([1, 0], [0, 1]), 10);
  assert.equal(pts.length, 11);
  assert.ok(Math.abs(pts[0].x - 120) < 1e-9 && Math.abs(pts[0].y - 100) < 1e-9);
  assert.ok(Math.abs(pts[10].x - 100) < 1e-9 && Math.abs(pts[10].y - 80) < 1e-9);
  for (const p of pts) assert.ok(Math.abs(Math.hypot(p.x - 100, p.y - 100) - 20) < 1e-9);
});

test("arrowHead corners sit behind the tip, symmetric about the shaft", () => {
  const [c1, c2] = arrowHead(0, 0, 100, 0, 10);
  assert.ok(c1.x < 100 && c2.x < 100);
  assert.ok(Math.abs(c1.y + c2.y) < 1e-9 && Math.abs(c1.x - c2.x) < 1e-9);
  assert.ok(Math.abs(Math.hypot(100 - c1.x, c1.y) - 10) < 1e-9);
});
