// Geometry helpers of the recurrence figure. DOM-free, so Node's test runner checks it.
//
//   +--------------------------------+-----------------------------------+
//   | RNN: tokens read one per step, | tokens with an output vs step:    |
//   | the hidden state h_t           | RNN staircase, attention at once  |
//   +--------------------------------+-----------------------------------+
//   | attention: the causal T×T      | influence of token t on the last  |
//   | weights, all rows at step 1    | state (log), RNN vs attention     |
//   +--------------------------------+-----------------------------------+
//
// Narrow canvases stack the panels in one column.

export const NARROW = 560;

/** Width / height of the canvas: landscape, or a portrait stack when narrow. */
export const aspectFor = (width) => (width < NARROW ? 0.5 : 1.7);

/** The four panels and their plot areas for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const narrow = width < NARROW;
  const gapX = 28;
  const gapY = 14;
  let rnn;
  let attn;
  let prog;
  let infl;
  if (narrow) {
    const w = width - 2 * pad;
    const inner = height - 2 * pad - 3 * gapY;
    const hs = [0.22, 0.3, 0.24].map((f) => Math.round(inner * f));
    rnn = { x: pad, y: pad, w, h: hs[0] };
    attn = { x: pad, y: rnn.y + hs[0] + gapY, w, h: hs[1] };
    prog = { x: pad, y: attn.y + hs[1] + gapY, w, h: hs[2] };
    infl = { x: pad, y: prog.y + hs[2] + gapY, w, h: height - pad - (prog.y + hs[2] + gapY) };
  } else {
    const innerW = width - 2 * pad - gapX;
    const leftW = Math.round(innerW * 0.5);
    const innerH = height - 2 * pad;
    const half = Math.round((innerH - gapY) * 0.45);
    rnn = { x: pad, y: pad, w: leftW, h: half };
    attn = { x: pad, y: pad + half + gapY, w: leftW, h: innerH - half - gapY };
    const rx = pad + leftW + gapX;
    prog = { x: rx, y: pad, w: innerW - leftW, h: half };
    infl = { x: rx, y: pad + half + gapY, w: innerW - leftW, h: innerH - half - gapY };
  }
  rnn.plot = { x: rnn.x, y: rnn.y + 40, w: rnn.w, h: Math.max(10, rnn.h - 40) };
  attn.plot = { x: attn.x + 30, y: attn.y + 40, w: Math.max(10, attn.w - 30), h: Math.max(10, attn.h - 40 - 4) };
  for (const p of [prog, infl]) {
    p.plot = { x: p.x + 50, y: p.y + 40, w: Math.max(10, p.w - 58), h: Math.max(10, p.h - 40 - 22) };
  }
  return { pad, narrow, rnn, attn, prog, infl };
}

/** `n` equal boxes across `w` px from `x`, separated by gaps: [{x, w}], each at least 1 px wide. */
export function slots(n, x, w) {
  const gap = n > 1 ? Math.min(4, (w / n) * 0.2) : 0;
  const bw = Math.max(1, (w - gap * (n - 1)) / n);
  return Array.from({ length: n }, (_, i) => ({ x: x + i * (bw + gap), w: bw }));
}

/** A square T × T grid inside `box`, centred horizontally: {x, y, cell, size}. */
export function grid(T, box) {
  const size = Math.max(T, Math.min(box.w, box.h));
  const cell = size / T;
  return { x: box.x + (box.w - size) / 2, y: box.y, cell, size };
}

/** Log10 domain [lo, hi] (integers) holding every positive finite value, no lower than log10(floor). */
export function logRange(values, floor = 1e-8) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) continue;
    const l = Math.log10(Math.max(v, floor));
    if (l < lo) lo = l;
    if (l > hi) hi = l;
  }
  if (!Number.isFinite(lo)) return [Math.log10(floor), 0];
  lo = Math.floor(lo);
  hi = Math.ceil(hi);
  if (hi === lo) hi += 1;
  return [lo, hi];
}
