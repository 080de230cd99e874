import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, barGroups, niceTop, panels, symDomain } from "../views/normalization_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas, do not overlap, and hold their plots", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 700, 1000, 1400]) {
    const height = Math.max(440, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    const list = [L.vec, L.stream, L.rel];
    for (const p of list) {
      assert.ok(inside(p, { x: 0, y: 0, w: width, h: height }), `width ${width}`);
      assert.ok(inside(p.plot, p), `width ${width}: plot outside its panel`);
    }
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
      assert.ok(!overlap(list[i], list[j]), `width ${width}: ${i} and ${j} overlap`);
    }
  }
});

test("bar groups fill the plot in order, bars inside their group", () => {
  const plot = { x: 40, y: 0, w: 400, h: 100 };
  for (const [groups, d] of [[3, 8], [4, 8], [4, 1]]) {
    const G = barGroups(groups, d, plot);
    assert.equal(G.length, groups);
    assert.ok(Math.abs(G[0].x - plot.x) < 1e-9);
    assert.ok(Math.abs(G[groups - 1].x + G[groups - 1].w - (plot.x + plot.w)) < 1e-6);
    for (let g = 0; g < groups; g++) {
      if (g) assert.ok(G[g].x > G[g - 1].x + G[g - 1].w);
      assert.equal(G[g].bars.length, d);
      for (const b of G[g].bars) assert.ok(b.x >= G[g].x - 1e-9 && b.x + b.w <= G[g].x + G[g].w + 1e-9);
    }
  }
});

test("symDomain and niceTop hold their values", () => {
  assert.deepEqual(symDomain([[0.5, -0.2]]), [-1, 1]);
  assert.deepEqual(symDomain([[12, -3], [1]]), [-15, 15]);
  assert.deepEqual(symDomain([[NaN]]), [-1, 1]);
  assert.equal(niceTop(7.05), 8);
  assert.equal(niceTop(1), 1);
  assert.equal(niceTop(0.21), 0.25);
  assert.equal(niceTop(0), 1);
});
