import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, edgeEnds, gradLimit, nodeBoxes, panels, revealed } from "../views/backprop_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const rect = (b) => ({ x: b.x - b.w / 2, y: b.y - b.h / 2, w: b.w, h: b.h });

test("panels sit inside the canvas, do not overlap, and hold their plots", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 800, 1200]) {
    const height = Math.max(420, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    for (const p of [L.graph, L.check]) {
      assert.ok(inside(p, { x: 0, y: 0, w: width, h: height }), `width ${width}`);
      assert.ok(inside(p.plot, p), `width ${width}: plot outside its panel`);
    }
    assert.ok(!overlap(L.graph, L.check), `width ${width}: panels overlap`);
  }
});

test("node boxes: one column per depth, inside the area, never overlapping", () => {
  const area = { x: 10, y: 40, w: 600, h: 300 };
  const depth = [0, 0, 1, 0, 2, 0, 3, 1, 4];
  const B = nodeBoxes(depth, area);
  assert.equal(B.length, depth.length);
  for (let i = 0; i < B.length; i++) {
    assert.ok(inside(rect(B[i]), area), `node ${i} outside`);
    for (let j = i + 1; j < B.length; j++) assert.ok(!overlap(rect(B[i]), rect(B[j])), `${i} and ${j} overlap`);
  }
  assert.ok(B[2].x > B[0].x && B[4].x > B[2].x && B[8].x > B[6].x);   // deeper = further right
  assert.equal(B[0].x, B[1].x);                                      // same depth, same column
  assert.ok(B[1].y > B[0].y);                                        // node order top to bottom
});

test("an edge runs from the operand's right side to the result's left side", () => {
  const a = { x: 50, y: 100, w: 40, h: 20 };
  const b = { x: 150, y: 60, w: 40, h: 20 };
  assert.deepEqual(edgeEnds(a, b), [70, 100, 130, 60]);
});

test("forward frames reveal values in order, backward frames reveal gradients from the end", () => {
  assert.deepEqual(revealed(0, 2, 1), { value: true, grad: false });
  assert.deepEqual(revealed(0, 2, 3), { value: false, grad: false });
  assert.deepEqual(revealed(1, 3, 5), { value: true, grad: true });
  assert.deepEqual(revealed(1, 3, 2), { value: true, grad: false });
});

test("gradient axis limit: largest magnitude plus 10 %, ignores non-finite, respects the floor", () => {
  assert.ok(Math.abs(gradLimit([1, -3, 2]) - 3.3) < 1e-12);
  assert.ok(Math.abs(gradLimit([Infinity, 0.5]) - 0.55) < 1e-12);
  assert.ok(Math.abs(gradLimit([0]) - 0.0011) < 1e-12);
});
