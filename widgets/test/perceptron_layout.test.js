import { test } from "node:test";
import assert from "node:assert/strict";
import {
  NARROW, aspectFor, boundarySegment, fitSquare, footOfNormal, panels, positiveSide, status,
} from "../views/perceptron_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const near = (a, b, eps = 1e-9) => Math.abs(a - b) < eps;

// Shoelace area of a polygon.
const area = (pts) => Math.abs(pts.reduce((s, [x, y], i) => {
  const [u, v] = pts[(i + 1) % pts.length];
  return s + x * v - u * y;
}, 0)) / 2;

test("panels sit inside the canvas, do not overlap, and hold their plots", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 700, 1000, 1400]) {
    const height = Math.max(420, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    const canvas = { x: 0, y: 0, w: width, h: height };
    const list = [L.plane, L.acc, L.miss];
    for (const p of list) {
      assert.ok(inside(p, canvas), `width ${width}: ${JSON.stringify(p)}`);
      assert.ok(inside(p.plot, p), `width ${width}: plot outside its panel`);
      assert.ok(p.plot.w >= 10 && p.plot.h >= 10);
    }
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
      assert.ok(!overlap(list[i], list[j]), `width ${width}: panels ${i} and ${j} overlap`);
    }
    assert.equal(L.narrow, width < NARROW);
  }
});

test("the square fit keeps one unit equal on both axes and round-trips", () => {
  const plot = { x: 40, y: 40, w: 400, h: 300 };
  const f = fitSquare([-2, 2], [-2, 2], plot);
  assert.ok(inside(f.box, plot));
  assert.ok(near(f.sx(1) - f.sx(0), f.sy(0) - f.sy(1)));
  assert.ok(f.sy(1) < f.sy(0), "y grows upwards");
  for (const [x, y] of [[-2, -2], [0, 0], [1.5, -0.5]]) {
    assert.ok(near(f.ix(f.sx(x)), x) && near(f.iy(f.sy(y)), y));
  }
});

test("the class-1 side of x1 = 0.5 in the unit square is its right quarter", () => {
  // w = (1, 0), b = -0.5: positive where x1 > 0.5
  const poly = positiveSide(1, 0, -0.5, [-1, 1], [-1, 1]);
  assert.ok(near(area(poly), 1.0), `area ${area(poly)}`);
  for (const [x] of poly) assert.ok(x >= 0.5 - 1e-12);
  // the two sides of any line split the window's area
  for (const [w1, w2, b] of [[0.3, -1.2, 0.4], [-2, 1, 0], [1, 1, 1.5]]) {
    const a = area(positiveSide(w1, w2, b, [-1, 1], [-1, 1]));
    const c = area(positiveSide(-w1, -w2, -b, [-1, 1], [-1, 1]));
    assert.ok(near(a + c, 4, 1e-9), `${a} + ${c}`);
  }
  assert.deepEqual(positiveSide(0, 0, 1, [-1, 1], [-1, 1]), [], "w = 0: no line, no side");
  assert.deepEqual(positiveSide(1, 0, -5, [-1, 1], [-1, 1]), [], "the side misses the window");
  assert.ok(near(area(positiveSide(1, 0, 5, [-1, 1], [-1, 1])), 4), "the whole window");
});

test("the boundary segment lies on the line and on the window's edges", () => {
  const seg = boundarySegment(1, 1, 0, [-1, 1], [-1, 1]);     // x + y = 0: the anti-diagonal
  assert.ok(seg);
  const ends = seg.map(([x, y]) => `${Math.round(x)},${Math.round(y)}`).sort();
  assert.deepEqual(ends, ["-1,1", "1,-1"]);
  for (const [w1, w2, b] of [[0.3, -1.2, 0.4], [2, 0, 1], [0, 3, -1]]) {
    const s = boundarySegment(w1, w2, b, [-1, 1], [-1, 1]);
    for (const [x, y] of s) {
      assert.ok(near(w1 * x + w2 * y + b, 0, 1e-9));
      assert.ok(near(Math.abs(x), 1, 1e-9) || near(Math.abs(y), 1, 1e-9), "on the edge");
    }
  }
  assert.equal(boundarySegment(1, 0, -5, [-1, 1], [-1, 1]), null);
  assert.equal(boundarySegment(0, 0, 1, [-1, 1], [-1, 1]), null);
});

test("the foot of the normal is on the line and parallel to w", () => {
  const [x, y] = footOfNormal(3, 4, -10);   // distance 10/5 = 2 along (0.6, 0.8)
  assert.ok(near(x, 1.2) && near(y, 1.6));
  assert.ok(near(3 * x + 4 * y - 10, 0));
  assert.equal(footOfNormal(0, 0, 1), null);
});

test("status reads the frame", () => {
  const S = { n: 4, mistake: [0, 1, 0, 0], convergedEpoch: 2 };
  assert.deepEqual([0, 1, 2, 3].map((k) => status(S, k)), ["start", "mistake", "correct", "converged"]);
  assert.equal(status({ ...S, convergedEpoch: -1 }, 3), "stuck");
});
