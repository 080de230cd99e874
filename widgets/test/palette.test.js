import { test } from "node:test";
import assert from "node:assert/strict";
import { OKABE_ITO, contrast, cssVars, mix, palette } from "../engine/palette.js";

test("both themes define every role", () => {
  const light = palette("light");
  const dark = palette("dark");
  assert.deepEqual(Object.keys(light).sort(), Object.keys(dark).sort());
  assert.equal(palette("anything").theme, "light");
  for (const p of [light, dark]) for (const v of Object.values(cssVars(p))) assert.match(v, /^#[0-9a-fA-F]{6}$/);
});

test("text and data colours are readable on the background (WCAG)", () => {
  for (const theme of ["light", "dark"]) {
    const p = palette(theme);
    assert.ok(contrast(p.fg, p.bg) >= 7, `${theme} fg`);
    assert.ok(contrast(p.muted, p.bg) >= 4.5, `${theme} muted text`);
    assert.ok(contrast(p.error, p.bg) >= 4.5, `${theme} error text`);
    for (const role of ["compute", "cache", "memory", "ctlBorder"]) {
      assert.ok(contrast(p[role], p.bg) >= 3, `${theme} ${role} (graphics need 3:1)`);
    }
  }
});

test("the data roles are Okabe–Ito hues in light theme", () => {
  const p = palette("light");
  const hues = new Set(Object.values(OKABE_ITO));
  for (const role of ["compute", "cache", "memory", "highlight"]) assert.ok(hues.has(p[role]), role);
});

test("mix interpolates hex colours", () => {
  assert.equal(mix("#000000", "#ffffff", 0), "#000000");
  assert.equal(mix("#000000", "#ffffff", 1), "#ffffff");
  assert.equal(mix("#000000", "#ffffff", 0.5), "#808080");
});
