import { test } from "node:test";
import assert from "node:assert/strict";
import {
  LOG_FLOOR, NARROW, arrowGeometry, aspectFor, bandIndex, clampToBox, contourLevels, fitRange, logDomain, panels,
  sampleGrid, status,
} from "../views/descent_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas, do not overlap, and hold their plots", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 700, 1000, 1400]) {
    const height = Math.max(400, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    const canvas = { x: 0, y: 0, w: width, h: height };
    const list = [L.map, L.loss, L.grad];
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

test("an equal-aspect fit keeps one unit the same length on both axes and round-trips", () => {
  const plot = { x: 40, y: 40, w: 400, h: 300 };
  const f = fitRange([-3, 3], [-1.5, 1.5], plot, true);
  assert.ok(inside(f.box, plot));
  const kx = f.sx(1) - f.sx(0);
  const ky = f.sy(0) - f.sy(1);
  assert.ok(Math.abs(kx - ky) < 1e-9 && kx > 0, "y grows upwards, same scale as x");
  for (const [x, y] of [[-3, -1.5], [0, 0], [2.5, 1]]) {
    assert.ok(Math.abs(f.ix(f.sx(x)) - x) < 1e-9);
    assert.ok(Math.abs(f.iy(f.sy(y)) - y) < 1e-9);
  }
  const free = fitRange([-3, 3], [0, 4.5], plot, false);
  assert.deepEqual(free.box, plot, "a 1-D curve fills its plot");
});

test("a ball off the map is clamped to its edge and flagged", () => {
  const box = { x: 0, y: 0, w: 100, h: 50 };
  assert.deepEqual(clampToBox(50, 25, box), { x: 50, y: 25, off: false });
  const far = clampToBox(1e9, -5, box);
  assert.equal(far.off, true);
  assert.ok(inside({ x: far.x, y: far.y, w: 0, h: 0 }, box));
  assert.equal(clampToBox(NaN, 3, box).off, true);
});

test("contour levels rise, and every value lands in exactly one band", () => {
  const levels = contourLevels(0, 2509, 12);
  assert.equal(levels.length, 12);
  for (let i = 1; i < levels.length; i++) assert.ok(levels[i] > levels[i - 1]);
  assert.ok(Math.abs(levels[11] - 2509) < 1e-6);
  assert.ok(levels[0] < 10, "the valley floor gets its own band on a steep surface");
  assert.equal(bandIndex(-1, levels), 0);
  assert.equal(bandIndex(1e9, levels), levels.length);
  assert.equal(bandIndex(levels[3], levels), 4);
  assert.deepEqual(contourLevels(1, 1), [1]);
});

test("bilinear sampling reproduces grid nodes and interpolates between them", () => {
  const xs = [0, 1, 2];
  const ys = [0, 1];
  const v = [0, 1, 2, 10, 11, 12];   // v[i * nx + j] = f(xs[j], ys[i]) = x + 10 y
  assert.equal(sampleGrid(v, xs, ys, 1, 1), 11);
  assert.ok(Math.abs(sampleGrid(v, xs, ys, 0.5, 0.5) - 5.5) < 1e-12);
  assert.equal(sampleGrid(v, xs, ys, -5, 0), 0, "clamped to the grid");
});

test("log domains span whole decades and floor zeros", () => {
  assert.deepEqual(logDomain([2, 0.5, 0.01]), [0.01, 10]);
  const [lo, hi] = logDomain([4.5, 0, 1e-30]);
  assert.ok(lo >= LOG_FLOOR && hi === 10);
  const [a, b] = logDomain([1e6, 1e-20]);
  assert.ok(Math.log10(b / a) <= 16 + 1e-9);
  assert.deepEqual(logDomain([NaN]), [0.1, 10]);
});

test("status reads the flags: diverged beats rising beats converged", () => {
  const S = { diverged: [0, 0, 1], rising: [0, 1, 1], convergedStep: -1, lr: 1, critical: 2 };
  assert.deepEqual([0, 1, 2].map((k) => status(S, k)), ["descending", "rising", "diverged"]);
  const edge = { diverged: [0, 0], rising: [0, 0], convergedStep: -1, lr: 2, critical: 2 };
  assert.deepEqual([0, 1].map((k) => status(edge, k)), ["descending", "edge"]);
  const ok = { diverged: [0, 0, 0], rising: [0, 0, 0], convergedStep: 2, lr: 0.4, critical: 2 };
  assert.equal(status(ok, 2), "converged");
});

test("arrows end at their tip and vanish when too short", () => {
  const a = arrowGeometry(0, 0, 100, 0);
  assert.deepEqual(a.head[0], [100, 0]);
  assert.ok(a.shaft[1][0] < 100);
  assert.equal(arrowGeometry(0, 0, 1, 1), null);
});
