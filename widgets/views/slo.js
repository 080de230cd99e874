// P9.5 "Serving metrics and SLOs": the view the engine mounts.
//
// Traits read: sweep (per offered load: throughput, TTFT and TPOT histograms and
// percentiles, as binary buffers), scenarios (one per SLO: share meeting it and goodput
// per load), scenario, ttft_slo_s, tpot_slo_s, attainment. Frames step through the
// offered loads. The SLO switches here in JS (every SLO is precomputed); its numbers
// re-run in Python. Left: throughput and goodput against offered load, with DistServe's
// goodput (the highest load at which enough requests meet the SLO). Right: the TTFT and
// TPOT histograms of the current load, with P50, P90, P99 and the SLO target.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, swatch, text, xAxis, yAxis } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { linearScale, niceTicks } from "../engine/scale.js";
import { aspectFor, binEdges, binRect, labelRows, logTicksIn, logX, panels } from "./slo_layout.js";

const pct = (x) => `${(100 * x).toFixed(1)}%`;

/** Seconds as "25 ms" or "1.31 s". */
export function formatSeconds(s) {
  if (!Number.isFinite(s)) return "—";
  return s < 1 ? `${sig(1e3 * s, 3)} ms` : `${sig(s, 3)} s`;
}

export function decodeSweep(s) {
  const L = s.n_loads;
  return {
    L, n: s.n_requests, nBins: s.n_bins, ttftRange: s.ttft_edges, tpotRange: s.tpot_edges,
    rates: toFloat32(s.rates), throughput: toFloat32(s.throughput), tokS: toFloat32(s.tok_s),
    pct: toFloat32(s.pct), ttftHist: toInt32(s.ttft_hist), tpotHist: toInt32(s.tpot_hist),
    preemptions: toInt32(s.preemptions),
  };
}

export function decodeScenario(s) {
  return { name: s.name, label: s.label, ttft: s.ttft_slo_s, tpot: s.tpot_slo_s, attainment: s.attainment,
    goodputRate: s.goodput_rate, met: toFloat32(s.met) };
}

/** Every read-out of load `f` under SLO `C`, straight from the Python arrays. */
export function loadStats(W, C, f) {
  const k = Math.min(Math.max(0, f), W.L - 1);
  const p = W.pct.subarray(6 * k, 6 * k + 6);
  const m = C.met.subarray(4 * k, 4 * k + 4);
  return {
    k, rate: W.rates[k], throughput: W.throughput[k], tokS: W.tokS[k], preemptions: W.preemptions[k],
    ttft: [p[0], p[1], p[2]], tpot: [p[3], p[4], p[5]],
    metTtft: m[0], metTpot: m[1], attained: m[2], goodput: m[3],
  };
}

function drawSaturation(g, P, W, C, k, pal, fam) {
  heading(g, P, ["Throughput and goodput against offered load", "Saturation curve"],
    `${C.label} · ≥${pct(C.attainment)} must meet it`, { fam, pal });
  const pl = P.plot;
  const xmax = W.rates[W.L - 1] * 1.04;
  let ymax = 0;
  for (let i = 0; i < W.L; i++) ymax = Math.max(ymax, W.throughput[i]);
  const { ticks, top } = niceTicks(ymax * 1.25, 4);
  const sx = linearScale(0, xmax, pl.x, pl.x + pl.w);
  const sy = linearScale(0, top, pl.y + pl.h, pl.y);
  font(g, fam, 12);
  yAxis(g, pl, ticks, sy, (v) => sig(v, 2), pal);
  const xt = niceTicks(xmax, 5).ticks.filter((v) => v <= xmax);
  xAxis(g, pl, xt, sx, (v) => sig(v, 2), pal);
  text(g, "offered load (requests/s)", pl.x + pl.w, pl.y + pl.h + 24, { color: pal.muted, align: "right", baseline: "top" });
  g.save();
  g.translate(P.x + 10, pl.y + pl.h / 2);
  g.rotate(-Math.PI / 2);
  text(g, "requests/s", 0, 0, { color: pal.muted, align: "center", baseline: "middle" });
  g.restore();
  g.save();
  g.beginPath();
  g.rect(pl.x, pl.y, pl.w, pl.h);
  g.clip();
  // offered = served: the line a perfect engine would follow
  g.strokeStyle = pal.grid;
  g.setLineDash([5, 4]);
  g.lineWidth = 1.5;
  g.beginPath(); g.moveTo(sx(0), sy(0)); g.lineTo(sx(top), sy(top)); g.stroke();
  g.setLineDash([]);
  // DistServe goodput
  if (C.goodputRate > 0) {
    const x = sx(C.goodputRate);
    g.strokeStyle = pal.memory;
    g.setLineDash([3, 3]);
    g.beginPath(); g.moveTo(x, pl.y); g.lineTo(x, pl.y + pl.h); g.stroke();
    g.setLineDash([]);
  }
  const line = (get, color) => {
    g.strokeStyle = color;
    g.lineWidth = 2.5;
    g.beginPath();
    for (let i = 0; i < W.L; i++) {
      const x = sx(W.rates[i]);
      const y = sy(get(i));
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    }
    g.stroke();
    g.fillStyle = color;
    for (let i = 0; i < W.L; i++) {
      g.beginPath(); g.arc(sx(W.rates[i]), sy(get(i)), i === k ? 5 : 2.5, 0, 2 * Math.PI); g.fill();
    }
  };
  line((i) => W.throughput[i], pal.accent);
  line((i) => C.met[4 * i + 3], pal.memory);
  // current load
  const xk = sx(W.rates[k]);
  g.strokeStyle = pal.fg;
  g.lineWidth = 1;
  g.beginPath(); g.moveTo(xk, pl.y); g.lineTo(xk, pl.y + pl.h); g.stroke();
  g.restore();
  // legend
  font(g, fam, 12);
  let x = pl.x + 6;
  const y = pl.y + 10;
  x = swatch(g, x, y, pal.accent, "throughput", { fg: pal.fg, line: true });
  x = swatch(g, x, y, pal.memory, "goodput", { fg: pal.fg, line: true });
  if (x + 110 < pl.x + pl.w) swatch(g, x, y, pal.grid, "offered", { fg: pal.fg, line: true, dash: [5, 4] });
  if (C.goodputRate > 0) {
    const gx = sx(C.goodputRate);
    const label = `goodput limit ${sig(C.goodputRate, 3)} req/s`;
    const w = g.measureText(label).width;
    const lx = gx + 6 + w < pl.x + pl.w ? gx + 6 : gx - 6 - w;
    g.fillStyle = pal.bg;
    g.fillRect(lx - 2, pl.y + 28, w + 4, 16);
    text(g, label, lx, pl.y + 36, { color: pal.memory, baseline: "middle" });
  }
}

function drawHistogram(g, P, W, k, which, slo, pal, fam, stats) {
  const isTtft = which === "ttft";
  const [lo, hi] = isTtft ? W.ttftRange : W.tpotRange;
  const hist = isTtft ? W.ttftHist : W.tpotHist;
  const q = isTtft ? stats.ttft : stats.tpot;
  const share = isTtft ? stats.metTtft : stats.metTpot;
  heading(g, P, [isTtft ? "Time to first token (TTFT)" : "Time per output token (TPOT)", isTtft ? "TTFT" : "TPOT"],
    `${sig(W.rates[k], 3)} req/s offered · ${pct(share)} within ${formatSeconds(slo)}`, { fam, pal });
  const pl = P.plot;
  const counts = hist.subarray(k * W.nBins, (k + 1) * W.nBins);
  let maxC = 1;
  for (const c of counts) maxC = Math.max(maxC, c);
  g.fillStyle = pal.empty;
  g.fillRect(pl.x, pl.y, pl.w, pl.h);
  const ok = pal.cache;
  const bad = pal.compute;
  for (let i = 0; i < W.nBins; i++) {
    if (!counts[i]) continue;
    const r = binRect(pl, i, W.nBins, counts[i], maxC);
    const [a, b] = binEdges(lo, hi, W.nBins, i);
    g.fillStyle = Math.sqrt(a * b) <= slo ? ok : bad;
    g.fillRect(r.x, r.y, r.w, Math.max(1, r.h));
  }
  font(g, fam, 12);
  const ticks = logTicksIn(lo, hi);
  xAxis(g, pl, ticks, (v) => logX(pl, lo, hi, v), formatSeconds, pal);
  text(g, formatInt(maxC), pl.x - 6, pl.y + 6, { color: pal.muted, align: "right", baseline: "middle" });
  text(g, "0", pl.x - 6, pl.y + pl.h, { color: pal.muted, align: "right", baseline: "bottom" });
  // SLO target
  const xs = logX(pl, lo, hi, slo);
  g.strokeStyle = pal.fg;
  g.lineWidth = 2;
  g.setLineDash([6, 3]);
  g.beginPath(); g.moveTo(xs, pl.y - 2); g.lineTo(xs, pl.y + pl.h); g.stroke();
  g.setLineDash([]);
  // percentile markers, labels staggered so they never overlap
  const names = ["P50", "P90", "P99"];
  const px = q.map((v) => logX(pl, lo, hi, v));
  const rows = labelRows(px, 34);
  g.strokeStyle = pal.highlight;
  g.lineWidth = 1.5;
  px.forEach((x, i) => {
    g.beginPath(); g.moveTo(x, pl.y + 14 + 14 * rows[i]); g.lineTo(x, pl.y + pl.h); g.stroke();
    g.fillStyle = pal.bg;
    g.fillRect(x - 16, pl.y + 1 + 14 * rows[i], 32, 14);
    text(g, names[i], x, pl.y + 8 + 14 * rows[i], { color: pal.fg, align: "center", baseline: "middle" });
  });
  const sl = `SLO ${formatSeconds(slo)}`;
  const w = g.measureText(sl).width;
  const lx = xs + 4 + w < pl.x + pl.w ? xs + 4 : xs - 4 - w;
  g.fillStyle = pal.bg;
  g.fillRect(lx - 2, pl.y + pl.h - 18, w + 4, 16);
  text(g, sl, lx, pl.y + pl.h - 10, { color: pal.fg, baseline: "middle" });
}

export function sloView(ctx) {
  const { model, ui } = ctx;
  let W = null;
  let scenarios = [];
  let C = null;

  const select = ui.select({ label: "SLO", options: [], value: "", onChange: (v) => ctx.set("scenario", v) });
  const numberInput = (trait) => (value, raw) => {
    if (!Number.isFinite(value)) {
      ctx.inputError(`${trait} must be a number; got ${JSON.stringify(raw)}`);
      return;
    }
    ctx.inputError("");
    ctx.set(trait, value);
  };
  const ttftInput = ui.number({ label: "TTFT target (s)", value: model.get("ttft_slo_s"), min: 0.001, max: 60,
    step: 0.01, onChange: numberInput("ttft_slo_s"), python: true });
  const tpotInput = ui.number({ label: "TPOT target (s)", value: model.get("tpot_slo_s"), min: 0.001, max: 1,
    step: 0.005, onChange: numberInput("tpot_slo_s"), python: true });
  const attInput = ui.number({ label: "Attainment", value: model.get("attainment"), min: 0.01, max: 1,
    step: 0.01, onChange: numberInput("attainment"), python: true });

  const pick = () => {
    const want = model.get("scenario");
    C = scenarios.find((s) => s.name === want) || scenarios[0] || null;
    if (C) select.set(C.name);
  };
  const load = () => {
    const sw = model.get("sweep");
    W = sw && sw.n_loads ? decodeSweep(sw) : null;
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    select.setOptions(scenarios.map((s) => ({ value: s.name, label: `${s.name}: ${s.label}` })));
    pick();
  };
  load();
  ctx.watch("scenarios", () => { load(); ctx.refresh(); });
  ctx.watch("sweep", () => { load(); ctx.refresh(); });
  ctx.watch("scenario", () => { pick(); ctx.refresh(); });
  ctx.watch("ttft_slo_s", () => ttftInput.set(model.get("ttft_slo_s")));
  ctx.watch("tpot_slo_s", () => tpotInput.set(model.get("tpot_slo_s")));
  ctx.watch("attainment", () => attInput.set(model.get("attainment")));

  return {
    title: "Serving metrics: saturation, goodput and latency percentiles",
    fps: 1,
    loop: true,
    aspect: aspectFor,
    minHeight: 460,
    frames: () => (W ? W.L : 1),
    frameLabel: (f) => (W ? `load ${Math.min(f, W.L - 1) + 1} of ${W.L}: ${sig(W.rates[Math.min(f, W.L - 1)], 3)} req/s` : "no data"),
    ariaLabel: () => (W && C
      ? `Animated figure, SLO ${C.label}: left, served requests per second against offered load, one line for `
        + "throughput and one for goodput (requests per second meeting the SLO), a dashed diagonal where served "
        + "equals offered and a dashed vertical line at the highest load whose attainment meets the goal; right, "
        + "histograms of time to first token and time per output token at the current load on logarithmic time "
        + "axes, bars beyond the SLO target in vermillion, with P50, P90 and P99 markers and the target as a "
        + "dashed line. The animation steps through the offered loads."
      : "SLO figure (no data)"),

    draw(g, info) {
      if (!W || !C) throw new Error("no sweep to draw: the widget state has no trace");
      const pal = info.palette;
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      const k = Math.min(Math.max(0, info.frame), W.L - 1);
      const st = loadStats(W, C, k);
      drawSaturation(g, L.sat, W, C, k, pal, info.font);
      drawHistogram(g, L.ttft, W, k, "ttft", C.ttft, pal, info.font, st);
      drawHistogram(g, L.tpot, W, k, "tpot", C.tpot, pal, info.font, st);
    },

    telemetry(frame) {
      if (!W || !C) return [];
      const s = loadStats(W, C, frame);
      return [
        ["Offered load", `${sig(s.rate, 3)} req/s`],
        ["Throughput", `${sig(s.throughput, 3)} req/s · ${formatInt(s.tokS)} tok/s`],
        ["Goodput (met both targets)", `${sig(s.goodput, 3)} req/s`],
        ["SLO attainment", `${pct(s.attained)} (goal ${pct(C.attainment)})`],
        ["TTFT P50 / P90 / P99", s.ttft.map(formatSeconds).join(" / ")],
        ["TPOT P50 / P90 / P99", s.tpot.map(formatSeconds).join(" / ")],
        ["Highest load meeting the goal", C.goodputRate > 0 ? `${sig(C.goodputRate, 3)} req/s` : "none"],
        ["Preemptions at this load", formatInt(s.preemptions)],
      ];
    },

    describe(frame) {
      if (!W || !C) return "No trace to describe.";
      const s = loadStats(W, C, frame);
      return `Offered load ${sig(s.rate, 3)} requests per second: throughput ${sig(s.throughput, 3)}, goodput `
        + `${sig(s.goodput, 3)} requests per second; ${pct(s.attained)} of requests meet ${C.label}. TTFT P50 `
        + `${formatSeconds(s.ttft[0])}, P99 ${formatSeconds(s.ttft[2])}; TPOT P50 ${formatSeconds(s.tpot[0])}, `
        + `P99 ${formatSeconds(s.tpot[2])}.`;
    },
  };
}
