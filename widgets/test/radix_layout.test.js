import { test } from "node:test";
import assert from "node:assert/strict";
import { NARROW, aspectFor, icicle, panels, requestBar } from "../views/radix_layout.js";
import { decodeScenario, frameNodes, frameTotals, radixView } from "../views/radix.js";
import { palette } from "../engine/palette.js";

const inside = (r, box, eps = 0.6) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas and do not overlap", () => {
  for (const w of [360, 600, 800, 1200]) {
    const h = Math.round(w / aspectFor(w));
    const L = panels(w, h);
    assert.equal(L.narrow, w < NARROW);
    const all = [L.tree, L.request, L.chart];
    for (const p of all) {
      assert.ok(inside(p, { x: 0, y: 0, w, h }, 0), `${w}x${h}`);
      assert.ok(inside(p.plot, p, 0), `${w}x${h}: plot inside its panel`);
    }
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) assert.ok(!overlap(all[i], all[j]), `${w}: ${i} ${j}`);
  }
});

test("icicle: a shared prefix spans its leaves, children start where the parent ends", () => {
  // root -> A (3 keys) -> {B (2), C (1) -> D (2)} ; root -> E (4)   (depth-first order)
  const parent = [-1, 0, 0, 2, -1];
  const nKeys = [3, 2, 1, 2, 4];
  const plot = { x: 10, y: 20, w: 300, h: 90 };
  const L = icicle(parent, nKeys, plot, 6);
  assert.equal(L.leaves, 3);                          // B, D, E
  const [A, B, C, D, E] = L.rects;
  assert.equal(L.unit, 50);
  assert.equal(A.x, 10);
  assert.equal(B.x, 10 + 3 * 50);                       // after A's 3 keys
  assert.equal(D.x, 10 + 4 * 50);                       // after A and C
  assert.equal(A.y, B.y);
  assert.ok(A.h > 1.9 * B.h);                           // A spans B's and D's rows
  assert.equal(C.y, D.y);
  assert.ok(E.y >= A.y + A.h);                          // E's row is below A's band
  for (const r of L.rects) assert.ok(inside(r, plot), JSON.stringify(r));
  for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) assert.ok(!overlap(L.rects[i], L.rects[j]), `${i} ${j}`);
});

test("icicle of a deep chain and of an empty tree", () => {
  const n = 30;
  const parent = Array.from({ length: n }, (_, i) => i - 1);
  const L = icicle(parent, new Array(n).fill(1), { x: 0, y: 0, w: 600, h: 100 }, n);
  assert.equal(L.leaves, 1);
  assert.ok(Math.abs(L.rects[n - 1].x + L.rects[n - 1].w - 600) <= 1.5);
  assert.deepEqual(icicle([], [], { x: 0, y: 0, w: 10, h: 10 }, 0).rects, []);
});

test("request bar: hit, computed and answer blocks in order, scaled to the widest request", () => {
  const plot = { x: 5, y: 0, w: 200, h: 20 };
  const bar = requestBar(plot, 8, 6, 2, 20);
  assert.deepEqual(bar.map((s) => s.kind), ["hit", "computed", "answer"]);
  assert.deepEqual(bar.map((s) => s.blocks), [6, 2, 2]);
  assert.equal(bar[0].x, 5);
  assert.equal(bar[0].w, 60);
  assert.equal(requestBar(plot, 4, 0, 1, 20)[0].kind, "computed");
  assert.equal(requestBar(plot, 4, 9, 0, 20).length, 1);           // hits capped at the prompt
});

test("decoded scenario gives per-frame totals and node lists", () => {
  const S = decodeScenario(RAW);
  const t = frameTotals(S, 5);
  assert.equal(t.k, 1);
  assert.equal(t.hit, 2);
  assert.equal(t.family, "one-off");
  assert.deepEqual(frameNodes(S, 1).parent, [-1, 0]);
});

const i32 = (a) => new Int32Array(a);
const RAW = {
    name: "C8", capacity: 8, n_frames: 2, max_depth: 4, block_tokens: 16,
    segments: ["s"], families: ["app A", "one-off"],
    offsets: i32([0, 1, 3]), parent: i32([-1, -1, 0]), nkeys: i32([3, 2, 1]), seg: i32([0, 0, 0]),
    state: i32([2, 1, 2]), age: i32([0, 0, 0]),
    totals: i32([3, 0, 3, 0, 3, 0, 0, 1, 1, 3, 2, 3, 0, 6, 2, 0, 2, 1]),
    family: i32([0, 1]), hit_rate: new Float32Array([0, 1 / 3]),
};

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

test("the view draws every frame in both themes without throwing", () => {
  const view = radixView(stubCtx({ scenarios: [RAW], capacity: 8, share: 0.8, n_requests: 2 }));
  for (const theme of ["light", "dark"]) {
    for (const [w, h] of [[1000, 625], [400, 727]]) {
      for (let f = 0; f < view.frames(); f++) {
        const g = stubCanvas();
        view.draw(g, { frame: f, tween: 0.2, width: w, height: h, palette: palette(theme), font: "sans-serif", playing: true });
        assert.ok(g.calls.fillRect > 5 && g.calls.text > 3);
      }
    }
  }
  assert.equal(view.telemetry(1).length, 7);
  assert.match(view.describe(1), /one-off/);
});
