import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, blockGrid, cellRect, chartRows, panels, pipeBand } from "../views/kvtransfer_layout.js";
import { decodeScenario, frameState, packetsAt } from "../views/kvtransfer.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas and do not overlap", () => {
  for (const w of [360, 600, 800, 1200]) {
    const h = Math.round(w / aspectFor(w));
    const L = panels(w, h);
    assert.equal(L.narrow, w < NARROW);
    const all = [L.send, L.pipe, L.recv, L.chart];
    for (const p of all) {
      assert.ok(inside(p, { x: 0, y: 0, w, h }), `${w}x${h}`);
      assert.ok(inside(p.plot, p), `${w}x${h}: plot inside its panel`);
    }
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) assert.ok(!overlap(all[i], all[j]), `${w}: ${i} ${j}`);
  }
});

test("block grid holds every block inside the plot without overlap", () => {
  for (const plot of [{ x: 0, y: 0, w: 300, h: 200 }, { x: 5, y: 7, w: 120, h: 300 }, { x: 0, y: 0, w: 600, h: 80 }]) {
    for (const n of [1, 7, 64, 256, 1000, 4096]) {
      const g = blockGrid(plot, n);
      assert.ok(g.cols * g.rows >= n);
      const first = cellRect(g, 0);
      const last = cellRect(g, n - 1);
      assert.ok(inside(first, plot, 1e-6) && inside(last, plot, 1e-6), `${n} in ${plot.w}x${plot.h}`);
      if (n > 1 && g.cell >= 2) assert.ok(!overlap(cellRect(g, 0), cellRect(g, 1)));
    }
  }
});

test("pipe positions run left to right and stay inside", () => {
  const plot = { x: 10, y: 10, w: 200, h: 100 };
  const b = pipeBand(plot, 12);
  assert.equal(b.at(0), plot.x);
  assert.equal(b.at(1) + 12, plot.x + plot.w);
  assert.ok(b.at(0.3) < b.at(0.7));
  assert.equal(b.at(-1), b.at(0));
  assert.equal(b.at(2), b.at(1));
  assert.ok(inside(b, plot));
});

test("chart rows are equal, ordered and inside", () => {
  const plot = { x: 0, y: 0, w: 400, h: 150 };
  const rows = chartRows(plot, 5);
  assert.equal(rows.length, 5);
  rows.forEach((r, i) => {
    assert.ok(r.y >= plot.y && r.y + r.h <= plot.y + plot.h);
    if (i) assert.ok(Math.abs(r.cy - rows[i - 1].cy - 30) < 1e-9);
  });
});

test("frameState reads the Python trace; packetsAt finds blocks in the pipe", () => {
  const i32 = (a) => new Uint8Array(new Int32Array(a).buffer);
  const f32 = (a) => new Uint8Array(new Float32Array(a).buffer);
  const S = decodeScenario({
    name: "roce-400g", bw_gbs: 50, latency_us: 5, n_blocks: 4, n_messages: 4, n_frames: 2, total_ms: 2,
    total_mib: 1, kv_kib_per_token: 80, decode_ms: 10, prefill_ms: 100, ratio: 0.2,
    depart: f32([0, 0.25, 0.5, 0.75]), arrive: f32([0.25, 0.5, 0.75, 1]), time_ms: f32([1, 2]),
    n_arrived: i32([2, 4]), n_in_flight: i32([1, 0]), mib_arrived: f32([0.5, 1]),
  });
  const a = frameState(S, 0);
  assert.deepEqual([a.k, a.timeMs, a.arrived, a.inFlight, a.mib], [0, 1, 2, 1, 0.5]);
  assert.equal(frameState(S, 9).k, 1);
  const p = packetsAt(S, 0.6, 0.5);            // departed in (0.1, 0.6) and not landed before 0.1
  assert.deepEqual(p.map(([i]) => i), [1, 2]);
  for (const [, u] of p) assert.ok(u > 0 && u <= 1);
});
