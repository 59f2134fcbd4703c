// The deep-network lab for the website (notebook 07): no kernel, no dependencies.
//
// Mounts into every <div class="c5-web-explorer" data-explorer="lab">. One explicit state object
// (`state`) holds the controls, the preset, the worker's latest results, the reader's guesses
// and the training history; every panel redraws from it, and every number on screen comes from
// lab_net.js's `readouts` (the same keys and strings as chapter5.viz.lab.readouts). All the
// computing -- at-init views and training -- runs in lab_worker.js, a module Web Worker; this
// thread sends small requests, receives small results and draws.
//
// The whole state (controls + preset) lives in the URL hash as "#lab:preset=...&depth=...", so
// a link reproduces an experiment; values that do not parse fall back to the defaults, with a
// note on the page. The reader's guesses stay in this browser's localStorage.

import {
  ACTIVATION_BINS, ACTIVATIONS, DEPTH_RANGE, GRADIENT_LOG10_BINS, INITS, MAX_IMAGES, WIDTH_RANGE,
  readouts,
} from "./lab_net.js";
import {
  DATA, DEFAULT_PRESET, GUESS_FACTORS, LAYER_COLOURS, PRESETS, SATURATION_FRACTION,
  TRAIN_EPOCHS, UPDATE_RATIO_GUIDE,
} from "./lab_presets.js";
import { PALETTE, el, figure, injectStyle, logTicks, s, setAttr, setPowerOfTen, setText } from "./c5ui.js";

const CUSTOM = "custom";
const HASH_PREFIX = "#lab:";
const FIELDS = ["depth", "width", "activation", "init", "eta", "n_images", "seed"];
const ETA_EXPONENT = { min: -3, max: 1, step: 0.25 }; // the JupyterLab lab's FloatLogSlider
const SHIPPED = Math.min(MAX_IMAGES, DATA.n); // images: up to what the site ships
const IMAGES_SLIDER = { min: 10, max: SHIPPED, step: 10 };
const SEED_MAX = 2 ** 31 - 1;
const TRAIN_FRAME_MS = 100;
const STORE = "chapter5.lab07";
const INIT_LABELS = {
  default: "default N(0, 1/n_in)", large: "large N(0, 1)", small: "small N(0, 0.01²)",
  zeros: "zeros", xavier: "Xavier/Glorot", he: "He",
};
const ACTIVATION_LABELS = { sigmoid: "sigmoid", tanh: "tanh", relu: "ReLU" };

// ------------------------------------------------------------------------------ state <-> hash

/** A URL-friendly name for each preset ("chapter-4-hidden-default-init"). */
export function presetSlug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}
const SLUGS = Object.fromEntries(Object.keys(PRESETS).map((n) => [presetSlug(n), n]));
if (Object.keys(SLUGS).length !== Object.keys(PRESETS).length) {
  throw new Error("two lab presets have the same URL name");
}

function configOf(preset) {
  const c = PRESETS[preset];
  return { depth: c.depth, width: c.width, activation: c.activation, init: c.init, eta: c.eta,
    lmbda: c.lmbda, n_images: c.n_images, seed: c.seed };
}

function sameControls(a, b) {
  return FIELDS.every((k) => a[k] === b[k]) && a.lmbda === b.lmbda;
}

function wholeNumber(text, lo, hi) {
  if (!/^\d+$/.test(text)) return null;
  const v = Number(text);
  return v >= lo && v <= hi ? v : null;
}

const PARSERS = {
  depth: [(t) => wholeNumber(t, ...DEPTH_RANGE), `a whole number from ${DEPTH_RANGE[0]} to ${DEPTH_RANGE[1]}`],
  width: [(t) => wholeNumber(t, ...WIDTH_RANGE), `a whole number from ${WIDTH_RANGE[0]} to ${WIDTH_RANGE[1]}`],
  n_images: [(t) => wholeNumber(t, 1, SHIPPED), `a whole number from 1 to ${SHIPPED}`],
  seed: [(t) => wholeNumber(t, 0, SEED_MAX), `a whole number from 0 to ${SEED_MAX}`],
  activation: [(t) => (ACTIVATIONS.includes(t) ? t : null), `one of ${ACTIVATIONS.join(", ")}`],
  init: [(t) => (INITS.includes(t) ? t : null), `one of ${INITS.join(", ")}`],
  eta: [(t) => {
    if (!/^[0-9.eE+-]+$/.test(t)) return null;
    const v = Number(t);
    return Number.isFinite(v) && v > 0 && v <= 10 ? v : null;
  }, "a number > 0 and <= 10"],
};

/**
 * Read "#lab:preset=...&depth=..." into {preset, config, notes}. Anything missing comes from the
 * preset (default: DEFAULT_PRESET); anything that does not parse is replaced by that default and
 * named in `notes`. Never throws, never returns NaN.
 */
export function parseHash(hash) {
  const notes = [];
  const params = new URLSearchParams(hash.startsWith(HASH_PREFIX) ? hash.slice(HASH_PREFIX.length) : "");
  let preset = DEFAULT_PRESET;
  const named = params.get("preset");
  if (named !== null && named !== CUSTOM) {
    if (SLUGS[named]) preset = SLUGS[named];
    else notes.push(`unknown preset “${named}”: using “${DEFAULT_PRESET}”`);
  }
  const config = configOf(preset);
  for (const [key, value] of params) {
    if (key === "preset") continue;
    const parser = PARSERS[key];
    if (!parser) {
      notes.push(`unknown setting “${key}” ignored`);
      continue;
    }
    const v = parser[0](value.trim());
    if (v === null) notes.push(`${key} = “${value}” is not ${parser[1]}: using ${config[key]}`);
    else config[key] = v;
  }
  const matches = PRESETS[preset] && sameControls(config, configOf(preset));
  return { preset: matches ? preset : CUSTOM, config, notes };
}

/** The hash that parseHash reads back into exactly this preset and config. */
export function formatHash(preset, config) {
  const params = new URLSearchParams();
  params.set("preset", preset === CUSTOM ? CUSTOM : presetSlug(preset));
  for (const k of FIELDS) params.set(k, String(config[k]));
  return HASH_PREFIX + params.toString();
}

function configKey(config) {
  return JSON.stringify(FIELDS.map((k) => config[k]).concat(config.lmbda));
}

// ------------------------------------------------------------------------------ guesses

function loadStore() {
  try {
    const v = JSON.parse(localStorage.getItem(STORE) || "{}") || {};
    const guesses = {};
    for (const [name, g] of Object.entries(v.guesses && typeof v.guesses === "object" ? v.guesses : {})) {
      // keep only well-formed guesses (another version of the page, or a hand edit)
      if (g && Number.isInteger(g.layer) && g.layer >= 1 && g.layer <= DEPTH_RANGE[1] &&
          GUESS_FACTORS.includes(g.factor)) guesses[name] = { layer: g.layer, factor: g.factor };
    }
    const trained = Array.isArray(v.trained) ? v.trained.filter((n) => typeof n === "string") : [];
    return { guesses, trained };
  } catch {
    return { guesses: {}, trained: [] }; // no storage (private mode) or damaged: start afresh
  }
}

function saveStore(state) {
  try {
    localStorage.setItem(STORE, JSON.stringify({ guesses: state.guesses, trained: state.trained }));
  } catch {
    // storage refused: the guesses still live for this visit
  }
}

// ------------------------------------------------------------------------------ drawing helpers

const STYLE = `
.c5-lab fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
.c5-lab .c5-choice { display: flex; flex-wrap: wrap; align-items: center; gap: 0.2rem 0.4rem;
  font-size: 0.9rem; margin: 0.2rem 0; }
.c5-lab .c5-choice legend { float: left; width: 4.6rem; padding: 0; font-size: 0.9rem; }
.c5-lab .c5-choice label { display: inline-flex; align-items: center; gap: 0.2rem;
  padding: 0.05rem 0.45rem; border: 1px solid var(--pst-color-border, #999); border-radius: 999px;
  cursor: pointer; white-space: nowrap; }
.c5-lab .c5-choice input { margin: 0; accent-color: ${PALETTE.blue}; }
.c5-lab .c5-choice label:has(input:checked) { border-color: ${PALETTE.blue}; font-weight: 600; }
.c5-lab .c5-choice label:has(input:focus-visible) { outline: 2px solid ${PALETTE.blue}; outline-offset: 1px; }
.c5-lab .c5-row { grid-template-columns: 4.6rem minmax(0, 1fr) 5.6rem; }
.c5-lab select { font: inherit; font-size: 0.85rem; max-width: 100%; color: inherit;
  background: var(--pst-color-background, #fff); border: 1px solid var(--pst-color-border, #999);
  border-radius: 4px; padding: 0.1rem 0.2rem; }
.c5-lab .c5-lab-presets { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem; margin: 0.2rem 0 0.5rem; }
.c5-lab .c5-lab-predict, .c5-lab .c5-lab-train { display: flex; flex-wrap: wrap; align-items: center;
  gap: 0.4rem 0.8rem; margin: 0.6rem 0 0.3rem; font-size: 0.9rem; }
.c5-lab button:disabled { opacity: 0.5; cursor: not-allowed; }
.c5-lab button.c5-lab-train-button:not(:disabled) { border-color: ${PALETTE.green}; font-weight: 600; }
.c5-lab progress { width: 9rem; accent-color: ${PALETTE.blue}; }
.c5-lab .c5-lab-warn { color: ${PALETTE.vermillion}; }
html[data-theme=dark] .c5-lab .c5-lab-warn { color: #ff9a5c; }
.c5-lab .c5-lab-legend { display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; font-size: 0.8rem; margin: 0.2rem 0; }
.c5-lab .c5-lab-legend span::before { content: ""; display: inline-block; width: 1.1em; height: 0.3em;
  margin-right: 0.3em; vertical-align: middle; background: var(--c5-swatch); }
.c5-lab .c5-lab-legend span.c5-dashed::before { background: repeating-linear-gradient(90deg,
  var(--c5-swatch) 0 4px, transparent 4px 7px); }
.c5-lab td.c5-lab-swatch { text-align: left; white-space: nowrap; }
.c5-lab td.c5-lab-swatch::before { content: ""; display: inline-block; width: 0.8em; height: 0.8em;
  margin-right: 0.35em; border-radius: 2px; vertical-align: -0.05em; background: var(--c5-swatch); }
.c5-lab .c5-lab-result { font-size: 0.95rem; margin: 0.3rem 0; }
.c5-lab .c5-lab-result b { font-variant-numeric: tabular-nums; }
.c5-lab .c5-half { flex: 1 1 300px; min-width: 0; contain: layout paint style; }
.c5-lab .c5-lab-train, .c5-lab .c5-lab-result { contain: layout paint style; }
.c5-lab table.c5-readout { width: auto; }
`;

const W = 380;
const H = 250;
const M = { left: 62, right: W - 12, top: 30, bottom: H - 42 };

/** One panel: an SVG with a title, a frame, axis labels and pools of ticks. */
function chart(parent, { title, xLabel, yLabel, alt, cls }) {
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
function logLimits(values, floor = -12) {
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

function epochTicks(last) {
  const step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000].find((st) => last / st <= 6) || 1000;
  const out = [];
  for (let t = 0; t <= last; t += step) out.push(t);
  return out;
}

function topShare(share) {
  for (const t of [0.05, 0.1, 0.2, 0.5]) if (share <= t) return t;
  return 1;
}

function pathOf(points) {
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

// ------------------------------------------------------------------------------ views

function initView(parent) {
  const c = chart(parent, {
    title: "speed of each hidden layer at init", xLabel: "hidden layer l",
    yLabel: "speed ‖∂C/∂bˡ‖ (log scale)", cls: "c5-lab-init-view",
    alt: "Bars on a logarithmic axis: the speed ‖∂C/∂b^l‖ of each hidden layer l at " +
      "initialisation, the norm of the mean bias gradient over the images.",
  });
  const bars = LAYER_COLOURS.map((colour) => s("rect", { fill: colour }, c.plot));
  const note = s("text", { x: M.left + 6, y: M.top + 14, "font-size": 11 }, c.svg);
  return (state) => {
    const init = state.init;
    if (!init) return;
    const sp = Array.from(init.speeds);
    const [lo, hi] = logLimits(sp);
    c.setX(0.4, sp.length + 0.6, sp.map((_, i) => i + 1));
    c.setY(lo, hi, logTicks(lo, hi).ticks, { log: true });
    const half = Math.min(18, ((M.right - M.left) / (sp.length + 0.2)) * 0.35);
    bars.forEach((bar, i) => {
      const on = i < sp.length && sp[i] > 0;
      setAttr(bar, "visibility", on ? "visible" : "hidden");
      if (!on) return;
      const y = c.Y(Math.max(Math.log10(sp[i]), lo));
      setAttr(bar, "x", (c.X(i + 1) - half).toFixed(2));
      setAttr(bar, "width", (2 * half).toFixed(2));
      setAttr(bar, "y", y.toFixed(2));
      setAttr(bar, "height", Math.max(M.bottom - y, 0).toFixed(2));
    });
    const zero = sp.filter((v) => v === 0).length;
    setText(note, zero ? `${zero} layer(s) with speed exactly 0` : "");
  };
}

function histogramView(parent, kind) {
  const activation = kind === "activation";
  const edges = activation ? ACTIVATION_BINS : GRADIENT_LOG10_BINS;
  const c = chart(parent, activation ? {
    title: "activations aˡ at init", xLabel: "activation aˡ (clipped to [−1, 1])",
    yLabel: "share of (image, neuron) pairs", cls: "c5-lab-hist-a",
    alt: "Histogram of each hidden layer's activations a^l over all (image, neuron) pairs, " +
      "one line per layer in its colour; values outside [-1, 1] are counted at the ends.",
  } : {
    title: "bias gradients per image at init", xLabel: "log₁₀ |∂Cₓ/∂bˡⱼ| (clipped to [−12, 0])",
    yLabel: "share of (image, neuron) pairs", cls: "c5-lab-hist-g",
    alt: "Histogram of log10 of each hidden layer's per-image bias gradients |dC_x/db^l_j|, " +
      "one line per layer in its colour; exact zeros are not counted.",
  });
  const lines = LAYER_COLOURS.map((colour) => s("path", {
    fill: "none", stroke: colour, "stroke-width": 1.8, "stroke-linejoin": "round",
  }, c.plot));
  const lo = edges[0];
  const hi = edges[edges.length - 1];
  const zeroNote = s("text", { x: M.left + 6, y: M.top + 14, "font-size": 11 }, c.svg);
  c.setX(lo, hi, activation ? [-1, -0.5, 0, 0.5, 1] : [-12, -10, -8, -6, -4, -2, 0],
    (v) => String(v).replace("-", "−"));
  return (state) => {
    const init = state.init;
    if (!init) return;
    let top = 0;
    const shares = init.layers.map((h) => {
      const counts = activation ? h.activationCounts : h.gradientCounts;
      let total = 0;
      for (const v of h.activationCounts) total += v;
      const out = Array.from(counts, (v) => v / Math.max(total, 1));
      top = Math.max(top, ...out);
      return out;
    });
    const t = topShare(top);
    c.setY(0, t, [0, t / 2, t], { fmt: (v) => `${Number((v * 100).toFixed(1))} %` });
    if (!activation) {
      let zeros = 0;
      let total = 0;
      for (const h of init.layers) {
        zeros += h.gradientZeros;
        for (const v of h.activationCounts) total += v;
      }
      const share = total ? (100 * zeros) / total : 0;
      setText(zeroNote, zeros === 0 ? "" : zeros === total
        ? "every per-image gradient is exactly 0"
        : `${share < 1 ? "< 1" : Math.round(share)} % of values exactly 0 (not shown)`);
    }
    lines.forEach((line, l) => {
      if (l >= shares.length) {
        setAttr(line, "visibility", "hidden");
        return;
      }
      setAttr(line, "visibility", "visible");
      const pts = [];
      shares[l].forEach((v, b) => {
        const y = c.Y(v);
        pts.push([c.X(edges[b]), y], [c.X(edges[b + 1]), y]);
      });
      setAttr(line, "d", pathOf(pts));
    });
  };
}

function trainView(parent) {
  const c = chart(parent, {
    title: "speed during training (protocol C)", xLabel: "epoch (full-batch steps)",
    yLabel: "speed ‖∂C/∂bˡ‖ (log scale)", cls: "c5-lab-train-view",
    alt: "Each hidden layer's speed ‖∂C/∂b^l‖ per epoch of training on a logarithmic axis, " +
      "recorded before each full-batch step; one line per layer in its colour.",
  });
  const lines = LAYER_COLOURS.map((colour) => s("path", {
    fill: "none", stroke: colour, "stroke-width": 2, "stroke-linejoin": "round",
  }, c.plot));
  const empty = s("text", { x: (M.left + M.right) / 2, y: (M.top + M.bottom) / 2,
    "text-anchor": "middle", "font-size": 12 }, c.svg);
  return (state) => {
    const depth = state.config.depth;
    const sp = state.speeds;
    const last = Math.max(state.planned, sp.length, 2) - 1;
    c.setX(0, last, epochTicks(last));
    const [lo, hi] = logLimits(sp.flatMap((row) => Array.from(row)));
    c.setY(lo, hi, logTicks(lo, hi).ticks, { log: true });
    setText(empty, sp.length ? "" : "press Train to watch each layer learn");
    lines.forEach((line, l) => {
      const on = l < depth && sp.length > 0;
      setAttr(line, "visibility", on ? "visible" : "hidden");
      if (!on) return;
      setAttr(line, "d", pathOf(sp.map((row, e) => [c.X(e), row[l] > 0
        ? c.Y(Math.max(Math.log10(row[l]), lo)) : NaN])));
    });
  };
}

function ratioView(parent) {
  const c = chart(parent, {
    title: "update-to-parameter ratio", xLabel: "epoch",
    yLabel: "‖Δwˡ‖ / ‖wˡ‖ per step (log scale)", cls: "c5-lab-ratio-view",
    alt: "The update-to-parameter ratio ‖Δw^l‖/‖w^l‖ of each step for every weight matrix on a " +
      "logarithmic axis (hidden layers in their colours, the output layer dashed grey), with a " +
      "dotted guide line at 10^-3, a common rule of thumb.",
  });
  const guide = s("line", { stroke: "currentColor", "stroke-dasharray": "2 3", "stroke-width": 1.2 }, c.plot);
  const guideText = s("text", { "font-size": 11, "text-anchor": "end" }, c.plot);
  guideText.textContent = "10⁻³ guide";
  const lines = LAYER_COLOURS.map((colour) => s("path", {
    fill: "none", stroke: colour, "stroke-width": 1.8,
  }, c.plot));
  const out = s("path", { fill: "none", stroke: PALETTE.grey, "stroke-width": 1.8,
    "stroke-dasharray": "5 3" }, c.plot);
  return (state) => {
    const depth = state.config.depth;
    const rs = state.ratios;
    const last = Math.max(state.planned, state.speeds.length, 2) - 1;
    c.setX(0, last, epochTicks(last));
    const all = [UPDATE_RATIO_GUIDE];
    for (const [, r] of rs) for (const v of r) all.push(v);
    const [lo, hi] = logLimits(all);
    c.setY(lo, hi, logTicks(lo, hi).ticks, { log: true });
    const gy = c.Y(Math.log10(UPDATE_RATIO_GUIDE)).toFixed(2);
    for (const [k, v] of [["x1", M.left], ["x2", M.right], ["y1", gy], ["y2", gy]]) setAttr(guide, k, v);
    setAttr(guideText, "x", M.right - 4);
    setAttr(guideText, "y", (Number(gy) - 4).toFixed(2));
    const y = (v) => (Number.isFinite(v) && v > 0 ? c.Y(Math.max(Math.log10(v), lo)) : NaN);
    lines.forEach((line, l) => {
      const on = l < depth && rs.length > 0;
      setAttr(line, "visibility", on ? "visible" : "hidden");
      if (on) setAttr(line, "d", pathOf(rs.map(([e, r]) => [c.X(e), y(r[l])])));
    });
    setAttr(out, "visibility", rs.length ? "visible" : "hidden");
    if (rs.length) setAttr(out, "d", pathOf(rs.map(([e, r]) => [c.X(e), y(r[r.length - 1])])));
  };
}

function legendView(parent, withOutput) {
  const box = el("div", { class: "c5-lab-legend", "aria-hidden": "true" }, parent);
  const items = LAYER_COLOURS.map((colour, i) => {
    const item = el("span", { style: `--c5-swatch: ${colour}`, text: `layer ${i + 1}` }, box);
    return item;
  });
  if (withOutput) {
    el("span", { class: "c5-dashed", style: `--c5-swatch: ${PALETTE.grey}`, text: "output layer" }, box);
  }
  return (state) => items.forEach((item, i) => { item.hidden = i >= state.config.depth; });
}

function readoutView(parent) {
  const table = el("table", { class: "c5-readout c5-lab-readout" }, parent);
  const head = el("tr", {}, el("thead", {}, table));
  for (const t of ["hidden layer", "speed at init", "saturated"]) el("th", { text: t }, head);
  const body = el("tbody", {}, table);
  const rows = LAYER_COLOURS.map((colour, i) => {
    const tr = el("tr", {}, body);
    el("td", { text: `layer ${i + 1}`, class: "c5-lab-swatch", style: `--c5-swatch: ${colour}` }, tr);
    return { tr, speed: el("td", {}, tr), sat: el("td", {}, tr) };
  });
  const ratio = el("p", { class: "c5-note" }, parent);
  ratio.append("last / first hidden layer at init: ");
  const ratioValue = el("b", {}, ratio);
  el("p", { class: "c5-note", text: `Saturated: σ′(z) below ${SATURATION_FRACTION * 100} % ` +
    "of its peak on an (image, neuron) pair; for ReLU an inactive neuron, σ′(z) = 0." }, parent);
  return (state, r) => {
    rows.forEach((row, i) => {
      const l = i + 1;
      const on = `speed${l}` in r;
      row.tr.hidden = !on;
      for (const [cell, key] of [[row.speed, `speed${l}`], [row.sat, `saturated${l}`]]) {
        if (on) {
          setAttr(cell, "data-key", key);
          setText(cell, r[key]);
        } else cell.removeAttribute("data-key");
      }
    });
    if ("ratio_init" in r) {
      setAttr(ratioValue, "data-key", "ratio_init");
      setText(ratioValue, r.ratio_init);
    }
  };
}

function resultView(parent) {
  const box = el("div", { class: "c5-lab-result", "aria-live": "polite" }, parent);
  const parts = {};
  for (const [key, label] of [["epoch", "epoch"], ["ratio_train", "last / first hidden layer now"],
    ["guess", "your guess"], ["measured", "measured"]]) {
    const p = el("p", { class: "c5-note" }, box);
    p.append(`${label}: `);
    parts[key] = { p, b: el("b", {}, p) };
  }
  return (state, r) => {
    for (const [key, { p, b }] of Object.entries(parts)) {
      const on = key in r;
      p.hidden = !on;
      if (on) setAttr(b, "data-key", key);
      else b.removeAttribute("data-key");
      setText(b, on ? r[key] : "");
    }
  };
}

// ------------------------------------------------------------------------------ controls

let controlCount = 0;

/**
 * A labelled range slider with a number box beside it. `toSlider`/`fromSlider` map a value to
 * the slider's position (the eta slider moves in log10 eta); `parse` turns typed text into a
 * value or null (then the box shows the current value again).
 */
function numberControl(parent, { label, cls, min, max, step, toSlider = (v) => v,
  fromSlider = (v) => v, parse, show = String, onChange }) {
  const id = `c5-lab-${cls}-${++controlCount}`;
  const row = el("div", { class: "c5-row" }, parent);
  el("label", { for: id, text: label }, row);
  const input = el("input", { id, type: "range", class: `c5-lab-${cls}`, min, max, step }, row);
  const box = el("input", { type: "text", class: `c5-number c5-lab-${cls}-box`,
    inputmode: "decimal", "aria-label": `${label}, exact value` }, row);
  let value = null;
  const set = (v) => {
    value = v;
    const position = String(toSlider(v));
    input.setAttribute("value", position);
    input.value = position;
    box.value = show(v);
  };
  input.addEventListener("input", () => {
    const v = fromSlider(Number(input.value));
    box.value = show(v);
    value = v;
    onChange(v);
  });
  const commit = () => {
    const v = parse(box.value.trim());
    if (v === null) {
      box.value = show(value);
      return;
    }
    set(v);
    onChange(v);
  };
  box.addEventListener("change", commit);
  box.addEventListener("keydown", (event) => { if (event.key === "Enter") commit(); });
  return { row, input, box, set };
}

function choiceControl(parent, { legend, name, options, labels, onChange }) {
  const fieldset = el("fieldset", { class: `c5-choice c5-lab-${name}` }, parent);
  el("legend", { text: legend }, fieldset);
  const radios = {};
  const group = `c5-lab-${name}-${++controlCount}`;
  for (const option of options) {
    const label = el("label", {}, fieldset);
    const radio = el("input", { type: "radio", name: group, value: option,
      class: `c5-lab-${name}-${option}` }, label);
    label.append(labels[option] || option);
    radio.addEventListener("change", () => { if (radio.checked) onChange(option); });
    radios[option] = radio;
  }
  return { set(v) { for (const [k, r] of Object.entries(radios)) r.checked = k === v; } };
}

function clampInt(text, lo, hi) {
  if (!/^[+-]?\d+(\.\d*)?$|^[+-]?\.\d+$/.test(text)) return null;
  return Math.min(hi, Math.max(lo, Math.round(Number(text))));
}

function etaText(eta) {
  return String(Number(eta.toPrecision(6)));
}

// ------------------------------------------------------------------------------ the lab

function mount(root) {
  injectStyle();
  if (!document.getElementById("c5-lab-style")) {
    el("style", { id: "c5-lab-style", text: STYLE }, document.head);
  }
  root.replaceChildren();
  root.classList.add("c5-lab");
  const fromHash = parseHash(location.hash);
  const stored = loadStore();
  const state = {
    preset: fromHash.preset,
    config: fromHash.config,
    init: null, // the worker's atInit result for `initKey`
    initKey: null,
    speeds: [], // Float64Array(depth) per recorded epoch
    ratios: [], // [epoch, Float64Array(depth + 1)] per step
    guesses: stored.guesses,
    trained: stored.trained,
    running: false,
    planned: TRAIN_EPOCHS,
    notes: fromHash.notes, // why parts of the URL were not used
    error: "",
    status: "",
  };

  const kb = Math.round(DATA.bytes / 1000);
  el("p", { class: "c5-note", text: `Kernel-free lab: runs in your browser, in a background ` +
    `thread. It uses the first ${DATA.n.toLocaleString("en")} MNIST training images, shipped ` +
    `with this site as one file of ${kb.toLocaleString("en")} kB (${DATA.file}: 784 pixel ` +
    `values 0–255 per image, then the ${DATA.n} labels), loaded when the lab starts.` }, root);
  const notes = el("p", { class: "c5-note c5-lab-warn c5-lab-notes", role: "status" }, root);

  const presetRow = el("div", { class: "c5-lab-presets" }, root);
  const presetId = `c5-lab-preset-${++controlCount}`;
  el("label", { for: presetId, text: "preset" }, presetRow);
  const presetSelect = el("select", { id: presetId, class: "c5-lab-preset" }, presetRow);
  for (const name of Object.keys(PRESETS)) el("option", { value: name, text: name }, presetSelect);
  el("option", { value: CUSTOM, text: "custom (changed by hand)", disabled: "" }, presetSelect);
  const link = el("a", { href: "#", class: "c5-lab-link", text: "link to this experiment" }, presetRow);

  const controlBox = el("fieldset", { class: "c5-lab-controls" }, root);
  el("legend", { class: "c5-note", text: "Network and training settings" }, controlBox);
  const grid = el("div", { class: "c5-controls" }, controlBox);
  const controls = {};
  const change = (key) => (v) => {
    state.config[key] = v;
    state.preset = PRESETS[state.preset] && sameControls(state.config, configOf(state.preset))
      ? state.preset : CUSTOM;
    changed();
  };
  controls.depth = numberControl(grid, { label: "depth", cls: "depth", min: DEPTH_RANGE[0],
    max: DEPTH_RANGE[1], step: 1, parse: (t) => clampInt(t, ...DEPTH_RANGE), onChange: change("depth") });
  controls.width = numberControl(grid, { label: "width", cls: "width", min: WIDTH_RANGE[0],
    max: WIDTH_RANGE[1], step: 1, parse: (t) => clampInt(t, ...WIDTH_RANGE), onChange: change("width") });
  controls.eta = numberControl(grid, { label: "η", cls: "eta", ...ETA_EXPONENT,
    toSlider: (v) => Math.log10(v), fromSlider: (e) => Number((10 ** e).toPrecision(12)),
    parse: (t) => PARSERS.eta[0](t), show: etaText, onChange: change("eta") });
  controls.n_images = numberControl(grid, { label: "images", cls: "images", ...IMAGES_SLIDER,
    parse: (t) => clampInt(t, 1, SHIPPED), onChange: change("n_images") });
  const seedRow = el("div", { class: "c5-row" }, grid);
  const seedId = `c5-lab-seed-${++controlCount}`;
  el("label", { for: seedId, text: "seed" }, seedRow);
  const seedBox = el("input", { id: seedId, type: "text", inputmode: "numeric",
    class: "c5-number c5-lab-seed" }, seedRow);
  seedBox.addEventListener("change", () => {
    const v = clampInt(seedBox.value.trim(), 0, SEED_MAX);
    if (v === null) seedBox.value = String(state.config.seed);
    else {
      seedBox.value = String(v);
      change("seed")(v);
    }
  });
  controls.seed = { set: (v) => { seedBox.value = String(v); } };
  controls.activation = choiceControl(controlBox, { legend: "activation", name: "activation",
    options: ACTIVATIONS, labels: ACTIVATION_LABELS, onChange: change("activation") });
  controls.init = choiceControl(controlBox, { legend: "init", name: "init", options: INITS,
    labels: INIT_LABELS, onChange: change("init") });

  const figs = el("div", { class: "c5-figs" }, root);
  const views = [];
  const legendTop = legendView(figs, false);
  figs.lastChild.classList.add("c5-wide");
  views.push(legendTop);
  views.push(initView(el("div", { class: "c5-half" }, figs)));
  const readoutBox = el("div", { class: "c5-half" }, figs);
  const drawReadout = readoutView(readoutBox);
  views.push(histogramView(el("div", { class: "c5-half" }, figs), "activation"));
  views.push(histogramView(el("div", { class: "c5-half" }, figs), "gradient"));

  const predict = el("div", { class: "c5-lab-predict", role: "group",
    "aria-label": "Predict, then train" }, root);
  el("b", { text: "Predict, then train:" }, predict);
  const guessLayerId = `c5-lab-guess-layer-${++controlCount}`;
  el("label", { for: guessLayerId, text: "slowest layer" }, predict);
  const guessLayer = el("select", { id: guessLayerId, class: "c5-lab-guess-layer" }, predict);
  const guessFactorId = `c5-lab-guess-factor-${++controlCount}`;
  el("label", { for: guessFactorId, text: "slower than the fastest by about" }, predict);
  const guessFactor = el("select", { id: guessFactorId, class: "c5-lab-guess-factor" }, predict);
  for (const f of GUESS_FACTORS) el("option", { value: String(f), text: `${f}×` }, guessFactor);
  guessFactor.value = "10";
  const guessButton = el("button", { type: "button", class: "c5-lab-guess", text: "Lock in my guess" }, predict);
  el("span", { class: "c5-note", text: "(kept in this browser only)" }, predict);

  const trainRow = el("div", { class: "c5-lab-train" }, root);
  const trainButton = el("button", { type: "button", class: "c5-lab-train-button",
    text: `Train ${TRAIN_EPOCHS} epochs` }, trainRow);
  const stopButton = el("button", { type: "button", class: "c5-lab-stop", text: "Stop" }, trainRow);
  const progressId = `c5-lab-progress-${++controlCount}`;
  el("label", { for: progressId, text: "progress" }, trainRow);
  const progress = el("progress", { id: progressId, class: "c5-lab-progress", max: TRAIN_EPOCHS, value: 0 }, trainRow);
  const status = el("span", { class: "c5-note c5-lab-status", role: "status", "aria-live": "polite" }, trainRow);

  const result = el("div", {}, root);
  const drawResult = resultView(result);
  const trainFigs = el("div", { class: "c5-figs" }, root);
  const legendTrain = legendView(trainFigs, true);
  trainFigs.lastChild.classList.add("c5-wide");
  // Redrawn only when their part of the state changed: while training, only these.
  const trainViews = [legendTrain, trainView(el("div", { class: "c5-half" }, trainFigs)),
    ratioView(el("div", { class: "c5-half" }, trainFigs))];

  // ---------------------------------------------------------------- state -> screen
  function needsGuess() {
    return !state.trained.includes(state.preset) && !(state.preset in state.guesses);
  }

  function syncControls() {
    presetSelect.value = state.preset;
    for (const k of FIELDS) controls[k].set(state.config[k]);
    const depth = state.config.depth;
    if (guessLayer.options.length !== depth) {
      const keep = Number(guessLayer.value) || 1;
      guessLayer.replaceChildren();
      for (let l = 1; l <= depth; l++) el("option", { value: String(l), text: `layer ${l}` }, guessLayer);
      guessLayer.value = String(Math.min(keep, depth));
    }
    setAttr(link, "href", formatHash(state.preset, state.config));
  }

  let frame = 0;
  const drawn = { init: [], train: [] }; // what the views show now
  let painted = null; // called once the next frame with the current state is on screen
  const afterPaint = [];
  const paintChannel = new MessageChannel();
  paintChannel.port1.onmessage = () => {
    const now = performance.now();
    for (const done of afterPaint.splice(0)) done(now);
  };
  function render() {
    const t0 = performance.now();
    lastRender = t0;
    frame = 0;
    const r = readouts({ init: state.init, speeds: state.speeds, preset: state.preset,
      guesses: state.guesses, trained: state.trained });
    const initMark = [state.init, state.config.depth];
    if (initMark.some((v, i) => v !== drawn.init[i])) {
      for (const draw of views) draw(state);
      drawReadout(state, r);
      drawn.init = initMark;
    }
    const trainMark = [state.speeds, state.speeds.length, state.planned, state.config.depth];
    if (trainMark.some((v, i) => v !== drawn.train[i])) {
      for (const draw of trainViews) draw(state);
      drawn.train = trainMark;
    }
    drawResult(state, r);
    setText(notes, [state.error, ...state.notes].filter(Boolean).join(" · "));
    notes.hidden = !notes.textContent;
    controlBox.disabled = state.running;
    presetSelect.disabled = state.running;
    const locked = needsGuess();
    trainButton.disabled = locked || state.running || !state.init;
    trainButton.title = locked ? "lock in a guess first" : "";
    stopButton.disabled = !state.running;
    guessButton.disabled = state.running;
    progress.max = state.planned;
    progress.value = state.speeds.length;
    setText(status, state.status || (locked
      ? "Make a guess for this preset to unlock Train." : ""));
    root.dataset.running = String(state.running);
    timings.render.push(performance.now() - t0);
    if (timings.render.length > 2000) timings.render.splice(0, 1000);
    root.dataset.settled = String(!state.running && state.initKey === configKey(state.config) &&
      !inFlight);
    if (painted) {
      // A task queued from the next animation frame runs right after that frame is rendered.
      const done = painted;
      painted = null;
      requestAnimationFrame(() => {
        afterPaint.push(done);
        paintChannel.port2.postMessage(0);
      });
    }
  }
  // While training, redraw at most every TRAIN_FRAME_MS: the curve still grows live, and the
  // main thread leaves the cores to the worker (the first point is drawn at once).
  let lastRender = -Infinity;
  function schedule() {
    if (frame) return;
    const wait = state.running ? lastRender + TRAIN_FRAME_MS - performance.now() : 0;
    if (wait > 0) frame = setTimeout(() => { frame = requestAnimationFrame(render); }, wait);
    else frame = requestAnimationFrame(render);
  }

  // ---------------------------------------------------------------- the worker
  let worker = null;
  let nextId = 1;
  let inFlight = null; // {id, key, t0}: the at-init request being computed
  let trainId = null;
  let trainT0 = 0;
  const waiters = new Map(); // id -> resolve, for params requests (tests)
  // For benchmarks/bench_lab_web.py: control move -> at-init views painted, Train -> first
  // curve point painted, and each run's epochs and time.
  const timings = { moves: [], firstEpoch: [], runs: [], render: [], data: null };
  let moveT0 = null;

  function requestInit() {
    if (!worker) return;
    if (inFlight) return; // the reply asks again for the newest config
    const id = nextId++;
    inFlight = { id, key: configKey(state.config), t0: moveT0 ?? performance.now() };
    moveT0 = null;
    worker.postMessage({ type: "init", id, config: { ...state.config } });
  }

  function onMessage(event) {
    const msg = event.data;
    if (msg.type === "data") {
      timings.data = msg;
    } else if (msg.type === "init") {
      const started = inFlight;
      inFlight = null;
      state.init = msg.result;
      state.initKey = configKey(msg.config);
      state.error = "";
      if (state.initKey !== configKey(state.config)) requestInit();
      else if (started) {
        const t0 = started.t0;
        painted = (t1) => timings.moves.push({ ms: t1 - t0, worker: msg.ms });
      }
      schedule();
    } else if (msg.type === "epoch") {
      if (msg.id !== trainId) return;
      if (msg.epoch === 0) {
        const t0 = trainT0;
        painted = (t1) => timings.firstEpoch.push(t1 - t0);
      }
      state.speeds.push(msg.speeds);
      state.ratios.push([msg.epoch, msg.updateRatio]);
      state.status = `epoch ${msg.epoch + 1} of ${state.planned}`;
      schedule();
    } else if (msg.type === "done") {
      if (msg.id !== trainId) return;
      state.running = false;
      trainId = null;
      timings.runs.push({ epochs: msg.epochs, ms: msg.ms, config: { ...state.config } });
      state.status = msg.diverged
        ? `training diverged after ${msg.epochs} epochs: η = ${etaText(state.config.eta)} is ` +
          "too large for this net (a weight became infinite); try a smaller η"
        : `${msg.stopped ? "stopped after" : "done:"} ${msg.epochs} epochs in ` +
          `${(msg.ms / 1000).toFixed(1)} s`;
      if (!state.trained.includes(state.preset)) state.trained.push(state.preset);
      saveStore(state);
      schedule();
    } else if (msg.type === "params") {
      const resolve = waiters.get(msg.id);
      waiters.delete(msg.id);
      if (resolve) resolve(msg.params);
    } else if (msg.type === "error") {
      if (msg.request === "init") inFlight = null;
      if (msg.request === "train" && msg.id === trainId) {
        state.running = false;
        trainId = null;
      }
      const resolve = waiters.get(msg.id);
      if (resolve) {
        waiters.delete(msg.id);
        resolve({ error: msg.message });
      }
      state.error = msg.message;
      schedule();
    }
  }

  function start() {
    if (worker) return;
    worker = new Worker(new URL("./lab_worker.js", import.meta.url), { type: "module" });
    worker.onmessage = onMessage;
    worker.onerror = (event) => {
      state.error = `the lab's worker failed: ${event.message || "it could not start"}`;
      inFlight = null;
      state.running = false;
      schedule();
    };
    state.status = "loading the images…";
    requestInit();
    schedule();
  }

  // ---------------------------------------------------------------- controls -> state
  function writeHash() {
    const hash = formatHash(state.preset, state.config);
    if (location.hash !== hash) history.replaceState(history.state, "", hash);
  }

  function changed({ fromHash: hashChange = false } = {}) {
    moveT0 = performance.now();
    state.speeds = [];
    state.ratios = [];
    state.status = "";
    if (!hashChange) {
      state.notes = [];
      writeHash();
    }
    syncControls();
    root.dataset.settled = "false";
    requestInit();
    schedule();
  }

  presetSelect.addEventListener("change", () => {
    const name = presetSelect.value;
    if (!PRESETS[name]) return;
    state.preset = name;
    state.config = configOf(name);
    changed();
  });
  guessButton.addEventListener("click", () => {
    const layer = Number(guessLayer.value);
    const factor = Number(guessFactor.value);
    if (!(layer >= 1 && layer <= state.config.depth) || !GUESS_FACTORS.includes(factor)) return;
    state.guesses[state.preset] = { layer, factor };
    saveStore(state);
    state.status = "";
    schedule();
  });
  trainButton.addEventListener("click", () => {
    if (state.running || needsGuess() || !worker) return;
    state.running = true;
    state.speeds = [];
    state.ratios = [];
    state.planned = TRAIN_EPOCHS;
    state.status = "starting…";
    trainId = nextId++;
    trainT0 = performance.now();
    worker.postMessage({ type: "train", id: trainId, config: { ...state.config }, epochs: state.planned });
    schedule();
  });
  stopButton.addEventListener("click", () => {
    if (trainId !== null) worker.postMessage({ type: "stop", id: trainId });
  });
  window.addEventListener("hashchange", () => {
    if (!location.hash.startsWith(HASH_PREFIX) || state.running) return;
    if (location.hash === formatHash(state.preset, state.config)) return;
    const h = parseHash(location.hash);
    state.preset = h.preset;
    state.config = h.config;
    state.notes = h.notes;
    changed({ fromHash: true });
  });

  syncControls();
  render();

  // The images load when the lab comes near the screen, not with the page.
  if (typeof IntersectionObserver === "undefined") start();
  else {
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        seen.disconnect();
        start();
      }
    }, { rootMargin: "300px" });
    seen.observe(root);
  }

  const api = {
    state, timings, start,
    /** exportParams of the net the current config starts from (tests compare with Python). */
    params(config = state.config) {
      start();
      const id = nextId++;
      return new Promise((resolve) => {
        waiters.set(id, resolve);
        worker.postMessage({ type: "params", id, config: { ...config } });
      });
    },
    readouts: () => readouts({ init: state.init, speeds: state.speeds, preset: state.preset,
      guesses: state.guesses, trained: state.trained }),
  };
  root.c5 = api;
  window.c5lab = api;
  root.dataset.ready = "true";
}

for (const root of document.querySelectorAll('div.c5-web-explorer[data-explorer="lab"]')) {
  mount(root);
}
