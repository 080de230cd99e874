// A stand-in for an anywidget model: get/set/on/off/save_changes/send over a plain state
// object whose binary buffers arrive base64-encoded as {"__b64": ...} and become DataViews.
export function fakeModel(state, { kernel = false } = {}) {
  const s = structuredClone(state);
  const fix = (o) => {
    if (o && typeof o === "object") {
      for (const k of Object.keys(o)) {
        const v = o[k];
        if (v && typeof v === "object" && "__b64" in v) {
          const bin = atob(v.__b64); const u = new Uint8Array(bin.length);
          for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
          o[k] = new DataView(u.buffer);
        } else fix(v);
      }
    }
  };
  fix(s);
  const handlers = new Map();
  const m = {
    state: s, saves: 0, sent: [],
    get: (k) => s[k],
    set: (k, v) => { s[k] = v; (handlers.get(`change:${k}`) || []).slice().forEach((f) => f()); },
    on: (ev, f) => { if (!handlers.has(ev)) handlers.set(ev, []); handlers.get(ev).push(f); },
    off: (ev, f) => { const a = handlers.get(ev) || []; const i = a.indexOf(f); if (i >= 0) a.splice(i, 1); },
    save_changes: () => { m.saves++; },
    send: (msg) => { m.sent.push(msg); if (kernel && msg.type === "ping") setTimeout(() => (handlers.get("msg:custom") || []).forEach((f) => f({ type: "pong" })), 50); },
    listenerCount: () => [...handlers.values()].reduce((a, b) => a + b.length, 0),
  };
  return m;
}
