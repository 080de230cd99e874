import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeScenario, kvcacheView } from "../views/kvcache.js";

const f32 = (xs) => new DataView(new Float32Array(xs).buffer);
const i32 = (xs) => new DataView(new Int32Array(xs).buffer);

function scenario(name, display) {
  const ctx = [5, 6, 7];
  return {
    name, display_name: display, n_layers: 32, n_heads: 32, n_kv_heads: 8, head_dim: 128,
    attention: "gqa", prompt_len: 4, n_new: 3, dtype: "bf16", kv_bytes_per_token: 131072,
    context_len: i32(ctx), flops_cached: f32([1e10, 1.1e10, 1.2e10]),
    flops_recompute: f32([5e10, 6e10, 7e10]), kv_bytes: f32(ctx.map((n) => n * 131072)),
    cum_flops_cached: f32([1e10, 2.1e10, 3.3e10]), cum_flops_recompute: f32([5e10, 11e10, 18e10]),
  };
}

function fakeModel(state) {
  const handlers = new Map();
  return {
    get: (k) => state[k],
    set: (k, v) => { state[k] = v; (handlers.get(`change:${k}`) || []).forEach((f) => f()); },
    on: (ev, f) => handlers.set(ev, [...(handlers.get(ev) || []), f]),
    off: () => {},
  };
}

function fakeCtx(state) {
  const model = fakeModel(state);
  const controls = [];
  const control = (spec) => {
    const c = { ...spec, value: spec.value ?? spec.checked, set(v) { c.value = v; }, setOptions(o) { c.options = o; } };
    controls.push(c);
    return c;
  };
  let refreshed = 0;
  const ctx = {
    model,
    ui: { select: control, checkbox: control, number: control },
    watch: (name, fn) => model.on(`change:${name}`, fn),
    set: (k, v) => model.set(k, v),
    refresh: () => { refreshed += 1; },
    inputError: () => {},
  };
  return { ctx, controls, model, refreshed: () => refreshed };
}

const state = () => ({
  scenarios: [scenario("a", "Model A"), scenario("b", "Model B")], model: "b", cached: true,
  prompt_len: 4, n_new: 3, dtype: "bf16", dtype_options: ["fp32", "bf16", "fp8"], frame: 0, playing: true,
});

test("decodeScenario turns binary buffers into typed arrays and extents", () => {
  const S = decodeScenario(scenario("a", "Model A"));
  assert.deepEqual([...S.ctx], [5, 6, 7]);
  assert.equal(S.nNew, 3);
  assert.equal(S.N, 7);
  assert.equal(S.minFlops, Math.fround(1e10));
  assert.equal(S.maxFlops, Math.fround(7e10));
  assert.equal(S.maxKv, 7 * 131072);
});

test("the view offers every scenario and follows the model trait", () => {
  const { ctx, controls, model, refreshed } = fakeCtx(state());
  const view = kvcacheView(ctx);
  const [modelSelect, cacheBox, promptInput, newInput, dtypeSelect] = controls;
  assert.deepEqual(modelSelect.options.map((o) => o.label), ["Model A", "Model B"]);
  assert.equal(modelSelect.value, "b");
  assert.equal(cacheBox.value, true);
  assert.equal(modelSelect.python, undefined, "switching model needs no kernel");
  assert.equal(promptInput.python, true);
  assert.equal(newInput.python, true);
  assert.equal(dtypeSelect.python, true);
  assert.deepEqual(dtypeSelect.options.map((o) => o.value), ["fp32", "bf16", "fp8"]);
  assert.equal(view.frames(), 3);
  modelSelect.onChange("a");
  assert.equal(model.get("model"), "a");
  assert.equal(modelSelect.value, "a");
  assert.ok(refreshed() >= 1);
});

test("telemetry and description report the same state", () => {
  const { ctx, model } = fakeCtx(state());
  const view = kvcacheView(ctx);
  const t = Object.fromEntries(view.telemetry(1));
  assert.equal(t["Decode step"], "2 of 3");
  assert.equal(t["Context length"], "6 tokens");
  assert.equal(t["FLOPs this step, KV cache"], "11.0 GFLOP");
  assert.equal(t["FLOPs this step, recompute"], "60.0 GFLOP");
  assert.equal(t["Recompute ÷ KV cache"], "5.45×");
  assert.equal(t["KV cache size"], "768 KiB");
  assert.equal(t["FLOPs so far, recompute"], "110 GFLOP");
  const on = view.describe(1);
  assert.match(on, /^Model B, decode step 2 of 3, context 6 tokens, KV cache on/);
  assert.match(on, /11\.0 GFLOP/);
  assert.match(on, /768 KiB/);
  model.set("cached", false);
  assert.match(view.describe(1), /KV cache off: this step recomputes all 6 tokens for 60\.0 GFLOP/);
  assert.equal(view.frameLabel(2), "step 3 / 3");
});

test("a new trace from Python changes the frame count", () => {
  const { ctx, model } = fakeCtx(state());
  const view = kvcacheView(ctx);
  const s = scenario("a", "Model A");
  s.context_len = i32([5, 6]);
  model.set("scenarios", [s]);
  assert.equal(view.frames(), 2);
  assert.match(view.describe(0), /^Model A/, "an unknown model name falls back to the first scenario");
});
