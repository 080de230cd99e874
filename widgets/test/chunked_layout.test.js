import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, panels, rowGeometry, splitStep, stepAt, stepRect } from "../views/chunked_layout.js";
import { chunkedView, decodeScenario, frameState, modeLabel, timeTicks } from "../views/chunked.js";
import { palette } from "../engine/palette.js";
import { linearScale } from "../engine/scale.js";

const inside = (r, box, eps = 0.6) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas and do not overlap", () => {
  for (const w of [360, 600, 800, 1200]) {
    const h = Math.round(w / aspectFor(w));
    const L = panels(w, h);
    assert.equal(L.narrow, w < NARROW);
    const all = [L.raster, L.steps, L.gaps];
    for (const p of all) {
      assert.ok(inside(p, { x: 0, y: 0, w, h }, 0), `${w}x${h}`);
      assert.ok(inside(p.plot, p, 0), `${w}x${h}: plot inside its panel`);
    }
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) assert.ok(!overlap(all[i], all[j]), `${w}: ${i} ${j}`);
  }
});

test("raster rows fit their plot", () => {
  const plot = { x: 0, y: 40, w: 500, h: 200 };
  for (const n of [1, 12, 40]) {
    const R = rowGeometry(plot, n);
    assert.ok(R.y0 + n * R.rowH <= plot.y + plot.h + 1e-9);
    assert.ok(R.rowH <= 22);
  }
});

test("step rectangles: width is duration in time, height is duration, split by composition", () => {
  const sx = linearScale(0, 1, 100, 600);        // 1 s over 500 px
  const sy = linearScale(0, 0.1, 300, 100);      // 100 ms over 200 px
  const a = stepRect(sx, sy, 0.1, 0.2, 0.1);
  assert.deepEqual([a.x, a.w, a.y, a.h], [150, 50, 100, 200]);
  const b = stepRect(sx, sy, 0.2, 0.205, 0.005);
  assert.ok(!overlap(a, b));
  assert.equal(stepRect(sx, sy, 0.3, 0.3, 0).w, 1);          // never vanishes
  const s = splitStep(a, 300, 100);
  assert.equal(s.prefill.h, 150);
  assert.equal(s.decode.y, a.y + 150);
  assert.equal(s.prefill.h + s.decode.h, a.h);
  assert.equal(splitStep(a, 0, 0).prefill.h, 0);
});

test("stepAt finds the step running at a time", () => {
  const starts = new Float32Array([0, 0.01, 0.11, 0.12]);
  assert.equal(stepAt(starts, -1), -1);
  assert.equal(stepAt(starts, 0), 0);
  assert.equal(stepAt(starts, 0.05), 1);
  assert.equal(stepAt(starts, 0.5), 3);
});

const RAW = (() => {
  const f32 = (a) => new Float32Array(a);
  const i32 = (a) => new Int32Array(a);
  const S = {
    mode: 512, n_steps: 2, n_requests: 1, n_frames: 2, n_tokens: 2, end_s: 0.2,
    itl_p50_s: 0.01, itl_p99_s: 0.01, itl_max_s: 0.01, ttft_long_s: 0.1, ttft_short_s: 0.1, max_step_s: 0.1,
    step_start: f32([0, 0.1]), step_s: f32([0.1, 0.01]), prefill_tokens: i32([500, 0]), decodes: i32([0, 1]),
    tok_req: i32([0, 0]), tok_t: f32([0.1, 0.11]), tok_gap: f32([0.1, 0.01]), arrival: f32([0]),
    first_token: f32([0.1]), first_sched: f32([0]), finish: f32([0.11]), prompt: i32([500]),
    frame_t: f32([0.05, 0.2]), frame_steps: i32([1, 2]), frame_worst: f32([0, 0.01]),
  };
  return S;
})();

test("decoded scenario gives frame state and labels", () => {
  const S = decodeScenario(RAW);
  const st = frameState(S, 0);
  assert.equal(st.step, 0);
  assert.equal(st.stepPrefill, 500);
  assert.equal(frameState(S, 9).step, 1);
  assert.equal(modeLabel(0), "no chunking");
  assert.match(modeLabel(512), /512-token/);
});

// --- a headless draw: a stub 2D context and a stub engine ctx (no DOM) ---
function stubCanvas() {
  const calls = { fillRect: 0, text: 0 };
  const g = new Proxy({}, {
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
  return g;
}

function stubCtx(state) {
  const control = () => ({ set() {}, setOptions() {}, el: {} });
  return {
    model: { get: (k) => state[k] },
    ui: { select: control, number: control, checkbox: control },
    watch() {}, set() {}, refresh() {}, inputError() {},
  };
}

test("time ticks stay inside the run", () => {
  const t = timeTicks(1.125, 4);
  assert.ok(t.length >= 3 && t[0] === 0 && t[t.length - 1] <= 1.125);
});

test("the view draws every frame in both themes without throwing", () => {
  const view = chunkedView(stubCtx({ scenarios: [RAW], mode: 512, long_prompt_tokens: 500, n_chats: 1 }));
  for (const theme of ["light", "dark"]) {
    for (const [w, h] of [[1000, 645], [400, 727]]) {
      for (let f = 0; f < view.frames(); f++) {
        const g = stubCanvas();
        view.draw(g, { frame: f, tween: 0.5, width: w, height: h, palette: palette(theme), font: "sans-serif", playing: true });
        assert.ok(g.calls.fillRect > 5 && g.calls.text > 3);
      }
    }
  }
  assert.equal(view.telemetry(1).length, 8);
  assert.match(view.describe(0), /chunked, 512-token budget/);
});
