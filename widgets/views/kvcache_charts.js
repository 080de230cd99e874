// The two charts of the KV-cache figure: FLOPs per decode step (log scale) for
// both modes, and the bytes the cache holds. Both mark the current step.

import { font, heading, pointLabel, series, xAxis, yAxis } from "../engine/chart.js";
import { binaryTicks, decadeDomain, linearScale, logScale, logTicks, niceStep, stride } from "../engine/scale.js";
import { formatBytes, formatBytesShort, formatInt, formatSI, formatSIShort } from "../engine/format.js";
import { mix } from "../engine/palette.js";

/** Decode steps to tick: step 1, then round numbers, about one per 90 px. */
function stepTicks(nNew, px) {
  const step = niceStep(nNew, Math.max(2, Math.floor(px / 70)));
  const out = [1];
  for (let v = step; v <= nNew; v += step) if (v > 1) out.push(v);
  if (out.length === 1 && nNew > 1) out.push(nNew);
  return out;
}
const stepLabel = (v) => (v === 1 ? "step 1" : formatInt(v));

/** Marker position: glides from the previous step to this one while the step animates. */
const markerAt = (info) => Math.max(0, info.frame - 1 + info.tween);

function lerpLog(ys, x) {
  const i = Math.min(Math.floor(x), ys.length - 1);
  const j = Math.min(i + 1, ys.length - 1);
  const u = x - i;
  return 10 ** (Math.log10(ys[i]) * (1 - u) + Math.log10(ys[j]) * u);
}

export function drawFlops(g, p, S, info, ctx) {
  const { pal, cached } = ctx;
  heading(g, p, ["FLOPs per decode step (log scale)", "FLOPs per step (log scale)", "FLOPs per step"], null, ctx);
  const plot = p.plot;
  const last = S.nNew - 1;
  const [lo, hi] = decadeDomain(S.minFlops, S.maxFlops);
  // headroom above the highest point, so its label fits above it
  const top = Math.max(hi, 10 ** (Math.log10(S.maxFlops) + 0.15 * Math.log10(hi / lo)));
  const sx = linearScale(0, Math.max(1, last), plot.x, plot.x + plot.w);
  const sy = logScale(lo, top, plot.y + plot.h, plot.y);
  font(g, ctx.fam, 12);
  yAxis(g, plot, logTicks(lo, hi, 5), sy, (v) => formatSIShort(v, "FLOP"), pal);
  xAxis(g, plot, stepTicks(S.nNew, plot.w), (v) => sx(v - 1), stepLabel, pal);

  const m = markerAt(info);
  const st = stride(S.nNew, plot.w);
  const lines = [[S.recompute, ctx.computeColor, !cached, "recompute"], [S.cached, ctx.cacheColor, cached, "KV cache"]];
  for (const [ys, color, active] of lines) {
    g.strokeStyle = color;
    g.globalAlpha = 0.3;
    g.lineWidth = 1.5;
    series(g, ys, 0, S.nNew, sx, sy, st);
    g.stroke();
    g.globalAlpha = 1;
    g.lineWidth = active ? 3 : 1.5;
    series(g, ys, 0, Math.floor(m) + 1, sx, sy, st);
    g.lineTo(sx(m), sy(lerpLog(ys, m)));
    g.stroke();
  }
  // step marker, dots and values
  const x = Math.round(sx(m)) + 0.5;
  g.strokeStyle = pal.muted;
  g.lineWidth = 1;
  g.setLineDash([3, 3]);
  g.beginPath();
  g.moveTo(x, plot.y);
  g.lineTo(x, plot.y + plot.h);
  g.stroke();
  g.setLineDash([]);
  for (const [ys, color, active, name] of lines) {
    const v = lerpLog(ys, m);
    const y = sy(v);
    g.fillStyle = color;
    g.beginPath();
    g.arc(x, y, active ? 4.5 : 3.5, 0, 2 * Math.PI);
    g.fill();
    font(g, ctx.fam, 12, active ? 600 : 400);
    let dy = name === "recompute" ? -11 : 12;
    if (y + dy > plot.y + plot.h - 8 || y + dy < plot.y + 6) dy = -dy;   // keep labels inside the plot
    const val = formatSI(ys[info.frame], "FLOP");
    pointLabel(g, [`${name} ${val}`, val], x, y + dy, plot, active ? pal.fg : pal.muted, pal.bg,
      dy < 0);
  }
}

export function drawBytes(g, p, S, info, ctx) {
  const { pal, cached } = ctx;
  const per = formatBytes(S.kvPerToken);
  heading(g, p, cached
    ? [`KV cache held in memory (+${per} per token)`, `KV cache in memory (+${per}/token)`, "KV cache in memory"]
    : ["KV cache held in memory: none (cache off)", "KV cache: none (cache off)", "No KV cache"], null, ctx);
  const plot = p.plot;
  const last = S.nNew - 1;
  const { ticks, top } = binaryTicks(S.maxKv, 4);
  const sx = linearScale(0, Math.max(1, last), plot.x, plot.x + plot.w);
  const sy = linearScale(0, top, plot.y + plot.h, plot.y);
  font(g, ctx.fam, 12);
  yAxis(g, plot, ticks, sy, formatBytesShort, pal);
  xAxis(g, plot, stepTicks(S.nNew, plot.w), (v) => sx(v - 1), stepLabel, pal);

  const m = markerAt(info);
  const at = (x) => {
    const i = Math.min(Math.floor(x), last);
    const j = Math.min(i + 1, last);
    return S.kv[i] + (S.kv[j] - S.kv[i]) * (x - i);
  };
  const st = stride(S.nNew, plot.w);
  const color = ctx.memoryColor;
  if (cached) {
    g.fillStyle = mix(color, pal.bg, 0.75);
    series(g, S.kv, 0, Math.floor(m) + 1, sx, sy, st);
    g.lineTo(sx(m), sy(at(m)));
    g.lineTo(sx(m), sy(0));
    g.lineTo(sx(0), sy(0));
    g.closePath();
    g.fill();
  }
  g.strokeStyle = color;
  g.lineWidth = 1.5;
  g.globalAlpha = 0.35;
  if (!cached) g.setLineDash([5, 4]);
  series(g, S.kv, 0, S.nNew, sx, sy, st);
  g.stroke();
  g.globalAlpha = 1;
  if (cached) {
    g.lineWidth = 2.5;
    series(g, S.kv, 0, Math.floor(m) + 1, sx, sy, st);
    g.lineTo(sx(m), sy(at(m)));
    g.stroke();
    g.fillStyle = color;
    g.beginPath();
    g.arc(sx(m), sy(at(m)), 4.5, 0, 2 * Math.PI);
    g.fill();
  }
  g.setLineDash([]);
  if (!cached) {
    g.strokeStyle = color;
    g.lineWidth = 1.5;
    g.beginPath();
    g.arc(sx(m), sy(at(m)), 4, 0, 2 * Math.PI);
    g.stroke();
  }
  font(g, ctx.fam, 12, 600);
  const value = cached ? formatBytes(S.kv[info.frame]) : `would be ${formatBytes(S.kv[info.frame])}`;
  pointLabel(g, value, sx(m), sy(at(m)) - 12, plot, pal.fg, pal.bg, true);
}
