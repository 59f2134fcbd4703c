// Small DOM/SVG helpers shared by the website's explorers. No dependencies, no build step.
// Colours: Okabe & Ito, as chapter5/viz/style.py. Text and axes use `currentColor`, so the
// explorers follow the book's light and dark themes. `contain` on the explorer keeps a redraw's
// layout and paint inside it, and `isolation` on every other block of the page's article makes
// each its own paint layer, so a redraw re-records the explorer alone instead of walking the
// whole long, MathJax-heavy page (measured: 9.4 -> 6.3 ms of browser work per slider step).

export const PALETTE = {
  blue: "#0072B2",
  orange: "#E69F00",
  green: "#009E73",
  vermillion: "#D55E00",
  sky: "#56B4E9",
  purple: "#CC79A7",
  grey: "#999999",
};
export const CYCLE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"];

const SVGNS = "http://www.w3.org/2000/svg";

const CSS = `
.bd-article section > *:not(section) { isolation: isolate; }
.c5-web-explorer { border: 1px solid var(--pst-color-border, #c8c8c8); border-radius: 6px;
  padding: 0.75rem 1rem; margin: 1rem 0; color: var(--pst-color-text-base, #1a1a1a);
  background: var(--pst-color-surface, transparent); contain: layout paint style; }
.c5-web-explorer .c5-controls { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr));
  gap: 0.15rem 1.5rem; margin-bottom: 0.5rem; }
@media (max-width: 640px) { .c5-web-explorer .c5-controls { grid-template-columns: 1fr; } }
.c5-web-explorer .c5-row { display: grid; grid-template-columns: 4.2rem minmax(0, 1fr) 5.2rem;
  align-items: center; gap: 0.4rem; font-size: 0.9rem; }
.c5-web-explorer .c5-row[hidden] { display: none; }
.c5-web-explorer .c5-row input[type=range] { width: 100%; margin: 0; accent-color: ${PALETTE.blue}; }
.c5-web-explorer .c5-row input.c5-number { width: 100%; box-sizing: border-box; font: inherit;
  font-size: 0.85rem; font-variant-numeric: tabular-nums; text-align: right; padding: 0.1rem 0.25rem;
  border: 1px solid var(--pst-color-border, #999); border-radius: 4px;
  background: var(--pst-color-background, #fff); color: inherit; }
.c5-web-explorer .c5-buttons { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0.4rem 0 0.6rem; }
.c5-web-explorer button { font: inherit; font-size: 0.85rem; padding: 0.2rem 0.6rem; cursor: pointer;
  border: 1px solid var(--pst-color-border, #999); border-radius: 4px;
  background: var(--pst-color-background, #fff); color: inherit; }
.c5-web-explorer button:hover { border-color: ${PALETTE.blue}; }
.c5-web-explorer .c5-figs { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.c5-web-explorer svg { display: block; max-width: 100%; height: auto; overflow: visible; }
.c5-web-explorer svg text { fill: currentColor; font-family: inherit; }
.c5-web-explorer .c5-wide { flex: 1 1 100%; }
.c5-web-explorer .c5-half { flex: 1 1 300px; min-width: 280px; }
.c5-web-explorer .c5-equation { font-family: var(--pst-font-family-monospace, monospace); font-size: 0.85rem;
  overflow-wrap: normal; word-break: normal; overflow-x: auto; margin: 0.5rem 0; }
.c5-web-explorer table.c5-readout { border-collapse: collapse; font-size: 0.85rem; margin: 0.3rem 0; }
.c5-web-explorer table.c5-readout th, .c5-web-explorer table.c5-readout td { padding: 0.1rem 0.7rem;
  text-align: right; font-variant-numeric: tabular-nums; border-bottom: 1px solid var(--pst-color-border, #ddd); }
.c5-web-explorer .c5-note { font-size: 0.85rem; margin: 0.3rem 0; }
.c5-web-explorer .c5-big { font-weight: 600; }
`;

/** Add the explorers' stylesheet to the page once. */
export function injectStyle() {
  if (document.getElementById("c5-explorer-style")) return;
  const style = document.createElement("style");
  style.id = "c5-explorer-style";
  style.textContent = CSS;
  document.head.appendChild(style);
}

/** Create an element (HTML or SVG) with attributes, optionally appended to `parent`. */
export function el(tag, attrs = {}, parent = null, svg = false) {
  const node = svg ? document.createElementNS(SVGNS, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  if (parent) parent.appendChild(node);
  return node;
}

export function s(tag, attrs = {}, parent = null) {
  return el(tag, attrs, parent, true);
}

/** An <svg> with a viewBox, role="img" and an accessible name (its alt text). */
export function figure(parent, width, height, label, className) {
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": label,
    class: className,
  }, parent);
  s("title", { text: label }, svg);
  return svg;
}

/**
 * The plotting area of a `width` x `height` figure, `inset` = {left, right, top, bottom} SVG units
 * in from each edge. Returns {W, H, left, right, top, bottom}: the figure's size and the area's
 * edges, measured from the figure's top-left corner (so right = W - inset.right).
 */
export function plotArea(width, height, inset) {
  return {
    W: width, H: height, left: inset.left, right: width - inset.right, top: inset.top,
    bottom: height - inset.bottom,
  };
}

/** The linear map taking d0 to r0 and d1 to r1: a plot's scale from data to SVG units. */
export function linear(d0, d1, r0, r1) {
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** Set an attribute only when it changes (keeps the redraw cheap). */
export function setAttr(node, name, value) {
  const v = String(value);
  if (node.getAttribute(name) !== v) node.setAttribute(name, v);
}

export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

let sliderCount = 0;

/**
 * A labelled range slider with a number box beside it for exact values (type a number, then
 * Enter or leave the box). `cls` is the class the tests use (the same as the notebook widget's,
 * e.g. "c5-slider-w2"); the box carries `cls` + "-box". Returns {row, input, box, set(v)}.
 * A typed value is clamped to [min, max] and kept exactly (the slider shows the nearest step).
 */
export function slider(parent, { label, cls, min, max, step, value, digits, onInput }) {
  const id = `c5-slider-${++sliderCount}`;
  const row = el("div", { class: "c5-row" }, parent);
  const lab = el("label", { for: id }, row);
  lab.innerHTML = label;
  const input = el("input", {
    id, type: "range", class: cls, min, max, step, value: String(value),
  }, row);
  const box = el("input", {
    type: "number", class: `c5-number ${cls}-box`, min, max, step: "any",
    value: Number(value).toFixed(digits), inputmode: "decimal",
    "aria-label": `${lab.textContent}, exact value`,
  }, row);
  input.addEventListener("input", () => {
    box.value = Number(input.value).toFixed(digits);
    onInput(Number(input.value));
  });
  const commit = () => {
    const typed = box.valueAsNumber;
    if (!Number.isFinite(typed)) { // empty or not a number: show the current value again
      box.value = Number(input.value).toFixed(digits);
      return;
    }
    const v = Math.min(Number(max), Math.max(Number(min), typed));
    const exact = step === 1 || step === "1" ? Math.round(v) : v;
    input.value = String(exact);
    box.value = String(exact);
    onInput(exact);
  };
  box.addEventListener("change", commit);
  box.addEventListener("keydown", (event) => { if (event.key === "Enter") commit(); });
  return {
    row, input, box,
    set(v) {
      input.value = String(v);
      box.value = Number(v).toFixed(digits);
    },
  };
}

/** Tick positions for a log10 axis from lo to hi (integers): a 1-2-5 step, at most ~7 ticks. */
export function logTicks(lo, hi) {
  const span = Math.max(hi - lo, 1);
  let step = 1;
  search: for (let p = 0; p < 8; p++) {
    for (const mult of [1, 2, 5]) {
      if (span / (mult * 10 ** p) <= 7) {
        step = mult * 10 ** p;
        break search;
      }
    }
  }
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) ticks.push(t);
  return { step, ticks };
}

/** Write 10^k into an SVG <text> as "10" with a raised exponent. */
export function setPowerOfTen(textNode, k) {
  const key = `p${k}`;
  if (textNode.dataset.power === key) return;
  textNode.dataset.power = key;
  while (textNode.firstChild) textNode.removeChild(textNode.firstChild);
  if (k === 0) {
    textNode.appendChild(document.createTextNode("1"));
    return;
  }
  textNode.appendChild(document.createTextNode("10"));
  const sup = s("tspan", { dy: "-0.45em", "font-size": "75%" }, textNode);
  sup.textContent = String(k).replace("-", "−");
}
