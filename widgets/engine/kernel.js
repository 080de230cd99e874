// Is a live kernel behind this model? Send {type: "ping"}; the Python base class
// answers {type: "pong"}. No answer within `timeoutMs` means a static page. A
// late answer (a busy Pyodide kernel) still switches the widget to live.

export function detectKernel(model, bag, onState, timeoutMs = 2000) {
  let live = false;
  const onMsg = (msg) => {
    if (msg && msg.type === "pong" && !live) {
      live = true;
      onState(true);
    }
  };
  bag.model(model, "msg:custom", onMsg);
  onState(null);
  try {
    model.send({ type: "ping" });
  } catch {
    /* no comm: stays static */
  }
  bag.timeout(() => { if (!live) onState(false); }, timeoutMs);
}
