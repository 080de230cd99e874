import { test } from "node:test";
import assert from "node:assert/strict";
import {
  NARROW, aspectFor, frameTime, panels, rowGeometry, shownPolicies, spanRect, timeTicks, timeX,
} from "../views/batching_layout.js";
import { decodeScenario, frameStats, requestTimes } from "../views/batching.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas, do not overlap, and hold their Gantt and strip", () => {
  for (const w of [360, 620, 800, 1200]) {
    const h = Math.max(440, Math.round(w / aspectFor(w)));
    for (const n of [1, 2]) {
      const L = panels(w, h, n);
      assert.equal(L.panels.length, n);
      assert.equal(L.narrow, w < NARROW && n > 1);
      for (const p of L.panels) {
        assert.ok(inside(p, { x: 0, y: 0, w, h }), `${w}x${h} n=${n}`);
        assert.ok(inside(p.gantt, p) && inside(p.strip, p), `${w}: plots inside the panel`);
        assert.ok(!overlap(p.gantt, p.strip));
        assert.ok(p.gantt.h > 100, `${w}x${h}: room for 256 rows`);
      }
      if (n === 2) assert.ok(!overlap(L.panels[0], L.panels[1]));
    }
  }
});

test("256 request rows fit the Gantt and do not overlap", () => {
  const g = { x: 40, y: 50, w: 500, h: 380 };
  const rg = rowGeometry(g, 256);
  assert.ok(rg.rowH * 256 <= g.h + 1e-9);
  let prev = null;
  for (let i = 0; i < 256; i++) {
    const r = spanRect(g, rg, 10, i, 0, 10);
    assert.ok(inside(r, g, 1e-6), `row ${i}`);
    if (prev) assert.ok(r.y >= prev.y + prev.h - 1e-9, `row ${i} below row ${i - 1}`);
    prev = r;
  }
  assert.equal(rowGeometry(g, 4).rowH, 14);            // few requests: rows capped, not stretched
});

test("time maps linearly onto the axis and clamps outside [0, end]", () => {
  const b = { x: 10, w: 200 };
  assert.equal(timeX(b, 20, 0), 10);
  assert.equal(timeX(b, 20, 20), 210);
  assert.equal(timeX(b, 20, 5), 60);
  assert.equal(timeX(b, 20, -3), 10);
  assert.equal(timeX(b, 20, 99), 210);
  assert.equal(timeX(b, 0, 1), 210);                   // an empty run does not divide by zero
});

test("frames sweep the run and end exactly at its end", () => {
  assert.equal(frameTime(72, 180, 179), 72);
  assert.equal(frameTime(72, 180, 0), 0.4);
  assert.equal(frameTime(72, 180, 500), 72);
  assert.equal(frameTime(72, 180, -4), 0.4);
});

test("time ticks are nice, increasing and inside the run", () => {
  for (const end of [0.5, 7.3, 18.9, 72.5, 1000]) {
    const t = timeTicks(end, 6);
    assert.equal(t[0], 0);
    assert.ok(t.length >= 2 && t.length <= 12, `${end}: ${t}`);
    for (let i = 1; i < t.length; i++) assert.ok(t[i] > t[i - 1]);
    assert.ok(t[t.length - 1] <= end + 1e-9);
  }
  assert.deepEqual(timeTicks(0), [0]);
});

test("policy choices pick the panels", () => {
  assert.deepEqual(shownPolicies("both"), [0, 1]);
  assert.deepEqual(shownPolicies("static"), [0]);
  assert.deepEqual(shownPolicies("continuous"), [1]);
});

test("decoded scenarios index rows and telemetry per policy and frame", () => {
  const n = 3;
  const F = 4;
  const rows = new Float32Array(2 * n * 5).map((_, i) => i);
  const tele = new Float32Array(2 * F * 6).map((_, i) => i);
  const S = decodeScenario({
    name: "t", label: "test", n_requests: n, max_num_seqs: 2, end_s: 8, n_frames: F, n_grid: 2,
    tok_s: [1, 2], waste: [0.5, 0], policy_end_s: [8, 4], rows, occ: new Float32Array(8), tele,
  });
  assert.deepEqual(requestTimes(S, 1, 2), [25, 26, 27, 28, 29]);
  const st = frameStats(S, 1, 2);
  assert.equal(st.waste, (1 * F + 2) * 6);
  assert.equal(st.tokS, (1 * F + 2) * 6 + 2);
  assert.equal(st.timeS, 6);
  assert.equal(frameStats(S, 0, 99).k, F - 1);
});
