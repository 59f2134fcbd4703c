// The prevalence band for the website (notebook 05): no kernel, no dependencies.
//
// Mounts into every <div class="c5-web-explorer" data-explorer="prevalence">. Sliders for w and b;
// a plot of |w sigma'(w a + b)| against the input a on a log axis with the line at 1 and the band
// of inputs where the factor reaches 1 shaded; readouts band_lo, band_hi, band_width and
// width_bound (eq. 123) with the same data-key attributes and strings as the notebook's widget.

import { VANISHING_THRESHOLD, band, log10Factor, prevalenceReadouts, widthBound } from "./c5math.js";
import { PREVALENCE_DEFAULTS, PREVALENCE_SLIDERS } from "./chain_presets.js";
import {
  PALETTE, el, figure, injectStyle, linear, plotArea, s, setAttr, setPowerOfTen, setText, slider,
} from "./c5ui.js";

const A_MIN = -1;
const A_MAX = 2;
const LOG_MIN = -4; // the plot's y axis runs from 1e-4 ...
const LOG_MAX = 1.5; // ... to about 31.6 (> 25, the largest factor |w|/4 for |w| <= 100)
const SAMPLES = 600;

function mount(root) {
  injectStyle();
  root.replaceChildren();
  const state = { w: PREVALENCE_DEFAULTS.w, b: PREVALENCE_DEFAULTS.b };

  el("p", { class: "c5-note", text:
    "Kernel-free explorer: runs in your browser. The shaded band holds the inputs a for which " +
    "this neuron does not shrink the gradient, |w σ′(w a + b)| ≥ 1." }, root);
  const controls = el("div", { class: "c5-controls" }, root);
  const figs = el("div", { class: "c5-figs" }, root);
  const readouts = el("p", { class: "c5-note" }, root);

  const { W, H, left, right, top, bottom } =
    plotArea(760, 280, { left: 58, right: 14, top: 24, bottom: 42 });
  const X = linear(A_MIN, A_MAX, left, right);
  const toY = linear(LOG_MIN, LOG_MAX, bottom, top);
  const Y = (lg) => toY(Math.min(Math.max(lg, LOG_MIN), LOG_MAX)); // clipped to the axis
  const svg = figure(el("div", { class: "c5-wide" }, figs), W, H,
    "The factor |w sigma'(w a + b)| against the input a from -1 to 2 on a logarithmic axis, with " +
    "a line at 1. The inputs where the curve is at or above 1 form the shaded band; the grey " +
    "strip marks 0 < a < 1, the outputs a sigmoid neuron can actually feed in.", "c5-band-view");
  s("rect", { x: X(0), y: top, width: X(1) - X(0), height: bottom - top, fill: PALETTE.grey,
    "fill-opacity": 0.15 }, svg);
  s("text", { x: X(0.5), y: top - 8, "text-anchor": "middle", "font-size": 11,
    text: "sigmoid outputs: 0 < a < 1" }, svg);
  const shade = s("rect", { y: top, height: bottom - top, fill: PALETTE.green, "fill-opacity": 0.3 }, svg);
  const edgeLo = s("line", { y1: top, y2: bottom, stroke: PALETTE.green, "stroke-width": 1.5,
    "stroke-dasharray": "4 3" }, svg);
  const edgeHi = s("line", { y1: top, y2: bottom, stroke: PALETTE.green, "stroke-width": 1.5,
    "stroke-dasharray": "4 3" }, svg);
  for (const a of [-1, -0.5, 0, 0.5, 1, 1.5, 2]) {
    s("line", { x1: X(a), x2: X(a), y1: top, y2: bottom, stroke: "currentColor", "stroke-opacity": 0.12 }, svg);
    s("text", { x: X(a), y: bottom + 15, "text-anchor": "middle", "font-size": 11,
      text: String(a).replace("-", "−") }, svg);
  }
  for (let k = LOG_MIN; k <= 1; k++) {
    s("line", { x1: left, x2: right, y1: Y(k), y2: Y(k), stroke: "currentColor",
      "stroke-opacity": k === 0 ? 0.8 : 0.12, "stroke-width": k === 0 ? 1.3 : 1 }, svg);
    const t = s("text", { x: left - 5, y: Y(k) + 4, "text-anchor": "end", "font-size": 11 }, svg);
    setPowerOfTen(t, k);
  }
  s("text", { x: right - 4, y: Y(0) - 5, "text-anchor": "end", "font-size": 11, text: "factor = 1" }, svg);
  s("text", { x: (left + right) / 2, y: H - 8, "text-anchor": "middle", "font-size": 12,
    text: "input activation a" }, svg);
  s("text", { x: 14, y: (top + bottom) / 2, "text-anchor": "middle", "font-size": 12,
    transform: `rotate(-90 14 ${(top + bottom) / 2})`, text: "|w σ′(w a + b)|" }, svg);
  const curve = s("path", { fill: "none", stroke: PALETTE.blue, "stroke-width": 2 }, svg);
  const note = s("text", { x: left + 8, y: top + 14, "font-size": 12 }, svg);

  // Second panel: the width bound (123) against |w|, with a dot at the current |w|.
  const { W: W2, H: H2, left: l2, right: r2, top: t2, bottom: b2 } =
    plotArea(760, 190, { left: 58, right: 14, top: 22, bottom: 40 });
  const X2 = linear(0, 100, l2, r2);
  const Y2 = linear(0, 0.5, b2, t2);
  const svg2 = figure(el("div", { class: "c5-wide" }, figs), W2, H2,
    "The width of the band, eq. (123), against |w| from 0 to 100: zero up to |w| = 4, a peak of " +
    "about 0.45 near |w| = 6.9, then a slow decline to about 0.09 at |w| = 100. A dot marks the " +
    "current |w|.", "c5-width-view");
  for (const m of [0, 4, 20, 40, 60, 80, 100]) {
    s("line", { x1: X2(m), x2: X2(m), y1: t2, y2: b2, stroke: "currentColor", "stroke-opacity": 0.12 }, svg2);
    s("text", { x: X2(m), y: b2 + 15, "text-anchor": "middle", "font-size": 11, text: String(m) }, svg2);
  }
  for (const v of [0, 0.1, 0.2, 0.3, 0.4, 0.5]) {
    s("line", { x1: l2, x2: r2, y1: Y2(v), y2: Y2(v), stroke: "currentColor", "stroke-opacity": 0.12 }, svg2);
    s("text", { x: l2 - 5, y: Y2(v) + 4, "text-anchor": "end", "font-size": 11, text: String(v) }, svg2);
  }
  s("text", { x: (l2 + r2) / 2, y: H2 - 8, "text-anchor": "middle", "font-size": 12,
    text: "|w|" }, svg2);
  s("text", { x: 14, y: (t2 + b2) / 2, "text-anchor": "middle", "font-size": 12,
    transform: `rotate(-90 14 ${(t2 + b2) / 2})`, text: "band width" }, svg2);
  let d2 = "";
  for (let i = 0; i <= 500; i++) {
    const m = (100 * i) / 500;
    d2 += `${i ? "L" : "M"}${X2(m).toFixed(2)},${Y2(widthBound(m)).toFixed(2)}`;
  }
  s("path", { d: d2, fill: "none", stroke: PALETTE.green, "stroke-width": 2 }, svg2);
  const dot = s("circle", { r: 6, fill: PALETTE.blue, stroke: "white", "stroke-width": 1.5 }, svg2);
  const dotLabel = s("text", { "font-size": 11, y: t2 + 4 }, svg2);

  const keys = ["band_lo", "band_hi", "band_width", "width_bound"];
  const labels = {
    band_lo: "band from a = ", band_hi: " to ", band_width: "  ·  width ",
    width_bound: "  ·  bound (123) for this |w|: ",
  };
  const spans = {};
  for (const k of keys) {
    readouts.append(labels[k]);
    spans[k] = el("span", { "data-key": k, class: "c5-big" }, readouts);
  }

  const xs = Array.from({ length: SAMPLES + 1 }, (_, i) => A_MIN + ((A_MAX - A_MIN) * i) / SAMPLES);
  const px = xs.map((a) => X(a).toFixed(2));

  function redraw() {
    const { w, b } = state;
    let d = "";
    for (let i = 0; i <= SAMPLES; i++) d += `${i ? "L" : "M"}${px[i]},${Y(log10Factor(w, b, xs[i])).toFixed(2)}`;
    setAttr(curve, "d", d);
    const ab = band(w, b);
    const r = prevalenceReadouts(w, b);
    const m = Math.abs(w);
    setAttr(dot, "cx", X2(m).toFixed(2));
    setAttr(dot, "cy", Y2(widthBound(m)).toFixed(2));
    setAttr(dotLabel, "x", (X2(m) + (m > 80 ? -8 : 8)).toFixed(2));
    setAttr(dotLabel, "text-anchor", m > 80 ? "end" : "start");
    setText(dotLabel, `|w| = ${m.toFixed(2)}: width ${r.width_bound}`);
    for (const k of keys) setText(spans[k], r[k]);
    if (!ab) {
      for (const n of [shade, edgeLo, edgeHi]) setAttr(n, "visibility", "hidden");
      setText(note, `|w| < ${VANISHING_THRESHOLD}: no input a gives a factor of 1 or more`);
      return;
    }
    const lo = Math.max(ab[0], A_MIN);
    const hi = Math.min(ab[1], A_MAX);
    const visible = hi >= lo;
    for (const n of [shade, edgeLo, edgeHi]) setAttr(n, "visibility", visible ? "visible" : "hidden");
    if (visible) {
      setAttr(shade, "x", X(lo).toFixed(2));
      setAttr(shade, "width", Math.max(X(hi) - X(lo), 1).toFixed(2));
      for (const [line, a] of [[edgeLo, ab[0]], [edgeHi, ab[1]]]) {
        const inside = a >= A_MIN && a <= A_MAX;
        setAttr(line, "visibility", inside ? "visible" : "hidden");
        setAttr(line, "x1", X(a).toFixed(2));
        setAttr(line, "x2", X(a).toFixed(2));
      }
    }
    setText(note, visible ? "" : `the band [${r.band_lo}, ${r.band_hi}] lies outside this plot`);
  }

  slider(controls, {
    label: "weight w", cls: "c5-slider-w", ...PREVALENCE_SLIDERS.w, value: state.w, digits: 2,
    onInput: (v) => { state.w = v; redraw(); },
  });
  slider(controls, {
    label: "bias b", cls: "c5-slider-b", ...PREVALENCE_SLIDERS.b, value: state.b, digits: 2,
    onInput: (v) => { state.b = v; redraw(); },
  });
  redraw();
  root.dataset.ready = "true";
  root.c5 = { state, redraw };
}

for (const root of document.querySelectorAll('div.c5-web-explorer[data-explorer="prevalence"]')) {
  mount(root);
}
