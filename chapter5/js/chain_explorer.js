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
  CYCLE, PALETTE, el, figure, injectStyle, linear, logTicks, plotArea, s, setAttr, setPowerOfTen,
  setText, slider,
} from "./c5ui.js";

const Z_RANGE = 10; // the sigma' panel shows z in [-10, 10]; markers beyond sit at the edge

function fmtParam(x) {
  return x.toFixed(2);
}

function layerColour(j) {
  return CYCLE[(j - 1) % CYCLE.length];
}

/** "3", "1–4", "1,3,5" or "1,2…9": a short label for the neurons whose dots coincide. */
export function neuronList(js) {
  const sorted = [...js].sort((a, b) => a - b);
  if (sorted.length === 1) return String(sorted[0]);
  const run = sorted.every((j, i) => i === 0 || j === sorted[i - 1] + 1);
  if (run) return `${sorted[0]}–${sorted[sorted.length - 1]}`;
  const all = sorted.join(",");
  return all.length <= 9 ? all : `${sorted[0]},${sorted[1]}…${sorted[sorted.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------
// View 1: the chain, a0 -> neuron 1 -> ... -> neuron L -> C, edge width by |w_j|

function chainView(parent) {
  const W = 760; // wide screens: the chain runs left to right
  const H = 130;
  const NARROW = 520; // below this width (CSS px) the chain runs top to bottom, text stays 12 px
  const svg = figure(parent, W, H,
    "The chain of neurons: the input a0, neurons 1 to L and the cost C. Each edge's width grows " +
    "with |w_j| (blue: w_j > 0, vermillion: w_j < 0); w_j is written beside the edge, b_j beside " +
    "the neuron.", "c5-chain-view");
  const edges = [];
  const nodes = [];
  for (let j = 1; j <= MAX_DEPTH; j++) {
    const line = s("line", { "stroke-linecap": "round" }, svg);
    const wText = s("text", { "font-size": 12 }, svg);
    edges.push({ line, wText });
  }
  const outEdge = s("line", {
    stroke: PALETTE.grey, "stroke-width": 1.5, "stroke-dasharray": "4 3",
  }, svg);
  const input = s("rect", { width: 34, height: 28, rx: 4, fill: "none", stroke: "currentColor" }, svg);
  const inputText = s("text", { "text-anchor": "middle", "font-size": 12 }, svg);
  const inputLabel = s("text", { "font-size": 12 }, svg);
  for (let j = 1; j <= MAX_DEPTH; j++) {
    const circle = s("circle", { r: 14, "stroke-width": 2 }, svg);
    const label = s("text", { "text-anchor": "middle", "font-size": 12, "font-weight": 600 }, svg);
    label.textContent = String(j);
    const bText = s("text", { "font-size": 12 }, svg);
    nodes.push({ circle, label, bText });
  }
  const cost = s("text", { "text-anchor": "middle", "font-size": 15, "font-style": "italic" }, svg);
  cost.textContent = "C";
  const legend = s("text", { x: 8, y: 14, "font-size": 12 }, svg);

  let last = null;
  let narrow = false;
  if (typeof ResizeObserver !== "undefined") {
    new ResizeObserver(() => {
      const now = parent.clientWidth > 0 && parent.clientWidth < NARROW;
      if (now !== narrow && last) {
        narrow = now;
        draw(last);
      }
    }).observe(parent);
  }
  narrow = parent.clientWidth > 0 && parent.clientWidth < NARROW;

  // Place neuron k (0: the input a0, L + 1: the cost) and the texts around it.
  function layout(L) {
    if (!narrow) {
      const cy = 62;
      const x0 = 30;
      const gap = (W - 24 - x0) / (L + 1);
      return {
        width: W, height: H, legend: "edge above: w_j   ·   below each neuron: b_j   ·   edge width grows with |w_j|",
        at: (k) => ({ x: x0 + k * gap, y: cy }),
        edge: (a, b, first) => ({ x1: a.x + (first ? 17 : 14), y1: a.y, x2: b.x - 14, y2: b.y }),
        wAt: (a, b) => ({ x: (a.x + b.x) / 2, y: a.y - 16, anchor: "middle" }),
        bAt: (p) => ({ x: p.x, y: p.y + 32, anchor: "middle" }),
        a0At: (p) => ({ x: p.x, y: p.y + 32, anchor: "middle" }),
      };
    }
    const cx = 70;
    const y0 = 46;
    const gap = 52;
    return {
      width: 340, height: y0 + (L + 1) * gap + 26,
      legend: "w_j beside each edge · b_j beside each neuron",
      at: (k) => ({ x: cx, y: y0 + k * gap }),
      edge: (a, b, first) => ({ x1: a.x, y1: a.y + (first ? 14 : 14), x2: b.x, y2: b.y - 14 }),
      wAt: (a, b) => ({ x: a.x + 16, y: (a.y + b.y) / 2 + 4, anchor: "start" }),
      bAt: (p) => ({ x: p.x + 22, y: p.y + 4, anchor: "start" }),
      a0At: (p) => ({ x: p.x - 24, y: p.y + 4, anchor: "end" }),
    };
  }

  function place(node, at) {
    setAttr(node, "x", at.x.toFixed(2));
    setAttr(node, "y", at.y.toFixed(2));
    setAttr(node, "text-anchor", at.anchor);
  }

  function draw(state) {
    last = state;
    const L = state.depth;
    const lay = layout(L);
    setAttr(svg, "viewBox", `0 0 ${lay.width} ${lay.height}`);
    setAttr(svg, "width", lay.width);
    setAttr(svg, "height", lay.height);
    setText(legend, lay.legend);
    const ps = Array.from({ length: L + 2 }, (_, k) => lay.at(k));
    setAttr(input, "x", (ps[0].x - 17).toFixed(2));
    setAttr(input, "y", (ps[0].y - 14).toFixed(2));
    place(inputText, { x: ps[0].x, y: ps[0].y + 4, anchor: "middle" });
    setText(inputText, fmtParam(state.a0));
    place(inputLabel, lay.a0At(ps[0]));
    setText(inputLabel, "a0");
    for (let j = 1; j <= MAX_DEPTH; j++) {
      const e = edges[j - 1];
      const n = nodes[j - 1];
      const on = j <= L;
      for (const node of [e.line, e.wText, n.circle, n.label, n.bText]) {
        setAttr(node, "visibility", on ? "visible" : "hidden");
      }
      if (!on) continue;
      const w = state.w[j - 1];
      const width = 1 + (8 * Math.log10(1 + Math.abs(w))) / Math.log10(101);
      const ends = lay.edge(ps[j - 1], ps[j], j === 1);
      for (const [k, v] of Object.entries(ends)) setAttr(e.line, k, v.toFixed(2));
      setAttr(e.line, "stroke-width", width.toFixed(2));
      setAttr(e.line, "stroke", w > 0 ? PALETTE.blue : w < 0 ? PALETTE.vermillion : PALETTE.grey);
      setAttr(e.line, "stroke-dasharray", w === 0 ? "3 3" : "none");
      place(e.wText, lay.wAt(ps[j - 1], ps[j]));
      setText(e.wText, narrow ? `w${j} = ${fmtParam(w)}` : fmtParam(w));
      setAttr(n.circle, "cx", ps[j].x.toFixed(2));
      setAttr(n.circle, "cy", ps[j].y.toFixed(2));
      setAttr(n.circle, "fill", "transparent");
      setAttr(n.circle, "stroke", layerColour(j));
      place(n.label, { x: ps[j].x, y: ps[j].y + 4, anchor: "middle" });
      place(n.bText, lay.bAt(ps[j]));
      setText(n.bText, narrow ? `b${j} = ${fmtParam(state.b[j - 1])}` : fmtParam(state.b[j - 1]));
    }
    const out = lay.edge(ps[L], ps[L + 1], false);
    for (const [k, v] of Object.entries(out)) setAttr(outEdge, k, v.toFixed(2));
    if (!narrow) setAttr(outEdge, "x2", (ps[L + 1].x - 8).toFixed(2));
    else setAttr(outEdge, "y2", (ps[L + 1].y - 12).toFixed(2));
    setAttr(cost, "x", ps[L + 1].x.toFixed(2));
    setAttr(cost, "y", (ps[L + 1].y + 5).toFixed(2));
  }
  return draw;
}

// ---------------------------------------------------------------------------------------------
// View 2: sigma'(z) on [-10, 10] with each z_j marked

function sigmaPrimeView(parent) {
  const { W, H, left, right, top, bottom } =
    plotArea(370, 240, { left: 48, right: 12, top: 26, bottom: 40 });
  const X = linear(-Z_RANGE, Z_RANGE, left, right);
  const Y = linear(0, 0.27, bottom, top);
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
    const columns = new Map(); // pixel column -> the neurons whose dots share it, one label each
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
      if (!columns.has(col)) columns.set(col, []);
      columns.get(col).push({ j, x, y });
    }
    // One label per column of dots ("3" or "1–10"), just above the highest dot and never above
    // the panel's top: labels used to stack upwards, out of the panel into the chain diagram.
    for (const group of columns.values()) {
      group.forEach(({ j }, k) => {
        if (k > 0) setAttr(marks[j - 1].label, "visibility", "hidden");
      });
      const first = marks[group[0].j - 1].label;
      const yTop = Math.min(...group.map((d) => d.y));
      setAttr(first, "visibility", "visible");
      setAttr(first, "x", group[0].x.toFixed(2));
      setAttr(first, "y", Math.max(yTop - 9, top - 6).toFixed(2));
      setAttr(first, "fill", group.length === 1 ? layerColour(group[0].j) : "currentColor");
      setText(first, neuronList(group.map((d) => d.j)));
    }
    // Neurons whose z_j lies beyond the window: one label per side, e.g. "z of 1, 2, 5 < -10".
    setText(offLeft, beyond.left.length ? `z of ${beyond.left.join(", ")} < −${Z_RANGE}` : "");
    setText(offRight, beyond.right.length ? `z of ${beyond.right.join(", ")} > ${Z_RANGE}` : "");
  };
}

// ---------------------------------------------------------------------------------------------
// View 3: log-scale bars of |w_j sigma'(z_j)| and |dC/db_j| (bars start at 1 = 10^0)

function barsView(parent) {
  const { W, H, left, right, top, bottom } =
    plotArea(370, 240, { left: 58, right: 10, top: 34, bottom: 40 });
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
    const Y = linear(axLo, axHi, bottom, top);
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
