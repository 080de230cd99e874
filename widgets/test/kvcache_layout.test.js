import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MAX_LAYER_ROWS, cacheCellRect, cacheGeometry, cellRect, layerGrouping, panels, rowOfLayer, snap,
  tokenTicks, triangleGeometry, trianglePolygon,
} from "../views/kvcache_layout.js";

const inside = (r, box, eps = 1e-9) =>
  r.x >= box.x - eps && r.y >= box.y - eps && r.x + r.w <= box.x + box.w + eps && r.y + r.h <= box.y + box.h + eps;

test("layers are grouped once there are more than 32", () => {
  assert.deepEqual(layerGrouping(12), { nLayers: 12, perRow: 1, rows: 12, lastRow: 1, label: "" });
  assert.equal(layerGrouping(32).rows, 32);
  const ds = layerGrouping(60); // DeepSeek-V2
  assert.equal(ds.perRow, 2);
  assert.equal(ds.rows, 30);
  assert.equal(ds.label, "2 layers per row");
  const v3 = layerGrouping(61); // DeepSeek-V3: the top row holds one layer
  assert.equal(v3.rows, 31);
  assert.equal(v3.lastRow, 1);
  assert.equal(v3.label, "2 layers per row (top row 1)");
  const big = layerGrouping(126); // Llama 3.1 405B
  assert.ok(big.rows <= MAX_LAYER_ROWS);
  assert.equal(big.perRow, 4);
  assert.equal(rowOfLayer(59, ds), 29);
  assert.equal(rowOfLayer(0, ds), 0);
});

test("every layer lands in exactly one row, and no row is empty", () => {
  for (let n = 1; n <= 200; n++) {
    const g = layerGrouping(n);
    assert.ok(g.rows <= MAX_LAYER_ROWS, `n=${n}`);
    const counts = new Array(g.rows).fill(0);
    for (let l = 0; l < n; l++) counts[rowOfLayer(l, g)] += 1;
    assert.ok(counts.every((c) => c >= 1 && c <= g.perRow), `n=${n}: ${counts}`);
    assert.equal(counts[g.rows - 1], g.lastRow);
  }
});

test("panels sit inside the canvas and do not overlap", () => {
  for (const [w, h] of [[360, 380], [640, 400], [800, 500], [1200, 750]]) {
    const L = panels(w, h);
    const all = [L.tri, L.cache, L.flops, L.bytes];
    for (const p of all) {
      assert.ok(inside(p, { x: 0, y: 0, w, h }), `${w}x${h}`);
      assert.ok(inside(p.plot, p), `${w}x${h}: plot inside its panel`);
      assert.ok(p.plot.w > 0 && p.plot.h > 0);
    }
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const a = all[i];
        const b = all[j];
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        assert.ok(!overlap, `${w}x${h}: panels ${i} and ${j} overlap`);
      }
    }
    assert.equal(L.tri.plot.w, L.tri.plot.h, "the score grid is square");
  }
});

test("triangle cells lie inside the plot, in order, without overlapping", () => {
  for (const N of [2, 17, 64, 200]) {
    const plot = { x: 30.3, y: 52.7, w: 241.9, h: 241.9 };
    const geom = triangleGeometry(plot, N);
    let prevRight = -Infinity;
    for (let j = 0; j < N; j++) {
      const r = cellRect(geom, N - 1, j);
      assert.ok(inside(r, plot), `N=${N} cell (${N - 1}, ${j}) outside`);
      assert.ok(r.x >= prevRight - 1e-9, `N=${N}: cells overlap at key ${j}`);
      prevRight = r.x + r.w;
    }
    for (let i = 0; i < N; i++) assert.ok(inside(cellRect(geom, i, 0), plot));
    const first = cellRect(geom, 0, 0);
    assert.ok(first.x >= plot.x && first.x - plot.x < 0.5, "starts at the plot's first half pixel");
    assert.ok(first.y >= plot.y && first.y - plot.y < 0.5);
    assert.equal(first.x, snap(first.x));
  }
});

test("cells snap to half pixels (crisp at devicePixelRatio 2)", () => {
  const geom = triangleGeometry({ x: 10.13, y: 20.77, w: 300, h: 300 }, 64);
  for (const [i, j] of [[0, 0], [63, 40], [31, 31]]) {
    const r = cellRect(geom, i, j);
    for (const v of [r.x, r.y]) assert.equal(v * 2, Math.round(v * 2));
  }
});

test("the causal polygon stays inside the plot", () => {
  const plot = { x: 0, y: 0, w: 100, h: 100 };
  const geom = triangleGeometry(plot, 1000);
  assert.equal(geom.cells, false, "1,000 keys in 100 px are drawn as a polygon");
  for (const [a, b] of [[0, 1000], [0, 10], [999, 1000]]) {
    for (const [x, y] of trianglePolygon(geom, a, b)) {
      assert.ok(x >= 0 && x <= 100 + 1e-9 && y >= 0 && y <= 100 + 1e-9, `${a}-${b}: (${x}, ${y})`);
    }
  }
});

test("cache grid: layer 0 at the bottom, every cell inside the plot", () => {
  const plot = { x: 400, y: 50, w: 380, h: 220 };
  for (const [N, rows] of [[64, 32], [64, 12], [300, 30], [5000, 16]]) {
    const geom = cacheGeometry(plot, N, rows);
    assert.ok(geom.h <= plot.h + 1e-9);
    for (const [r, t] of [[0, 0], [rows - 1, N - 1], [0, N - 1], [rows - 1, 0]]) {
      assert.ok(inside(cacheCellRect(geom, r, t), plot), `N=${N} rows=${rows} cell ${r},${t}`);
    }
    assert.ok(cacheCellRect(geom, 0, 0).y > cacheCellRect(geom, rows - 1, 0).y, "row 0 is the bottom row");
  }
  assert.equal(cacheGeometry(plot, 64, 4).rowH, 22, "few layers: rows are capped in height");
});

test("token ticks keep the current length first and drop crowded ones", () => {
  assert.deepEqual(tokenTicks(16, 40, 64, 4), [0, 16, 40, 64]);
  assert.deepEqual(tokenTicks(16, 17, 64, 4), [0, 17, 64]);
  assert.deepEqual(tokenTicks(16, 63, 64, 4), [0, 16, 63]);
});
