import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, gapDomain, lossDomain, panels, snapshotBlend } from "../views/training_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas, do not overlap, and hold their plots; the data plot is square", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 800, 1200]) {
    const height = Math.max(440, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    const list = [L.data, L.loss, L.gap];
    for (const p of list) {
      assert.ok(inside(p, { x: 0, y: 0, w: width, h: height }), `width ${width}`);
      assert.ok(inside(p.plot, p), `width ${width}: plot outside its panel`);
    }
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) assert.ok(!overlap(list[i], list[j]), `width ${width}`);
    assert.equal(L.data.plot.w, L.data.plot.h);
  }
});

test("snapshot blend: exact snapshot, in between, before the first and after the last", () => {
  const steps = [0, 20, 40, 50];
  assert.deepEqual(snapshotBlend(steps, 0), { a: 0, b: 0, t: 0 });
  assert.deepEqual(snapshotBlend(steps, 20), { a: 0, b: 1, t: 1 });
  assert.deepEqual(snapshotBlend(steps, 30), { a: 1, b: 2, t: 0.5 });
  assert.deepEqual(snapshotBlend(steps, 45), { a: 2, b: 3, t: 0.5 });
  assert.deepEqual(snapshotBlend(steps, 99), { a: 3, b: 3, t: 0 });
  assert.deepEqual(snapshotBlend([], 5), { a: 0, b: 0, t: 0 });
});

test("loss domain: whole decades around the positive finite values", () => {
  assert.deepEqual(lossDomain([0.003, 0.7, NaN, -1]), [0.001, 1]);
  assert.deepEqual(lossDomain([0, 0.5], 1e-4), [0.1, 1]);
  assert.deepEqual(lossDomain([1]), [0.1, 10]);
  assert.deepEqual(lossDomain([]), [1e-4, 1]);
});

test("gap domain always contains zero and pads", () => {
  const [a, b] = gapDomain([0.2, 1.0, NaN]);
  assert.equal(a, 0);
  assert.ok(Math.abs(b - 1.1) < 1e-12);
  const [c, d] = gapDomain([-0.5, 0.5]);
  assert.ok(c < -0.5 && d > 0.5);
});
