import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, STAGES, aspectFor, cellGrid, dotGrid, filledCells, frameX, layout } from "../views/anatomy_layout.js";
import { FIELDS, decodeScenario, frameRow } from "../views/anatomy.js";

const inside = (r, box, eps = 1e-6) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("stage boxes and strips sit inside the canvas without overlapping", () => {
  for (const w of [360, 639, 640, 900, 1300]) {
    const h = Math.max(460, Math.round(w / aspectFor(w)));
    const L = layout(w, h);
    assert.equal(L.narrow, w < NARROW);
    const all = [...STAGES.map((k) => L.boxes[k]), ...L.strips];
    for (const r of all) assert.ok(inside(r, { x: 0, y: 0, w, h }), `${w}x${h}: ${JSON.stringify(r)}`);
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) assert.ok(!overlap(all[i], all[j]), `${w}: ${i} ${j}`);
    for (const s of L.strips) assert.ok(s.h >= 10 && s.w > 100, `${w}: strip too small`);
    // the preemption lane runs between the boxes and the strips (wide) or the two rows (narrow)
    assert.ok(L.laneY > L.boxes.queue.y + L.boxes.queue.h && L.laneY < L.strips[0].y);
  }
});

test("dots fit their box and never overlap", () => {
  const box = { x: 20, y: 40, w: 180, h: 140 };
  for (const n of [0, 1, 17, 80, 500]) {
    const g = dotGrid(box, n, 80);
    assert.equal(g.shown, Math.min(n, 80));
    for (const [x, y] of g.pts) assert.ok(inside({ x: x - g.r, y: y - g.r, w: 2 * g.r, h: 2 * g.r }, box), `n=${n}`);
    for (let i = 1; i < g.pts.length; i++) {
      const d = Math.hypot(g.pts[i][0] - g.pts[i - 1][0], g.pts[i][1] - g.pts[i - 1][1]);
      assert.ok(d >= 2 * g.r, `n=${n}: dots ${i - 1} and ${i} touch`);
    }
  }
});

test("the KV grid has 100 cells inside its box", () => {
  const box = { x: 0, y: 0, w: 200, h: 200 };
  const g = cellGrid(box, 100);
  for (let i = 0; i < 100; i++) assert.ok(inside(g.rect(i), box), `cell ${i}`);
  assert.ok(!overlap(g.rect(0), g.rect(1)) && !overlap(g.rect(0), g.rect(10)));
});

test("filled cells round but keep 'some' and 'full' honest", () => {
  assert.equal(filledCells(0), 0);
  assert.equal(filledCells(0.001), 1);
  assert.equal(filledCells(0.5), 50);
  assert.equal(filledCells(0.999), 99);
  assert.equal(filledCells(1), 100);
  assert.equal(filledCells(Number.NaN), 0);
});

test("frames map onto the strip from its left to its right edge", () => {
  const s = { x: 100, w: 300 };
  assert.equal(frameX(s, 301, 0), 100);
  assert.equal(frameX(s, 301, 300), 400);
  assert.equal(frameX(s, 301, 150), 250);
  assert.equal(frameX(s, 1, 0), 100);
  assert.equal(frameX(s, 10, 99), 400);
});

test("frame rows decode by field name", () => {
  const K = FIELDS.length;
  const frames = new Float32Array(3 * K).map((_, i) => i);
  const S = decodeScenario({ name: "t", label: "t", n_requests: 5, n_blocks: 10, block_size: 16, n_steps: 9,
    n_frames: 3, end_s: 1, max_waiting: 2, max_running: 3, n_fields: K, frames });
  const r = frameRow(S, 1);
  assert.equal(r.tEnd, K);
  assert.equal(r.waiting, K + 3);
  assert.equal(r.kvFrac, K + 7);
  assert.equal(frameRow(S, 50).k, 2);
});

test("pickText takes the first variant that fits, else the last", async () => {
  const { pickText } = await import("../views/anatomy.js");
  const g = { measureText: (s) => ({ width: 7 * s.length }) };
  assert.equal(pickText(g, ["Block manager", "Blocks"], 200), "Block manager");
  assert.equal(pickText(g, ["Block manager", "Blocks"], 60), "Blocks");
  assert.equal(pickText(g, ["Block manager", "Blocks"], 10), "Blocks");
  assert.equal(pickText(g, "Queue", 10), "Queue");
});
