// P7.4 "The O(N²) explosion and the KV cache": the view the engine mounts.
//
// Traits read: scenarios (one per model, arrays as binary buffers), model,
// cached, prompt_len, n_new, dtype, dtype_options. Model and cache on/off switch
// here in JS (every scenario is precomputed); prompt length, new tokens and
// dtype re-run the Python simulation.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { formatBytes, formatInt, formatRatio, formatSI } from "../engine/format.js";
import { drawFigure } from "./kvcache_draw.js";
import { aspectFor } from "./kvcache_layout.js";

function minMax(arrays) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) for (const v of a) { if (v > 0 && v < lo) lo = v; if (v > hi) hi = v; }
  return [lo, hi];
}

/** A scenario dict from Python -> typed arrays and the numbers drawing needs. */
export function decodeScenario(s) {
  const S = {
    name: s.name, display: s.display_name, nLayers: s.n_layers, nHeads: s.n_heads,
    nKvHeads: s.n_kv_heads, headDim: s.head_dim, attention: s.attention, promptLen: s.prompt_len,
    dtype: s.dtype, kvPerToken: s.kv_bytes_per_token,
    ctx: toInt32(s.context_len), cached: toFloat32(s.flops_cached),
    recompute: toFloat32(s.flops_recompute), kv: toFloat32(s.kv_bytes),
    cumCached: toFloat32(s.cum_flops_cached), cumRecompute: toFloat32(s.cum_flops_recompute),
  };
  S.nNew = S.ctx.length;
  S.N = S.nNew ? S.ctx[S.nNew - 1] : S.promptLen;
  [S.minFlops, S.maxFlops] = minMax([S.cached, S.recompute]);
  S.maxKv = S.nNew ? S.kv[S.nNew - 1] : 0;
  return S;
}

export function kvcacheView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;
  let cached = Boolean(model.get("cached"));

  const modelSelect = ui.select({ label: "Model", options: [], value: "", onChange: (v) => ctx.set("model", v) });
  const cacheBox = ui.checkbox({ label: "Use KV cache", checked: cached, onChange: (v) => ctx.set("cached", v) });
  const intInput = (trait) => (value, raw) => {
    if (!Number.isInteger(value)) {
      ctx.inputError(`${trait} must be a whole number; got ${JSON.stringify(raw)}`);
      return;
    }
    ctx.inputError("");
    ctx.set(trait, value);
  };
  const promptInput = ui.number({ label: "Prompt tokens", value: model.get("prompt_len"), min: 1, max: 999999,
    onChange: intInput("prompt_len"), python: true });
  const newInput = ui.number({ label: "New tokens", value: model.get("n_new"), min: 1, max: 4096,
    onChange: intInput("n_new"), python: true });
  const dtypeSelect = ui.select({ label: "KV dtype", options: [], value: "", python: true,
    onChange: (v) => ctx.set("dtype", v) });

  const pick = () => {
    const want = model.get("model");
    S = scenarios.find((s) => s.name === want) || scenarios[0] || null;
    if (S) modelSelect.set(S.name);
  };
  const loadScenarios = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    modelSelect.setOptions(scenarios.map((s) => ({ value: s.name, label: s.display })));
    pick();
  };
  const loadDtypes = () => {
    const opts = model.get("dtype_options") || [model.get("dtype")];
    dtypeSelect.setOptions(opts.map((d) => ({ value: d, label: d })));
    dtypeSelect.set(model.get("dtype"));
  };
  loadScenarios();
  loadDtypes();

  ctx.watch("scenarios", () => { loadScenarios(); ctx.refresh(); });
  ctx.watch("model", () => { pick(); ctx.refresh(); });
  ctx.watch("cached", () => { cached = Boolean(model.get("cached")); cacheBox.set(cached); ctx.refresh(); });
  ctx.watch("prompt_len", () => promptInput.set(model.get("prompt_len")));
  ctx.watch("n_new", () => newInput.set(model.get("n_new")));
  ctx.watch("dtype", () => dtypeSelect.set(model.get("dtype")));
  ctx.watch("dtype_options", loadDtypes);

  const at = (frame) => {
    const k = Math.min(Math.max(0, frame), S.nNew - 1);
    return {
      k, n: S.ctx[k], fc: S.cached[k], fr: S.recompute[k], kv: S.kv[k],
      cc: S.cumCached[k], cr: S.cumRecompute[k],
    };
  };

  return {
    title: "The O(N²) explosion and the KV cache",
    fps: 2,
    loop: true,
    aspect: aspectFor,
    minHeight: 380,
    frames: () => (S ? S.nNew : 1),
    frameLabel: (f) => (S ? `step ${formatInt(f + 1)} / ${formatInt(S.nNew)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure for ${S.display}: left, the causal attention-score triangle (queries × keys) with the `
        + "cells computed this decode step highlighted; right, the KV cache as layers × tokens; below, FLOPs per "
        + "decode step on a log scale with and without the cache, and the bytes the cache holds."
      : "KV-cache figure (no data)"),

    draw(g, info) {
      if (!S || !S.nNew) throw new Error("no scenario to draw: the widget state has no trace");
      drawFigure(g, info, S, cached);
    },

    telemetry(frame) {
      if (!S || !S.nNew) return [];
      const v = at(frame);
      return [
        ["Decode step", `${formatInt(v.k + 1)} of ${formatInt(S.nNew)}`],
        ["Context length", `${formatInt(v.n)} tokens`],
        ["FLOPs this step, KV cache", formatSI(v.fc, "FLOP")],
        ["FLOPs this step, recompute", formatSI(v.fr, "FLOP")],
        ["Recompute ÷ KV cache", formatRatio(v.fr / v.fc)],
        ["KV cache size", formatBytes(v.kv)],
        ["FLOPs so far, KV cache", formatSI(v.cc, "FLOP")],
        ["FLOPs so far, recompute", formatSI(v.cr, "FLOP")],
      ];
    },

    describe(frame) {
      if (!S || !S.nNew) return "No trace to describe.";
      const v = at(frame);
      const head = `${S.display}, decode step ${formatInt(v.k + 1)} of ${formatInt(S.nNew)}, context ${formatInt(v.n)} tokens`;
      const ratio = formatRatio(v.fr / v.fc);
      return cached
        ? `${head}, KV cache on: this step costs ${formatSI(v.fc, "FLOP")} instead of ${formatSI(v.fr, "FLOP")} `
          + `for recomputing every token (${ratio} as much), and the cache holds ${formatBytes(v.kv)}.`
        : `${head}, KV cache off: this step recomputes all ${formatInt(v.n)} tokens for ${formatSI(v.fr, "FLOP")}, `
          + `${ratio} the ${formatSI(v.fc, "FLOP")} it would cost with a KV cache of ${formatBytes(v.kv)}.`;
    },
  };
}
