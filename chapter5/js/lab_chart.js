// The lab's charts: one SVG panel with a title, a frame, axis labels and pools of ticks that
// are updated in place, and the small helpers its views share (log limits, ticks, paths).

import { LAYER_COLOURS } from "./lab_presets.js";
import { figure, s, setAttr, setPowerOfTen, setText } from "./c5ui.js";

export const W = 380;
export const H = 250;
export const M = { left: 62, right: W - 12, top: 30, bottom: H - 42 };

/** One panel: an SVG with a title, a frame, axis labels and pools of ticks. */
export function chart(parent, { title, xLabel, yLabel, alt, cls }) {
  const svg = figure(parent, W, H, alt, cls);
  s("text", { x: M.left, y: 16, "font-size": 13, "font-weight": 600, text: title }, svg);
  s("rect", { x: M.left, y: M.top, width: M.right - M.left, height: M.bottom - M.top,
    fill: "none", stroke: "currentColor", "stroke-opacity": 0.55 }, svg);
  s("text", { x: (M.left + M.right) / 2, y: H - 6, "text-anchor": "middle", "font-size": 12,
    text: xLabel }, svg);
  s("text", { transform: `translate(14 ${(M.top + M.bottom) / 2}) rotate(-90)`,
    "text-anchor": "middle", "font-size": 12, text: yLabel }, svg);
  const grid = s("g", { stroke: "currentColor", "stroke-opacity": 0.15 }, svg);
  const labels = s("g", { "font-size": 11 }, svg);
  const plot = s("g", {}, svg);
  const pools = { x: [], y: [] };
  function ticks(axis, n) {
    const pool = pools[axis];
    while (pool.length < n) {
      const line = s("line", {}, grid);
      const text = s("text", { "text-anchor": axis === "x" ? "middle" : "end" }, labels);
      pool.push({ line, text });
    }
    pool.forEach((t, i) => {
      setAttr(t.line, "visibility", i < n ? "visible" : "hidden");
      setAttr(t.text, "visibility", i < n ? "visible" : "hidden");
    });
    return pool;
  }
  const view = { x0: 0, x1: 1, y0: 0, y1: 1 };
  const api = {
    svg, plot,
    X: (v) => M.left + ((v - view.x0) / (view.x1 - view.x0)) * (M.right - M.left),
    Y: (v) => M.bottom - ((v - view.y0) / (view.y1 - view.y0)) * (M.bottom - M.top),
    /** Linear x axis over [lo, hi] with ticks at `values`, written by `fmt`. */
    setX(lo, hi, values, fmt = String) {
      view.x0 = lo;
      view.x1 = hi;
      const pool = ticks("x", values.length);
      values.forEach((v, i) => {
        const x = api.X(v).toFixed(2);
        setAttr(pool[i].line, "x1", x);
        setAttr(pool[i].line, "x2", x);
        setAttr(pool[i].line, "y1", M.top);
        setAttr(pool[i].line, "y2", M.bottom + 4);
        setAttr(pool[i].text, "x", x);
        setAttr(pool[i].text, "y", M.bottom + 16);
        setText(pool[i].text, fmt(v));
      });
    },
    /** y axis over [lo, hi]: log10 units with 10^k labels when `log`, else linear. */
    setY(lo, hi, values, { log = false, fmt = String } = {}) {
      view.y0 = lo;
      view.y1 = hi;
      const pool = ticks("y", values.length);
      values.forEach((v, i) => {
        const y = api.Y(v).toFixed(2);
        setAttr(pool[i].line, "x1", M.left - 4);
        setAttr(pool[i].line, "x2", M.right);
        setAttr(pool[i].line, "y1", y);
        setAttr(pool[i].line, "y2", y);
        setAttr(pool[i].text, "x", M.left - 7);
        setAttr(pool[i].text, "y", (Number(y) + 4).toFixed(2));
        if (log) setPowerOfTen(pool[i].text, v);
        else {
          delete pool[i].text.dataset.power;
          setText(pool[i].text, fmt(v));
        }
      });
    },
  };
  return api;
}

/** log10 limits around the positive finite `values` (like chapter5.viz.lab._log_limits). */
export function logLimits(values, floor = -12) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v) && v > 0) {
      const l = Math.log10(v);
      if (l < lo) lo = l;
      if (l > hi) hi = l;
    }
  }
  if (lo === Infinity) return [-3, 0];
  return [Math.floor(Math.max(lo, floor) - 0.2), Math.ceil(hi + 0.2)];
}

export function epochTicks(last) {
  const step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000].find((st) => last / st <= 6) || 1000;
  const out = [];
  for (let t = 0; t <= last; t += step) out.push(t);
  return out;
}

export function topShare(share) {
  for (const t of [0.05, 0.1, 0.2, 0.5]) if (share <= t) return t;
  return 1;
}

export function pathOf(points) {
  let d = "";
  let pen = false;
  for (const [x, y] of points) {
    if (x === null || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** One <path> per possible hidden layer, in its colour, in `plot`; `attrs` adds to each. */
export function layerLines(plot, attrs) {
  return LAYER_COLOURS.map((colour) => s("path", { fill: "none", stroke: colour, ...attrs }, plot));
}
