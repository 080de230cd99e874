// P0.1 "Notation palette": the view the engine mounts.
//
// Traits read: scenarios (one per preset plus "custom", arrays as binary buffers),
// scenario, symbol. The scenario menu and the symbol menu work here in JS; x and w
// re-run the Python simulation (set them from a notebook cell).
//
// Top: the formula of the current stage, drawn token by token; hovering a symbol
// (or choosing it in the Symbol menu, which is the keyboard path) highlights it
// and prints what it means. Middle: the table of i, x_i, w_i and the term of this
// stage, one column per entry, the current column lit. Bottom: the running total.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, text, xAxis, yAxis } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale, niceStep } from "../engine/scale.js";
import {
  STAGE_SYMBOL, aspectFor, barDomain, columns, formulaTokens, hitSymbol, panels, placeTokens, stageSpan,
  tokensWidth,
} from "./notation_layout.js";

const num = (v) => {
  if (!Number.isFinite(v)) return String(v);
  const r = Math.abs(v) < 5e-7 ? 0 : v;
  const t = sig(r, 4);
  return (t.includes(".") ? t.replace(/0+$/, "").replace(/\.$/, "") : t).replace("-", "−");
};

/** What each symbol means: the caption under the formula. */
export const ROLES = {
  sum: "Σ (sigma): add up the term to its right once for every value of the index, from the number below to the one above",
  index: "subscript i (or k): which entry of the vector; in a sum it walks 1, 2, …, n",
  weight: "wᵢ: the i-th entry of the weight vector w",
  value: "xᵢ: the i-th entry of the vector x",
  norm: "‖x‖₂ (the 2-norm): the length of x, the square root of the sum of its squared entries",
  transpose: "ᵀ (transpose): turns the column w into a row, so wᵀx is a row times a column: Σ wᵢxᵢ",
  partial: "∂ (partial derivative): how fast the result changes when only w_k moves, all else held still",
};

const SYMBOL_LABELS = [["", "Follow the animation"], ["sum", "Σ sum"], ["index", "i subscript"],
  ["weight", "wᵢ weight"], ["value", "xᵢ entry"], ["norm", "‖x‖ norm"], ["transpose", "ᵀ transpose"],
  ["partial", "∂ partial derivative"]];

const STAGE_TEXT = {
  read: "read the expression", sum: "Σ as a loop", norm: "squares for the norm", sqrt: "the square root",
  transpose: "transpose: row times column", partial: "partial derivatives",
};

/** A scenario dict from Python -> typed arrays. */
export function decodeScenario(s) {
  const S = {
    key: s.key, label: s.label, n: s.n, dot: s.dot, l2: s.l2,
    stage: toInt32(s.stage), index: toInt32(s.index), term: toFloat32(s.term), running: toFloat32(s.running),
    x: toFloat32(s.x), w: toFloat32(s.w),
  };
  S.frames = S.stage.length;
  return S;
}

export function notationView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;
  let hover = "";
  let boxes = [];
  let canvas = null;

  const scenarioSelect = ui.select({ label: "Operands", options: [], value: "",
    onChange: (v) => ctx.set("scenario", v) });
  const symbolSelect = ui.select({ label: "Symbol", options: SYMBOL_LABELS.map(([value, label]) => ({ value, label })),
    value: model.get("symbol") || "", onChange: (v) => ctx.set("symbol", v) });

  const pick = () => {
    const want = model.get("scenario");
    S = scenarios.find((s) => s.key === want) || scenarios[0] || null;
    if (S) scenarioSelect.set(S.key);
  };
  const load = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    scenarioSelect.setOptions(scenarios.map((s) => ({ value: s.key, label: s.label })));
    pick();
  };
  load();
  ctx.watch("scenarios", () => { load(); ctx.refresh(); });
  ctx.watch("scenario", () => { pick(); ctx.refresh(); });
  ctx.watch("symbol", () => { symbolSelect.set(model.get("symbol") || ""); ctx.refresh(); });

  const onMove = (e) => {
    const r = canvas.getBoundingClientRect();
    const s = hitSymbol(boxes, e.clientX - r.left, e.clientY - r.top);
    if (s !== hover) { hover = s; canvas.style.cursor = s ? "help" : ""; ctx.refresh(); }
  };
  const onLeave = () => { if (hover) { hover = ""; ctx.refresh(); } };
  const attach = (c) => {
    if (canvas === c) return;
    canvas = c;
    c.addEventListener("pointermove", onMove);
    c.addEventListener("pointerleave", onLeave);
  };

  const span = (f) => stageSpan(S.stage, S.index, Math.min(Math.max(0, f), S.frames - 1));
  const active = (sp) => hover || model.get("symbol") || STAGE_SYMBOL[sp.stage];
  const resultText = (f, sp) => {
    if (sp.stage === "read") return "?";
    if (sp.stage === "partial") return num(S.term[f]);
    return num(S.running[f]);
  };

  // -- the formula -----------------------------------------------------------------------
  function drawFormula(g, L, f, sp, c) {
    const { pal } = c;
    const p = L.formula;
    const on = active(sp);
    let size = L.narrow ? 24 : 30;
    const measure = (t, kind) => {
      font(g, c.fam, kind === "sub" || kind === "sup" ? Math.round(size * 0.62) : kind === "big" ? Math.round(size * 1.35) : size,
        kind === "big" ? 400 : 400);
      return g.measureText(t).width;
    };
    const toks = formulaTokens(sp.stage, resultText(f, sp));
    let placed = placeTokens(toks, measure, 0, 0, size);
    while (tokensWidth(placed) > p.w - 8 && size > 14) {
      size -= 2;
      placed = placeTokens(toks, measure, 0, 0, size);
    }
    const width = tokensWidth(placed);
    const baseline = p.y + p.h * 0.58;
    boxes = placeTokens(toks, measure, p.x + Math.max(0, (p.w - width) / 2), baseline, size);
    for (const b of boxes) {
      const lit = b.sym && b.sym === on;
      if (lit) {
        g.fillStyle = mix(pal.highlight, pal.bg, 0.55);
        g.fillRect(b.x - 2, b.y, b.w + 4, b.h);
      }
      const color = b.sym === "result" ? pal.compute : b.sym === "weight" ? pal.memory : b.sym === "value" ? pal.cache : pal.fg;
      if (b.kind === "big") {
        font(g, c.fam, Math.round(size * 1.35));
        text(g, b.t, b.x + b.w / 2, b.base + size * 0.2, { color, align: "center" });
        font(g, c.fam, Math.round(size * 0.55));
        text(g, b.over, b.x + b.w / 2, b.y + size * 0.05, { color, align: "center", baseline: "top" });
        text(g, b.under, b.x + b.w / 2, b.y + b.h, { color, align: "center", baseline: "bottom" });
      } else {
        font(g, c.fam, b.kind === "sub" || b.kind === "sup" ? Math.round(size * 0.62) : size, b.sym === "result" ? 700 : 400);
        text(g, b.t, b.x, b.base, { color });
      }
    }
    // caption: what the highlighted symbol means
    font(g, c.fam, 13);
    const cap = `${hover ? "Hovered" : model.get("symbol") ? "Chosen" : "Now"}: ${ROLES[on] || ""}`;
    wrapText(g, cap, L.caption.x, L.caption.y + 4, L.caption.w, 16, pal.fg, L.narrow ? 2 : 1);
  }

  function wrapText(g, s, x, y, w, lineH, color, maxLines) {
    const words = s.split(" ");
    let line = "";
    let n = 0;
    for (let i = 0; i < words.length; i++) {
      const tryLine = line ? `${line} ${words[i]}` : words[i];
      if (g.measureText(tryLine).width > w && line) {
        n += 1;
        if (n >= maxLines) { text(g, `${line}…`, x, y + (n - 1) * lineH, { color, baseline: "top" }); return; }
        text(g, line, x, y + (n - 1) * lineH, { color, baseline: "top" });
        line = words[i];
      } else line = tryLine;
    }
    if (line) text(g, line, x, y + n * lineH, { color, baseline: "top" });
  }

  // -- the table --------------------------------------------------------------------------
  function drawTable(g, L, f, sp, c) {
    const { pal } = c;
    const box = L.table;
    const cols = columns(S.n, box, L.labelW);
    const rowH = Math.min(32, box.h / 5);
    const termName = { read: "term", sum: "wᵢ·xᵢ", norm: "xᵢ²", sqrt: "xᵢ²", transpose: "wᵢ·xᵢ", partial: "∂/∂wₖ" }[sp.stage];
    const rows = [["i", pal.muted], ["x", pal.cache], ["w", pal.memory], [termName, pal.compute]];
    const on = active(sp);
    const cur = sp.index;
    const fs = L.narrow ? 12 : 14;
    // which entries count as done in this stage
    const done = (j) => {
      if (sp.stage === "sqrt" || sp.stage === "transpose") return true;
      if (sp.stage === "read") return false;
      return j + 1 <= cur;
    };
    const termOf = (j) => {
      if (sp.stage === "sqrt") return S.x[j] * S.x[j];
      if (sp.stage === "transpose") return S.w[j] * S.x[j];
      return S.term[sp.first + j];                   // the frame of entry j+1 in this stage
    };
    font(g, c.fam, fs, 600);
    rows.forEach(([name, color], r) => {
      const y = box.y + r * rowH + rowH / 2;
      text(g, name, box.x + L.labelW - 10, y, { color, align: "right", baseline: "middle" });
    });
    for (let j = 0; j < S.n; j++) {
      const col = cols[j];
      const isCur = cur === j + 1;
      if (isCur || ((on === "index") && sp.stage !== "read" && isCur)) {
        g.fillStyle = mix(pal.highlight, pal.bg, 0.6);
        g.fillRect(col.x + 2, box.y, col.w - 4, rowH * 4);
      }
      const cells = [
        [String(j + 1), on === "index" ? pal.fg : pal.muted, on === "index"],
        [num(S.x[j]), pal.fg, on === "value"],
        [num(S.w[j]), pal.fg, on === "weight" || on === "transpose"],
        [done(j) ? num(termOf(j)) : "·", done(j) ? pal.fg : pal.muted, isCur],
      ];
      cells.forEach(([s, color, bold], r) => {
        const y = box.y + r * rowH;
        if (r > 0) {
          g.strokeStyle = pal.border;
          g.lineWidth = 1;
          g.strokeRect(Math.round(col.x + 4) + 0.5, Math.round(y + 2) + 0.5, Math.round(col.w - 8), Math.round(rowH - 4));
        }
        font(g, c.fam, fs, bold ? 700 : 400);
        text(g, s, col.x + col.w / 2, y + rowH / 2, { color, align: "center", baseline: "middle" });
      });
    }
    if (sp.stage === "transpose") {                     // w as a row times x as a column
      font(g, c.fam, 13);
      const s = `wᵀ (a 1×${S.n} row) times x (an ${S.n}×1 column) = one number: ${num(S.dot)}`;
      text(g, s, box.x + box.w / 2, box.y + rowH * 4 + 6, { color: pal.fg, align: "center", baseline: "top" });
    } else if (sp.stage === "partial" && cur > 0) {
      font(g, c.fam, 13);
      const s = `nudge w${sub(cur)} up and down a little: wᵀx moves ${num(S.term[sp.first + cur - 1])} times as much, which is x${sub(cur)}`;
      text(g, s, box.x + box.w / 2, box.y + rowH * 4 + 6, { color: pal.fg, align: "center", baseline: "top" });
    }
  }

  const sub = (k) => String(k).split("").map((d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]).join("");

  // -- the running total ------------------------------------------------------------------
  function drawChart(g, L, f, sp, c) {
    const { pal } = c;
    const p = L.chart;
    const plot = p.plot;
    let vals;
    let title;
    let upto;
    let ref = null;
    if (sp.stage === "sum" || sp.stage === "read" || sp.stage === "transpose") {
      const s0 = 1;                                       // sum frames are 1..n
      vals = Array.from(S.running.slice(s0, s0 + S.n));
      upto = sp.stage === "sum" ? cur(sp) : sp.stage === "transpose" ? S.n : 0;
      title = "Running total of Σ wᵢxᵢ after each i";
      if (sp.stage === "transpose") ref = [S.dot, `wᵀx = ${num(S.dot)}`];
    } else if (sp.stage === "norm" || sp.stage === "sqrt") {
      const s0 = 1 + S.n;
      vals = Array.from(S.running.slice(s0, s0 + S.n));
      upto = sp.stage === "norm" ? cur(sp) : S.n;
      title = "Running sum of xᵢ² after each i";
      if (sp.stage === "sqrt") ref = [S.l2, `‖x‖₂ = √${num(vals[S.n - 1])} = ${num(S.l2)}`];
    } else {
      vals = Array.from(S.term.slice(sp.first, sp.first + S.n));
      upto = cur(sp);
      title = "∂(wᵀx)/∂wₖ, measured one k at a time";
    }
    heading(g, p, [title], null, c);
    const dom = barDomain(ref ? [...vals, ref[0]] : vals);
    const sy = linearScale(dom[0], dom[1], plot.y + plot.h, plot.y);
    const cols = columns(S.n, { x: plot.x, y: plot.y, w: plot.w, h: plot.h }, 0);
    font(g, c.fam, 12);
    const step = niceStep(dom[1] - dom[0], 3);
    const ticks = [];
    for (let v = Math.ceil(dom[0] / step) * step; v <= dom[1] + 1e-9; v += step) ticks.push(v);
    yAxis(g, plot, ticks, sy, (v) => num(Math.abs(v) < 1e-9 ? 0 : v), pal);
    const sx = (i) => cols[Math.min(S.n - 1, Math.max(0, i - 1))].x + cols[0].w / 2;
    xAxis(g, { ...plot, y: plot.y, h: sy(0) - plot.y }, Array.from({ length: S.n }, (_, j) => j + 1), sx,
      (v) => `${sp.stage === "partial" ? "k" : "i"}=${v}`, pal);
    for (let j = 0; j < S.n; j++) {
      const col = cols[j];
      const y0 = sy(0);
      const y1 = sy(vals[j]);
      const isDone = j + 1 <= upto;
      g.fillStyle = isDone ? (j + 1 === cur(sp) ? pal.compute : mix(pal.compute, pal.bg, 0.35)) : mix(pal.muted, pal.bg, 0.8);
      const bw = Math.max(4, col.w * 0.5);
      g.fillRect(col.x + (col.w - bw) / 2, Math.min(y0, y1), bw, Math.max(1, Math.abs(y1 - y0)));
      if (isDone) {
        font(g, c.fam, 12, j + 1 === cur(sp) ? 700 : 400);
        const above = vals[j] >= 0;
        text(g, num(vals[j]), col.x + col.w / 2, above ? Math.min(y0, y1) - 4 : Math.max(y0, y1) + 4,
          { color: pal.fg, align: "center", baseline: above ? "bottom" : "top" });
      }
    }
    if (ref) {
      const y = sy(ref[0]);
      g.strokeStyle = pal.cache;
      g.lineWidth = 2;
      g.setLineDash([6, 4]);
      g.beginPath();
      g.moveTo(plot.x, y);
      g.lineTo(plot.x + plot.w, y);
      g.stroke();
      g.setLineDash([]);
      font(g, c.fam, 13, 700);
      text(g, `dashed: ${ref[1]}`, p.x + p.w, p.y + 12, { color: pal.cache, align: "right" });
    }
  }

  const cur = (sp) => sp.index;

  return {
    title: "Notation: reading Σ, subscripts, norms, ᵀ and ∂",
    fps: 1,
    loop: true,
    aspect: aspectFor,
    minHeight: 420,
    frames: () => (S ? S.frames : 1),
    frameLabel: (f) => (S ? `step ${formatInt(f + 1)} / ${formatInt(S.frames)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure: the sum of w_i times x_i evaluated one term at a time for ${S.n} entries, then the 2-norm `
        + "of x, the transpose w^T x and the partial derivatives. Top, the formula with the highlighted symbol and "
        + "its meaning; middle, the table of x, w and the terms; bottom, the running total as bars."
      : "Notation figure (no data)"),

    draw(g, info) {
      if (!S || !S.frames) throw new Error("no scenario to draw: the widget state has no trace");
      attach(g.canvas);
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const f = Math.min(info.frame, S.frames - 1);
      const sp = span(f);
      drawFormula(g, L, f, sp, c);
      drawTable(g, L, f, sp, c);
      drawChart(g, L, f, sp, c);
    },

    telemetry(frame) {
      if (!S || !S.frames) return [];
      const f = Math.min(frame, S.frames - 1);
      const sp = span(f);
      const i = sp.index;
      const rows = [
        ["Step", `${formatInt(f + 1)} of ${formatInt(S.frames)}: ${STAGE_TEXT[sp.stage]}`],
        ["Index", i ? `${sp.stage === "partial" ? "k" : "i"} = ${i} of n = ${S.n}` : `n = ${S.n}`],
      ];
      if (i) rows.push(["Entries", `x${sub(i)} = ${num(S.x[i - 1])}, w${sub(i)} = ${num(S.w[i - 1])}`]);
      if (sp.stage === "sum") rows.push(["This term wᵢxᵢ", num(S.term[f])], ["Running total", num(S.running[f])]);
      if (sp.stage === "norm") rows.push(["This term xᵢ²", num(S.term[f])], ["Sum of squares", num(S.running[f])]);
      if (sp.stage === "sqrt") rows.push(["‖x‖₂", num(S.running[f])]);
      if (sp.stage === "transpose") rows.push(["wᵀx", num(S.running[f])]);
      if (sp.stage === "partial") rows.push(["∂(wᵀx)/∂wₖ", num(S.term[f])]);
      rows.push(["Symbol", (ROLES[active(sp)] || "").split(":")[0]]);
      return rows;
    },

    describe(frame) {
      if (!S || !S.frames) return "No trace to describe.";
      const f = Math.min(frame, S.frames - 1);
      const sp = span(f);
      const i = sp.index;
      const head = `${S.label}. Step ${f + 1} of ${S.frames}: ${STAGE_TEXT[sp.stage]}.`;
      const tail = {
        read: ` The sum of w_i x_i for i from 1 to ${S.n}, not yet evaluated.`,
        sum: ` i = ${i}: adds w_${i} x_${i} = ${num(S.term[f])}; running total ${num(S.running[f])}.`,
        norm: ` i = ${i}: adds x_${i} squared = ${num(S.term[f])}; sum of squares ${num(S.running[f])}.`,
        sqrt: ` The 2-norm of x is the square root of the sum of squares: ${num(S.running[f])}.`,
        transpose: ` w transposed times x is the same sum of products: ${num(S.running[f])}.`,
        partial: ` The partial derivative of w^T x with respect to w_${i} is ${num(S.term[f])}, which is x_${i}.`,
      }[sp.stage];
      return head + tail;
    },

    destroy() {
      if (canvas) {
        canvas.removeEventListener("pointermove", onMove);
        canvas.removeEventListener("pointerleave", onLeave);
      }
    },
  };
}
