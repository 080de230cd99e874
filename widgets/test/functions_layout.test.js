import { test } from "node:test";
import assert from "node:assert/strict";
import {
  NARROW, aspectFor, finiteRuns, gridX, nearestIndex, panels, scaleOf, tangentSegment, valueDomain,
} from "../views/functions_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas, one above the other, plots inside panels", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 800, 1200]) {
    const height = Math.max(400, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    const canvas = { x: 0, y: 0, w: width, h: height };
    for (const p of [L.top, L.bottom]) {
      assert.ok(inside(p, canvas), `width ${width}`);
      assert.ok(inside(p.plot, p), `width ${width}: plot outside its panel`);
    }
    assert.ok(!overlap(L.top, L.bottom));
    assert.ok(L.top.y < L.bottom.y && L.top.h > L.bottom.h);
    assert.equal(L.narrow, width < NARROW);
  }
});

test("scaleOf maps and inverts", () => {
  const s = scaleOf(-4, 4, 100, 500);
  assert.equal(s(-4), 100);
  assert.equal(s(4), 500);
  assert.equal(s(0), 300);
  assert.equal(s.invert(300), 0);
  const flip = scaleOf(0, 1, 200, 0);
  assert.equal(flip(1), 0);
  assert.equal(flip.invert(100), 0.5);
});

test("nearestIndex and gridX agree, and clamp", () => {
  const n = 81;
  for (let i = 0; i < n; i++) assert.equal(nearestIndex(gridX(i, -4, 4, n), -4, 4, n), i);
  assert.equal(nearestIndex(-100, -4, 4, n), 0);
  assert.equal(nearestIndex(100, -4, 4, n), n - 1);
  assert.equal(nearestIndex(NaN, -4, 4, n), 0);
  assert.equal(nearestIndex(1.04, -4, 4, n), 50);   // grid step 0.1: 1.04 -> 1.0
  assert.equal(nearestIndex(1.06, -4, 4, n), 51);
});

test("finiteRuns splits at NaN (a family undefined there)", () => {
  const xs = [0, 1, 2, 3, 4, 5];
  const ys = [NaN, 1, 2, NaN, 4, 5];
  const runs = finiteRuns(xs, ys);
  assert.equal(runs.length, 2);
  assert.deepEqual(runs[0].map((p) => p.x), [1, 2]);
  assert.deepEqual(runs[1].map((p) => p.y), [4, 5]);
  assert.deepEqual(finiteRuns([0, 1], [NaN, NaN]), []);
});

test("tangentSegment passes through the probe with its slope and stays in the box", () => {
  const seg = tangentSegment(1, 2, 3, -4, 4, -8, 8);
  for (const p of seg) {
    assert.ok(p.x >= -4 - 1e-9 && p.x <= 4 + 1e-9 && p.y >= -8 - 1e-9 && p.y <= 8 + 1e-9);
    assert.ok(Math.abs(p.y - (2 + 3 * (p.x - 1))) < 1e-9);
  }
  assert.ok(Math.abs(seg[0].y + 8) < 1e-9 && Math.abs(seg[1].y - 8) < 1e-9);  // steep: cut by y limits
  const flat = tangentSegment(0, 1, 0, -4, 4, -8, 8);
  assert.deepEqual(flat, [{ x: -4, y: 1 }, { x: 4, y: 1 }]);
  assert.equal(tangentSegment(0, 20, 0, -4, 4, -8, 8), null);
  assert.equal(tangentSegment(0, NaN, 1, -4, 4, -8, 8), null);
});

test("valueDomain pads, ignores NaN, clamps and is never empty", () => {
  const [lo, hi] = valueDomain([0, NaN, 1]);
  assert.ok(Math.abs(lo + 0.1) < 1e-12 && Math.abs(hi - 1.1) < 1e-12);
  assert.deepEqual(valueDomain([NaN]), [-1, 1]);
  const [a, b] = valueDomain([2, 2]);
  assert.ok(a < 2 && b > 2);
  const [c, d] = valueDomain([-100, 1000], 8);
  assert.ok(c >= -8 * 1.2 - 1e-9 && d <= 8 * 1.2 + 1e-9);
});
