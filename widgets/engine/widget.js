// The engine: mounts a view into an anywidget `el` with the stage, clock,
// controls, telemetry, console line, live description and kernel detection,
// and returns the clean-up that undoes all of it.
//
// A view is a factory `createView(ctx)` returning
//   { title, fps, loop, aspect, minHeight,
//     frames(), ariaLabel(), draw(g, info), telemetry(frame), describe(frame),
//     frameLabel(frame), destroy() }
// where info = {frame, tween, width, height, palette, font, playing}.
// ctx = { model, ui, watch(name, fn), set(name, value), refresh(), inputError(msg) }.

import { Clock } from "./clock.js";
import { Bag, h } from "./dom.js";
import { createStage } from "./stage.js";
import { cssVars, palette } from "./palette.js";
import { watchTheme } from "./theme.js";
import { bindKeys, createPlayback, createUI } from "./controls.js";
import { createTelemetry } from "./telemetry.js";
import { createAnnouncer } from "./announce.js";
import { detectKernel } from "./kernel.js";
import { CSS } from "./styles.js";

const FRAME_SYNC_MS = 500; // write `frame` back to Python at most this often while playing
const FALLBACK_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** The default export of a bundle entry: `export default defineWidget("kvcache", kvcacheView)`. */
export function defineWidget(name, createView) {
  return { render: ({ model, el }) => mount(name, createView, model, el) };
}

function safeSave(model) {
  try {
    model.save_changes();
  } catch {
    /* a static page has no comm to save to; the local state is already set */
  }
}

function mediaMatches(query) {
  return typeof window.matchMedia === "function" && window.matchMedia(query).matches;
}

export function mount(name, createView, model, el) {
  const bag = new Bag();
  let destroyed = false;
  let raf = 0;
  let lastTs = 0;
  let dirty = true;      // the canvas needs a redraw
  let domDirty = true;   // read-outs need rewriting even if the frame did not change
  let visible = typeof IntersectionObserver !== "function";
  let seenVisible = false;
  let font = "";
  let pal = palette("light");
  let sentFrame = -1;
  let sentAt = 0;
  let lastDomKey = "";
  const errors = { python: "", input: "", draw: "" };
  const drawMs = [];
  let stage = null;
  let view = null;

  const root = h("div", { class: "vk-widget", tabindex: "0", role: "group", "data-widget": name,
    "aria-keyshortcuts": "Space ArrowLeft ArrowRight Home End" });
  const stageBox = h("div", { class: "vk-stage" });
  const note = h("p", { class: "vk-note" });
  const consoleLine = h("div", { class: "vk-console", role: "status" });
  const announcer = createAnnouncer(bag);
  const telemetry = createTelemetry();
  const controls = createUI(bag);
  const clock = new Clock({ reducedMotion: mediaMatches("(prefers-reduced-motion: reduce)") });

  const setError = (kind, msg) => {
    if (errors[kind] === msg) return;
    errors[kind] = msg;
    consoleLine.textContent = [errors.python, errors.input, errors.draw].filter(Boolean).join("\n");
  };

  const ctx = {
    model,
    ui: controls.ui,
    watch: (trait, fn) => bag.model(model, `change:${trait}`, fn),
    set: (trait, value) => { model.set(trait, value); safeSave(model); },
    refresh: () => {
      if (!stage) return;
      clock.setFrames(view.frames());
      stage.canvas.setAttribute("aria-label", view.ariaLabel());
      domDirty = true;
      invalidate();
    },
    inputError: (msg) => setError("input", msg || ""),
  };
  view = createView(ctx);
  Object.assign(clock, { fps: view.fps ?? 2, loop: view.loop ?? true });
  clock.setFrames(view.frames());
  clock.seek(model.get("frame") ?? 0);

  stage = createStage(stageBox, bag, {
    aspect: view.aspect ?? 1.6,
    minHeight: view.minHeight ?? 380,
    // off screen the loop is stopped, but the picture should still match the new size
    onResize: () => { if (visible) invalidate(); else { draw(); updateDom(); } },
  });
  stage.canvas.setAttribute("role", "img");
  stage.canvas.setAttribute("aria-label", view.ariaLabel());
  root.setAttribute("aria-label", `${view.title} (interactive figure)`);

  // -- state shared with Python -------------------------------------------------------------
  const syncPlaying = () => {
    if (model.get("playing") !== clock.playing) ctx.set("playing", clock.playing);
  };
  const syncFrame = (force) => {
    const f = clock.frame;
    const now = performance.now();
    if (f === sentFrame || (!force && now - sentAt < FRAME_SYNC_MS)) return;
    sentFrame = f;
    sentAt = now;
    if (model.get("frame") !== f) ctx.set("frame", f);
  };
  ctx.watch("frame", () => {
    const f = model.get("frame");
    if (!Number.isInteger(f) || f === clock.frame) return;
    clock.seek(f);
    sentFrame = clock.frame;
    domDirty = true;
    updateDom();
    invalidate();
  });
  ctx.watch("playing", () => {
    const want = Boolean(model.get("playing"));
    if (want === clock.playing) return;
    if (want) clock.play(); else clock.pause();
    domDirty = true;
    updateDom();
    invalidate();
  });
  const showPythonError = () => setError("python", model.get("error") || "");
  const showNote = () => {
    const text = model.get("description") || "";
    note.replaceChildren(...(text ? [h("strong", { text: "What this model leaves out: " }), text] : []));
  };
  ctx.watch("error", showPythonError);
  ctx.watch("description", showNote);
  showPythonError();
  showNote();

  // -- controls ------------------------------------------------------------------------------
  const afterControl = () => {
    syncPlaying();
    syncFrame(true);
    domDirty = true;
    updateDom();   // read-outs and data-* follow the click at once, not on the next frame
    invalidate();
  };
  const act = {
    toggle: () => { clock.toggle(); afterControl(); },
    back: () => { clock.step(-1); afterControl(); },
    forward: () => { clock.step(1); afterControl(); },
    restart: () => { clock.restart(); afterControl(); },
    end: () => { clock.pause(); clock.seek(clock.last); afterControl(); },
    speed: (x) => { clock.setSpeed(x); afterControl(); },
    scrub: (f) => { clock.pause(); clock.seek(f); afterControl(); },
  };
  const playback = createPlayback(bag, act);

  bindKeys(bag, root, act);

  // -- theme -----------------------------------------------------------------------------------
  const applyTheme = (theme) => {
    pal = palette(theme);
    root.dataset.theme = pal.theme;
    for (const [k, v] of Object.entries(cssVars(pal))) root.style.setProperty(k, v);
    font = "";
    invalidate();
  };
  applyTheme(watchTheme(bag, applyTheme));
  bag.media("(prefers-reduced-motion: reduce)", (e) => { clock.reducedMotion = e.matches; invalidate(); });

  // -- drawing ---------------------------------------------------------------------------------
  const draw = () => {
    dirty = false;
    if ((window.devicePixelRatio || 1) !== stage.dpr) stage.measure();
    const g = stage.context();
    if (!g) return;
    if (!font) font = getComputedStyle(root).fontFamily || FALLBACK_FONT;
    const t0 = performance.now();
    g.save();
    try {
      g.clearRect(0, 0, stage.width, stage.height);
      view.draw(g, { frame: clock.frame, tween: clock.tween, width: stage.width, height: stage.height,
        palette: pal, font, playing: clock.playing });
      setError("draw", "");
    } catch (err) {
      setError("draw", `Drawing failed: ${err && err.message ? err.message : err}`);
    } finally {
      g.restore();
    }
    drawMs.push(performance.now() - t0);
    if (drawMs.length > 600) drawMs.splice(0, drawMs.length - 600);
  };

  const updateDom = () => {
    const f = clock.frame;
    const key = `${f}|${clock.frames}|${clock.playing}|${clock.speed}`;
    if (key === lastDomKey && !domDirty) return;
    lastDomKey = key;
    domDirty = false;
    root.dataset.frame = String(f);
    root.dataset.frames = String(clock.frames);
    root.dataset.playing = String(clock.playing);
    const label = view.frameLabel ? view.frameLabel(f) : `frame ${f + 1} / ${clock.frames}`;
    playback.update({ frame: f, frames: clock.frames, playing: clock.playing, speedValue: clock.speed,
      valueText: label, label });
    try {
      telemetry.update(view.telemetry(f));
      announcer.offer(view.describe(f), clock.playing);
    } catch (err) {
      setError("draw", `Read-outs failed: ${err && err.message ? err.message : err}`);
    }
  };

  const loop = (ts) => {
    raf = 0;
    if (destroyed) return;
    const wasPlaying = clock.playing;
    const changed = clock.tick(lastTs ? ts - lastTs : 0);
    lastTs = ts;
    if (wasPlaying && !clock.playing) syncPlaying();   // reached the end (no loop)
    if (changed || clock.playing || dirty) draw();
    updateDom();
    if (clock.playing) syncFrame(false);
    schedule();
  };
  function schedule() {
    if (destroyed || raf || !visible) return;
    if (clock.playing || dirty || clock.animating) raf = requestAnimationFrame(loop);
    else lastTs = 0;
  }
  function invalidate() {
    dirty = true;
    schedule();
  }

  // -- visibility: run only on screen; autoplay the first time it is seen ------------------------
  const becameVisible = () => {
    if (!seenVisible) {
      seenVisible = true;
      const reduced = mediaMatches("(prefers-reduced-motion: reduce)");
      if (model.get("playing") && !reduced) clock.play();
      syncPlaying();
      domDirty = true;
    }
    lastTs = 0;
    invalidate();
  };
  if (typeof IntersectionObserver === "function") {
    const io = new IntersectionObserver((entries) => {
      const on = entries.some((en) => en.isIntersecting);
      if (on === visible) return;
      visible = on;
      if (on) becameVisible();
      else if (raf) { cancelAnimationFrame(raf); raf = 0; }
    });
    io.observe(root);
    bag.add(() => io.disconnect());
  }

  // -- kernel ----------------------------------------------------------------------------------
  if (controls.hasPython()) detectKernel(model, bag, controls.setKernel, 2000);
  else controls.pythonEl.hidden = true;

  // Test and benchmark hooks: recent per-frame draw durations (ms) and a summary.
  root.vkFrameTimes = () => drawMs.slice();
  root.vkPerf = () => {
    const s = [...drawMs].sort((a, b) => a - b);
    const q = (p) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0);
    return { samples: s.length, p50: q(0.5), p95: q(0.95), max: s.length ? s[s.length - 1] : 0 };
  };

  root.append(h("style", { text: CSS }), stageBox, playback.el, controls.el, telemetry.el, note,
    consoleLine, announcer.el);
  el.replaceChildren(root);
  stage.measure();
  draw();          // one picture even before it scrolls into view
  updateDom();
  if (visible) becameVisible();

  return () => {
    destroyed = true;
    if (raf) cancelAnimationFrame(raf);
    raf = 0;
    bag.dispose();
    if (view.destroy) view.destroy();
    el.replaceChildren();
  };
}
