// The chain-of-neurons explorer for the website (notebook 03): no kernel, no dependencies.
//
// Mounts into every <div class="c5-web-explorer" data-explorer="chain"> on the page. Sliders for
// the depth L, the input a0 and every w_j, b_j; three presets; four linked views redrawn in place
// on every slider move: the chain (edge width by |w_j|), sigma'(z) with each z_j marked, log-scale
// bars of |w_j sigma'(z_j)| and |dC/db_j|, and eq. (122) with the live numbers. Readouts carry the
// same data-key attributes and strings as the notebook's ipywidgets explorer.

import { chainGradients, chainReadouts, sigmoidPrime, speedWords } from "./c5math.js";
import {
  CHAIN_PRESETS, CHAIN_SLIDERS, DEFAULT_A0, DEFAULT_DEPTH, DEFAULT_PRESET, MAX_DEPTH,
} from "./chain_presets.js";
import {
  CYCLE, PALETTE, el, figure, injectStyle, logTicks, s, setAttr, setPowerOfTen, setText, slider,
} from "./c5ui.js";

const Z_RANGE = 10; // the sigma' panel shows z in [-10, 10]; markers beyond sit at the edge

function fmtParam(x) {
  return x.toFixed(2);
}

function layerColour(j) {
  return CYCLE[(j - 1) % CYCLE.length];
}

// ---------------------------------------------------------------------------------------------
// View 1: the chain, a0 -> neuron 1 -> ... -> neuron L -> C, edge width by |w_j|

function chainView(parent) {
  const W = 760;
  const H = 130;
  const svg = figure(parent, W, H,
    "The chain of neurons: the input a0, neurons 1 to L and the cost C. Each edge's width grows " +
    "with |w_j| (blue: w_j > 0, vermillion: w_j < 0); w_j is written above the edge, b_j below " +
    "the neuron.", "c5-chain-view");
  const cy = 62;
  const edges = [];
  const nodes = [];
  for (let j = 1; j <= MAX_DEPTH; j++) {
    const line = s("line", { y1: cy, y2: cy, "stroke-linecap": "round" }, svg);
    const wText = s("text", { y: cy - 16, "text-anchor": "middle", "font-size": 12 }, svg);
    edges.push({ line, wText });
  }
  const outEdge = s("line", {
    y1: cy, y2: cy, stroke: PALETTE.grey, "stroke-width": 1.5, "stroke-dasharray": "4 3",
  }, svg);
  const input = s("rect", { y: cy - 14, width: 34, height: 28, rx: 4, fill: "none",
    stroke: "currentColor" }, svg);
  const inputText = s("text", { y: cy + 4, "text-anchor": "middle", "font-size": 12 }, svg);
  const inputLabel = s("text", { y: cy + 32, "text-anchor": "middle", "font-size": 12 }, svg);
  for (let j = 1; j <= MAX_DEPTH; j++) {
    const circle = s("circle", { cy, r: 14, "stroke-width": 2 }, svg);
    const label = s("text", { y: cy + 4, "text-anchor": "middle", "font-size": 12,
      "font-weight": 600 }, svg);
    label.textContent = String(j);
    const bText = s("text", { y: cy + 32, "text-anchor": "middle", "font-size": 12 }, svg);
    nodes.push({ circle, label, bText });
  }
  const cost = s("text", { y: cy + 5, "text-anchor": "middle", "font-size": 15,
    "font-style": "italic" }, svg);
  cost.textContent = "C";
  const legend = s("text", { x: 8, y: 14, "font-size": 12 }, svg);
  legend.textContent = "edge above: w_j   ·   below each neuron: b_j   ·   edge width grows with |w_j|";

  return function draw(state) {
    const L = state.depth;
    const x0 = 30;
    const x1 = W - 24;
    const gap = (x1 - x0) / (L + 1);
    const xs = Array.from({ length: L + 2 }, (_, k) => x0 + k * gap);
    setAttr(input, "x", xs[0] - 17);
    setAttr(inputText, "x", xs[0]);
    setText(inputText, fmtParam(state.a0));
    setAttr(inputLabel, "x", xs[0]);
    setText(inputLabel, "a0");
    for (let j = 1; j <= MAX_DEPTH; j++) {
      const e = edges[j - 1];
      const n = nodes[j - 1];
      const on = j <= L;
      setAttr(e.line, "visibility", on ? "visible" : "hidden");
      setAttr(e.wText, "visibility", on ? "visible" : "hidden");
      setAttr(n.circle, "visibility", on ? "visible" : "hidden");
      setAttr(n.label, "visibility", on ? "visible" : "hidden");
      setAttr(n.bText, "visibility", on ? "visible" : "hidden");
      if (!on) continue;
      const w = state.w[j - 1];
      const width = 1 + (8 * Math.log10(1 + Math.abs(w))) / Math.log10(101);
      setAttr(e.line, "x1", xs[j - 1] + (j === 1 ? 17 : 14));
      setAttr(e.line, "x2", xs[j] - 14);
      setAttr(e.line, "stroke-width", width.toFixed(2));
      setAttr(e.line, "stroke", w > 0 ? PALETTE.blue : w < 0 ? PALETTE.vermillion : PALETTE.grey);
      setAttr(e.line, "stroke-dasharray", w === 0 ? "3 3" : "none");
      setAttr(e.wText, "x", (xs[j - 1] + xs[j]) / 2);
      setText(e.wText, fmtParam(w));
      setAttr(n.circle, "cx", xs[j]);
      setAttr(n.circle, "fill", "transparent");
      setAttr(n.circle, "stroke", layerColour(j));
      setAttr(n.label, "x", xs[j]);
      setAttr(n.bText, "x", xs[j]);
      setText(n.bText, fmtParam(state.b[j - 1]));
    }
    setAttr(outEdge, "x1", xs[L] + 14);
    setAttr(outEdge, "x2", xs[L + 1] - 8);
    setAttr(cost, "x", xs[L + 1]);
  };
}

// ---------------------------------------------------------------------------------------------
// View 2: sigma'(z) on [-10, 10] with each z_j marked

function sigmaPrimeView(parent) {
  const W = 370;
  const H = 240;
  const left = 48;
  const right = W - 12;
  const top = 26;
  const bottom = H - 40;
  const X = (z) => left + ((z + Z_RANGE) / (2 * Z_RANGE)) * (right - left);
  const Y = (v) => bottom - (v / 0.27) * (bottom - top);
  const svg = figure(parent, W, H,
    "The curve sigma'(z) for z from -10 to 10, peaking at 1/4 at z = 0, with a numbered dot at " +
    "each neuron's weighted input z_j (dots beyond the plotted range sit at its edge as triangles).",
    "c5-sigma-view");
  s("text", { x: left, y: 14, "font-size": 12, "font-weight": 600, text: "σ′(z) and each z_j" }, svg);
  for (const z of [-10, -5, 0, 5, 10]) {
    s("line", { x1: X(z), x2: X(z), y1: top, y2: bottom, stroke: "currentColor",
      "stroke-opacity": 0.15 }, svg);
    s("text", { x: X(z), y: bottom + 15, "text-anchor": "middle", "font-size": 12,
      text: String(z).replace("-", "−") }, svg);
  }
  for (const [v, lab] of [[0, "0"], [0.1, "0.1"], [0.2, "0.2"], [0.25, "1/4"]]) {
    s("line", { x1: left, x2: right, y1: Y(v), y2: Y(v), stroke: "currentColor",
      "stroke-opacity": v === 0.25 ? 0.5 : 0.15, "stroke-dasharray": v === 0.25 ? "4 3" : "none" }, svg);
    s("text", { x: left - 5, y: Y(v) + 4, "text-anchor": "end", "font-size": 12, text: lab }, svg);
  }
  s("text", { x: (left + right) / 2, y: H - 6, "text-anchor": "middle", "font-size": 12,
    text: "weighted input z" }, svg);
  let d = "";
  for (let i = 0; i <= 400; i++) {
    const z = -Z_RANGE + (2 * Z_RANGE * i) / 400;
    d += `${i ? "L" : "M"}${X(z).toFixed(2)},${Y(sigmoidPrime(z)).toFixed(2)}`;
  }
  s("path", { d, fill: "none", stroke: "currentColor", "stroke-width": 1.8 }, svg);
  const marks = [];
  for (let j = 1; j <= MAX_DEPTH; j++) {
    const dot = s("circle", { r: 5, fill: layerColour(j), stroke: "white", "stroke-width": 1 }, svg);
    const tri = s("path", { fill: layerColour(j) }, svg);
    const label = s("text", { "text-anchor": "middle", "font-size": 10, "font-weight": 600 }, svg);
    marks.push({ dot, tri, label });
  }

  const offLeft = s("text", { x: left + 14, y: bottom - 4, "font-size": 11 }, svg);
  const offRight = s("text", { x: right - 14, y: bottom - 18, "font-size": 11, "text-anchor": "end" }, svg);

  return function draw(state, g) {
    const L = state.depth;
    const stackAt = new Map(); // pixel column -> how many labels already stacked there
    const beyond = { left: [], right: [] };
    for (let j = 1; j <= MAX_DEPTH; j++) {
      const m = marks[j - 1];
      if (j > L) {
        setAttr(m.dot, "visibility", "hidden");
        setAttr(m.tri, "visibility", "hidden");
        setAttr(m.label, "visibility", "hidden");
        continue;
      }
      const z = g.z[j - 1];
      const inside = Math.abs(z) <= Z_RANGE;
      const x = inside ? X(z) : z > 0 ? right : left;
      const y = inside ? Y(g.sigmaPrime[j - 1]) : bottom;
      setAttr(m.dot, "visibility", inside ? "visible" : "hidden");
      setAttr(m.tri, "visibility", inside ? "hidden" : "visible");
      if (inside) {
        setAttr(m.dot, "cx", x.toFixed(2));
        setAttr(m.dot, "cy", y.toFixed(2));
      } else {
        const dir = z > 0 ? 1 : -1; // an arrowhead inside the edge, pointing out of the window
        const tip = x - 2 * dir;
        const base = x - 11 * dir;
        const yy = y - 8;
        setAttr(m.tri, "d", `M${base.toFixed(2)},${yy - 6}L${base.toFixed(2)},${yy + 6}L${tip.toFixed(2)},${yy}Z`);
      }
      if (!inside) {
        (z > 0 ? beyond.right : beyond.left).push(j);
        setAttr(m.label, "visibility", "hidden");
        continue;
      }
      const col = Math.round(x / 9);
      const k = stackAt.get(col) || 0;
      stackAt.set(col, k + 1);
      setAttr(m.label, "visibility", "visible");
      setAttr(m.label, "x", x.toFixed(2));
      setAttr(m.label, "y", (y - 9 - 11 * k).toFixed(2));
      setAttr(m.label, "fill", layerColour(j));
      setText(m.label, String(j));
    }
    // Neurons whose z_j lies beyond the window: one label per side, e.g. "z of 1, 2, 5 < -10".
    setText(offLeft, beyond.left.length ? `z of ${beyond.left.join(", ")} < −${Z_RANGE}` : "");
    setText(offRight, beyond.right.length ? `z of ${beyond.right.join(", ")} > ${Z_RANGE}` : "");
  };
}

// ---------------------------------------------------------------------------------------------
// View 3: log-scale bars of |w_j sigma'(z_j)| and |dC/db_j| (bars start at 1 = 10^0)

function barsView(parent) {
  const W = 370;
  const H = 240;
  const left = 58;
  const right = W - 10;
  const top = 34;
  const bottom = H - 40;
  const svg = figure(parent, W, H,
    "Bars on a logarithmic axis for each layer j: the factor |w_j sigma'(z_j)| (blue) and the " +
    "gradient |dC/db_j| in units of dC/da_L (orange). Bars start at 1: a bar pointing down is a " +
    "number below 1.", "c5-bars-view");
  s("rect", { x: left, y: 6, width: 10, height: 10, fill: PALETTE.blue }, svg);
  s("text", { x: left + 14, y: 15, "font-size": 12, text: "|w_j σ′(z_j)|" }, svg);
  s("rect", { x: left + 120, y: 6, width: 10, height: 10, fill: PALETTE.orange }, svg);
  s("text", { x: left + 134, y: 15, "font-size": 12, text: "|∂C/∂b_j| (units of ∂C/∂a_L)" }, svg);
  s("text", { x: (left + right) / 2, y: H - 6, "text-anchor": "middle", "font-size": 12,
    text: "layer j" }, svg);
  const grid = [];
  for (let i = 0; i < 10; i++) {
    const line = s("line", { x1: left, x2: right, stroke: "currentColor", "stroke-opacity": 0.15 }, svg);
    const label = s("text", { x: left - 5, "text-anchor": "end", "font-size": 12 }, svg);
    grid.push({ line, label });
  }
  const one = s("line", { x1: left, x2: right, stroke: "currentColor", "stroke-width": 1.2 }, svg);
  const bars = [];
  for (let j = 1; j <= MAX_DEPTH; j++) {
    const f = s("rect", { fill: PALETTE.blue }, svg);
    const g = s("rect", { fill: PALETTE.orange }, svg);
    const tick = s("text", { y: bottom + 15, "text-anchor": "middle", "font-size": 12 }, svg);
    tick.textContent = String(j);
    bars.push({ f, g, tick });
  }

  return function draw(state, g) {
    const L = state.depth;
    const finite = [];
    for (let j = 0; j < L; j++) {
      for (const v of [g.log10AbsFactors[j], g.log10AbsdCdb[j]]) if (Number.isFinite(v)) finite.push(v);
    }
    const lo = Math.floor(Math.min(-2, ...finite));
    const hi = Math.ceil(Math.max(1, ...finite));
    const { ticks } = logTicks(lo, hi);
    const axLo = Math.min(lo, ticks[0]);
    const axHi = Math.max(hi, ticks[ticks.length - 1]);
    const Y = (v) => bottom - ((v - axLo) / (axHi - axLo)) * (bottom - top);
    grid.forEach((t, i) => {
      const on = i < ticks.length;
      setAttr(t.line, "visibility", on ? "visible" : "hidden");
      setAttr(t.label, "visibility", on ? "visible" : "hidden");
      if (!on) return;
      const y = Y(ticks[i]).toFixed(2);
      setAttr(t.line, "y1", y);
      setAttr(t.line, "y2", y);
      setAttr(t.label, "y", (Number(y) + 4).toFixed(2));
      setPowerOfTen(t.label, ticks[i]);
    });
    const y1 = Y(0);
    setAttr(one, "y1", y1.toFixed(2));
    setAttr(one, "y2", y1.toFixed(2));
    const slot = (right - left) / L;
    const bw = Math.min(16, slot * 0.36);
    for (let j = 1; j <= MAX_DEPTH; j++) {
      const b = bars[j - 1];
      const on = j <= L;
      for (const node of [b.f, b.g, b.tick]) setAttr(node, "visibility", on ? "visible" : "hidden");
      if (!on) continue;
      const cx = left + slot * (j - 0.5);
      setAttr(b.tick, "x", cx.toFixed(2));
      const place = (rect, v, x) => {
        const y = Number.isFinite(v) ? Y(v) : bottom; // an exact zero reaches the bottom
        setAttr(rect, "x", x.toFixed(2));
        setAttr(rect, "width", bw.toFixed(2));
        setAttr(rect, "y", Math.min(y, y1).toFixed(2));
        setAttr(rect, "height", Math.max(Math.abs(y - y1), 1).toFixed(2));
        setAttr(rect, "fill-opacity", Number.isFinite(v) ? 1 : 0.35);
      };
      place(b.f, g.log10AbsFactors[j - 1], cx - bw - 1);
      place(b.g, g.log10AbsdCdb[j - 1], cx + 1);
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Readouts: the same keys and strings as the notebook's widget

function readoutView(parent) {
  const eq = el("p", { class: "c5-equation", "data-key": "equation" }, parent);
  const ratioLine = el("p", { class: "c5-note c5-big" }, parent);
  ratioLine.append("∂C/∂b", el("sub", { text: "1" }), " ÷ ∂C/∂b");
  const ratioSub = el("sub", { text: "L" }, ratioLine);
  ratioLine.append(" = ");
  const ratio = el("span", { "data-key": "ratio_1_L" }, ratioLine);
  ratioLine.append(" (");
  const words = el("span", { class: "c5-speed" }, ratioLine);
  ratioLine.append(")");
  const table = el("table", { class: "c5-readout", "aria-label": "Per-layer readouts" }, parent);
  const head = el("tr", {}, el("thead", {}, table));
  for (const h of ["layer j", "z_j", "w_j σ′(z_j)", "∂C/∂b_j (units of ∂C/∂a_L)"]) {
    el("th", { scope: "col", text: h }, head);
  }
  const body = el("tbody", {}, table);
  const rows = [];
  for (let j = 1; j <= MAX_DEPTH; j++) {
    const tr = el("tr", {}, body);
    el("td", { text: String(j) }, tr);
    rows.push({ tr, z: el("td", {}, tr), f: el("td", {}, tr), g: el("td", {}, tr) });
  }

  return function draw(state, g) {
    const L = state.depth;
    const r = chainReadouts(g);
    setText(eq, r.equation);
    setText(ratioSub, String(L));
    setText(ratio, r.ratio_1_L);
    setText(words, speedWords(g));
    rows.forEach((row, i) => {
      const j = i + 1;
      if (j > L) {
        row.tr.hidden = true;
        for (const c of [row.z, row.f, row.g]) c.removeAttribute("data-key");
        return;
      }
      row.tr.hidden = false;
      setAttr(row.z, "data-key", `z_${j}`);
      setAttr(row.f, "data-key", `factor_${j}`);
      setAttr(row.g, "data-key", `dC_db_${j}`);
      setText(row.z, r[`z_${j}`]);
      setText(row.f, r[`factor_${j}`]);
      setText(row.g, r[`dC_db_${j}`]);
    });
  };
}

// ---------------------------------------------------------------------------------------------

function mount(root) {
  injectStyle();
  root.replaceChildren();
  const preset = CHAIN_PRESETS[DEFAULT_PRESET];
  const state = {
    depth: DEFAULT_DEPTH,
    a0: preset.a0 ?? DEFAULT_A0,
    w: preset.w.slice(),
    b: preset.b.slice(),
  };

  el("p", { class: "c5-note", text:
    "Kernel-free explorer: runs in your browser. Readouts are in units of ∂C/∂a_L (we set ∂C/∂a_L = 1)." }, root);
  const buttons = el("div", { class: "c5-buttons", role: "group", "aria-label": "Presets" }, root);
  const controls = el("div", { class: "c5-controls" }, root);
  const figs = el("div", { class: "c5-figs" }, root);
  const readoutBox = el("div", { class: "c5-readouts" }, root);

  const views = [];
  function redraw() {
    const L = state.depth;
    const g = chainGradients(state.w.slice(0, L), state.b.slice(0, L), state.a0, 1.0);
    for (const draw of views) draw(state, g);
  }

  const depthSlider = slider(controls, {
    label: "depth L", cls: "c5-slider-depth", min: 1, max: MAX_DEPTH, step: 1,
    value: state.depth, digits: 0,
    onInput: (v) => {
      state.depth = v;
      showRows();
      redraw();
    },
  });
  const a0Slider = slider(controls, {
    label: "input a<sub>0</sub>", cls: "c5-slider-a0", ...CHAIN_SLIDERS.a0, value: state.a0,
    digits: 2, onInput: (v) => { state.a0 = v; redraw(); },
  });
  const wSliders = [];
  const bSliders = [];
  for (let j = 1; j <= MAX_DEPTH; j++) {
    wSliders.push(slider(controls, {
      label: `w<sub>${j}</sub>`, cls: `c5-slider-w${j}`, ...CHAIN_SLIDERS.w, value: state.w[j - 1],
      digits: 2, onInput: (v) => { state.w[j - 1] = v; redraw(); },
    }));
    bSliders.push(slider(controls, {
      label: `b<sub>${j}</sub>`, cls: `c5-slider-b${j}`, ...CHAIN_SLIDERS.b, value: state.b[j - 1],
      digits: 2, onInput: (v) => { state.b[j - 1] = v; redraw(); },
    }));
  }
  function showRows() {
    for (let j = 1; j <= MAX_DEPTH; j++) {
      wSliders[j - 1].row.hidden = j > state.depth;
      bSliders[j - 1].row.hidden = j > state.depth;
    }
  }
  for (const [name, p] of Object.entries(CHAIN_PRESETS)) {
    const button = el("button", { type: "button", class: `c5-preset-${name}`, text: p.label }, buttons);
    button.addEventListener("click", () => {
      state.w = p.w.slice();
      state.b = p.b.slice();
      state.a0 = p.a0;
      wSliders.forEach((sl, i) => sl.set(state.w[i]));
      bSliders.forEach((sl, i) => sl.set(state.b[i]));
      a0Slider.set(state.a0);
      redraw();
    });
  }
  depthSlider.set(state.depth);
  showRows();

  views.push(chainView(el("div", { class: "c5-wide" }, figs)));
  views.push(sigmaPrimeView(el("div", { class: "c5-half" }, figs)));
  views.push(barsView(el("div", { class: "c5-half" }, figs)));
  views.push(readoutView(readoutBox));
  redraw();
  root.dataset.ready = "true";
  root.c5 = { state, redraw };
}

for (const root of document.querySelectorAll('div.c5-web-explorer[data-explorer="chain"]')) {
  mount(root);
}
