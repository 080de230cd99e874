import { test } from "node:test";
import assert from "node:assert/strict";
import { toFloat32, toInt32 } from "../engine/codec.js";

const le32 = (values, float) => {
  const buf = new ArrayBuffer(values.length * 4);
  const d = new DataView(buf);
  values.forEach((v, i) => (float ? d.setFloat32(i * 4, v, true) : d.setInt32(i * 4, v, true)));
  return buf;
};

test("decodes DataView, ArrayBuffer, typed arrays, base64 and plain lists", () => {
  const buf = le32([1.5, -2, 1e12], true);
  const want = [1.5, -2, Math.fround(1e12)];
  assert.deepEqual([...toFloat32(new DataView(buf))], want);
  assert.deepEqual([...toFloat32(buf)], want);
  assert.deepEqual([...toFloat32(new Uint8Array(buf))], want);
  assert.deepEqual([...toFloat32(Buffer.from(buf).toString("base64"))], want);
  assert.deepEqual([...toInt32([3, 4, 5])], [3, 4, 5]);
});

test("respects a DataView's offset into a larger, unaligned buffer", () => {
  const inner = new Uint8Array(le32([17, 18, 19], false));
  const big = new Uint8Array(inner.length + 3);
  big.set(inner, 3);
  const view = new DataView(big.buffer, 3, inner.length);
  assert.deepEqual([...toInt32(view)], [17, 18, 19]);
});

test("anything else decodes to an empty array", () => {
  assert.equal(toFloat32(undefined).length, 0);
  assert.equal(toInt32(null).length, 0);
});
