// P0.4 "Matrices as transforms; y = Wx + b; GEMV and GEMM": the view the engine mounts.
//
// Traits read: scenarios (one per preset matrix plus "custom", arrays as binary buffers),
// scenario, W, b, gemm. The scenario menu switches here in JS; W and b re-run Python.
// Left: the plane's grid morphing from I into W, then sliding by b, with the basis
// arrows W e1, W e2 and the unit square's image (area = det). Right: C = AB filling
// one output cell per step, the row of A and column of B behind it highlighted.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, swatch, text } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { aspectFor, cellAt, cellRect, extent, gemmLayout, panels, phase, squareFit } from "./transforms_layout.js";

const num = (v) => (Number.isFinite(v) ? sig(v, 3).replace("-", "−") : String(v));
// whole numbers print without decimals ("2", not "2.00"), so matrix cells stay narrow
const cellNum = (v) => (Number.isInteger(v) ? String(v).replace("-", "−") : num(v));

function decodeScenario(s) {
  const S = {
    key: s.key, label: s.label, W: s.W, b: s.b, det: s.det, n: s.n_frames, nMorph: s.n_morph,
    matrix: toFloat32(s.matrix), shift: toFloat32(s.shift), detT: toFloat32(s.det_t),
    square: toFloat32(s.square), grid: toFloat32(s.grid),
  };
  S.nLines = S.grid.length / (S.n * 4);
  S.r = extent(S.grid);
  return S;
}

function decodeGemm(G) {
  return { m: G.m, n: G.n, k: G.k, a: toFloat32(G.a), b: toFloat32(G.b), c: toFloat32(G.c),
    products: toFloat32(G.products), macs: toInt32(G.macs_done) };
}

function arrow(g, x0, y0, x1, y1, color) {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const L = Math.hypot(dx, dy);
  g.strokeStyle = color;
  g.fillStyle = color;
  g.lineWidth = 3;
  g.beginPath();
  g.moveTo(x0, y0);
  g.lineTo(x1, y1);
  g.stroke();
  if (L < 4) return;
  const ux = dx / L;
  const uy = dy / L;
  g.beginPath();
  g.moveTo(x1, y1);
  g.lineTo(x1 - 10 * ux - 5 * uy, y1 - 10 * uy + 5 * ux);
  g.lineTo(x1 - 10 * ux + 5 * uy, y1 - 10 * uy - 5 * ux);
  g.closePath();
  g.fill();
}

export function transformsView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;
  let G = decodeGemm(model.get("gemm"));

  const scenarioSelect = ui.select({ label: "Matrix W", options: [], value: "",
    onChange: (v) => ctx.set("scenario", v) });
  const entries = ["w₁₁", "w₁₂", "w₂₁", "w₂₂", "b₁", "b₂"].map((label, i) => ui.number({
    label, value: i < 4 ? model.get("W")[i] : model.get("b")[i - 4], min: -100, max: 100, step: "any", python: true,
    onChange: (v, raw) => {
      if (!Number.isFinite(v)) { ctx.inputError(`${label} must be a number; got ${JSON.stringify(raw)}`); return; }
      ctx.inputError("");
      if (i < 4) { const W = [...model.get("W")]; W[i] = v; ctx.set("W", W); }
      else { const b = [...model.get("b")]; b[i - 4] = v; ctx.set("b", b); }
    } }));
  const syncEntries = () => {
    const vals = [...model.get("W"), ...model.get("b")];
    entries.forEach((e, i) => e.set(vals[i]));
  };

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
  ctx.watch("W", syncEntries);
  ctx.watch("b", syncEntries);
  ctx.watch("gemm", () => { G = decodeGemm(model.get("gemm")); ctx.refresh(); });

  const nCells = () => G.m * G.n;

  function drawPlane(g, p, f, c) {
    const { pal } = c;
    heading(g, p, ["The plane under x ↦ Wx + b", "x ↦ Wx + b"], null, c);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 29, pal.compute, "W e₁", { fg: pal.fg, line: true });
    lx = swatch(g, lx, p.y + 29, pal.cache, "W e₂", { fg: pal.fg, line: true });
    swatch(g, lx, p.y + 29, pal.highlight, "unit square's image", { fg: pal.fg });
    const fit = squareFit(S.r, p.plot);
    const box = fit.box;
    g.fillStyle = pal.panel;
    g.fillRect(box.x, box.y, box.w, box.h);
    g.save();
    g.beginPath();
    g.rect(box.x, box.y, box.w, box.h);
    g.clip();
    // the untouched axes, faint
    g.strokeStyle = pal.grid;
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(fit.sx(-S.r), fit.sy(0)); g.lineTo(fit.sx(S.r), fit.sy(0));
    g.moveTo(fit.sx(0), fit.sy(-S.r)); g.lineTo(fit.sx(0), fit.sy(S.r));
    g.stroke();
    // the warped grid
    const base = f * S.nLines * 4;
    g.strokeStyle = mix(pal.accent, pal.bg, 0.45);
    g.lineWidth = 1.2;
    g.beginPath();
    for (let l = 0; l < S.nLines; l++) {
      const o = base + l * 4;
      g.moveTo(fit.sx(S.grid[o]), fit.sy(S.grid[o + 1]));
      g.lineTo(fit.sx(S.grid[o + 2]), fit.sy(S.grid[o + 3]));
    }
    g.stroke();
    // the unit square's image
    const q = f * 8;
    g.fillStyle = mix(pal.highlight, pal.bg, 0.35);
    g.globalAlpha = 0.75;
    g.beginPath();
    for (let i = 0; i < 4; i++) {
      const X = fit.sx(S.square[q + 2 * i]);
      const Y = fit.sy(S.square[q + 2 * i + 1]);
      if (i) g.lineTo(X, Y); else g.moveTo(X, Y);
    }
    g.closePath();
    g.fill();
    g.globalAlpha = 1;
    g.strokeStyle = pal.fg;
    g.lineWidth = 1.5;
    g.stroke();
    // basis arrows from the shifted origin
    const m = f * 4;
    const ox = S.shift[f * 2];
    const oy = S.shift[f * 2 + 1];
    arrow(g, fit.sx(ox), fit.sy(oy), fit.sx(ox + S.matrix[m]), fit.sy(oy + S.matrix[m + 2]), pal.compute);
    arrow(g, fit.sx(ox), fit.sy(oy), fit.sx(ox + S.matrix[m + 1]), fit.sy(oy + S.matrix[m + 3]), pal.cache);
    g.fillStyle = pal.fg;
    g.beginPath();
    g.arc(fit.sx(ox), fit.sy(oy), 4, 0, 2 * Math.PI);
    g.fill();
    g.restore();
    font(g, c.fam, 12, 600);
    const ph = phase(f, S.nMorph) === "morph" ? "morphing I → W" : "shifting by b";
    text(g, `${ph}   det = ${num(S.detT[f])}`, box.x + 6, box.y + 16, { color: pal.fg });
  }

  function drawMatrix(g, M, cell, vals, c, fill) {
    const { pal } = c;
    font(g, c.fam, Math.max(8, Math.min(13, Math.floor(cell * 0.38))));
    for (let i = 0; i < M.rows; i++) {
      for (let j = 0; j < M.cols; j++) {
        const r = cellRect(M, cell, i, j);
        const col = fill(i, j);
        if (col) { g.fillStyle = col; g.fillRect(r.x, r.y, r.w, r.h); }
        g.strokeStyle = pal.border;
        g.lineWidth = 1;
        g.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
        const v = vals(i, j);
        if (v !== null && cell >= 16) text(g, cellNum(v), r.x + r.w / 2, r.y + r.h / 2, { color: pal.fg, align: "center", baseline: "middle" });
      }
    }
  }

  function drawGemm(g, p, f, c) {
    const { pal } = c;
    heading(g, p, [`C = AB, one dot product per cell (m = ${G.m}, k = ${G.k}, n = ${G.n})`, "C = AB"], null, c);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 29, pal.highlight, "row of A · column of B", { fg: pal.fg });
    swatch(g, lx, p.y + 29, pal.memory, "finished cells", { fg: pal.fg });
    const L = gemmLayout(G.m, G.k, G.n, p.plot);
    const cur = cellAt(f, S.n, nCells());
    const ci = Math.floor(cur / G.n);
    const cj = cur % G.n;
    const hot = mix(pal.highlight, pal.bg, 0.3);
    drawMatrix(g, L.A, L.cell, (i, j) => G.a[i * G.k + j], c, (i) => (i === ci ? hot : null));
    drawMatrix(g, L.B, L.cell, (i, j) => G.b[i * G.n + j], c, (i, j) => (j === cj ? hot : null));
    drawMatrix(g, L.C, L.cell, (i, j) => (i * G.n + j <= cur ? G.c[i * G.n + j] : null), c,
      (i, j) => (i * G.n + j === cur ? pal.highlight : i * G.n + j < cur ? mix(pal.memory, pal.bg, 0.55) : pal.empty));
    font(g, c.fam, 12, 600);
    text(g, "A", L.A.x, L.A.y - 6, { color: pal.muted });
    text(g, "B", L.B.x - 14, L.B.y + 12, { color: pal.muted });
    const terms = [];
    for (let t = 0; t < G.k; t++) terms.push(cellNum(G.products[cur * G.k + t]));
    const line = `C[${ci + 1},${cj + 1}] = ${terms.join(" + ")} = ${cellNum(G.c[cur])}`;
    font(g, c.fam, 12);
    text(g, line, L.A.x, Math.min(p.y + p.h - 6, L.A.y + G.m * L.cell + 20), { color: pal.fg });
  }

  const at = (f) => Math.min(Math.max(0, f), S.n - 1);

  return {
    title: "Matrices as transforms: y = Wx + b and C = AB",
    fps: 8,
    loop: true,
    aspect: aspectFor,
    minHeight: 380,
    frames: () => (S ? S.n : 1),
    frameLabel: (f) => (S ? `frame ${formatInt(f + 1)} / ${formatInt(S.n)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure: ${S.label}. Left, a grid of the plane morphs from the identity into W and then `
        + "shifts by b, with the images of the basis vectors and of the unit square. Right, the product "
        + "C = AB fills one cell per step, each cell a dot product of a row of A and a column of B."
      : "Matrix transform figure (no data)"),

    draw(g, info) {
      if (!S || !S.n) throw new Error("no scenario to draw: the widget state has no trace");
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const f = at(info.frame);
      drawPlane(g, L.plane, f, c);
      drawGemm(g, L.gemm, f, c);
    },

    telemetry(frame) {
      if (!S || !S.n) return [];
      const f = at(frame);
      const m = f * 4;
      const cur = cellAt(f, S.n, nCells());
      return [
        ["W(t)", `[[${num(S.matrix[m])}, ${num(S.matrix[m + 1])}], [${num(S.matrix[m + 2])}, ${num(S.matrix[m + 3])}]]`],
        ["Shift applied", `(${num(S.shift[2 * f])}, ${num(S.shift[2 * f + 1])})`],
        ["det W(t) (area scale)", num(S.detT[f])],
        ["GEMM cell", `${formatInt(cur + 1)} of ${formatInt(nCells())}`],
        ["MACs done", `${formatInt(G.macs[cur])} of m·n·k = ${formatInt(G.macs[nCells() - 1])}`],
      ];
    },

    describe(frame) {
      if (!S || !S.n) return "No trace to describe.";
      const f = at(frame);
      const cur = cellAt(f, S.n, nCells());
      const ph = phase(f, S.nMorph) === "morph" ? "The grid is morphing from the identity into W" : "The grid is sliding by b";
      return `${S.label}. ${ph}; the unit square's area is scaled by det = ${num(S.detT[f])}. `
        + `GEMM: cell ${cur + 1} of ${nCells()} done, ${G.macs[cur]} multiply-accumulates so far.`;
    },
  };
}
