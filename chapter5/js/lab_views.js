// The lab's views: each builds its SVG (or HTML) once and returns a draw(state[, readouts])
// that updates it in place. Numbers in words come from lab_net.js's `readouts`.

import { ACTIVATION_BINS, GRADIENT_LOG10_BINS } from "./lab_net.js";
import { LAYER_COLOURS, SATURATION_FRACTION, UPDATE_RATIO_GUIDE } from "./lab_presets.js";
import { PALETTE, el, logTicks, s, setAttr, setText } from "./c5ui.js";
import { M, chart, epochTicks, layerLines, logLimits, pathOf, topShare } from "./lab_chart.js";

export function initView(parent) {
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

export function histogramView(parent, kind) {
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
  const lines = layerLines(c.plot, { "stroke-width": 1.8, "stroke-linejoin": "round" });
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

export function trainView(parent) {
  const c = chart(parent, {
    title: "speed during training (protocol C)", xLabel: "epoch (full-batch steps)",
    yLabel: "speed ‖∂C/∂bˡ‖ (log scale)", cls: "c5-lab-train-view",
    alt: "Each hidden layer's speed ‖∂C/∂b^l‖ per epoch of training on a logarithmic axis, " +
      "recorded before each full-batch step; one line per layer in its colour.",
  });
  const lines = layerLines(c.plot, { "stroke-width": 2, "stroke-linejoin": "round" });
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

export function ratioView(parent) {
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
  const lines = layerLines(c.plot, { "stroke-width": 1.8 });
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

export function legendView(parent, withOutput) {
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

export function readoutView(parent) {
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

export function resultView(parent) {
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
