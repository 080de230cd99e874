// Native controls: the playback bar and the view's scenario controls.
// Every control is a real <button>/<select>/<input> with an accessible name.

import { h } from "./dom.js";
import { SPEEDS } from "./clock.js";

const ICONS = {
  play: "M4 2.5v11l9-5.5z",
  pause: "M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z",
  back: "M3 2.5h2v11H3zM13 2.5v11L6 8z",
  forward: "M11 2.5h2v11h-2zM3 2.5v11L10 8z",
  restart: "M2.5 2.5h2v11h-2zM14 2.5v11L9.5 8zM9.5 2.5v11L5 8z",
};

const icon = (name) =>
  `<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"><path fill="currentColor" d="${ICONS[name]}"/></svg>`;

function button(name, label, keys, onClick, bag) {
  const b = h("button", { type: "button", class: "vk-btn", "aria-label": label, title: `${label} (${keys})`, html: icon(name) });
  bag.on(b, "click", onClick);
  return b;
}

/**
 * The playback bar. `on` = {toggle, back, forward, restart, speed(x), scrub(f)}.
 * Returns {el, update({frame, frames, playing, speed, valueText, label})}.
 */
export function createPlayback(bag, on) {
  const toggle = button("play", "Play", "Space", on.toggle, bag);
  toggle.setAttribute("aria-pressed", "false");
  const restart = button("restart", "Restart", "Home", on.restart, bag);
  const back = button("back", "Step back", "←", on.back, bag);
  const forward = button("forward", "Step forward", "→", on.forward, bag);
  const speed = h("select", { class: "vk-select", "aria-label": "Speed" },
    ...SPEEDS.map((s) => h("option", { value: String(s), text: `${s}×`, selected: s === 1 })));
  bag.on(speed, "change", () => on.speed(Number(speed.value)));
  const scrub = h("input", { type: "range", class: "vk-scrub", min: "0", max: "0", step: "1", value: "0", "aria-label": "Time step" });
  bag.on(scrub, "input", () => on.scrub(Number(scrub.value)));
  const counter = h("span", { class: "vk-counter", "aria-hidden": "true" });
  const el = h("div", { class: "vk-bar" }, restart, back, toggle, forward, scrub, counter,
    h("label", { class: "vk-speed" }, h("span", { class: "vk-label", text: "Speed" }), speed));

  const last = {};
  const update = ({ frame, frames, playing, speedValue, valueText, label }) => {
    if (last.playing !== playing) {
      toggle.innerHTML = icon(playing ? "pause" : "play");
      toggle.setAttribute("aria-label", playing ? "Pause" : "Play");
      toggle.title = `${playing ? "Pause" : "Play"} (Space)`;
      toggle.setAttribute("aria-pressed", String(playing));
    }
    if (last.frames !== frames) scrub.max = String(Math.max(0, frames - 1));
    if (last.frame !== frame || last.frames !== frames) {
      scrub.value = String(frame);
      scrub.setAttribute("aria-valuetext", valueText);
      counter.textContent = label;
    }
    if (last.speedValue !== speedValue) speed.value = String(speedValue);
    Object.assign(last, { frame, frames, playing, speedValue });
  };
  return { el, update, scrub, toggle };
}

/**
 * Scenario controls a view asks for. Controls marked `python: true` re-run the
 * simulation, so they live in a fieldset that stays disabled (and says so)
 * until the engine hears a kernel answer.
 */
export function createUI(bag) {
  const local = h("div", { class: "vk-scenario" });
  const badge = h("span", { class: "vk-badge", text: "checking for Python…" });
  const legend = h("legend", { class: "vk-label" }, "Re-simulate ", badge);
  const python = h("fieldset", { class: "vk-python", disabled: true }, legend);
  let nPython = 0;

  const place = (wrapper, isPython) => {
    if (isPython) { python.append(wrapper); nPython += 1; } else local.append(wrapper);
  };

  const ui = {
    /** options: [{value, label}] */
    select({ label, options, value, onChange, python: isPython = false }) {
      const sel = h("select", { class: "vk-select", "aria-label": label });
      const setOptions = (opts) => {
        sel.replaceChildren(...opts.map((o) => h("option", { value: String(o.value), text: o.label })));
      };
      setOptions(options);
      sel.value = String(value);
      bag.on(sel, "change", () => onChange(sel.value));
      place(h("label", { class: "vk-field" }, h("span", { class: "vk-label", text: label }), sel), isPython);
      return { el: sel, set: (v) => { sel.value = String(v); }, setOptions };
    },

    checkbox({ label, checked, onChange, python: isPython = false }) {
      const box = h("input", { type: "checkbox", checked: Boolean(checked) });
      bag.on(box, "change", () => onChange(box.checked));
      place(h("label", { class: "vk-field vk-check" }, box, h("span", { text: label })), isPython);
      return { el: box, set: (v) => { box.checked = Boolean(v); } };
    },

    number({ label, value, min, max, step = 1, onChange, python: isPython = false }) {
      const input = h("input", { type: "number", class: "vk-number", value: String(value), min: String(min), max: String(max), step: String(step), inputmode: "numeric" });
      bag.on(input, "change", () => onChange(input.valueAsNumber, input.value));
      place(h("label", { class: "vk-field" }, h("span", { class: "vk-label", text: label }), input), isPython);
      return { el: input, set: (v) => { input.value = String(v); } };
    },
  };

  /** null = still asking; true = a kernel answered; false = no kernel (static page). */
  const setKernel = (state) => {
    python.disabled = state !== true;
    python.classList.toggle("vk-live", state === true);
    python.classList.toggle("vk-static", state === false);
    badge.textContent = state === true ? "live" : state === false ? "needs Python — " : "checking for Python…";
    if (state === false) {
      // a page may say where its live version is: <meta name="vizkit:live-url" content="…">
      const href = document.querySelector('meta[name="vizkit:live-url"]')?.getAttribute("content");
      badge.append(href ? h("a", { href, text: "Run live" }) : "Run live");
    }
    python.title = state === false
      ? "These controls re-run the Python simulation. Open this page live (JupyterLite or Binder) to use them."
      : "";
  };

  const el = h("div", { class: "vk-controls" }, local, python);
  return { el, ui, setKernel, hasPython: () => nPython > 0, pythonEl: python };
}

/**
 * Keyboard on the widget root: Space plays/pauses, ←/→ step, Home/End jump.
 * Keys typed into a form control, and Space/Enter on a button, keep their native meaning.
 */
export function bindKeys(bag, root, act) {
  bag.on(root, "keydown", (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const tag = e.target && e.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    const keys = { ArrowRight: act.forward, ArrowLeft: act.back, Home: act.restart, End: act.end };
    if ((e.key === " " || e.key === "Spacebar") && tag !== "BUTTON") act.toggle();
    else if (keys[e.key]) keys[e.key]();
    else return;
    e.preventDefault();
  });
}
