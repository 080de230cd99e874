import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, cellAt, cellRect, extent, gemmLayout, panels, phase, squareFit } from "../views/transforms_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas, do not overlap, and hold their plots", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 800, 1400]) {
    const height = Math.max(380, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    const canvas = { x: 0, y: 0, w: width, h: height };
    for (const p of [L.plane, L.gemm]) {
      assert.ok(inside(p, canvas), `width ${width}`);
      assert.ok(inside(p.plot, p));
    }
    assert.ok(!overlap(L.plane, L.gemm));
    assert.equal(L.narrow, width < NARROW);
  }
});

test("squareFit maps the corners of [-r, r]^2 onto a centred square, y up", () => {
  const f = squareFit(2, { x: 0, y: 0, w: 300, h: 200 });
  assert.deepEqual(f.box, { x: 50, y: 0, w: 200, h: 200 });
  assert.equal(f.sx(-2), 50);
  assert.equal(f.sx(2), 250);
  assert.equal(f.sy(2), 0);
  assert.equal(f.sy(-2), 200);
  assert.equal(f.sx(0), 150);
});

test("extent covers the largest coordinate and ignores non-finite values", () => {
  assert.ok(Math.abs(extent([0.5, -3, 2, NaN]) - 3.15) < 1e-12);
  assert.ok(Math.abs(extent([0.1, 0.2]) - 1.05) < 1e-12);
});

test("gemmLayout lines C up with A's rows and B's columns and keeps all inside", () => {
  for (const [m, k, n] of [[4, 3, 5], [1, 8, 1], [6, 2, 2]]) {
    const box = { x: 10, y: 20, w: 400, h: 300 };
    const L = gemmLayout(m, k, n, box);
    for (const M of [L.A, L.B, L.C]) {
      const r = { x: M.x, y: M.y, w: M.cols * L.cell, h: M.rows * L.cell };
      assert.ok(inside(r, box), `${m},${k},${n}`);
    }
    assert.equal(L.C.y, L.A.y);
    assert.equal(L.C.x, L.B.x);
    assert.ok(!overlap({ x: L.A.x, y: L.A.y, w: k * L.cell, h: m * L.cell },
      { x: L.C.x, y: L.C.y, w: n * L.cell, h: m * L.cell }));
    const r = cellRect(L.C, L.cell, m - 1, n - 1);
    assert.equal(r.x + r.w, L.C.x + n * L.cell);
  }
});

test("cellAt spreads the cells over the frames and ends on the last", () => {
  assert.deepEqual([0, 1, 2, 3, 4].map((f) => cellAt(f, 5, 3)), [0, 0, 1, 1, 2]);
  assert.equal(cellAt(45, 46, 20), 19);
  assert.equal(cellAt(0, 46, 20), 0);
  assert.equal(cellAt(0, 1, 7), 6);
  for (let f = 1; f < 46; f++) assert.ok(cellAt(f, 46, 20) >= cellAt(f - 1, 46, 20));
});

test("phase switches from morph to shift after n_morph", () => {
  assert.equal(phase(30, 30), "morph");
  assert.equal(phase(31, 30), "shift");
});
