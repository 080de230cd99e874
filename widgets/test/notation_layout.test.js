import { test } from "node:test";
import assert from "node:assert/strict";
import {
  NARROW, STAGES, STAGE_SYMBOL, aspectFor, barDomain, columns, formulaTokens, hitSymbol, panels, placeTokens,
  stageSpan, tokensWidth,
} from "../views/notation_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const measure = (t, kind) => t.length * (kind === "sub" || kind === "sup" ? 8 : kind === "big" ? 20 : 12);

test("bands sit inside the canvas, in order, without overlapping", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 800, 1200]) {
    const height = Math.max(420, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    const canvas = { x: 0, y: 0, w: width, h: height };
    const list = [L.formula, L.caption, L.table, L.chart];
    for (const p of list) assert.ok(inside(p, canvas), `width ${width}: ${JSON.stringify(p)}`);
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
      assert.ok(!overlap(list[i], list[j]), `width ${width}: bands ${i} and ${j} overlap`);
    }
    assert.ok(inside(L.chart.plot, L.chart));
    assert.equal(L.narrow, width < NARROW);
  }
});

test("columns are equal, inside the box, and after the label column", () => {
  const box = { x: 10, y: 0, w: 600, h: 100 };
  for (const n of [1, 2, 5, 8]) {
    const cols = columns(n, box, 80);
    assert.equal(cols.length, n);
    for (const c of cols) {
      assert.ok(inside(c, box));
      assert.ok(c.x >= box.x + 80 - 1e-9);
      assert.ok(Math.abs(c.w - cols[0].w) < 1e-9);
    }
    for (let j = 1; j < n; j++) assert.ok(Math.abs(cols[j].x - cols[j - 1].x - cols[0].w) < 1e-9);
  }
});

test("every stage has a formula, and its animated symbol appears in it", () => {
  for (const s of STAGES) {
    const toks = formulaTokens(s, "4");
    const syms = new Set(toks.map((t) => t.sym));
    assert.ok(syms.has(STAGE_SYMBOL[s]), `${s} lacks ${STAGE_SYMBOL[s]}`);
    assert.equal(toks[toks.length - 1].t, "4");
  }
  assert.ok(formulaTokens("transpose").some((t) => t.sym === "transpose" && t.kind === "sup"));
  assert.ok(formulaTokens("partial").filter((t) => t.sym === "partial").length === 2);
  assert.throws(() => formulaTokens("nope"), /unknown stage/);
});

test("placed tokens run left to right and hit-testing finds each symbol", () => {
  const boxes = placeTokens(formulaTokens("sum", "4"), measure, 20, 60, 24);
  for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i].x >= boxes[i - 1].x + boxes[i - 1].w - 1e-9);
  assert.ok(tokensWidth(boxes) > 0);
  for (const b of boxes) {
    if (!b.sym || b.sym === "result") continue;
    assert.equal(hitSymbol(boxes, b.x + b.w / 2, b.y + b.h / 2, 0), b.sym);
  }
  assert.equal(hitSymbol(boxes, 0, 0), "");
  const sigma = boxes.find((b) => b.kind === "big");
  const w = boxes.find((b) => b.t === "w");
  assert.ok(sigma.h > w.h, "Σ with its limits is taller than a letter");
  const sub = boxes.find((b) => b.kind === "sub");
  assert.ok(sub.base > w.base, "a subscript sits below the baseline");
});

test("stageSpan finds the frames of the current stage", () => {
  // n = 2: read, sum×2, norm×2, sqrt, transpose, partial×2
  const stage = [0, 1, 1, 2, 2, 3, 4, 5, 5];
  const index = [0, 1, 2, 1, 2, 0, 0, 1, 2];
  assert.deepEqual(stageSpan(stage, index, 0), { stage: "read", first: 0, last: 0, index: 0 });
  assert.deepEqual(stageSpan(stage, index, 2), { stage: "sum", first: 1, last: 2, index: 2 });
  assert.deepEqual(stageSpan(stage, index, 3), { stage: "norm", first: 3, last: 4, index: 1 });
  assert.deepEqual(stageSpan(stage, index, 8), { stage: "partial", first: 7, last: 8, index: 2 });
});

test("bar domains include zero and have room around the bars", () => {
  const [lo, hi] = barDomain([1, 3, 2]);
  assert.equal(lo, 0);
  assert.ok(hi > 3);
  const [lo2, hi2] = barDomain([-2, 1]);
  assert.ok(lo2 < -2 && hi2 > 1);
  const [lo3, hi3] = barDomain([0, 0]);
  assert.ok(hi3 > lo3);
  const [lo4, hi4] = barDomain([-3, -1]);
  assert.ok(lo4 < -3 && hi4 >= 0);
});
