import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, barRect, bitsMax, frameNearest, panels } from "../views/softmax_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas and do not overlap", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 900, 1400]) {
    const height = Math.max(360, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    const canvas = { x: 0, y: 0, w: width, h: height };
    for (const p of [L.bars, L.curves]) {
      assert.ok(inside(p, canvas));
      assert.ok(inside(p.plot, p));
    }
    assert.ok(!overlap(L.bars, L.curves));
    assert.equal(L.narrow, width < NARROW);
  }
});

test("bars stand on the baseline, scale with value, and do not overlap", () => {
  const plot = { x: 0, y: 0, w: 400, h: 200 };
  const a = barRect(0, 4, plot, 0.5);
  const b = barRect(1, 4, plot, 1);
  assert.equal(a.y + a.h, 200);
  assert.equal(a.h, 100);
  assert.equal(b.h, 200);
  assert.ok(!overlap(a, b));
  assert.ok(inside(barRect(3, 4, plot, 2), plot));   // clamped
});

test("bitsMax rounds up to a half bit and skips infinities", () => {
  assert.equal(bitsMax([[0.2, 1.3], [Infinity, 0.4]]), 1.5);
  assert.equal(bitsMax([[0.1]]), 1);
});

test("frameNearest finds T = 1 on a log grid", () => {
  const temps = Array.from({ length: 41 }, (_, i) => 0.1 * 100 ** (i / 40));
  assert.equal(frameNearest(temps), 20);
  assert.equal(frameNearest(temps, 0.1), 0);
});
