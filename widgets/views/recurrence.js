// P1.7 "RNNs and the sequential bottleneck": the view the engine mounts.
//
// Traits read: scenarios (one per preset length plus "custom", arrays as binary buffers),
// scenario, seq_len, d_model, recurrent_gain, seed. The scenario menu switches here in JS;
// the rest re-run Python.
//
// Left top: the tokens, read by the RNN one per frame, and its hidden state h_t as a strip
// of cells. Left bottom: the causal attention weights of all T queries, complete from the
// first frame. Right top: tokens that have an output after each step, RNN vs attention.
// Right bottom: the influence ‖∂h_T/∂x_t‖ of each token on the RNN's last state (log scale).

import { toFloat32 } from "../engine/codec.js";
import { fit, font, heading, swatch, text, xAxis, yAxis } from "../engine/chart.js";
import { formatInt, formatSI, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale, niceStep } from "../engine/scale.js";
import { aspectFor, grid, logRange, panels, slots } from "./recurrence_layout.js";

const num = (v) => {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2).replace("e+", "e").replace("-", "−");
  return sig(v, 3).replace("-", "−");
};
const decade = (e) => (e === 0 ? "1" : e === 1 ? "10" : `1e${String(e).replace("-", "−")}`);

/** A scenario dict from Python -> typed arrays. */
export function decodeScenario(s) {
  const S = {
    key: s.key, label: s.label, T: s.seq_len, d: s.d_model, gain: s.recurrent_gain, seqSteps: s.sequential_steps,
    parSteps: s.parallel_steps, scores: s.attention_scores, pairs: s.causal_pairs, rnnMacs: s.rnn_macs,
    attnMacs: s.attention_macs, hidden: toFloat32(s.hidden), hnorm: toFloat32(s.hidden_norm),
    influence: toFloat32(s.influence), attention: toFloat32(s.attention),
  };
  S.inflRange = logRange(S.influence, 1e-8);
  return S;
}

export function recurrenceView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;

  const scenarioSelect = ui.select({ label: "Sequence", options: [], value: "",
    onChange: (v) => ctx.set("scenario", v) });
  const numberInput = (label, trait, min, max, step, whole) => ui.number({ label, value: model.get(trait), min, max,
    step, python: true, onChange: (v, raw) => {
      if (whole ? !Number.isInteger(v) : !Number.isFinite(v)) {
        ctx.inputError(`${trait} must be ${whole ? "a whole number" : "a number"}; got ${JSON.stringify(raw)}`);
        return;
      }
      ctx.inputError("");
      ctx.set(trait, v);
    } });
  const inputs = {
    seq_len: numberInput("Tokens", "seq_len", 1, 64, 1, true),
    d_model: numberInput("Width d", "d_model", 1, 64, 1, true),
    recurrent_gain: numberInput("Recurrent gain", "recurrent_gain", 0, 10, "any", false),
    seed: numberInput("Seed", "seed", 0, 1000000, 1, true),
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
  for (const [trait, input] of Object.entries(inputs)) ctx.watch(trait, () => input.set(model.get(trait)));

  const kOf = (f) => Math.min(Math.max(0, f), S.T - 1);

  /** Colour of a value in [−1, 1]: blue for positive, vermillion for negative, background at 0. */
  const diverge = (pal, v) => mix(pal.bg, v >= 0 ? pal.cache : pal.compute, Math.min(1, Math.abs(v)));

  function drawRnn(g, p, k, c) {
    const { pal } = c;
    heading(g, p, [`RNN: reads token ${k + 1} of ${S.T} at step ${k + 1}`, `RNN, step ${k + 1} of ${S.T}`],
      null, c);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 29, pal.cache, "read", { fg: pal.fg });
    lx = swatch(g, lx, p.y + 29, pal.highlight, "this step", { fg: pal.fg });
    swatch(g, lx, p.y + 29, pal.empty, "waiting", { fg: pal.fg });
    const plot = p.plot;
    const rowH = Math.max(12, Math.min(26, plot.h * 0.22));
    const tokS = slots(S.T, plot.x, plot.w);
    const y0 = plot.y + 4;
    for (let t = 0; t < S.T; t++) {
      g.fillStyle = t < k ? pal.cache : t === k ? pal.highlight : pal.empty;
      g.fillRect(tokS[t].x, y0, tokS[t].w, rowH);
    }
    g.strokeStyle = pal.border;
    g.lineWidth = 1;
    g.strokeRect(plot.x + 0.5, y0 + 0.5, plot.w - 1, rowH - 1);
    // the cell: an arrow from the current token down to the state it updates
    const cx = tokS[k].x + tokS[k].w / 2;
    const yCell = y0 + rowH + 8;
    const cellH = Math.max(14, Math.min(30, plot.h * 0.22));
    g.strokeStyle = pal.fg;
    g.fillStyle = pal.fg;
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(cx, y0 + rowH + 1);
    g.lineTo(cx, yCell - 2);
    g.stroke();
    font(g, c.fam, 12, 600);
    const label = `h${k + 1} = tanh(W_h h${k} + W_x x${k + 1})`;
    const short = `h${k + 1}`;
    const lab = g.measureText(label).width + 12 <= plot.w ? label : short;
    const lw = g.measureText(lab).width + 12;
    const bx = Math.max(plot.x, Math.min(cx - lw / 2, plot.x + plot.w - lw));
    g.strokeStyle = pal.fg;
    g.lineWidth = 1.5;
    g.strokeRect(bx, yCell, lw, cellH);
    text(g, lab, bx + 6, yCell + cellH / 2, { color: pal.fg, baseline: "middle" });
    // the hidden state h_t as a strip of d cells
    const yH = yCell + cellH + 10;
    const hH = Math.max(10, Math.min(24, plot.y + plot.h - yH - 18));
    const hs = slots(S.d, plot.x, plot.w);
    for (let i = 0; i < S.d; i++) {
      g.fillStyle = diverge(pal, S.hidden[k * S.d + i]);
      g.fillRect(hs[i].x, yH, hs[i].w, hH);
    }
    g.strokeStyle = pal.border;
    g.strokeRect(plot.x + 0.5, yH + 0.5, plot.w - 1, hH - 1);
    font(g, c.fam, 12);
    text(g, fit(g, `hidden state h${k + 1} · ${S.d} numbers carry everything read so far · ‖h‖ = ${num(S.hnorm[k])}`,
      plot.w), plot.x, yH + hH + 4, { color: pal.muted, baseline: "top" });
  }

  function drawAttn(g, p, c) {
    const { pal } = c;
    heading(g, p, [`Attention: all ${S.T} positions in one step (causal weights)`, "Attention: one step"], null, c);
    font(g, c.fam, 12);
    text(g, "row i: how query i mixes keys 1..i", p.x, p.y + 29, { color: pal.muted, baseline: "middle" });
    const G = grid(S.T, p.plot);
    for (let i = 0; i < S.T; i++) {
      for (let j = 0; j < S.T; j++) {
        const w = S.attention[i * S.T + j];
        g.fillStyle = j > i ? pal.empty : mix(pal.bg, pal.memory, Math.min(1, 0.15 + 0.85 * Math.sqrt(w)));
        g.fillRect(G.x + j * G.cell, G.y + i * G.cell, Math.max(1, G.cell - (G.cell > 4 ? 1 : 0)),
          Math.max(1, G.cell - (G.cell > 4 ? 1 : 0)));
      }
    }
    g.strokeStyle = pal.border;
    g.lineWidth = 1;
    g.strokeRect(G.x + 0.5, G.y + 0.5, G.size - 1, G.size - 1);
    text(g, "query", G.x - 6, G.y + 6, { color: pal.muted, align: "right", baseline: "top" });
  }

  function drawProgress(g, p, k, c) {
    const { pal } = c;
    heading(g, p, ["Tokens with an output after each step", "Outputs ready per step"], null, c);
    font(g, c.fam, 12);
    const lx = swatch(g, p.x, p.y + 29, pal.cache, "RNN", { fg: pal.fg, line: true });
    swatch(g, lx, p.y + 29, pal.memory, "attention", { fg: pal.fg, line: true, dash: [6, 3] });
    const plot = p.plot;
    const sx = linearScale(0, S.T, plot.x, plot.x + plot.w);
    const sy = linearScale(0, S.T, plot.y + plot.h, plot.y);
    const ys = niceStep(S.T, 4);
    const yt = [];
    for (let v = 0; v <= S.T; v += ys) yt.push(v);
    yAxis(g, plot, yt, sy, formatInt, pal);
    const xt = [];
    for (let v = 0; v <= S.T; v += niceStep(S.T, Math.max(2, Math.floor(plot.w / 60)))) xt.push(v);
    xAxis(g, plot, xt, sx, (v) => (v === 0 ? "step 0" : formatInt(v)), pal);
    // attention: every output after step 1
    g.strokeStyle = pal.memory;
    g.lineWidth = 2.5;
    g.setLineDash([6, 3]);
    g.beginPath();
    g.moveTo(sx(0), sy(0));
    g.lineTo(sx(1), sy(S.T));
    g.lineTo(sx(S.T), sy(S.T));
    g.stroke();
    g.setLineDash([]);
    // the RNN staircase, up to the current step
    const upTo = k + 1;
    g.strokeStyle = pal.cache;
    g.lineWidth = 3;
    g.beginPath();
    g.moveTo(sx(0), sy(0));
    for (let s = 1; s <= upTo; s++) {
      g.lineTo(sx(s), sy(s - 1));
      g.lineTo(sx(s), sy(s));
    }
    g.stroke();
    g.fillStyle = pal.cache;
    g.beginPath();
    g.arc(sx(upTo), sy(upTo), 5, 0, 2 * Math.PI);
    g.fill();
  }

  function drawInfluence(g, p, k, c) {
    const { pal } = c;
    heading(g, p, [`Influence of token t on the RNN's last state h${S.T}`, "Influence on the last state"], null, c);
    font(g, c.fam, 12);
    text(g, fit(g, "‖∂h_T/∂x_t‖, log scale · attention reaches every token in one step", p.w), p.x, p.y + 29,
      { color: pal.muted, baseline: "middle" });
    const plot = p.plot;
    const [lo, hi] = S.inflRange;
    const sy = linearScale(lo, hi, plot.y + plot.h, plot.y);
    const every = Math.max(1, Math.ceil((hi - lo) / Math.max(2, Math.floor(plot.h / 24))));
    const yt = [];
    for (let e = Math.ceil(lo / every) * every; e <= hi; e += every) yt.push(e);
    yAxis(g, plot, yt, sy, decade, pal);
    const bs = slots(S.T, plot.x, plot.w);
    const xt = [];
    for (let v = 1; v <= S.T; v += niceStep(S.T, Math.max(2, Math.floor(plot.w / 60)))) xt.push(v);
    xAxis(g, plot, xt, (v) => bs[v - 1].x + bs[v - 1].w / 2, (v) => `t=${v}`, pal);
    for (let t = 0; t < S.T; t++) {
      const v = S.influence[t];
      const l = v > 0 ? Math.max(lo, Math.log10(v)) : lo;
      g.fillStyle = t === k ? pal.highlight : mix(pal.cache, pal.bg, 0.2);
      g.fillRect(bs[t].x, sy(l), bs[t].w, sy(lo) - sy(l));
    }
  }

  return {
    title: "A recurrent network reads one token per step; attention reads them all at once",
    fps: 4,
    loop: true,
    aspect: aspectFor,
    minHeight: 460,
    frames: () => (S ? S.T : 1),
    frameLabel: (f) => (S ? `step ${formatInt(kOf(f) + 1)} / ${formatInt(S.T)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure: ${S.label}. A recurrent network reads the tokens one per step and updates its hidden state; `
        + "beside it, the causal attention weights of all positions, computed in one step; the number of tokens "
        + "with an output after each step; and how strongly each token influences the network's last state."
      : "Recurrence figure (no data)"),

    draw(g, info) {
      if (!S || !S.T) throw new Error("no scenario to draw: the widget state has no runs");
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const k = kOf(info.frame);
      drawRnn(g, L.rnn, k, c);
      drawAttn(g, L.attn, c);
      drawProgress(g, L.prog, k, c);
      drawInfluence(g, L.infl, k, c);
    },

    telemetry(frame) {
      if (!S || !S.T) return [];
      const k = kOf(frame);
      return [
        ["Step", `${formatInt(k + 1)} of ${formatInt(S.T)} (${S.label})`],
        ["Sequential steps: RNN, attention", `${formatInt(S.seqSteps)}, ${formatInt(S.parSteps)}`],
        ["Tokens with an output: RNN, attention", `${formatInt(k + 1)}, ${formatInt(S.T)}`],
        ["Attention scores: computed, kept by the causal mask", `${formatInt(S.scores)}, ${formatInt(S.pairs)}`],
        ["Multiply-adds: RNN, attention", `${formatSI(S.rnnMacs)}, ${formatSI(S.attnMacs)}`],
        [`Influence of token ${k + 1} on h${S.T}`, num(S.influence[k])],
      ];
    },

    describe(frame) {
      if (!S || !S.T) return "No runs to describe.";
      const k = kOf(frame);
      return `${S.label}. Step ${formatInt(k + 1)} of ${formatInt(S.T)}: the RNN has read ${formatInt(k + 1)} tokens; `
        + `attention finished all ${formatInt(S.T)} in ${formatInt(S.parSteps)} step. Token ${k + 1} influences the `
        + `RNN's last state with strength ${num(S.influence[k])}.`;
    },
  };
}
