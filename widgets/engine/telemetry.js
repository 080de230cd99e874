// Telemetry read-outs: a <dl> of label/value pairs, rewritten only where a value changed.

import { h } from "./dom.js";

export function createTelemetry() {
  const el = h("dl", { class: "vk-telemetry" });
  const rows = new Map();
  const update = (pairs) => {
    const seen = new Set();
    for (const [label, value] of pairs) {
      seen.add(label);
      let row = rows.get(label);
      if (!row) {
        const dd = h("dd");
        row = { div: h("div", {}, h("dt", { text: label }), dd), dd, value: null };
        rows.set(label, row);
        el.append(row.div);
      }
      if (row.value !== value) {
        row.dd.textContent = value;
        row.value = value;
      }
    }
    for (const [label, row] of rows) {
      if (!seen.has(label)) { row.div.remove(); rows.delete(label); }
    }
  };
  return { el, update };
}
