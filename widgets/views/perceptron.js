// P1.1 "The neuron and the perceptron boundary": the view the engine mounts.
//
// Traits read: scenarios (one per preset plus "custom", arrays as binary buffers),
// scenario, dataset, learning_rate, max_epochs, dataset_options. The scenario menu
// switches here in JS (every preset is precomputed); data set, learning rate and
// epochs re-run the Python simulation.
//
// Left: the plane with the points (class 1 blue squares, class 0 orange circles),
// the class-1 side shaded, the line w·x + b = 0, the normal w, and the example the
// rule is visiting (ringed; red when it was a mistake that moved the line).
// Right: accuracy on all points and mistakes so far, per visit.

import { toFloat32, toInt32 } from "../engine/codec.js";
import { font, heading, series, swatch, text, xAxis, yAxis, pointLabel } from "../engine/chart.js";
import { formatInt, sig } from "../engine/format.js";
import { mix } from "../engine/palette.js";
import { linearScale, niceStep, niceTicks } from "../engine/scale.js";
import { aspectFor, boundarySegment, fitSquare, footOfNormal, panels, positiveSide, status } from "./perceptron_layout.js";

const num = (v) => {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) < 5e-4) return "0";
  return sig(v, 3).replace("-", "−");
};
const pct = (v) => `${(100 * v).toFixed(1)}%`;

/** An axis tick: at most 3 decimals, no trailing zeros, a true minus sign. */
const tick = (v) => String(Number((Math.abs(v) < 1e-9 ? 0 : v).toFixed(3))).replace("-", "−");

/** A scenario dict from Python -> typed arrays and the numbers drawing needs. */
export function decodeScenario(s) {
  const S = {
    key: s.key, label: s.label, lr: s.learning_rate, nPoints: s.n_points, convergedEpoch: s.converged_epoch,
    bestAccuracy: s.best_accuracy, xRange: s.x_range, yRange: s.y_range,
    x: toFloat32(s.x), y: toInt32(s.y), example: toInt32(s.example), epoch: toInt32(s.epoch),
    mistake: toInt32(s.mistake), w: toFloat32(s.w), b: toFloat32(s.b), accuracy: toFloat32(s.accuracy),
    nMistakes: toInt32(s.n_mistakes),
  };
  S.n = S.b.length;
  S.maxMistakes = S.n ? S.nMistakes[S.n - 1] : 0;
  return S;
}

export function perceptronView(ctx) {
  const { model, ui } = ctx;
  let scenarios = [];
  let S = null;

  const scenarioSelect = ui.select({ label: "Scenario", options: [], value: "",
    onChange: (v) => ctx.set("scenario", v) });
  const dataSelect = ui.select({ label: "Data set", options: [], value: "", python: true,
    onChange: (v) => ctx.set("dataset", v) });
  const lrInput = ui.number({ label: "Learning rate η", value: model.get("learning_rate"), min: 0, max: 100,
    step: "any", python: true, onChange: (v, raw) => {
      if (!Number.isFinite(v)) { ctx.inputError(`learning_rate must be a number; got ${JSON.stringify(raw)}`); return; }
      ctx.inputError("");
      ctx.set("learning_rate", v);
    } });
  const epochInput = ui.number({ label: "Max epochs", value: model.get("max_epochs"), min: 1, max: 50, python: true,
    onChange: (v, raw) => {
      if (!Number.isInteger(v)) { ctx.inputError(`max_epochs must be a whole number; got ${JSON.stringify(raw)}`); return; }
      ctx.inputError("");
      ctx.set("max_epochs", v);
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
  const loadDatasets = () => {
    const opts = model.get("dataset_options") || [model.get("dataset")];
    dataSelect.setOptions(opts.map((d) => ({ value: d, label: d })));
    dataSelect.set(model.get("dataset"));
  };
  loadScenarios();
  loadDatasets();

  ctx.watch("scenarios", () => { loadScenarios(); ctx.refresh(); });
  ctx.watch("scenario", () => { pick(); ctx.refresh(); });
  ctx.watch("dataset", () => dataSelect.set(model.get("dataset")));
  ctx.watch("dataset_options", loadDatasets);
  ctx.watch("learning_rate", () => lrInput.set(model.get("learning_rate")));
  ctx.watch("max_epochs", () => epochInput.set(model.get("max_epochs")));

  const at = (k) => {
    const kk = Math.min(Math.max(0, k), S.n - 1);
    return {
      k: kk, w1: S.w[2 * kk], w2: S.w[2 * kk + 1], b: S.b[kk], ex: S.example[kk], epoch: S.epoch[kk],
      mistake: S.mistake[kk] === 1, acc: S.accuracy[kk], nm: S.nMistakes[kk], st: status(S, kk),
    };
  };

  // -- the plane -------------------------------------------------------------------------------
  function drawPlane(g, p, info, c) {
    const { pal } = c;
    const c1 = pal.cache;
    const c0 = pal.compute;
    heading(g, p, ["Points and the boundary w·x + b = 0", "Points and boundary"], null, c);
    font(g, c.fam, 12);
    let lx = swatch(g, p.x, p.y + 29, c1, "class 1", { fg: pal.fg });
    lx = swatch(g, lx, p.y + 29, c0, "class 0", { fg: pal.fg });
    lx = swatch(g, lx, p.y + 29, pal.fg, "boundary", { fg: pal.fg, line: true });
    if (lx + 90 <= p.x + p.w) swatch(g, lx, p.y + 29, pal.extra, "normal w", { fg: pal.fg, line: true });

    const fit = fitSquare(S.xRange, S.yRange, p.plot);
    const box = fit.box;
    const cur = at(info.frame);
    // the two sides: pale orange everywhere, pale blue on the class-1 side
    g.fillStyle = mix(c0, pal.bg, 0.9);
    g.fillRect(box.x, box.y, box.w, box.h);
    const poly = positiveSide(cur.w1, cur.w2, cur.b, S.xRange, S.yRange);
    if (poly.length) {
      g.fillStyle = mix(c1, pal.bg, 0.86);
      g.beginPath();
      poly.forEach(([x, y], i) => (i ? g.lineTo(fit.sx(x), fit.sy(y)) : g.moveTo(fit.sx(x), fit.sy(y))));
      g.closePath();
      g.fill();
    }
    g.strokeStyle = pal.border;
    g.lineWidth = 1;
    g.strokeRect(box.x + 0.5, box.y + 0.5, box.w - 1, box.h - 1);

    font(g, c.fam, 12);
    const step = niceStep(S.xRange[1] - S.xRange[0], 4);
    const xt = [];
    for (let v = Math.ceil(S.xRange[0] / step) * step; v <= S.xRange[1] + 1e-9; v += step) xt.push(v);
    xAxis(g, box, xt, fit.sx, tick, pal);
    const yt = [];
    for (let v = Math.ceil(S.yRange[0] / step) * step; v <= S.yRange[1] + 1e-9; v += step) yt.push(v);
    for (const v of yt) text(g, tick(v), box.x - 6, fit.sy(v), { color: pal.muted, align: "right", baseline: "middle" });
    text(g, "x₁", box.x + box.w - 4, box.y + box.h - 6, { color: pal.muted, align: "right" });
    text(g, "x₂", box.x + 4, box.y + 14, { color: pal.muted });

    g.save();
    g.beginPath();
    g.rect(box.x, box.y, box.w, box.h);
    g.clip();
    // the boundary and the normal w
    const seg = boundarySegment(cur.w1, cur.w2, cur.b, S.xRange, S.yRange);
    if (seg) {
      g.strokeStyle = pal.fg;
      g.lineWidth = 2.5;
      g.beginPath();
      g.moveTo(fit.sx(seg[0][0]), fit.sy(seg[0][1]));
      g.lineTo(fit.sx(seg[1][0]), fit.sy(seg[1][1]));
      g.stroke();
      const foot = footOfNormal(cur.w1, cur.w2, cur.b);
      const mx = (seg[0][0] + seg[1][0]) / 2;
      const my = (seg[0][1] + seg[1][1]) / 2;
      const inside = foot && foot[0] >= S.xRange[0] && foot[0] <= S.xRange[1] && foot[1] >= S.yRange[0] && foot[1] <= S.yRange[1];
      const [fx, fy] = inside ? foot : [mx, my];
      const norm = Math.hypot(cur.w1, cur.w2);
      const L = 36;
      const X = fit.sx(fx);
      const Y = fit.sy(fy);
      const tx = X + (L * cur.w1) / norm;
      const ty = Y - (L * cur.w2) / norm;
      g.strokeStyle = pal.extra;
      g.fillStyle = pal.extra;
      g.lineWidth = 2.5;
      g.beginPath();
      g.moveTo(X, Y);
      g.lineTo(tx, ty);
      g.stroke();
      const ang = Math.atan2(ty - Y, tx - X);
      g.beginPath();
      g.moveTo(tx, ty);
      g.lineTo(tx - 9 * Math.cos(ang - 0.45), ty - 9 * Math.sin(ang - 0.45));
      g.lineTo(tx - 9 * Math.cos(ang + 0.45), ty - 9 * Math.sin(ang + 0.45));
      g.closePath();
      g.fill();
    }
    // the points: squares for class 1, circles for class 0; wrong side = thick red outline
    for (let i = 0; i < S.nPoints; i++) {
      const x = S.x[2 * i];
      const y = S.x[2 * i + 1];
      const X = fit.sx(x);
      const Y = fit.sy(y);
      const sgn = S.y[i] === 1 ? 1 : -1;
      const right = sgn * (cur.w1 * x + cur.w2 * y + cur.b) > 0;
      g.fillStyle = S.y[i] === 1 ? c1 : c0;
      g.strokeStyle = right ? pal.bg : pal.error;
      g.lineWidth = right ? 1.2 : 2.5;
      g.beginPath();
      if (S.y[i] === 1) g.rect(X - 5, Y - 5, 10, 10);
      else g.arc(X, Y, 5.5, 0, 2 * Math.PI);
      g.fill();
      g.stroke();
    }
    g.restore();
    // the visited example
    if (cur.ex >= 0) {
      const X = fit.sx(S.x[2 * cur.ex]);
      const Y = fit.sy(S.x[2 * cur.ex + 1]);
      g.strokeStyle = cur.mistake ? pal.error : pal.highlight;
      g.lineWidth = 3;
      g.beginPath();
      g.arc(X, Y, 12, 0, 2 * Math.PI);
      g.stroke();
      font(g, c.fam, 12, 600);
      g.textAlign = "left";
      pointLabel(g, cur.mistake ? ["mistake: the line moves", "mistake"] : ["correct: no change", "correct"],
        X, Y - 20, box, cur.mistake ? pal.error : pal.fg, pal.bg, true);
    }
  }

  // -- the charts ------------------------------------------------------------------------------
  function drawSeries(g, p, info, c, ys, hi, title, color, fmt, ticks, flag) {
    const { pal } = c;
    heading(g, p, title, null, c);
    const plot = p.plot;
    const sx = linearScale(0, Math.max(1, S.n - 1), plot.x, plot.x + plot.w);
    const sy = linearScale(0, hi, plot.y + plot.h, plot.y);
    font(g, c.fam, 12);
    yAxis(g, plot, ticks, sy, fmt, pal);
    const step = niceStep(S.n - 1, Math.max(2, Math.floor(plot.w / 70)));
    const xt = [];
    for (let v = 0; v <= S.n - 1; v += step) xt.push(v);
    xAxis(g, plot, xt, sx, (v) => (v === 0 ? "visit 0" : formatInt(v)), pal);
    g.strokeStyle = color;
    g.globalAlpha = 0.3;
    g.lineWidth = 1.5;
    series(g, ys, 0, S.n, sx, sy);
    g.stroke();
    g.globalAlpha = 1;
    g.lineWidth = 2.5;
    series(g, ys, 0, info.frame + 1, sx, sy);
    g.stroke();
    const v = ys[info.frame];
    const x = sx(info.frame);
    const y = sy(v);
    g.fillStyle = color;
    g.beginPath();
    g.arc(x, y, 4.5, 0, 2 * Math.PI);
    g.fill();
    font(g, c.fam, 12, 600);
    g.textAlign = "left";
    pointLabel(g, fmt(v), x, y - 12, plot, pal.fg, pal.bg, true);
    if (flag) {
      font(g, c.fam, 13, 700);
      const w = g.measureText(flag.text).width + 16;
      const fx = plot.x + plot.w - w - 4;
      const fy = plot.y + plot.h - 26;
      g.fillStyle = flag.color;
      g.fillRect(fx, fy, w, 22);
      text(g, flag.text, fx + 8, fy + 11, { color: pal.bg, baseline: "middle" });
    }
  }

  const statusText = {
    start: "start: w = 0, b = 0 (no line yet)",
    mistake: "mistake: w ← w + η·s·x, b ← b + η·s",
    correct: "correct side: nothing changes",
    converged: "converged: a full pass without a mistake",
    stuck: "never settled: gave up at the epoch limit",
  };

  return {
    title: "The perceptron: a line learned one example at a time",
    fps: 8,
    loop: true,
    aspect: aspectFor,
    minHeight: 420,
    frames: () => (S ? S.n : 1),
    frameLabel: (f) => (S ? `visit ${formatInt(f)} / ${formatInt(S.n - 1)}` : "no data"),
    ariaLabel: () => (S
      ? `Animated figure: the perceptron rule on ${S.nPoints} points (${S.label}). Left, the points of the two `
        + "classes, the line w·x + b = 0 with the class-1 side shaded and the example being visited; right, the "
        + "accuracy on all points and the number of mistakes so far, per visit."
      : "Perceptron figure (no data)"),

    draw(g, info) {
      if (!S || !S.n) throw new Error("no scenario to draw: the widget state has no trace");
      const pal = info.palette;
      const c = { pal, fam: info.font };
      g.fillStyle = pal.bg;
      g.fillRect(0, 0, info.width, info.height);
      const L = panels(info.width, info.height);
      drawPlane(g, L.plane, info, c);
      const st = at(info.frame).st;
      const flag = st === "converged" ? { text: "✓ converged", color: pal.memory }
        : st === "stuck" ? { text: "⚠ never settles", color: pal.error } : null;
      drawSeries(g, L.acc, info, c, S.accuracy, 1, ["Accuracy on all points, per visit", "Accuracy"],
        pal.cache, (v) => `${Math.round(100 * v)}%`, [0, 0.25, 0.5, 0.75, 1], flag);
      const nt = niceTicks(Math.max(1, S.maxMistakes), 3);
      drawSeries(g, L.miss, info, c, S.nMistakes, nt.top, ["Mistakes (updates) so far", "Mistakes"],
        pal.compute, (v) => formatInt(Math.round(v)), nt.ticks, null);
    },

    telemetry(frame) {
      if (!S || !S.n) return [];
      const v = at(frame);
      return [
        ["Visit", `${formatInt(v.k)} of ${formatInt(S.n - 1)} (epoch ${v.epoch})`],
        ["Example", v.ex < 0 ? "none yet" : `#${v.ex}, class ${S.y[v.ex]}`],
        ["Weights w", `(${num(v.w1)}, ${num(v.w2)})`],
        ["Bias b", num(v.b)],
        ["Accuracy", `${pct(v.acc)} (best in run ${pct(S.bestAccuracy)})`],
        ["Mistakes so far", formatInt(v.nm)],
        ["Status", statusText[v.st]],
      ];
    },

    describe(frame) {
      if (!S || !S.n) return "No trace to describe.";
      const v = at(frame);
      const head = `${S.label}. Visit ${formatInt(v.k)} of ${formatInt(S.n - 1)}, epoch ${v.epoch}: `
        + `w = (${num(v.w1)}, ${num(v.w2)}), b = ${num(v.b)}, accuracy ${pct(v.acc)}, ${formatInt(v.nm)} mistakes so far.`;
      const tail = {
        start: " The weights start at zero.",
        mistake: ` Example ${v.ex} was on the wrong side, so the line moved.`,
        correct: ` Example ${v.ex} was on the right side; nothing changed.`,
        converged: " A whole pass made no mistake: the line separates the classes.",
        stuck: " The epoch limit ended the run: no line separates these classes.",
      }[v.st];
      return head + tail;
    },
  };
}
