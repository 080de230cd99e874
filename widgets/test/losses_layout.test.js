import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, arrowPx, barSlots, logDomain, panels } from "../views/losses_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas, do not overlap, and hold their plots", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 700, 1000, 1400]) {
    const height = Math.max(440, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    const list = [L.barsCE, L.barsMSE, L.pc, L.pull];
    for (const p of list) {
      assert.ok(inside(p, { x: 0, y: 0, w: width, h: height }), `width ${width}`);
      assert.ok(inside(p.plot, p), `width ${width}: plot outside its panel`);
    }
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
      assert.ok(!overlap(list[i], list[j]), `width ${width}: ${i} and ${j} overlap`);
    }
  }
});

test("bar slots are inside the plot, ordered and do not touch", () => {
  const plot = { x: 10, y: 0, w: 300, h: 100 };
  for (const n of [2, 3, 10]) {
    const s = barSlots(n, plot);
    assert.equal(s.length, n);
    for (let i = 0; i < n; i++) {
      assert.ok(s[i].x >= plot.x && s[i].x + s[i].w <= plot.x + plot.w);
      if (i) assert.ok(s[i].x > s[i - 1].x + s[i - 1].w);
    }
  }
});

test("arrow length is proportional, then clamped", () => {
  assert.equal(arrowPx(0.5, 100, 80), 50);
  assert.equal(arrowPx(-0.5, 100, 80), -50);
  assert.equal(arrowPx(2, 100, 80), 80);
  assert.equal(arrowPx(-2, 100, 80), -80);
  assert.equal(arrowPx(NaN, 100, 80), 0);
});

test("log domain spans whole decades, uses magnitudes and respects the floor", () => {
  assert.deepEqual(logDomain([0.003, -0.7]), [0.001, 1]);
  assert.deepEqual(logDomain([0, 0.5]), [1e-8, 1]);
  assert.deepEqual(logDomain([1]), [0.1, 10]);
});
