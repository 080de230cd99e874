// The text description for assistive technology: a visually hidden polite live
// region. While the animation plays it speaks at most every `playingMs`; after a
// step or pause it speaks once things settle, so a screen reader is not flooded.

import { h } from "./dom.js";

export function createAnnouncer(bag, { playingMs = 5000, settleMs = 400 } = {}) {
  const el = h("div", { class: "vk-sr", "aria-live": "polite", "aria-atomic": "true" });
  let lastText = "";
  let lastAt = -Infinity;
  let timer = 0;
  bag.add(() => clearTimeout(timer));

  const write = (text) => {
    if (text !== lastText) el.textContent = text;
    lastText = text;
    lastAt = performance.now();
  };

  /** Offer the current description; `playing` selects the throttle. */
  const offer = (text, playing) => {
    if (text === lastText) return;
    clearTimeout(timer);
    if (playing) {
      const wait = lastAt + playingMs - performance.now();
      if (wait <= 0) write(text);
      else timer = setTimeout(() => write(text), wait);
    } else {
      timer = setTimeout(() => write(text), settleMs);
    }
  };
  return { el, offer };
}
