// Geometry and pure helpers of the notation figure (P0.1). DOM-free, so Node's
// test runner checks it.
//
//   +-----------------------------------------------------------+
//   | the formula of this stage, one token per symbol            |
//   | what the highlighted symbol means                          |
//   +-----------------------------------------------------------+
//   | the table: i, x_i, w_i and the term, one column per entry  |
//   +-----------------------------------------------------------+
//   | the running total, one bar per step of the loop            |
//   +-----------------------------------------------------------+

export const NARROW = 560;
export const STAGES = ["read", "sum", "norm", "sqrt", "transpose", "partial"];

/** Width / height of the canvas: landscape, or taller when narrow. */
export const aspectFor = (width) => (width < NARROW ? 0.7 : 1.7);

/** The bands of the figure for a canvas of width × height CSS px. */
export function panels(width, height) {
  const pad = 12;
  const w = width - 2 * pad;
  const narrow = width < NARROW;
  const formulaH = narrow ? 78 : 92;
  const captionH = narrow ? 40 : 24;
  const formula = { x: pad, y: pad, w, h: formulaH };
  const caption = { x: pad, y: formula.y + formulaH, w, h: captionH };
  const restY = caption.y + captionH + 10;
  const rest = height - pad - restY;
  const tableH = Math.max(96, Math.round(rest * 0.52));
  const table = { x: pad, y: restY, w, h: tableH };
  const chart = { x: pad, y: table.y + tableH + 12, w, h: Math.max(40, height - pad - (table.y + tableH + 12)) };
  const labelW = narrow ? 54 : 92;
  chart.plot = { x: chart.x + labelW, y: chart.y + 24, w: Math.max(10, chart.w - labelW - 8),
    h: Math.max(10, chart.h - 24 - 20) };
  return { pad, narrow, formula, caption, table, chart, labelW };
}

/** Column rectangles of n entries across `box`, after a label column of `labelW` px. */
export function columns(n, box, labelW) {
  const avail = box.w - labelW;
  const cw = Math.min(110, avail / Math.max(1, n));
  const x0 = box.x + labelW + (avail - cw * n) / 2;
  return Array.from({ length: n }, (_, j) => ({ x: x0 + j * cw, y: box.y, w: cw, h: box.h }));
}

/** Which symbol the animation points at in each stage, when the reader points at none. */
export const STAGE_SYMBOL = { read: "sum", sum: "index", norm: "norm", sqrt: "norm", transpose: "transpose",
  partial: "partial" };

/**
 * The formula of a stage as tokens: {t: text, sym: role or "", kind: "text" | "big" | "sub" | "sup",
 * over, under (limits of a big operator)}. `value` is appended after " = " when given.
 */
export function formulaTokens(stage, value) {
  const T = (t, sym = "", kind = "text") => ({ t, sym, kind });
  const sigma = { t: "Σ", sym: "sum", kind: "big", over: "n", under: "i=1" };
  const wi = [T("w", "weight"), T("i", "index", "sub")];
  const xi = [T("x", "value"), T("i", "index", "sub")];
  let toks;
  if (stage === "read" || stage === "sum") toks = [sigma, ...wi, T(" "), ...xi];
  else if (stage === "norm" || stage === "sqrt") {
    toks = [T("‖", "norm"), T("x", "value"), T("‖", "norm"), T("2", "norm", "sub"), T(" = "),
      T("√", "norm"), T("("), sigma, ...xi, T("2", "", "sup"), T(")")];
  } else if (stage === "transpose") {
    toks = [T("w", "weight"), T("T", "transpose", "sup"), T("x", "value"), T(" = "), sigma, ...wi, T(" "), ...xi];
  } else if (stage === "partial") {
    toks = [T("∂", "partial"), T("("), T("w", "weight"), T("T", "transpose", "sup"), T("x", "value"), T(")"),
      T(" / "), T("∂", "partial"), T("w", "weight"), T("k", "index", "sub"), T(" = "), T("x", "value"),
      T("k", "index", "sub")];
  } else throw new Error(`unknown stage ${JSON.stringify(stage)}`);
  if (value !== undefined && value !== null) toks.push(T(" = "), T(value, "result"));
  return toks;
}

/**
 * Place tokens left to right. `measure(text, kind)` gives a width in px; `size` is the
 * main font size. Returns [{...token, x, y, w, h, base}] boxes for drawing and hit-testing.
 */
export function placeTokens(tokens, measure, x0, baseline, size) {
  let x = x0;
  const out = [];
  for (const tok of tokens) {
    let w = measure(tok.t, tok.kind);
    let top = baseline - size;
    let bottom = baseline + size * 0.25;
    let base = baseline;
    if (tok.kind === "sub") { base = baseline + size * 0.3; top = baseline - size * 0.35; bottom = baseline + size * 0.45; }
    if (tok.kind === "sup") { base = baseline - size * 0.45; top = baseline - size * 1.1; bottom = baseline - size * 0.2; }
    if (tok.kind === "big") {
      w = Math.max(w, measure(tok.under || "", "sub"), measure(tok.over || "", "sub"));
      top = baseline - size * 1.75;
      bottom = baseline + size * 0.95;
    }
    out.push({ ...tok, x, y: top, w, h: bottom - top, base });
    x += w + (tok.kind === "big" ? size * 0.2 : 0);
  }
  return out;
}

/** The symbol under (px, py), or "" (the last token wins where boxes touch). */
export function hitSymbol(boxes, px, py, slop = 3) {
  let hit = "";
  for (const b of boxes) {
    if (!b.sym || b.sym === "result") continue;
    if (px >= b.x - slop && px <= b.x + b.w + slop && py >= b.y - slop && py <= b.y + b.h + slop) hit = b.sym;
  }
  return hit;
}

/** Total width of placed tokens. */
export const tokensWidth = (boxes) => (boxes.length ? boxes[boxes.length - 1].x + boxes[boxes.length - 1].w - boxes[0].x : 0);

/**
 * For frame f of a tour (stage and index arrays), the frames of the same stage in order,
 * and the current entry: {stage, first, last, index}. Entries are 1-based; 0 = none.
 */
export function stageSpan(stage, index, f) {
  const s = stage[f];
  let first = f;
  while (first > 0 && stage[first - 1] === s) first -= 1;
  let last = f;
  while (last + 1 < stage.length && stage[last + 1] === s) last += 1;
  return { stage: STAGES[s], first, last, index: index[f] };
}

/** Bar scale domain of values, always including 0 and never empty. */
export function barDomain(values) {
  let lo = 0;
  let hi = 0;
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (hi - lo < 1e-9) hi = lo + 1;
  const padAmt = (hi - lo) * 0.25;
  return [lo < 0 ? lo - padAmt : 0, hi > 0 ? hi + padAmt : 0 + (lo < 0 ? padAmt * 0.2 : 1)];
}
