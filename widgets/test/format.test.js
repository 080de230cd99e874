import { test } from "node:test";
import assert from "node:assert/strict";
import { formatBytes, formatBytesShort, formatInt, formatRatio, formatSI, formatSIShort, sig } from "../engine/format.js";

test("sig keeps significant digits without exponents", () => {
  assert.equal(sig(14.237), "14.2");
  assert.equal(sig(0.0012345), "0.00123");
  assert.equal(sig(9.996), "10.0");
  assert.equal(sig(999.6), "1000");
  assert.equal(sig(0), "0");
});

test("SI prefixes", () => {
  assert.equal(formatSI(1.42e10, "FLOP"), "14.2 GFLOP");
  assert.equal(formatSI(2.5e12, "FLOP"), "2.50 TFLOP");
  assert.equal(formatSI(999.96e9, "FLOP"), "1.00 TFLOP", "rounding moves up a prefix");
  assert.equal(formatSI(512, "B"), "512 B");
  assert.equal(formatSI(0, "FLOP"), "0 FLOP");
  assert.equal(formatSI(-3e6, "FLOP"), "−3.00 MFLOP");
  assert.equal(formatSIShort(1e10, "FLOP"), "10 GFLOP");
  assert.equal(formatSIShort(2.5e12, "FLOP"), "2.5 TFLOP");
});

test("binary units", () => {
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1536), "1.50 KiB");
  assert.equal(formatBytes(3 * 2 ** 20), "3.00 MiB");
  assert.equal(formatBytes(512 * 2 ** 10), "512 KiB");
  assert.equal(formatBytes(1023.9 * 2 ** 20), "1.00 GiB", "rounding moves up a unit");
  assert.equal(formatBytes(2 ** 40 * 1.25), "1.25 TiB");
  assert.equal(formatBytesShort(32 * 2 ** 20), "32 MiB");
  assert.equal(formatBytesShort(1.5 * 2 ** 30), "1.5 GiB");
  assert.equal(formatBytesShort(0), "0 B");
});

test("integers and ratios", () => {
  assert.equal(formatInt(1234567), "1,234,567");
  assert.equal(formatInt(999), "999");
  assert.equal(formatInt(-1000), "−1,000");
  assert.equal(formatRatio(27.43), "27.4×");
  assert.equal(formatRatio(2.345), "2.35×");
  assert.equal(formatRatio(12345), "12,345×");
  assert.equal(formatRatio(Infinity), "—");
});
