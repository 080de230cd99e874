// P1.4 "Backpropagation": the view the engine mounts.
//
// Traits read: scenarios (every example × every backward pass, arrays as binary buffers),
// example, bug. Both menus switch here in JS (every combination is precomputed); the
// trait `inputs` re-runs Python.
//
// Left: the computation graph, one column per depth, inputs on the left and the output
// on the right. Forward frames reveal one node's value each; backward frames reveal one
// node's gradient each, from the output back, and light the edges the gradient flows
// along. A node whose gradient disagrees with its finite-difference check turns red.
// Right: ∂L/∂input for every named input, backprop (bar) against finite difference (box).

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, swatch, text } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale } from "../engine/scale.js";
import { aspectFor, edgeEnds, gradLimit, nodeBoxes, panels, revealed } from "./backprop_layout.js";

const num = (v) => {
  if (!Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2).replace("e+", "e").replace("-", "−");
  return sig(v, 3).replace("-", "−");
};

const SYMBOL = { "+": "+", "*": "×", exp: "exp", log: "ln", tanh: "tanh", sigmoid: "σ", relu: "relu" };

/** A scenario dict from Python -> typed arrays. */
export function decodeScenario(s) {
  const S = {
    key: s.key, example: s.example, bug: s.bug, label: s.label, ops: s.ops, labels: s.labels,
    N: s.n_nodes, n: s.n_frames, output: s.output, maxErr: s.max_fd_error, firstBad: s.first_bad,
    value: toFloat32(s.value), grad: toFloat32(s.grad), fd: toFloat32(s.fd), depth: toInt32(s.depth),
    exponent: toFloat32(s.exponent), src: toInt32(s.src), dst: toInt32(s.dst), phase: toInt32(s.phase),
    active: toInt32(s.active), bad: toInt32(s.bad),
  };
  S.inputs = [];
  for (let i = 0; i < S.N; i++) if (S.ops[i] === "input") S.inputs.push(i);
  S.limit = gradLimit([...S.inputs.map((i) => S.grad[i]), ...S.inputs.map((i) => S.fd[i])]);
  return S;
}

/** The short name of node i: an input's label, a constant's value, or the operation. */
export function nodeName(S, i) {
  const op = S.ops[i];
  if (op === "input") return S.labels[i] || "x";
  if (op === "const") return num(S.value[i]);
  if (op === "**") return `^${num(S.exponent[i])}`;
  return SYMBOL[op] || op;
}

export function backpropView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;

  const exampleSelect = ui.select({ label: "Expression", options: [], value: "",
    onChange: (v) => ctx.set("example", v) });
  const bugSelect = ui.select({ label: "Backward pass", options: [], value: "",
    onChange: (v) => ctx.set("bug", v) });

  const pick = () => {
    const want = `${model.get("example")}|${model.get("bug")}`;
    S = scenarios.find((s) => s.key === want) || scenarios[0] || null;
    if (S) { exampleSelect.set(S.example); bugSelect.set(S.bug); }
  };
  const loadScenarios = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    const seen = new Map();
    const bugs = new Map();
    for (const s of scenarios) {
      const [ex, bug] = s.label.split("; ");
      if (!seen.has(s.example)) seen.set(s.example, ex);
      if (!bugs.has(s.bug)) bugs.set(s.bug, bug);
    }
    exampleSelect.setOptions([...seen].map(([value, label]) => ({ value, label })));
    bugSelect.setOptions([...bugs].map(([value, label]) => ({ value, label })));
    pick();
  };
  loadScenarios();
  ctx.watch("scenarios", () => { loadScenarios(); ctx.refresh(); });
  ctx.watch("example", () => { pick(); ctx.refresh(); });
  ctx.watch("bug", () => { pick(); ctx.refresh(); });

  const kOf = (f) => Math.min(Math.max(0, f), S.n - 1);

  function arrow(g, x0, y0, x1, y1, color, width) {
    g.strokeStyle = color;
    g.fillStyle = color;
    g.lineWidth = width;
    g.beginPath();
    g.moveTo(x0, y0);
    g.lineTo(x1, y1);
    g.stroke();
    const a = Math.atan2(y1 - y0, x1 - x0);
    const hl = 4 + width * 2;
    g.beginPath();
    g.moveTo(x1, y1);
    g.lineTo(x1 - hl * Math.cos(a - 0.45), y1 - hl * Math.sin(a - 0.45));
    g.lineTo(x1 - hl * Math.cos(a + 0.45), y1 - hl * Math.sin(a + 0.45));
    g.closePath();
    g.fill();
  }

  function drawGraph(g, p, k, c) {
    const { pal } = c;
    const phase = S.phase[k];
    const act = S.active[k];
    heading(g, p, [phase === 0 ? "Forward pass: each node computes its value from its operands"
      : "Backward pass: each node passes ∂L/∂(node) back to its operands",
    phase === 0 ? "Forward: values" : "Backward: gradients"], null, c);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 29, pal.compute, "value", { fg: pal.fg });
    lx = swatch(g, lx, p.y + 29, pal.cache, "gradient ∂L/∂node", { fg: pal.fg });
    if (lx + 150 <= p.x + p.w) swatch(g, lx, p.y + 29, pal.error, "≠ finite difference", { fg: pal.fg });
    const B = nodeBoxes(S.depth, p.plot);
    // edges
    for (let e = 0; e < S.src.length; e++) {
      const s = S.src[e];
      const d = S.dst[e];
      const [x0, y0, x1, y1] = edgeEnds(B[s], B[d]);
      const hot = d === act;
      if (hot && phase === 1) arrow(g, x1, y1, x0, y0, pal.cache, 2.5);
      else if (hot) arrow(g, x0, y0, x1, y1, pal.compute, 2.5);
      else arrow(g, x0, y0, x1, y1, pal.border, 1);
    }
    // nodes
    const small = B.length && B[0].h < 40;
    for (let i = 0; i < S.N; i++) {
      const b = B[i];
      const r = revealed(phase, act, i);
      const isBad = r.grad && S.bad[i] === 1;
      g.fillStyle = isBad ? mix(pal.error, pal.bg, 0.8) : pal.panel;
      g.fillRect(b.x - b.w / 2, b.y - b.h / 2, b.w, b.h);
      g.strokeStyle = i === act ? pal.highlight : isBad ? pal.error : pal.border;
      g.lineWidth = i === act ? 3 : isBad ? 2.5 : 1;
      g.strokeRect(b.x - b.w / 2, b.y - b.h / 2, b.w, b.h);
      const lines = [[nodeName(S, i), pal.fg, 600]];
      if (r.value) lines.push([num(S.value[i]), pal.compute, 400]);
      if (r.grad && S.ops[i] !== "const") lines.push([`∂ ${num(S.grad[i])}`, isBad ? pal.error : pal.cache, 600]);
      const step = small ? 12 : 14;
      const y0 = b.y - ((lines.length - 1) * step) / 2;
      lines.forEach(([s, color, weight], j) => {
        if (small && j === 0 && lines.length === 3) return;
        font(g, c.fam, 12, weight);
        text(g, s, b.x, y0 + j * step + (small && lines.length === 3 ? -step / 2 : 0), { color, align: "center", baseline: "middle" });
      });
    }
  }

  function drawCheck(g, p, k, c) {
    const { pal } = c;
    heading(g, p, ["∂L/∂input: backprop vs finite difference", "∂L/∂input check"], null, c);
    font(g, c.fam, 12);
    const lx = swatch(g, p.x, p.y + 29, pal.cache, "backprop", { fg: pal.fg });
    swatch(g, lx, p.y + 29, pal.fg, "finite diff.", { fg: pal.fg, line: true, dash: [3, 2] });
    const plot = p.plot;
    const m = S.inputs.length;
    const rowH = plot.h / Math.max(1, m);
    const sx = linearScale(-S.limit, S.limit, plot.x, plot.x + plot.w);
    g.strokeStyle = pal.grid;
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(Math.round(sx(0)) + 0.5, plot.y);
    g.lineTo(Math.round(sx(0)) + 0.5, plot.y + plot.h);
    g.stroke();
    const phase = S.phase[k];
    const act = S.active[k];
    S.inputs.forEach((i, r) => {
      const yc = plot.y + rowH * (r + 0.5);
      const bh = Math.max(4, Math.min(rowH * 0.5, 22));
      font(g, c.fam, 12, 600);
      text(g, S.labels[i], plot.x - 8, yc, { color: pal.fg, align: "right", baseline: "middle" });
      const fx = sx(S.fd[i]);
      const x0 = sx(0);
      g.setLineDash([3, 2]);
      g.strokeStyle = pal.fg;
      g.lineWidth = 1.5;
      g.strokeRect(Math.min(x0, fx), yc - bh / 2 - 3, Math.abs(fx - x0), bh + 6);
      g.setLineDash([]);
      if (revealed(phase, act, i).grad) {
        const gx = sx(S.grad[i]);
        g.fillStyle = S.bad[i] === 1 ? pal.error : pal.cache;
        g.fillRect(Math.min(x0, gx), yc - bh / 2, Math.max(1, Math.abs(gx - x0)), bh);
        font(g, c.fam, 12, 600);
        const mark = S.bad[i] === 1 ? "✗" : "✓";
        text(g, mark, plot.x + plot.w, yc - bh / 2 - 6, { color: S.bad[i] === 1 ? pal.error : pal.memory, align: "right", baseline: "bottom" });
      }
    });
  }

  return {
    title: "Backpropagation on a computation graph",
    fps: 2,
    loop: true,
    aspect: aspectFor,
    minHeight: 420,
    frames: () => (S ? S.n : 1),
    frameLabel: (f) => {
      if (!S) return "no data";
      const k = kOf(f);
      return `${S.phase[k] === 0 ? "forward" : "backward"} ${formatInt(k + 1)} / ${formatInt(S.n)}`;
    },
    ariaLabel: () => (S
      ? `Animated figure: ${S.label}. A computation graph of ${S.N} nodes with the inputs on the left and the `
        + "output on the right: values are revealed node by node going forward, then gradients node by node going "
        + "backward; beside it, each input's gradient from backpropagation against a finite-difference check."
      : "Backpropagation figure (no data)"),

    draw(g, info) {
      if (!S || !S.n) throw new Error("no scenario to draw: the widget state has no graphs");
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const k = kOf(info.frame);
      drawGraph(g, L.graph, k, c);
      drawCheck(g, L.check, k, c);
    },

    telemetry(frame) {
      if (!S || !S.n) return [];
      const k = kOf(frame);
      const i = S.active[k];
      const back = S.phase[k] === 1;
      const first = S.firstBad;
      return [
        ["Pass, step", `${back ? "backward" : "forward"}, ${formatInt(k + 1)} of ${formatInt(S.n)}`],
        ["This node", `${nodeName(S, i)} (node ${formatInt(i)}), value ${num(S.value[i])}`],
        ["∂L/∂node: backprop", back ? num(S.grad[i]) : "not yet (forward pass)"],
        ["∂L/∂node: finite difference", S.ops[i] === "const" ? "— (a constant)" : num(S.fd[i])],
        ["Output L", num(S.output)],
        ["Largest |backprop − finite diff.| over inputs", num(S.maxErr)],
        ["First disagreement (backward order)", first < 0 ? "none" : `${nodeName(S, first)} (node ${formatInt(first)})`],
      ];
    },

    describe(frame) {
      if (!S || !S.n) return "No graph to describe.";
      const k = kOf(frame);
      const i = S.active[k];
      if (S.phase[k] === 0) {
        return `${S.label}. Forward pass, step ${formatInt(k + 1)} of ${formatInt(S.N)}: node ${nodeName(S, i)} `
          + `has value ${num(S.value[i])}.`;
      }
      return `${S.label}. Backward pass, step ${formatInt(k + 1 - S.N)} of ${formatInt(S.N)}: node ${nodeName(S, i)} `
        + `receives gradient ${num(S.grad[i])}; the finite difference says ${num(S.fd[i])}`
        + `${S.bad[i] === 1 ? ", a disagreement." : "."}`;
    },
  };
}
