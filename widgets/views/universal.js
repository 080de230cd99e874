// P1.2 "Activations and MLPs; universal approximation": the view the engine mounts.
//
// Traits read: scenarios (one per preset plus "custom", arrays as binary buffers),
// scenario, target, activation, width and their option lists. The scenario menu
// switches here in JS (every preset is precomputed); target, activation and width
// re-run the Python fit.
//
// Left: the target (dashed), each unit's contribution v·φ(s(x − t)) added so far
// (thin), the newest one highlighted, and their running sum plus the output bias
// (thick). Right: the error of the full fit against the width (log–log) with this
// scenario's width marked, and the activation φ with its slope φ′.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, swatch, text, xAxis, yAxis, pointLabel } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale, logScale, logTicks, niceStep } from "../engine/scale.js";
import { aspectFor, fitWindow, logDomain, panels } from "./universal_layout.js";

const num = (v) => {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2).replace("e+", "e").replace("-", "−");
  return sig(v, 3).replace("-", "−");
};
const logLabel = (v) => {
  const e = Math.round(Math.log10(v));
  return e >= -3 && e <= 3 ? String(10 ** e >= 1 ? 10 ** e : Number((10 ** e).toFixed(-e))) : `1e${String(e).replace("-", "−")}`;
};

/** An axis tick: at most 3 decimals, no trailing zeros, a true minus sign. */
const tick = (v) => String(Number((Math.abs(v) < 1e-9 ? 0 : v).toFixed(3))).replace("-", "−");

/** A scenario dict from Python -> typed arrays. */
export function decodeScenario(s) {
  const S = {
    key: s.key, label: s.label, target: s.target, activation: s.activation, width: s.width,
    nParams: s.n_params, rms: s.rms_error, maxErr: s.max_error, bias: s.out_bias,
    x: toFloat32(s.x), y: toFloat32(s.target_y), fit: toFloat32(s.fit), centers: toFloat32(s.centers),
    v: toFloat32(s.out_weight), contrib: toFloat32(s.contributions), partial: toFloat32(s.partial_sum),
    partialRms: toFloat32(s.partial_rms), coveredRms: toFloat32(s.covered_rms),
    sweepW: toInt32(s.sweep_width), sweepRms: toFloat32(s.sweep_rms), sweepParams: toInt32(s.sweep_params),
    actX: toFloat32(s.act_x), actY: toFloat32(s.act_y), actSlope: toFloat32(s.act_slope),
  };
  S.n = S.centers.length;
  S.m = S.x.length;
  S.window = fitWindow(S.y);
  S.sweepDomain = logDomain(S.sweepRms);
  return S;
}

export function universalView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;

  const scenarioSelect = ui.select({ label: "Scenario", options: [], value: "",
    onChange: (v) => ctx.set("scenario", v) });
  const targetSelect = ui.select({ label: "Target", options: [], value: "", python: true,
    onChange: (v) => ctx.set("target", v) });
  const actSelect = ui.select({ label: "Activation", options: [], value: "", python: true,
    onChange: (v) => ctx.set("activation", v) });
  const widthInput = ui.number({ label: "Width (hidden units)", value: model.get("width"), min: 1, max: 64,
    python: true, onChange: (v, raw) => {
      if (!Number.isInteger(v)) { ctx.inputError(`width must be a whole number; got ${JSON.stringify(raw)}`); return; }
      ctx.inputError("");
      ctx.set("width", v);
    } });

  const pick = () => {
    const want = model.get("scenario");
    S = scenarios.find((s) => s.key === want) || scenarios[0] || null;
    if (S) scenarioSelect.set(S.key);
  };
  const loadScenarios = () => {
    scenarios = (model.get("scenarios") || []).map(decodeScenario);
    scenarioSelect.setOptions(scenarios.map((s) => ({ value: s.key, label: s.label })));
    pick();
  };
  const loadOptions = () => {
    targetSelect.setOptions((model.get("target_options") || [model.get("target")]).map((d) => ({ value: d, label: d })));
    targetSelect.set(model.get("target"));
    actSelect.setOptions((model.get("activation_options") || [model.get("activation")]).map((d) => ({ value: d, label: d })));
    actSelect.set(model.get("activation"));
  };
  loadScenarios();
  loadOptions();

  ctx.watch("scenarios", () => { loadScenarios(); ctx.refresh(); });
  ctx.watch("scenario", () => { pick(); ctx.refresh(); });
  ctx.watch("target", () => targetSelect.set(model.get("target")));
  ctx.watch("activation", () => actSelect.set(model.get("activation")));
  ctx.watch("target_options", loadOptions);
  ctx.watch("activation_options", loadOptions);
  ctx.watch("width", () => widthInput.set(model.get("width")));

  const frameOf = (f) => Math.min(Math.max(0, f), S.n - 1);

  function curve(g, arr, off, sx, sy) {
    g.beginPath();
    for (let i = 0; i < S.m; i++) {
      const X = sx(S.x[i]);
      const Y = sy(arr[off + i]);
      if (i) g.lineTo(X, Y); else g.moveTo(X, Y);
    }
  }

  function drawFit(g, p, info, c) {
    const { pal } = c;
    const k = frameOf(info.frame);
    heading(g, p, [`Units 1–${k + 1} of ${S.n} and their sum`, `Units 1–${k + 1} of ${S.n}`], null, c);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 29, pal.muted, "target", { fg: pal.fg, line: true, dash: [5, 4] });
    lx = swatch(g, lx, p.y + 29, pal.cache, "sum so far", { fg: pal.fg, line: true });
    if (lx + 100 <= p.x + p.w) swatch(g, lx, p.y + 29, pal.compute, "newest unit", { fg: pal.fg, line: true });
    const plot = p.plot;
    const [lo, hi] = S.window;
    const sx = linearScale(-1, 1, plot.x, plot.x + plot.w);
    const sy = linearScale(lo, hi, plot.y + plot.h, plot.y);
    const yt = [];
    const ys = niceStep(hi - lo, 4);
    for (let v = Math.ceil(lo / ys) * ys; v <= hi + 1e-9; v += ys) yt.push(v);
    yAxis(g, plot, yt, sy, tick, pal);
    xAxis(g, plot, [-1, -0.5, 0, 0.5, 1], sx, tick, pal);
    text(g, "x", plot.x + plot.w - 4, plot.y + plot.h - 6, { color: pal.muted, align: "right" });

    g.save();
    g.beginPath();
    g.rect(plot.x, plot.y, plot.w, plot.h);
    g.clip();
    // the finished stretch, left of the next unit's bend
    if (k + 1 < S.n) {
      const edge = sx(S.centers[k + 1]);
      g.fillStyle = mix(pal.cache, pal.bg, 0.92);
      g.fillRect(plot.x, plot.y, Math.max(0, edge - plot.x), plot.h);
    }
    // earlier units, thin and pale
    g.lineWidth = 1;
    g.strokeStyle = mix(pal.compute, pal.bg, 0.55);
    for (let j = 0; j < k; j++) { curve(g, S.contrib, j * S.m, sx, sy); g.stroke(); }
    // the target
    g.strokeStyle = pal.muted;
    g.lineWidth = 2;
    g.setLineDash([5, 4]);
    curve(g, S.y, 0, sx, sy);
    g.stroke();
    g.setLineDash([]);
    // the newest unit
    g.strokeStyle = pal.compute;
    g.lineWidth = 2.5;
    curve(g, S.contrib, k * S.m, sx, sy);
    g.stroke();
    // the sum so far
    g.strokeStyle = pal.cache;
    g.lineWidth = 3;
    curve(g, S.partial, k * S.m, sx, sy);
    g.stroke();
    // where every unit bends, as ticks on the axis
    for (let j = 0; j < S.n; j++) {
      const X = sx(S.centers[j]);
      g.fillStyle = j <= k ? pal.compute : pal.grid;
      g.fillRect(X - 1.5, plot.y + plot.h - 8, 3, 8);
    }
    g.restore();
  }

  function drawSweep(g, p, info, c) {
    const { pal } = c;
    heading(g, p, ["Fit error (RMS) vs width, log–log", "RMS error vs width"], null, c);
    const plot = p.plot;
    const wmin = S.sweepW[0];
    const wmax = S.sweepW[S.sweepW.length - 1];
    const sx = logScale(wmin, wmax, plot.x, plot.x + plot.w);
    const [lo, hi] = S.sweepDomain;
    const sy = logScale(lo, hi, plot.y + plot.h, plot.y);
    font(g, c.fam, 12);
    yAxis(g, plot, logTicks(lo, hi, 4), sy, logLabel, pal);
    xAxis(g, plot, [1, 2, 4, 8, 16, 32, 64].filter((v) => v >= wmin && v <= wmax), sx, (v) => String(v), pal);
    g.strokeStyle = pal.memory;
    g.lineWidth = 2.5;
    g.beginPath();
    for (let i = 0; i < S.sweepW.length; i++) {
      const X = sx(S.sweepW[i]);
      const Y = sy(Math.max(S.sweepRms[i], lo));
      if (i) g.lineTo(X, Y); else g.moveTo(X, Y);
    }
    g.stroke();
    g.fillStyle = pal.memory;
    for (let i = 0; i < S.sweepW.length; i++) {
      g.beginPath();
      g.arc(sx(S.sweepW[i]), sy(Math.max(S.sweepRms[i], lo)), 3, 0, 2 * Math.PI);
      g.fill();
    }
    // this scenario's width and its error
    const X = sx(Math.min(wmax, Math.max(wmin, S.width)));
    const Y = sy(Math.min(hi, Math.max(S.rms, lo)));
    g.fillStyle = pal.highlight;
    g.strokeStyle = pal.fg;
    g.lineWidth = 1.5;
    g.beginPath();
    g.arc(X, Y, 6, 0, 2 * Math.PI);
    g.fill();
    g.stroke();
    font(g, c.fam, 12, 600);
    g.textAlign = "left";
    pointLabel(g, [`${S.width} units: ${num(S.rms)}`, num(S.rms)], X, Y - 14, plot, pal.fg, pal.bg, true);
  }

  function drawAct(g, p, info, c) {
    const { pal } = c;
    heading(g, p, [`The activation φ (${S.activation}) and its slope φ′`, `φ = ${S.activation}`], null, c);
    const plot = p.plot;
    let lo = 0;
    let hi = 1;
    for (const a of [S.actY, S.actSlope]) for (const v of a) { if (v < lo) lo = v; if (v > hi) hi = v; }
    lo -= 0.1 * (hi - lo);
    hi += 0.1 * (hi - lo);
    const sx = linearScale(-3, 3, plot.x, plot.x + plot.w);
    const sy = linearScale(lo, hi, plot.y + plot.h, plot.y);
    font(g, c.fam, 12);
    const ys = niceStep(hi - lo, 3);
    const yt = [];
    for (let v = Math.ceil(lo / ys) * ys; v <= hi + 1e-9; v += ys) yt.push(v);
    yAxis(g, plot, yt, sy, tick, pal);
    xAxis(g, plot, [-3, -2, -1, 0, 1, 2, 3], sx, tick, pal);
    const draw = (arr, color, dash) => {
      g.strokeStyle = color;
      g.lineWidth = 2.5;
      g.setLineDash(dash || []);
      g.beginPath();
      for (let i = 0; i < arr.length; i++) {
        const X = sx(S.actX[i]);
        const Y = sy(arr[i]);
        if (i) g.lineTo(X, Y); else g.moveTo(X, Y);
      }
      g.stroke();
      g.setLineDash([]);
    };
    draw(S.actSlope, pal.muted, [4, 3]);
    draw(S.actY, pal.compute);
    font(g, c.fam, 12);
    let lx = plot.x + 6;
    lx = swatch(g, lx, plot.y + 8, pal.compute, "φ(z)", { fg: pal.fg, line: true });
    swatch(g, lx, plot.y + 8, pal.muted, "φ′(z)", { fg: pal.fg, line: true, dash: [4, 3] });
  }

  return {
    title: "Universal approximation: hidden units summing to a curve",
    fps: 2,
    loop: true,
    aspect: aspectFor,
    minHeight: 420,
    frames: () => (S ? S.n : 1),
    frameLabel: (f) => (S ? `unit ${formatInt(frameOf(f) + 1)} / ${formatInt(S.n)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure: ${S.width} hidden units with activation ${S.activation} fitting ${S.target}, one unit added `
        + "per frame. Left, the target, each unit's contribution and their running sum; right, the fit error "
        + "against the width on log scales, and the activation with its slope."
      : "Universal-approximation figure (no data)"),

    draw(g, info) {
      if (!S || !S.n) throw new Error("no scenario to draw: the widget state has no fit");
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      drawFit(g, L.fit, info, c);
      drawSweep(g, L.sweep, info, c);
      drawAct(g, L.act, info, c);
    },

    telemetry(frame) {
      if (!S || !S.n) return [];
      const k = frameOf(frame);
      return [
        ["Activation, width", `${S.activation}, ${formatInt(S.width)} units`],
        ["Parameters (3N + 1)", formatInt(S.nParams)],
        ["Units summed", `${formatInt(k + 1)} of ${formatInt(S.n)}`],
        ["Newest unit: bend t, weight v", `${num(S.centers[k])}, ${num(S.v[k])}`],
        ["RMS error, finished stretch", num(S.coveredRms[k])],
        ["RMS error, full fit", num(S.rms)],
        ["Max error, full fit", num(S.maxErr)],
      ];
    },

    describe(frame) {
      if (!S || !S.n) return "No fit to describe.";
      const k = frameOf(frame);
      const head = `${S.label}. Units 1 to ${k + 1} of ${S.n} summed; the newest bends at x = ${num(S.centers[k])} `
        + `with output weight ${num(S.v[k])}. Error on the finished stretch ${num(S.coveredRms[k])}.`;
      const tail = k === S.n - 1
        ? ` All units in: the network's RMS error is ${num(S.rms)} with ${S.nParams} parameters.`
        : "";
      return head + tail;
    },
  };
}
