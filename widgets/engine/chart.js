// Canvas helpers shared by views: text, axes, series. They draw on a 2D context
// they are given and touch no other DOM.

/** Set the font: px size (>= 12 by policy), weight, family. */
export function font(g, family, px = 12, weight = 400) {
  g.font = `${weight} ${Math.max(12, px)}px ${family}`;
}

export function text(g, s, x, y, { color, align = "left", baseline = "alphabetic" } = {}) {
  if (color) g.fillStyle = color;
  g.textAlign = align;
  g.textBaseline = baseline;
  g.fillText(s, x, y);
}

/** A legend entry: a swatch then its label; returns the x after it. */
export function swatch(g, x, y, color, label, { fg, line = false, dash = null } = {}) {
  g.save();
  if (line) {
    g.strokeStyle = color;
    g.lineWidth = 2.5;
    if (dash) g.setLineDash(dash);
    g.beginPath();
    g.moveTo(x, y);
    g.lineTo(x + 16, y);
    g.stroke();
  } else {
    g.fillStyle = color;
    g.fillRect(x, y - 5, 10, 10);
  }
  g.restore();
  const tx = x + (line ? 21 : 14);
  text(g, label, tx, y, { color: fg, baseline: "middle" });
  return tx + g.measureText(label).width + 14;
}

/** Horizontal grid lines with y-axis labels at `ticks` (values), mapped by `sy`. */
export function yAxis(g, plot, ticks, sy, fmt, pal) {
  g.save();
  g.strokeStyle = pal.grid;
  g.lineWidth = 1;
  for (const v of ticks) {
    const y = Math.round(sy(v)) + 0.5;
    if (y < plot.y - 1 || y > plot.y + plot.h + 1) continue;
    g.beginPath();
    g.moveTo(plot.x, y);
    g.lineTo(plot.x + plot.w, y);
    g.stroke();
    text(g, fmt(v), plot.x - 6, y, { color: pal.muted, align: "right", baseline: "middle" });
  }
  g.restore();
}

/** X-axis baseline with labels at `ticks`, mapped by `sx`. */
export function xAxis(g, plot, ticks, sx, fmt, pal) {
  g.save();
  g.strokeStyle = pal.border;
  g.lineWidth = 1;
  const y = Math.round(plot.y + plot.h) + 0.5;
  g.beginPath();
  g.moveTo(plot.x, y);
  g.lineTo(plot.x + plot.w, y);
  g.stroke();
  let lastRight = -Infinity;
  for (const v of ticks) {
    const x = Math.round(sx(v)) + 0.5;
    g.beginPath();
    g.moveTo(x, y);
    g.lineTo(x, y + 4);
    g.stroke();
    const s = fmt(v);
    const w = g.measureText(s).width;
    const left = Math.max(plot.x - 24, Math.min(x - w / 2, plot.x + plot.w + 8 - w));
    if (left < lastRight + 8) continue;     // a label that would touch the previous one is dropped
    text(g, s, left, y + 6, { color: pal.muted, baseline: "top" });
    lastRight = left + w;
  }
  g.restore();
}

/** A polyline through (sx(i), sy(ys[i])) for i in [from, to), every `step`-th point. */
export function series(g, ys, from, to, sx, sy, step = 1) {
  g.beginPath();
  let started = false;
  for (let i = from; i < to; i += step) {
    const x = sx(i);
    const y = sy(ys[i]);
    if (started) g.lineTo(x, y);
    else { g.moveTo(x, y); started = true; }
  }
  if (to - 1 >= from && (to - 1 - from) % step !== 0) g.lineTo(sx(to - 1), sy(ys[to - 1]));
}

/** Title (bold; the first of `titles` that fits the panel) and a muted second line. ctx = {fam, pal}. */
export function heading(g, p, titles, sub, ctx) {
  font(g, ctx.fam, 13, 600);
  const list = Array.isArray(titles) ? titles : [titles];
  const title = list.find((t) => g.measureText(t).width <= p.w) || list[list.length - 1];
  text(g, title, p.x, p.y + 12, { color: ctx.pal.fg });
  if (sub) {
    font(g, ctx.fam, 12);
    text(g, fit(g, sub, p.w), p.x, p.y + 30, { color: ctx.pal.muted });
  }
}

/** Shorten " · "-separated text from the end until it fits `w` px. */
export function fit(g, s, w) {
  let parts = s.split(" · ");
  while (parts.length > 1 && g.measureText(parts.join(" · ")).width > w) parts = parts.slice(0, -1);
  return parts.join(" · ");
}

/**
 * Text beside a point, kept inside `box`. A rising line passes below-left and
 * above-right of its point, so a label above goes left and one below goes right.
 * `texts` may list shorter fallbacks; the first that fits on either side wins.
 */
export function pointLabel(g, texts, x, y, box, color, halo, above) {
  const list = Array.isArray(texts) ? texts : [texts];
  let s = list[list.length - 1];
  let left = null;
  for (const t of list) {
    const w = g.measureText(t).width;
    const l = x - 8 - w;
    const r = x + 8;
    const fitsLeft = l >= box.x;
    const fitsRight = r + w <= box.x + box.w;
    if (fitsLeft || fitsRight) {
      s = t;
      left = (above ? fitsLeft : !fitsRight) ? l : r;
      break;
    }
  }
  const w = g.measureText(s).width;
  if (left === null) left = x + 8;
  left = Math.max(box.x, Math.min(left, box.x + box.w - w));
  const yy = Math.max(box.y + 7, Math.min(y, box.y + box.h - 7));
  g.save();
  g.strokeStyle = halo;           // a halo keeps the label legible across lines and grid
  g.lineWidth = 4;
  g.lineJoin = "round";
  g.textBaseline = "middle";
  g.strokeText(s, left, yy);
  g.restore();
  text(g, s, left, yy, { color, baseline: "middle" });
}
