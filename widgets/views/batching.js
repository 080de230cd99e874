// P9.2 "Static vs continuous batching": the view the engine mounts.
//
// Traits read: scenarios (one per workload, arrays as binary buffers), scenario, policy,
// rate_per_s, length_spread, max_num_seqs. Scenario and policy switch here in JS (every
// scenario is precomputed); rate, spread and slots re-run the Python simulation.
//
// Each panel is a per-request GPU timeline: one row per request in arrival order, time
// to the right, coloured waiting / prefill / decode / padding (a finished request still
// holding its slot in a static batch), and an occupancy strip below. Everything that does
// not move is drawn once into two off-screen layers (axes; data) per size, theme and
// scenario; a frame copies the axes, reveals the data up to the cursor and writes a few
// labels, so a frame costs the same with 8 requests or 256.

import { toFloat32 } from "../engine/codec.js";
import { font, swatch, text, fit } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import {
  aspectFor, frameTime, panels, rowGeometry, shownPolicies, snap, spanRect, timeTicks, timeX,
} from "./batching_layout.js";

export const POLICY_NAMES = ["Static batching", "Continuous batching"];
const NTELE = 6;   // columns of `tele`: waste, useful share, tok/s, finished, waiting, held share
const NROW = 5;    // columns of `rows`: arrival, first scheduled, first token, finish, released

const pct = (x) => `${(100 * x).toFixed(1)}%`;

/** A scenario dict from Python -> typed arrays and sizes. */
export function decodeScenario(s) {
  return {
    name: s.name, label: s.label, n: s.n_requests, slots: s.max_num_seqs, endS: s.end_s,
    F: s.n_frames, G: s.n_grid, tokS: s.tok_s, waste: s.waste, policyEnd: s.policy_end_s,
    rows: toFloat32(s.rows), occ: toFloat32(s.occ), tele: toFloat32(s.tele),
  };
}

/** Read-outs of policy `p` (0 static, 1 continuous) at frame `f`, straight from the trace. */
export function frameStats(S, p, f) {
  const k = Math.min(Math.max(0, f), S.F - 1);
  const o = (p * S.F + k) * NTELE;
  const t = S.tele;
  return {
    k, timeS: frameTime(S.endS, S.F, k), waste: t[o], occupancy: t[o + 1], tokS: t[o + 2],
    finished: t[o + 3], waiting: t[o + 4], held: t[o + 5],
  };
}

/** Times of request `i` under policy `p`: [arrival, scheduled, first token, finish, released]. */
export function requestTimes(S, p, i) {
  const o = (p * S.n + i) * NROW;
  return Array.from(S.rows.subarray(o, o + NROW));
}

function colours(pal) {
  return {
    wait: mix(pal.fg, pal.bg, 0.78), prefill: pal.compute, decode: pal.cache, pad: pal.highlight,
  };
}

function makeLayer(width, height, dpr) {
  const c = document.createElement("canvas");
  c.width = Math.max(1, Math.round(width * dpr));
  c.height = Math.max(1, Math.round(height * dpr));
  const g = c.getContext("2d");
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { c, g };
}

function drawBase(g, L, S, shown, pal, fam, col) {
  L.panels.forEach((P, j) => {
    const p = shown[j];
    font(g, fam, 13, 600);
    text(g, POLICY_NAMES[p], P.x, P.y + 12, { color: pal.fg });
    font(g, fam, 12);
    let x = P.x;
    const y = P.y + 30;
    x = swatch(g, x, y, col.wait, "queued", { fg: pal.fg });
    x = swatch(g, x, y, col.prefill, "prefill", { fg: pal.fg });
    x = swatch(g, x, y, col.decode, "decode", { fg: pal.fg });
    if (p === 0) {
      const room = P.x + P.w - x - 14;
      const label = ["padding (done, slot held)", "padding"].find((s) => g.measureText(s).width <= room);
      if (label) swatch(g, x, y, col.pad, label, { fg: pal.fg });
    }
    const G = P.gantt;
    g.fillStyle = pal.empty;
    g.fillRect(G.x, G.y, G.w, G.h);
    g.save();
    g.translate(P.x + 12, G.y + G.h / 2);
    g.rotate(-Math.PI / 2);
    text(g, `${formatInt(S.n)} requests →`, 0, 0, { color: pal.muted, align: "center", baseline: "middle" });
    g.restore();
    // time axis
    g.strokeStyle = pal.border;
    g.lineWidth = 1;
    const ay = Math.round(G.y + G.h) + 0.5;
    g.beginPath(); g.moveTo(G.x, ay); g.lineTo(G.x + G.w, ay); g.stroke();
    let lastRight = -Infinity;
    for (const t of timeTicks(S.endS, Math.max(2, Math.floor(G.w / 70)))) {
      const tx = Math.round(timeX(G, S.endS, t)) + 0.5;
      g.beginPath(); g.moveTo(tx, ay); g.lineTo(tx, ay + 4); g.stroke();
      const s = `${sig(t, 3).replace(/\.0+$/, "")} s`;
      const w = g.measureText(s).width;
      const left = Math.min(Math.max(G.x - 4, tx - w / 2), G.x + G.w - w);
      if (left < lastRight + 6) continue;
      text(g, s, left, ay + 6, { color: pal.muted, baseline: "top" });
      lastRight = left + w;
    }
    // occupancy strip frame
    const St = P.strip;
    g.fillStyle = pal.empty;
    g.fillRect(St.x, St.y, St.w, St.h);
    text(g, "slots", P.x, St.y + St.h / 2, { color: pal.muted, baseline: "middle" });
  });
}

function drawData(g, L, S, shown, col) {
  L.panels.forEach((P, j) => {
    const p = shown[j];
    const G = P.gantt;
    const rg = rowGeometry(G, S.n);
    const minW = 1.5;
    for (let i = 0; i < S.n; i++) {
      const [a, s, ft, f, r] = requestTimes(S, p, i);
      const segs = [[a, s, col.wait], [s, ft, col.prefill], [ft, f, col.decode], [f, r, col.pad]];
      for (const [t0, t1, c] of segs) {
        if (!(t1 > t0)) continue;
        const q = spanRect(G, rg, S.endS, i, t0, t1);
        g.fillStyle = c;
        g.fillRect(q.x, q.y, Math.max(c === col.prefill ? minW : 0.5, q.w), q.h);
      }
    }
    // occupancy strip: slots held (padding shows through) and slots doing useful work
    const St = P.strip;
    const bw = St.w / S.G;
    for (let k = 0; k < S.G; k++) {
      const o = ((p * S.G + k) * 2);
      const useful = S.occ[o];
      const held = S.occ[o + 1];
      const x = St.x + k * bw;
      if (held > useful) {
        g.fillStyle = col.pad;
        g.fillRect(x, St.y + St.h * (1 - held), bw + 0.5, St.h * (held - useful));
      }
      if (useful > 0) {
        g.fillStyle = col.decode;
        g.fillRect(x, St.y + St.h * (1 - useful), bw + 0.5, St.h * useful);
      }
    }
  });
}

export function batchingView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;
  let shown = [0, 1];
  let cache = { key: "", base: null, data: null };

  const scenarioSelect = ui.select({ label: "Scenario", options: [], value: "",
    onChange: (v) => ctx.set("scenario", v) });
  const policySelect = ui.select({ label: "Policy shown",
    options: [{ value: "both", label: "both" }, { value: "static", label: "static" },
      { value: "continuous", label: "continuous" }],
    value: model.get("policy") || "both", onChange: (v) => ctx.set("policy", v) });
  const numberInput = (trait, integer) => (value, raw) => {
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      ctx.inputError(`${trait} must be a ${integer ? "whole " : ""}number; got ${JSON.stringify(raw)}`);
      return;
    }
    ctx.inputError("");
    ctx.set(trait, value);
  };
  const rateInput = ui.number({ label: "Arrival rate (req/s)", value: model.get("rate_per_s"), min: 0.1,
    max: 10000, step: 0.1, onChange: numberInput("rate_per_s", false), python: true });
  const spreadInput = ui.number({ label: "Length spread (σ)", value: model.get("length_spread"), min: 0,
    max: 2, step: 0.05, onChange: numberInput("length_spread", false), python: true });
  const slotsInput = ui.number({ label: "Batch slots", value: model.get("max_num_seqs"), min: 1,
    max: 256, onChange: numberInput("max_num_seqs", true), python: true });

  const pick = () => {
    const want = model.get("scenario");
    S = scenarios.find((s) => s.name === want) || scenarios[0] || null;
    if (S) scenarioSelect.set(S.name);
    shown = shownPolicies(model.get("policy"));
    policySelect.set(model.get("policy") || "both");
  };
  const load = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    scenarioSelect.setOptions(scenarios.map((s) => ({ value: s.name, label: s.name === "custom" ? `custom (${s.label})` : `${s.name}: ${s.label}` })));
    cache = { key: "", base: null, data: null };
    pick();
  };
  load();
  ctx.watch("scenarios", () => { load(); ctx.refresh(); });
  ctx.watch("scenario", () => { pick(); ctx.refresh(); });
  ctx.watch("policy", () => { pick(); ctx.refresh(); });
  ctx.watch("rate_per_s", () => rateInput.set(model.get("rate_per_s")));
  ctx.watch("length_spread", () => spreadInput.set(model.get("length_spread")));
  ctx.watch("max_num_seqs", () => slotsInput.set(model.get("max_num_seqs")));

  const layers = (info, L) => {
    const dpr = Math.max(1, Math.min(4, (typeof window !== "undefined" && window.devicePixelRatio) || 1));
    const key = `${info.width}x${info.height}@${dpr}|${info.palette.theme}|${S.name}|${scenarios.indexOf(S)}|${shown.join(",")}`;
    if (cache.key !== key) {
      const col = colours(info.palette);
      const base = makeLayer(info.width, info.height, dpr);
      drawBase(base.g, L, S, shown, info.palette, info.font, col);
      const data = makeLayer(info.width, info.height, dpr);
      drawData(data.g, L, S, shown, col);
      cache = { key, base: base.c, data: data.c, dpr };
    }
    return cache;
  };

  return {
    title: "Static vs continuous batching: one row per request",
    fps: 8,
    loop: true,
    aspect: aspectFor,
    minHeight: 440,
    frames: () => (S ? S.F : 1),
    frameLabel: (f) => (S ? `t = ${sig(frameTime(S.endS, S.F, f), 3)} s of ${sig(S.endS, 3)} s` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure, scenario ${S.name} (${S.label}): for each batching policy shown, a timeline with one `
        + "row per request in arrival order and time to the right, each row grey while the request waits in the "
        + "queue, vermillion during its prefill, blue while it decodes and, under static batching, orange while it "
        + "has finished but still holds its batch slot as padding; below it, a strip of the share of batch slots "
        + "doing useful work. A cursor sweeps time from left to right."
      : "Batching figure (no data)"),

    draw(g, info) {
      if (!S || !S.F) throw new Error("no scenario to draw: the widget state has no trace");
      const pal = info.palette;
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height, shown.length);
      const C = layers(info, L);
      const d = C.dpr;
      g.drawImage(C.base, 0, 0, info.width * d, info.height * d, 0, 0, info.width, info.height);
      const t = frameTime(S.endS, S.F, info.frame);
      L.panels.forEach((P, j) => {
        const p = shown[j];
        const G = P.gantt;
        const cx = snap(timeX(G, S.endS, t));
        const top = G.y;
        const bottom = P.strip.y + P.strip.h;
        const w = cx - G.x;
        if (w > 0) g.drawImage(C.data, G.x * d, top * d, w * d, (bottom - top) * d, G.x, top, w, bottom - top);
        g.strokeStyle = pal.fg;
        g.lineWidth = 1.5;
        g.beginPath(); g.moveTo(cx, top - 2); g.lineTo(cx, bottom + 2); g.stroke();
        const st = frameStats(S, p, info.frame);
        font(g, info.font, 12);
        const sub = `${formatInt(st.tokS)} tok/s · waste ${pct(st.waste)} · ${formatInt(st.finished)} done`;
        const tw = POLICY_NAMES[p].length * 8 + 12;
        text(g, fit(g, sub, Math.max(10, P.w - tw)), P.x + P.w, P.y + 12, { color: pal.muted, align: "right" });
      });
    },

    telemetry(frame) {
      if (!S) return [];
      const rowsOut = [["Time", `${sig(frameTime(S.endS, S.F, frame), 3)} s`]];
      for (const p of shown) {
        const st = frameStats(S, p, frame);
        const who = p === 0 ? "Static" : "Continuous";
        rowsOut.push([`${who}: padding waste so far`, pct(st.waste)]);
        rowsOut.push([`${who}: slots doing work / held`, `${pct(st.occupancy)} / ${pct(st.held)}`]);
        rowsOut.push([`${who}: output tok/s so far`, formatInt(st.tokS)]);
        rowsOut.push([`${who}: finished / waiting`, `${formatInt(st.finished)} / ${formatInt(st.waiting)}`]);
      }
      return rowsOut;
    },

    describe(frame) {
      if (!S) return "No trace to describe.";
      const parts = [`At ${sig(frameTime(S.endS, S.F, frame), 3)} s of ${sig(S.endS, 3)} s (${S.label}).`];
      for (const p of shown) {
        const st = frameStats(S, p, frame);
        parts.push(`${POLICY_NAMES[p]}: ${formatInt(st.finished)} of ${formatInt(S.n)} requests finished, `
          + `${formatInt(st.waiting)} waiting, ${pct(st.occupancy)} of slots doing useful work, `
          + `${pct(st.waste)} of computed tokens wasted on padding so far, ${formatInt(st.tokS)} output tokens per second so far.`);
      }
      return parts.join(" ");
    },

    destroy() { cache = { key: "", base: null, data: null }; },
  };
}
