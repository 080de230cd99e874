// The widget's stylesheet, scoped to .vk-widget and coloured from the palette's CSS variables.

export const CSS = `
.vk-widget{--vk-gap:8px;position:relative;box-sizing:border-box;margin:0.75rem 0;padding:10px 12px 8px;
border:1px solid var(--vk-border);border-radius:8px;background:var(--vk-bg);color:var(--vk-fg);
font:14px/1.4 var(--vk-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);max-width:100%}
.vk-widget *,.vk-widget *::before,.vk-widget *::after{box-sizing:border-box}
.vk-widget:focus{outline:none}
.vk-widget:focus-visible{outline:2px solid var(--vk-accent);outline-offset:2px}
.vk-stage{position:relative;width:100%;min-width:0}
.vk-stage canvas{border-radius:4px}
.vk-bar,.vk-scenario,.vk-python{display:flex;flex-wrap:wrap;align-items:center;gap:var(--vk-gap)}
.vk-bar{margin-top:8px}
.vk-controls{display:flex;flex-wrap:wrap;align-items:center;gap:6px 18px;margin-top:6px}
.vk-btn{display:inline-flex;align-items:center;justify-content:center;width:34px;height:32px;padding:0;
border:1px solid var(--vk-ctl-border);border-radius:6px;background:var(--vk-control);color:var(--vk-fg);cursor:pointer}
.vk-btn:hover{border-color:var(--vk-accent)}
.vk-btn[aria-pressed="true"]{background:var(--vk-accent);border-color:var(--vk-accent);color:var(--vk-bg)}
.vk-widget button:focus-visible,.vk-widget select:focus-visible,.vk-widget input:focus-visible{outline:2px solid var(--vk-accent);outline-offset:1px}
.vk-scrub{flex:1 1 160px;min-width:120px;accent-color:var(--vk-accent)}
.vk-counter{min-width:7.5em;font-variant-numeric:tabular-nums;color:var(--vk-muted);font-size:13px}
.vk-label{font-size:13px;color:var(--vk-muted);margin-right:6px}
.vk-field{display:inline-flex;align-items:center;font-size:13px}
.vk-check{gap:6px;cursor:pointer}
.vk-check input{width:16px;height:16px;margin:0;accent-color:var(--vk-accent)}
.vk-select,.vk-number{font:inherit;font-size:13px;height:30px;padding:2px 6px;border:1px solid var(--vk-ctl-border);
border-radius:6px;background:var(--vk-control);color:var(--vk-fg)}
.vk-number{width:6.5em}
.vk-python{margin:0;padding:2px 8px 4px;border:1px dashed var(--vk-border);border-radius:6px;min-width:0}
.vk-python legend{padding:0 4px}
.vk-python[disabled] .vk-field{opacity:.6}
.vk-badge{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;border:1px solid var(--vk-border);color:var(--vk-fg)}
.vk-python.vk-live .vk-badge{border-color:var(--vk-accent)}
.vk-python.vk-static .vk-badge{border-style:dashed;font-weight:600}
.vk-badge a{color:inherit}
.vk-telemetry{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(300px,100%),1fr));gap:2px 16px;margin:8px 0 0;padding:0}
.vk-telemetry div{display:flex;justify-content:space-between;gap:8px;border-bottom:1px solid var(--vk-border);padding:2px 0}
.vk-telemetry dt{color:var(--vk-muted);font-size:13px}
.vk-telemetry dd{margin:0;white-space:nowrap;font-variant-numeric:tabular-nums;font-weight:600;font-size:13px;text-align:right}
.vk-note{margin:6px 0 0;font-size:13px;color:var(--vk-muted)}
.vk-note:empty{display:none}
.vk-console{margin-top:6px;font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--vk-error);white-space:pre-wrap}
.vk-console:empty{display:none}
.vk-console:not(:empty){padding:4px 8px;border-left:3px solid var(--vk-error);background:var(--vk-panel)}
.vk-sr{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
`;
