import { test } from "node:test";
import assert from "node:assert/strict";
import {
  BAR_LABEL_W, NARROW, aspectFor, barRows, barSteps, leader, panels, pathStart, racerStatus,
} from "../views/optimizers_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test("panels sit inside the canvas, do not overlap, and hold their plots", () => {
  for (const width of [320, 480, NARROW - 1, NARROW, 700, 1000, 1400]) {
    const height = Math.max(420, Math.round(width / aspectFor(width)));
    const L = panels(width, height);
    const canvas = { x: 0, y: 0, w: width, h: height };
    const list = [L.map, L.loss, L.bars];
    for (const p of list) {
      assert.ok(inside(p, canvas), `width ${width}: ${JSON.stringify(p)}`);
      assert.ok(inside(p.plot, p), `width ${width}: plot outside its panel`);
      assert.ok(p.plot.w >= 10 && p.plot.h >= 10);
    }
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
      assert.ok(!overlap(list[i], list[j]), `width ${width}: panels ${i} and ${j} overlap`);
    }
    assert.equal(L.bars.plot.x - L.bars.x, BAR_LABEL_W, "room for the optimiser names");
  }
});

test("racer status reads the (F, R) row-major flags, diverged first", () => {
  const R = 3;
  const conv = Int32Array.from([0, 0, 0, 1, 0, 0, 1, 0, 1]);
  const div = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 1, 0]);
  assert.equal(racerStatus(conv, div, R, 0, 0), "racing");
  assert.equal(racerStatus(conv, div, R, 1, 0), "converged");
  assert.equal(racerStatus(conv, div, R, 2, 1), "diverged");
  assert.equal(racerStatus(conv, div, R, 2, 2), "converged");
  assert.equal(racerStatus(conv, div, R, 1, 2), "racing");
});

test("a bar grows one step per frame and stops at convergence or divergence", () => {
  assert.equal(barSteps(10, 34, -1), 10);
  assert.equal(barSteps(34, 34, -1), 34);
  assert.equal(barSteps(200, 34, -1), 34);
  assert.equal(barSteps(200, -1, -1), 200, "never converged: it keeps racing");
  assert.equal(barSteps(200, -1, 21), 21);
  assert.equal(barSteps(5, -1, 21), 5);
});

test("bar rows are evenly spaced inside the plot and never overlap", () => {
  const plot = { x: 0, y: 10, w: 100, h: 90 };
  const rows = barRows(plot, 3);
  assert.equal(rows.length, 3);
  for (let i = 0; i < 3; i++) {
    assert.ok(rows[i].y >= plot.y && rows[i].y + rows[i].h <= plot.y + plot.h);
    assert.ok(Math.abs(rows[i].mid - (rows[i].y + rows[i].h / 2)) < 1e-9);
    if (i) assert.ok(rows[i].y >= rows[i - 1].y + rows[i - 1].h);
  }
});

test("the leader is the fewest steps among racers already home", () => {
  assert.equal(leader([59, 34, 67], 10), -1);
  assert.equal(leader([59, 34, 67], 34), 1);
  assert.equal(leader([59, -1, 67], 100), 0);
  assert.equal(leader([-1, -1, -1], 300), -1);
});

test("long paths are drawn from a sliding window", () => {
  assert.equal(pathStart(10), 0);
  assert.equal(pathStart(1000, 400), 600);
});

test("on a wide canvas the map takes the larger share of the width", () => {
  const L = panels(1000, 560);
  assert.ok(L.map.w > L.loss.w);
  assert.equal(L.loss.x, L.bars.x);
  assert.equal(L.loss.w, L.bars.w);
});
