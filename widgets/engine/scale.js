// Scales and tick generators for charts. DOM-free.

/** Linear map from [d0, d1] to [r0, r1]. */
export function linearScale(d0, d1, r0, r1) {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (x) => r0 + (x - d0) * k;
}

/** Log10 map from [d0, d1] (both > 0) to [r0, r1]. */
export function logScale(d0, d1, r0, r1) {
  const l0 = Math.log10(d0);
  const l1 = Math.log10(d1);
  const k = l1 === l0 ? 0 : (r1 - r0) / (l1 - l0);
  return (x) => r0 + (Math.log10(Math.max(x, Number.MIN_VALUE)) - l0) * k;
}

/** Decade bounds [10^a, 10^b] that enclose [lo, hi] (lo, hi > 0). */
export function decadeDomain(lo, hi) {
  const a = Math.floor(Math.log10(lo));
  let b = Math.ceil(Math.log10(hi));
  if (b === a) b += 1;
  return [10 ** a, 10 ** b];
}

/** Powers of ten inside [lo, hi], thinned to at most `maxTicks`. */
export function logTicks(lo, hi, maxTicks = 6) {
  const a = Math.ceil(Math.log10(lo) - 1e-9);
  const b = Math.floor(Math.log10(hi) + 1e-9);
  const every = Math.max(1, Math.ceil((b - a + 1) / maxTicks));
  const out = [];
  for (let e = a; e <= b; e += every) out.push(10 ** e);
  return out;
}

/** A "nice" step (1, 2 or 5 × 10^k) splitting `span` into about `count` parts. */
export function niceStep(span, count = 5) {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** Nice ticks from 0 up to at least `max`; returns {ticks, top}. */
export function niceTicks(max, count = 4) {
  const step = niceStep(max, count);
  const top = Math.max(step, Math.ceil(max / step - 1e-9) * step);
  const ticks = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(v);
  return { ticks, top };
}

/** Nice byte ticks in the binary unit that fits `max` (e.g. 0, 8, 16 … MiB). */
export function binaryTicks(max, count = 4) {
  const unit = max > 0 ? 1024 ** Math.max(0, Math.floor(Math.log2(max) / 10)) : 1;
  const { ticks, top } = niceTicks(max / unit, count);
  return { ticks: ticks.map((t) => t * unit), top: top * unit };
}

/** Index stride so a series of `n` points draws at most ~2 points per pixel across `px`. */
export function stride(n, px) {
  return Math.max(1, Math.floor(n / Math.max(1, 2 * px)));
}
