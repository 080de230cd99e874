import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, grid, logRange, panels, slots } from "../views/recurrence_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas, do not overlap, and hold their plots", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 700, 1000, 1400]) {
    const height = Math.max(460, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    const list = [L.rnn, L.attn, L.prog, L.infl];
    for (const p of list) {
      assert.ok(inside(p, { x: 0, y: 0, w: width, h: height }), `width ${width}`);
      assert.ok(inside(p.plot, p), `width ${width}: plot outside its panel`);
    }
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
      assert.ok(!overlap(list[i], list[j]), `width ${width}: ${i} and ${j} overlap`);
    }
  }
});

test("slots are ordered, separated and fill the width", () => {
  for (const n of [1, 8, 64]) {
    const s = slots(n, 10, 300);
    assert.equal(s.length, n);
    assert.ok(Math.abs(s[n - 1].x + s[n - 1].w - 310) < 1e-6);
    for (let i = 1; i < n; i++) assert.ok(s[i].x >= s[i - 1].x + s[i - 1].w);
  }
});

test("the attention grid is square and inside its box", () => {
  for (const T of [1, 8, 64]) {
    const box = { x: 0, y: 0, w: 400, h: 250 };
    const G = grid(T, box);
    assert.ok(Math.abs(G.cell * T - G.size) < 1e-9);
    assert.ok(G.size <= 250 + 1e-9 && G.x >= 0 && G.x + G.size <= 400 + 1e-9);
  }
});

test("logRange covers the positive values and respects the floor", () => {
  assert.deepEqual(logRange([0.05, 3.2]), [-2, 1]);
  assert.deepEqual(logRange([0, 1e-20, 2], 1e-8), [-8, 1]);
  assert.deepEqual(logRange([0, NaN]), [-8, 0]);
  assert.deepEqual(logRange([1]), [0, 1]);
});
