import { test } from "node:test";
import assert from "node:assert/strict";
import { binaryTicks, decadeDomain, linearScale, logScale, logTicks, niceStep, niceTicks, stride } from "../engine/scale.js";

test("linear and log scales map the ends of the domain to the ends of the range", () => {
  const s = linearScale(0, 10, 100, 200);
  assert.equal(s(0), 100);
  assert.equal(s(10), 200);
  assert.equal(s(5), 150);
  const l = logScale(1e9, 1e12, 300, 0);
  assert.equal(l(1e9), 300);
  assert.ok(Math.abs(l(1e12)) < 1e-9);
  assert.ok(Math.abs(l(1e10) - 200) < 1e-9);
  assert.equal(linearScale(3, 3, 0, 10)(3), 0, "a degenerate domain does not divide by zero");
});

test("decade domains enclose the data and are never empty", () => {
  assert.deepEqual(decadeDomain(1.3e10, 4e11), [1e10, 1e12]);
  assert.deepEqual(decadeDomain(1e10, 1e10), [1e10, 1e11]);
});

test("log ticks are powers of ten, thinned to the limit", () => {
  assert.deepEqual(logTicks(1e9, 1e12), [1e9, 1e10, 1e11, 1e12]);
  const many = logTicks(1, 1e20, 5);
  assert.ok(many.length <= 5);
  assert.equal(many[0], 1);
});

test("nice ticks", () => {
  assert.equal(niceStep(48, 4), 20);
  assert.equal(niceStep(1, 5), 0.2);
  const { ticks, top } = niceTicks(48, 4);
  assert.deepEqual(ticks, [0, 20, 40, 60]);
  assert.equal(top, 60);
});

test("binary ticks use one binary unit", () => {
  const MiB = 2 ** 20;
  const { ticks, top } = binaryTicks(32 * MiB, 4);
  assert.ok(top >= 32 * MiB);
  for (const t of ticks) assert.equal(t % MiB, 0);
  assert.equal(binaryTicks(0).ticks[0], 0, "an empty series still gets an axis");
  assert.ok(binaryTicks(0).top > 0);
});

test("stride keeps about two points per pixel", () => {
  assert.equal(stride(48, 300), 1);
  assert.equal(stride(100_000, 500), 100);
});
