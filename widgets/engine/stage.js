// The canvas: sized to its container's width at a fixed aspect ratio (a number,
// or a function of the width so a view can go portrait on a phone) with a
// minimum height, backed at devicePixelRatio so lines and text stay crisp.

export function createStage(container, bag, { aspect = 1.6, minHeight = 380, maxHeight = 900,
  onResize = () => {} } = {}) {
  const canvas = document.createElement("canvas");
  canvas.style.display = "block";
  canvas.style.width = "100%";
  container.append(canvas);
  const stage = { canvas, width: 0, height: 0, dpr: 1 };

  stage.measure = () => {
    const w = Math.floor(container.clientWidth);
    if (w <= 0) return false;
    const ratio = typeof aspect === "function" ? aspect(w) : aspect;   // width / height
    const hgt = Math.round(Math.max(minHeight, Math.min(maxHeight, w / ratio)));
    const dpr = Math.max(1, Math.min(4, window.devicePixelRatio || 1));
    if (w === stage.width && hgt === stage.height && dpr === stage.dpr) return false;
    Object.assign(stage, { width: w, height: hgt, dpr });
    canvas.style.height = `${hgt}px`;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(hgt * dpr);
    onResize(w, hgt);
    return true;
  };

  /** A 2D context scaled so drawing uses CSS pixels; null while the stage has no size. */
  stage.context = () => {
    if (!stage.width) return null;
    const g = canvas.getContext("2d");
    g.setTransform(stage.dpr, 0, 0, stage.dpr, 0, 0);
    return g;
  };

  if (typeof ResizeObserver === "function") {
    const ro = new ResizeObserver(() => stage.measure());
    ro.observe(container);
    bag.add(() => ro.disconnect());
  } else {
    bag.on(window, "resize", () => stage.measure());
  }
  return stage;
}
