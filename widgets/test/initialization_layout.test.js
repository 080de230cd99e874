import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, binSlots, decadeTicks, histTop, logRange, panels } from "../views/initialization_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas, do not overlap, and hold their plots", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 700, 1000, 1400]) {
    const height = Math.max(440, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    const list = [L.hist, L.act, L.grad];
    for (const p of list) {
      assert.ok(inside(p, { x: 0, y: 0, w: width, h: height }), `width ${width}`);
      assert.ok(inside(p.plot, p), `width ${width}: plot outside its panel`);
    }
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
      assert.ok(!overlap(list[i], list[j]), `width ${width}: ${i} and ${j} overlap`);
    }
    assert.equal(L.narrow, width < NARROW);
  }
});

test("histogram bins tile the plot in order without overlapping", () => {
  const plot = { x: 40, y: 0, w: 410, h: 100 };
  const s = binSlots(41, plot);
  assert.equal(s.length, 41);
  assert.equal(s[0].x, 40);
  for (let i = 1; i < s.length; i++) assert.ok(s[i].x >= s[i - 1].x + s[i - 1].w);
  assert.ok(s[40].x + s[40].w <= plot.x + plot.w + 1e-9);
});

test("histTop is the smallest nice step above the tallest bar", () => {
  assert.equal(histTop(0.03), 0.05);
  assert.equal(histTop(0.1), 0.1);
  assert.equal(histTop(0.11), 0.2);
  assert.equal(histTop(0.3), 0.5);
  assert.equal(histTop(0.99), 1);
  assert.equal(histTop(1), 1);
});

test("logRange covers every value, includes 0, and is at least two decades", () => {
  assert.deepEqual(logRange([[0, 0, 0]]), [-1, 1]);
  assert.deepEqual(logRange([[-7.2, 0.3], [1.5]]), [-8, 2]);
  assert.deepEqual(logRange([[2.5, NaN, -Infinity]]), [0, 3]);
});

test("decadeTicks are integers inside the range, few enough, and include 0", () => {
  for (const [lo, hi] of [[-1, 1], [-8, 2], [-30, 30], [-60, 1]]) {
    const t = decadeTicks(lo, hi);
    assert.ok(t.length >= 2 && t.length <= 7, `${lo}..${hi}: ${t}`);
    assert.ok(t.every((v) => Number.isInteger(v) && v >= lo && v <= hi));
    assert.ok(t.includes(0));
  }
});
