// Small DOM helpers: element creation and a disposer bag that undoes every
// listener, observer and timer it was given.

/** Create an element: h("button", {class: "x", "aria-label": "Play"}, child, "text"). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") el.textContent = v;
    else if (k === "html") el.innerHTML = v;
    else if (k in el && typeof v !== "string") el[k] = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

/** Collects clean-up functions; dispose() runs them all, newest first. */
export class Bag {
  constructor() { this.fns = []; }

  add(fn) { this.fns.push(fn); return fn; }

  /** addEventListener that is removed on dispose. */
  on(target, type, fn, opts) {
    target.addEventListener(type, fn, opts);
    return this.add(() => target.removeEventListener(type, fn, opts));
  }

  /** A MediaQueryList change listener (old Safari only has addListener). */
  media(query, fn) {
    const mq = typeof window.matchMedia === "function" ? window.matchMedia(query) : null;
    if (!mq) return null;
    if (mq.addEventListener) this.on(mq, "change", fn);
    else if (mq.addListener) {
      mq.addListener(fn);
      this.add(() => mq.removeListener(fn));
    }
    return mq;
  }

  /** model.on that is undone on dispose (anywidget also does this for us). */
  model(model, name, fn) {
    model.on(name, fn);
    return this.add(() => model.off(name, fn));
  }

  timeout(fn, ms) {
    const id = setTimeout(fn, ms);
    this.add(() => clearTimeout(id));
    return id;
  }

  dispose() {
    while (this.fns.length) {
      const fn = this.fns.pop();
      try { fn(); } catch { /* keep undoing the rest */ }
    }
  }
}
