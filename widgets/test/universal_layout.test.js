import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, fitWindow, logDomain, nearestWidth, panels } from "../views/universal_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas, do not overlap, and hold their plots", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 700, 1000, 1400]) {
    const height = Math.max(420, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    const list = [L.fit, L.sweep, L.act];
    for (const p of list) {
      assert.ok(inside(p, { x: 0, y: 0, w: width, h: height }), `width ${width}`);
      assert.ok(inside(p.plot, p), `width ${width}: plot outside its panel`);
    }
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) assert.ok(!overlap(list[i], list[j]));
    assert.equal(L.narrow, width < NARROW);
  }
});

test("the fit window pads the target by a quarter span each side", () => {
  assert.deepEqual(fitWindow([-1, 0, 1]), [-1.5, 1.5]);
  assert.deepEqual(fitWindow([0, 1]), [-0.25, 1.25]);
  const [lo, hi] = fitWindow([2, 2]);          // a flat target still gets a window
  assert.ok(lo < 2 && hi > 2 && Math.abs(hi - lo - 0.25) < 1e-12);
});

test("nearest width on a log scale", () => {
  const ws = [1, 2, 4, 8, 16, 32, 64];
  assert.equal(nearestWidth(ws, 8), 3);
  assert.equal(nearestWidth(ws, 11), 3);      // log(11/8) < log(16/11)
  assert.equal(nearestWidth(ws, 12), 4);
  assert.equal(nearestWidth(ws, 1000), 6);
});

test("log domain spans whole decades and respects the floor", () => {
  assert.deepEqual(logDomain([0.0012, 0.65]), [0.001, 1]);
  assert.deepEqual(logDomain([0, 0.5]), [1e-6, 1]);
  assert.deepEqual(logDomain([1, 1]), [0.1, 10]);
  assert.deepEqual(logDomain([]), [1e-6, 1]);
});
