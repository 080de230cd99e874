import { test } from "node:test";
import assert from "node:assert/strict";
import {
  NARROW, aspectFor, blockRect, blockSplit, contigGeometry, gridGeometry, logicalRect, panels, slotRuns, tableGeometry,
} from "../views/paged_layout.js";
import { decodeScenario, frameTotals } from "../views/paged.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas and do not overlap", () => {
  for (const w of [360, 600, 800, 1200]) {
    const h = Math.round(w / aspectFor(w));
    const L = panels(w, h);
    assert.equal(L.narrow, w < NARROW);
    const all = [L.tables, L.grid, L.contig];
    for (const p of all) {
      assert.ok(inside(p, { x: 0, y: 0, w, h }), `${w}x${h}`);
      assert.ok(inside(p.plot, p), `${w}x${h}: plot inside its panel`);
    }
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) assert.ok(!overlap(all[i], all[j]), `${w}: ${i} ${j}`);
  }
});

test("every physical block gets its own cell inside the plot", () => {
  const plot = { x: 10, y: 20, w: 400, h: 180 };
  for (const n of [1, 7, 16, 32, 64, 256]) {
    const g = gridGeometry(plot, n);
    assert.ok(g.cols * g.rows >= n);
    const rects = Array.from({ length: n }, (_, i) => blockRect(g, i));
    for (const r of rects) assert.ok(inside(r, plot, 0.6), `n=${n}`);
    for (let i = 1; i < n; i++) assert.ok(!overlap(rects[i - 1], rects[i]), `n=${n}: ${i}`);
  }
});

test("block-table cells fit their plot", () => {
  const plot = { x: 40, y: 50, w: 300, h: 150 };
  const g = tableGeometry(plot, 6, 16);
  for (let s = 0; s < 6; s++) for (let j = 0; j < 16; j++) assert.ok(inside(logicalRect(g, s, j), plot, 0.6));
});

test("contiguous runs wrap at the reservation length and cover exactly the slots asked", () => {
  const g = contigGeometry({ x: 0, y: 0, w: 640, h: 200 }, 256, 64);
  assert.equal(g.rows, 4);
  const one = slotRuns(g, 64, 64);
  assert.equal(one.length, 1);
  assert.equal(one[0].w, 640);
  const wrap = slotRuns(g, 60, 10);
  assert.equal(wrap.length, 2);
  assert.ok(Math.abs(wrap[0].w + wrap[1].w - 100) < 1);
  assert.deepEqual(slotRuns(g, 250, 20).length, 1);          // clipped at the capacity
  assert.deepEqual(slotRuns(g, 0, 0), []);
});

test("a block splits into filled and empty slots", () => {
  assert.deepEqual(blockSplit(3, 8), [3, 5]);
  assert.deepEqual(blockSplit(9, 8), [8, 0]);
  assert.deepEqual(blockSplit(-1, 8), [0, 8]);
});

test("frame totals read the right row of the buffers", () => {
  const i32 = (a) => new Int32Array(a);
  const S = decodeScenario({
    name: "B4", block_size: 4, n_blocks: 2, max_blocks: 1, n_frames: 2, n_seqs: 1, capacity_tokens: 8,
    max_len_tokens: 4, n_cow_copies: 0, seq_names: ["A"], fork_of: [-1], final_tokens: [3],
    p_state: i32([2, 3]), p_tokens: i32([2, 0]), table: i32([0, -1]), refcount: i32([1, 0, 0, 0]),
    fill: i32([2, 0, 0, 0]), owner: i32([0, -1, -1, -1]), cow: i32([-1, -1, -1, -1, -1, -1]),
    c_state: i32([2, 3]), c_tokens: i32([2, 0]), c_start: i32([0, -1]), c_reserved: i32([4, 0]),
    totals: i32([4, 2, 4, 2, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]), waste: new Float32Array([0.5, 0.5, 0, 0]),
  });
  const t0 = frameTotals(S, 0);
  assert.equal(t0.pReserved, 4);
  assert.equal(t0.pUsed, 2);
  assert.equal(t0.pWaste, 0.5);
  const t9 = frameTotals(S, 9);                              // clamped to the last frame
  assert.equal(t9.k, 1);
  assert.equal(t9.pRunning, 0);
});
