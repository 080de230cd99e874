// Which theme the page shows, and a watcher that re-themes live.
// Order: the pydata/sphinx-book-theme convention <html data-theme>, JupyterLab's
// <body data-jp-theme-light>, VS Code's body class, then prefers-color-scheme.

export function detectTheme(doc = document, win = window) {
  const t = doc.documentElement?.dataset?.theme;
  if (t === "dark" || t === "light") return t;
  const body = doc.body;
  const jp = body?.dataset?.jpThemeLight;
  if (jp === "false") return "dark";
  if (jp === "true") return "light";
  if (body?.classList?.contains("vscode-dark")) return "dark";
  if (body?.classList?.contains("vscode-light")) return "light";
  const mq = typeof win.matchMedia === "function" && win.matchMedia("(prefers-color-scheme: dark)");
  return mq && mq.matches ? "dark" : "light";
}

/** Call onChange(theme) whenever the resolved theme changes; everything is undone by `bag`. */
export function watchTheme(bag, onChange) {
  let current = detectTheme();
  const check = () => {
    const next = detectTheme();
    if (next !== current) {
      current = next;
      onChange(next);
    }
  };
  if (typeof MutationObserver === "function") {
    const mo = new MutationObserver(check);
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    if (document.body) {
      mo.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light", "class"] });
    }
    bag.add(() => mo.disconnect());
  }
  bag.media("(prefers-color-scheme: dark)", check);
  return current;
}
