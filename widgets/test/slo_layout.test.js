import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, binEdges, binRect, labelRows, logTicksIn, logX, panels } from "../views/slo_layout.js";
import { decodeScenario, decodeSweep, formatSeconds, loadStats } from "../views/slo.js";

const inside = (r, box, eps = 1e-6) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("three panels inside the canvas, apart, each holding its plot", () => {
  for (const w of [360, 639, 640, 1000, 1400]) {
    const h = Math.max(460, Math.round(w / aspectFor(w)));
    const L = panels(w, h);
    assert.equal(L.narrow, w < NARROW);
    const all = [L.sat, L.ttft, L.tpot];
    for (const p of all) {
      assert.ok(inside(p, { x: 0, y: 0, w, h }), `${w}x${h}`);
      assert.ok(inside(p.plot, p), `${w}: plot inside`);
      assert.ok(p.plot.h >= 40, `${w}x${h}: plot too flat (${p.plot.h})`);
    }
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) assert.ok(!overlap(all[i], all[j]), `${w}: ${i} ${j}`);
  }
});

test("log axis: ends, midpoint in log space, clamping", () => {
  const p = { x: 10, w: 300 };
  assert.equal(logX(p, 0.01, 10, 0.01), 10);
  assert.equal(logX(p, 0.01, 10, 10), 310);
  assert.ok(Math.abs(logX(p, 0.01, 10, 0.1) - 110) < 1e-9);       // one of three decades
  assert.equal(logX(p, 0.01, 10, 1e-9), 10);
  assert.equal(logX(p, 0.01, 10, 1e9), 310);
});

test("bins tile the plot and their edges tile the range", () => {
  const plot = { x: 0, y: 0, w: 400, h: 100 };
  for (let i = 0; i < 40; i++) {
    const r = binRect(plot, i, 40, 30, 60);
    assert.ok(inside(r, plot));
    assert.equal(r.h, 50);
    if (i) assert.ok(!overlap(r, binRect(plot, i - 1, 40, 30, 60)));
    const [a, b] = binEdges(0.005, 60, 40, i);
    if (i) assert.ok(Math.abs(a - binEdges(0.005, 60, 40, i - 1)[1]) < 1e-12);
    assert.ok(b > a);
  }
  assert.ok(Math.abs(binEdges(0.005, 60, 40, 39)[1] - 60) < 1e-9);
  assert.equal(binRect(plot, 0, 40, 5, 0).h, 0);
});

test("log ticks stay inside the range and increase", () => {
  assert.deepEqual(logTicksIn(0.005, 0.5), [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5]);
  const t = logTicksIn(0.005, 60);
  assert.deepEqual(t, [0.01, 0.1, 1, 10]);
});

test("marker labels that would touch go to another row", () => {
  assert.deepEqual(labelRows([10, 100, 200], 34), [0, 0, 0]);
  assert.deepEqual(labelRows([10, 20, 30], 34), [0, 1, 2]);
  assert.deepEqual(labelRows([10, 20, 100], 34), [0, 1, 0]);
});

test("seconds format as ms below one second", () => {
  assert.equal(formatSeconds(0.025), "25.0 ms");
  assert.equal(formatSeconds(1.31), "1.31 s");
  assert.equal(formatSeconds(Number.NaN), "—");
});

test("load read-outs index the sweep and the SLO rows", () => {
  const L = 3;
  const W = decodeSweep({ n_loads: L, n_requests: 10, n_bins: 2, ttft_edges: [0.01, 1], tpot_edges: [0.01, 1],
    rates: new Float32Array([1, 2, 3]), throughput: new Float32Array([1, 1.9, 2.5]), tok_s: new Float32Array([10, 19, 25]),
    pct: new Float32Array(6 * L).map((_, i) => i), ttft_hist: new Int32Array(2 * L), tpot_hist: new Int32Array(2 * L),
    preemptions: new Int32Array([0, 0, 4]) });
  const C = decodeScenario({ name: "x", label: "x", ttft_slo_s: 0.25, tpot_slo_s: 0.1, attainment: 0.9,
    goodput_rate: 2, met: new Float32Array(4 * L).map((_, i) => i / 100) });
  const s = loadStats(W, C, 2);
  assert.equal(s.rate, 3);
  assert.deepEqual(s.ttft, [12, 13, 14]);
  assert.deepEqual(s.tpot, [15, 16, 17]);
  assert.ok(Math.abs(s.goodput - 0.11) < 1e-6);
  assert.equal(s.preemptions, 4);
  assert.equal(loadStats(W, C, 99).k, 2);
});
