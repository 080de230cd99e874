import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, barRows, gpuBoxes, linkDots, panels } from "../views/disagg_layout.js";
import { decodeScenario, disaggView, frameState } from "../views/disagg.js";
import { palette } from "../engine/palette.js";

const inside = (r, box, eps = 0.6) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas and do not overlap", () => {
  for (const w of [360, 600, 800, 1200]) {
    const h = Math.round(w / aspectFor(w));
    const L = panels(w, h);
    assert.equal(L.narrow, w < NARROW);
    const all = [L.pools, L.curve, L.bars];
    for (const p of all) {
      assert.ok(inside(p, { x: 0, y: 0, w, h }, 0), `${w}x${h}`);
      assert.ok(inside(p.plot, p, 0), `${w}x${h}: plot inside its panel`);
    }
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) assert.ok(!overlap(all[i], all[j]), `${w}: ${i} ${j}`);
  }
});

test("GPU boxes: pools in two columns joined by the link, or replicas in a row", () => {
  const plot = { x: 10, y: 50, w: 800, h: 200 };
  for (const [p, d] of [[1, 3], [2, 2], [3, 1], [4, 0]]) {
    const L = gpuBoxes(plot, p, d);
    assert.equal(L.boxes.length, p + d);
    for (const b of L.boxes) assert.ok(inside(b, plot), JSON.stringify(b));
    for (let i = 0; i < L.boxes.length; i++) for (let j = i + 1; j < L.boxes.length; j++) assert.ok(!overlap(L.boxes[i], L.boxes[j]));
    if (d === 0) {
      assert.equal(L.link, null);
      assert.ok(L.boxes.every((b) => b.y === L.boxes[0].y));
    } else {
      const right = Math.max(...L.boxes.slice(0, p).map((b) => b.x + b.w));
      const left = Math.min(...L.boxes.slice(p).map((b) => b.x));
      assert.ok(right < L.link.x0 && L.link.x1 < left);        // the link runs between the pools
    }
  }
});

test("link dots stay on the link and at most twelve are drawn", () => {
  const link = { x0: 100, y0: 50, x1: 500, y1: 50 };
  for (const tw of [0, 0.5, 0.99]) {
    const d = linkDots(link, 30, tw);
    assert.equal(d.length, 12);
    for (const p of d) assert.ok(p.x >= 100 && p.x <= 500 && p.y === 50);
  }
  assert.equal(linkDots(link, 0, 0.3).length, 0);
});

test("bar rows are proportional and fit the plot", () => {
  const plot = { x: 0, y: 0, w: 200, h: 150 };
  const r = barRows(plot, [50, 160, 0], 160);
  assert.equal(r[1].w, 200);
  assert.equal(r[0].w, 62.5);
  assert.equal(r[2].w, 0);
  for (const b of r) assert.ok(inside({ ...b, w: Math.max(b.w, 1) }, plot));
});

const f32 = (a) => new Float32Array(a);
const i32 = (a) => new Int32Array(a);
const RAW = (config, kind, np, nd) => ({
  config, load: 60, kind, n_prefill: np, n_decode: nd, n_gpus: 4, n_frames: 2, attainment: 0.95,
  ttft_p90_ms: 40, tpot_p90_ms: 6, end_s: 5, frame_t: f32([2.5, 5]),
  pre: i32([3, 1, 0, 0, 0, 0, 0, 0]), dec: i32([0, 0, 12, 9, 0, 0, 0, 0]), hand: i32([4, 0]),
});
const SWEEP = {
  rates: [10, 20], configs: ["colocated", "2P:2D"], attainment: { colocated: [1, 0.5], "2P:2D": [1, 1] },
  goodput: { colocated: 10, "2P:2D": 20 }, gpus_for_100: { colocated: 40, "2P:2D": 20 }, target: 0.9,
  slo_ttft_ms: 300, slo_tpot_ms: 10,
};

test("decoded scenario gives per-frame counts", () => {
  const S = decodeScenario(RAW("2P:2D", "disagg", 2, 2));
  const st = frameState(S, 0);
  assert.deepEqual(st.pre, [3, 1, 0, 0]);
  assert.equal(st.nDec, 21);
  assert.equal(st.hand, 4);
  assert.equal(S.maxCount, 12);
  assert.equal(frameState(S, 7).k, 1);
});

function stubCanvas() {
  const calls = { fillRect: 0, text: 0 };
  return new Proxy({}, {
    get(target, key) {
      if (key in target) return target[key];
      if (key === "measureText") return (s) => ({ width: 7 * String(s).length });
      if (key === "calls") return calls;
      return (...args) => {
        if (key === "fillRect") {
          calls.fillRect += 1;
          for (const a of args) assert.ok(Number.isFinite(a), `fillRect(${args.join(", ")})`);
        }
        if (key === "fillText") calls.text += 1;
      };
    },
    set(target, key, value) { target[key] = value; return true; },
  });
}

test("the view draws every frame of both kinds in both themes without throwing", () => {
  const control = () => ({ set() {}, setOptions() {}, el: {} });
  for (const config of ["2P:2D", "colocated"]) {
    const state = { scenarios: [RAW("2P:2D", "disagg", 2, 2), RAW("colocated", "colocated", 4, 0)], sweep: SWEEP,
      config, load: 60, slo_ttft_ms: 300, slo_tpot_ms: 10 };
    const view = disaggView({ model: { get: (k) => state[k] }, ui: { select: control, number: control },
      watch() {}, set() {}, refresh() {}, inputError() {} });
    for (const theme of ["light", "dark"]) {
      for (const [w, h] of [[1000, 625], [400, 727]]) {
        for (let f = 0; f < view.frames(); f++) {
          const g = stubCanvas();
          view.draw(g, { frame: f, tween: 0.5, width: w, height: h, palette: palette(theme), font: "sans-serif", playing: true });
          assert.ok(g.calls.fillRect > 5 && g.calls.text > 3);
        }
      }
    }
    assert.equal(view.telemetry(0).length, 8);
    assert.match(view.describe(0), new RegExp(config));
  }
});
