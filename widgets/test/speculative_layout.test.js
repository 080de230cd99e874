import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, histBars, panels, timeBars, tokenRow } from "../views/speculative_layout.js";
import { decodeScenario, passInfo } from "../views/speculative.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas and do not overlap", () => {
  for (const w of [360, 600, 800, 1200]) {
    const h = Math.round(w / aspectFor(w));
    const L = panels(w, h);
    assert.equal(L.narrow, w < NARROW);
    const all = [L.pass, L.hist, L.mean];
    for (const p of all) {
      assert.ok(inside(p, { x: 0, y: 0, w, h }), `${w}x${h}`);
      assert.ok(inside(p.plot, p), `${w}x${h}: plot inside its panel`);
    }
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) assert.ok(!overlap(all[i], all[j]), `${w}: ${i} ${j}`);
  }
});

test("token boxes are k + 1, in order, disjoint and inside the pass plot", () => {
  for (const w of [360, 800, 1200]) {
    const L = panels(w, Math.round(w / aspectFor(w)));
    for (const k of [1, 4, 12]) {
      const { boxes } = tokenRow(L.pass.plot, k);
      assert.equal(boxes.length, k + 1);
      for (let i = 0; i < boxes.length; i++) {
        assert.ok(inside(boxes[i], L.pass.plot), `${w} k=${k} box ${i}`);
        if (i) assert.ok(boxes[i].x >= boxes[i - 1].x + boxes[i - 1].w, "left to right, no overlap");
      }
      // the target's box stands apart: a wider gap before it
      if (k > 1) {
        const g1 = boxes[1].x - boxes[0].x - boxes[0].w;
        const gT = boxes[k].x - boxes[k - 1].x - boxes[k - 1].w;
        assert.ok(gT > g1);
      }
    }
  }
});

test("time bars: draft k·c then one target step, plain = tokens steps, all inside the plot", () => {
  const plot = { x: 0, y: 0, w: 600, h: 150 };
  const k = 4;
  const c = 0.05;
  const b = timeBars(plot, k, c, 5, 5);
  assert.ok(Math.abs(b.draft.w - k * c * b.unit) < 1e-9);
  assert.ok(Math.abs(b.verify.x - (b.draft.x + b.draft.w)) < 1e-9);
  assert.ok(Math.abs(b.verify.w - b.unit) < 1e-9);
  assert.ok(Math.abs(b.plain.w - 5 * b.unit) < 1e-9);
  assert.ok(b.plain.x + b.plain.w <= plot.x + plot.w + 1e-9);
  assert.ok(b.y2 > b.y1 + b.h - 1e-9 && b.y2 + b.h <= plot.y + plot.h);
});

test("histogram bars are centred in equal slots", () => {
  const plot = { x: 10, y: 0, w: 500, h: 100 };
  const bars = histBars(plot, 5);
  assert.equal(bars.length, 5);
  for (const b of bars) {
    assert.ok(Math.abs(b.x + b.w / 2 - b.cx) < 1e-9);
    assert.ok(b.x >= plot.x && b.x + b.w <= plot.x + plot.w);
  }
  assert.ok(Math.abs(bars[1].cx - bars[0].cx - 100) < 1e-9);
});

test("passInfo reads accepted prefix, rejection, bonus and the cumulative counts", () => {
  const i32 = (a) => new Uint8Array(new Int32Array(a).buffer);
  const f32 = (a) => new Uint8Array(new Float32Array(a).buffer);
  // k = 2: passes with 0, 2, 1 accepted -> tokens 1, 3, 2
  const S = decodeScenario({
    name: "t", alpha: 0.5, k: 2, cost_ratio: 0.1, n_passes: 3, E: 1.75, speedup: 1.75 / 1.2, pass_cost: 1.2,
    n_accepted: i32([0, 2, 1]), running_mean: f32([1, 2, 2]), running_speedup: f32([1 / 1.2, 2 / 1.2, 2 / 1.2]),
    counts: i32([1, 0, 0, 1, 0, 1, 1, 1, 1]), pmf: f32([0.5, 0.25, 0.25]),
  });
  const a = passInfo(S, 0);
  assert.deepEqual([a.accepted, a.rejectedAt, a.tokens, a.bonus], [0, 0, 1, false]);
  const b = passInfo(S, 1);
  assert.deepEqual([b.accepted, b.rejectedAt, b.tokens, b.bonus], [2, -1, 3, true]);
  const c = passInfo(S, 99);                       // clamped to the last pass
  assert.equal(c.i, 2);
  assert.deepEqual([...c.counts], [1, 1, 1]);
  assert.equal(c.mean, 2);
});
