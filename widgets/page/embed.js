// Render the book's saved widgets on a static page, without a kernel and without the
// 3.6 MB ipywidgets HTML manager.
//
// Every widget in this book is an anywidget: its saved state carries its own ES module
// (`_esm`) and its traits, with binary buffers base64-encoded beside them. Rendering one
// needs only that module, a small model object (get / set / on / off / save_changes / send)
// and a <div>. This classic script does exactly that, as soon as the page is parsed, where
// the full manager waits for the window's `load` event after parsing megabytes of code.
//
// If a page ever shows a widget that is not an anywidget (an ipywidgets slider, say), this
// loader hands the whole page to the vendored HTML manager instead, so nothing is lost.
//
// The pure parts (buffer decoding, the model) are exported for `node --test` through
// `globalThis.vizkitEmbed`; in a browser the script renders on DOMContentLoaded.
(function () {
  "use strict";

  var STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';
  var VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';

  /** base64 → DataView (what the widget manager hands a widget for a binary trait). */
  function b64ToDataView(b64) {
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new DataView(bytes.buffer);
  }

  /** hex → DataView (the widget-state schema allows either encoding). */
  function hexToDataView(hex) {
    var bytes = new Uint8Array(hex.length / 2);
    for (var i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(2 * i, 2), 16);
    return new DataView(bytes.buffer);
  }

  /** A model's saved state with every buffer put back at its path. */
  function decodeState(entry) {
    var state = entry.state || {};
    (entry.buffers || []).forEach(function (buf) {
      var value = buf.encoding === "hex" ? hexToDataView(buf.data) : b64ToDataView(buf.data);
      var target = state;
      for (var i = 0; i < buf.path.length - 1; i++) target = target[buf.path[i]];
      target[buf.path[buf.path.length - 1]] = value;
    });
    return state;
  }

  /** The part of an anywidget model a widget on a static page can use. */
  function staticModel(state) {
    var handlers = {};
    var model = {
      get: function (key) { return state[key]; },
      set: function (key, value) {
        var old = state[key];
        state[key] = value;
        if (old !== value) (handlers["change:" + key] || []).slice().forEach(function (f) { f(); });
      },
      on: function (event, f) { (handlers[event] = handlers[event] || []).push(f); },
      off: function (event, f) {
        if (event === undefined) { handlers = {}; return; }
        var list = handlers[event] || [];
        if (f === undefined) list.length = 0;
        else if (list.indexOf(f) >= 0) list.splice(list.indexOf(f), 1);
      },
      save_changes: function () {},   // no kernel to save to: the local state is already set
      send: function () {},           // no kernel to answer: the widget's ping goes unanswered
    };
    return model;
  }

  function isAnywidget(entry) {
    return !!entry && entry.model_module === "anywidget" && typeof (entry.state || {})._esm === "string";
  }

  var modules = {};
  function importModule(source) {
    if (!modules[source]) {
      var url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      modules[source] = import(url).finally(function () { URL.revokeObjectURL(url); });
    }
    return modules[source];
  }

  function loadScript(src, attrs) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      Object.keys(attrs || {}).forEach(function (k) { s.setAttribute(k, attrs[k]); });
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    });
  }

  /** Hand the page to the full HTML manager (for widgets that are not anywidgets). */
  function fullManager(base) {
    return loadScript(base + "vendor/require.js")
      .then(function () { return loadScript(base + "vendor/widgets-require-config.js"); })
      .then(function () {
        return loadScript(base + "vendor/html-manager/embed-amd.js",
                          { "data-jupyter-widgets-cdn": base + "vendor/npm/" });
      });
  }

  function renderView(script, entry) {
    var state = decodeState(entry);
    var model = staticModel(state);
    var area = document.createElement("div");
    area.className = "widget-subarea";
    var placeholder = script.previousElementSibling;
    if (placeholder && placeholder.tagName === "IMG" && placeholder.classList.contains("jupyter-widget")) {
      placeholder.remove();
    }
    script.parentElement.insertBefore(area, script);
    if (typeof state._css === "string" && state._css) {
      var style = document.createElement("style");
      style.textContent = state._css;
      document.head.appendChild(style);
    }
    return importModule(state._esm).then(function (mod) {
      var widget = mod.default || mod;
      var init = typeof widget.initialize === "function" ? widget.initialize({ model: model }) : null;
      return Promise.resolve(init).then(function () {
        return widget.render({ model: model, el: area });
      });
    });
  }

  function renderPage(base) {
    var stateTag = document.querySelector(STATE);
    var views = Array.prototype.slice.call(document.querySelectorAll(VIEW));
    if (!stateTag || !views.length) return Promise.resolve(0);
    var all = JSON.parse(stateTag.textContent).state || {};
    var entries = views.map(function (v) { return all[JSON.parse(v.textContent).model_id]; });
    if (!entries.every(isAnywidget)) return fullManager(base).then(function () { return -1; });
    return Promise.all(views.map(function (v, i) {
      return renderView(v, entries[i]).catch(function (err) {
        console.error("vizkit: a widget failed to render:", err);
      });
    })).then(function () { return views.length; });
  }

  var api = { b64ToDataView: b64ToDataView, hexToDataView: hexToDataView, decodeState: decodeState,
              staticModel: staticModel, isAnywidget: isAnywidget };
  globalThis.vizkitEmbed = api;

  if (typeof document !== "undefined" && document.currentScript) {
    var src = document.currentScript.src;
    var base = src.slice(0, src.lastIndexOf("/") + 1);   // the book's _static/
    var go = function () { api.rendered = renderPage(base); };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
    else go();
  }
})();
