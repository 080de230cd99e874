// The static-page loader's pure parts: buffers back at their paths, and the model widgets use.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const source = readFileSync(new URL("../page/embed.js", import.meta.url), "utf8");
const sandbox = { atob, URL, Blob, console };
sandbox.globalThis = sandbox;
vm.runInNewContext(source, sandbox);
const embed = sandbox.vizkitEmbed;

const f32 = (values) => Buffer.from(new Float32Array(values).buffer).toString("base64");

test("a base64 buffer is put back at its nested path as a DataView", () => {
  const entry = {
    state: { scenarios: [{ key: "a", loss: null }, { key: "b", loss: null }], n: 3 },
    buffers: [{ path: ["scenarios", 1, "loss"], encoding: "base64", data: f32([1.5, -2, 3.25]) }],
  };
  const state = embed.decodeState(entry);
  const dv = state.scenarios[1].loss;
  assert.equal(dv.constructor.name, "DataView");
  assert.deepEqual([0, 1, 2].map((i) => dv.getFloat32(4 * i, true)), [1.5, -2, 3.25]);
  assert.equal(state.scenarios[0].loss, null, "other paths untouched");
  assert.equal(state.n, 3);
});

test("hex buffers decode to the same bytes as base64", () => {
  const bytes = Buffer.from([0, 1, 127, 128, 255]);
  const a = embed.hexToDataView(bytes.toString("hex"));
  const b = embed.b64ToDataView(bytes.toString("base64"));
  assert.deepEqual([...new Uint8Array(a.buffer)], [...bytes]);
  assert.deepEqual([...new Uint8Array(b.buffer)], [...bytes]);
});

test("the static model notifies change listeners once per real change and honours off", () => {
  const m = embed.staticModel({ frame: 0 });
  let calls = 0;
  const f = () => { calls += 1; };
  m.on("change:frame", f);
  m.set("frame", 1);
  m.set("frame", 1);            // no change, no event
  assert.equal(calls, 1);
  assert.equal(m.get("frame"), 1);
  m.off("change:frame", f);
  m.set("frame", 2);
  assert.equal(calls, 1);
  assert.doesNotThrow(() => { m.save_changes(); m.send({ type: "ping" }); });
});

test("only anywidget models with their module are rendered by the small loader", () => {
  assert.equal(embed.isAnywidget({ model_module: "anywidget", state: { _esm: "export default {}" } }), true);
  assert.equal(embed.isAnywidget({ model_module: "@jupyter-widgets/controls", state: {} }), false);
  assert.equal(embed.isAnywidget({ model_module: "anywidget", state: {} }), false);
  assert.equal(embed.isAnywidget(undefined), false);
});
