// Theme-aware, colour-blind-safe palette (Okabe & Ito, "Color Universal Design").
// DOM-free: `palette(theme)` returns colours by role; views never hard-code colours.

export const OKABE_ITO = {
  black: "#000000", orange: "#E69F00", sky: "#56B4E9", green: "#009E73",
  yellow: "#F0E442", blue: "#0072B2", vermillion: "#D55E00", purple: "#CC79A7",
};

const LIGHT = {
  bg: "#ffffff", panel: "#f6f7f9", fg: "#1b1f24", muted: "#57606a", grid: "#d8dde3",
  border: "#c5ccd3", empty: "#eef0f3", reused: "#a9b1ba", control: "#ffffff", ctlBorder: "#868f99",
  // roles (Okabe–Ito hues; the darker ones where they must read on white)
  compute: OKABE_ITO.vermillion, cache: OKABE_ITO.blue, memory: OKABE_ITO.green,
  highlight: OKABE_ITO.orange, accent: OKABE_ITO.blue, error: "#b34700", extra: OKABE_ITO.purple,
};

const DARK = {
  bg: "#15191e", panel: "#1d2229", fg: "#e6e9ed", muted: "#a3acb6", grid: "#39414b",
  border: "#4a535e", empty: "#242a32", reused: "#56606b", control: "#1d2229", ctlBorder: "#7d8793",
  // the lighter Okabe–Ito hues read on a dark ground; vermillion is lifted a little
  compute: "#F07B3F", cache: OKABE_ITO.sky, memory: "#2fc29a",
  highlight: OKABE_ITO.yellow, accent: OKABE_ITO.sky, error: "#ff9a66", extra: OKABE_ITO.purple,
};

/** Colours by role for "light" or "dark". */
export function palette(theme) {
  const p = theme === "dark" ? DARK : LIGHT;
  return { theme: theme === "dark" ? "dark" : "light", ...p };
}

function rgb(hex) {
  const h = hex.replace("#", "");
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
}

/** Mix two hex colours: t = 0 gives `a`, t = 1 gives `b`. */
export function mix(a, b, t) {
  const x = rgb(a);
  const y = rgb(b);
  const c = x.map((v, i) => Math.round(v + (y[i] - v) * t));
  return `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

/** WCAG relative luminance and contrast ratio, for tests and sanity checks. */
export function contrast(a, b) {
  const lum = (hex) => {
    const [r, g, bl] = rgb(hex).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (hi + 0.05) / (lo + 0.05);
}

/** CSS custom properties for the DOM parts of a widget. */
export function cssVars(p) {
  return {
    "--vk-bg": p.bg, "--vk-panel": p.panel, "--vk-fg": p.fg, "--vk-muted": p.muted,
    "--vk-border": p.border, "--vk-accent": p.accent, "--vk-error": p.error,
    "--vk-control": p.control, "--vk-ctl-border": p.ctlBorder,
  };
}
