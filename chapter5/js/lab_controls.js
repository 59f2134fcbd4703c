// The lab's controls: a slider with an exact-value box, a group of radio buttons, the parsing
// of typed numbers, and the labels the controls show. Each control calls `onChange(value)`;
// `set(value)` shows a value without calling it.

import { SHIPPED } from "./lab_hash.js";
import { el } from "./c5ui.js";

export const ETA_EXPONENT = { min: -3, max: 1, step: 0.25 }; // the JupyterLab lab's FloatLogSlider
export const IMAGES_SLIDER = { min: 10, max: SHIPPED, step: 10 };
export const INIT_LABELS = {
  default: "default N(0, 1/n_in)", large: "large N(0, 1)", small: "small N(0, 0.01²)",
  zeros: "zeros", xavier: "Xavier/Glorot", he: "He",
};
export const ACTIVATION_LABELS = { sigmoid: "sigmoid", tanh: "tanh", relu: "ReLU" };

let controlCount = 0;

/** A new element id, `prefix`-n, unique on the page (a label's `for` names it). */
export function uniqueId(prefix) {
  return `${prefix}-${++controlCount}`;
}

/**
 * A labelled range slider with a number box beside it. `toSlider`/`fromSlider` map a value to
 * the slider's position (the eta slider moves in log10 eta); `parse` turns typed text into a
 * value or null (then the box shows the current value again).
 */
export function numberControl(parent, { label, cls, min, max, step, toSlider = (v) => v,
  fromSlider = (v) => v, parse, show = String, onChange }) {
  const id = uniqueId(`c5-lab-${cls}`);
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

export function choiceControl(parent, { legend, name, options, labels, onChange }) {
  const fieldset = el("fieldset", { class: `c5-choice c5-lab-${name}` }, parent);
  el("legend", { text: legend }, fieldset);
  const radios = {};
  const group = uniqueId(`c5-lab-${name}`);
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

export function clampInt(text, lo, hi) {
  if (!/^[+-]?\d+(\.\d*)?$|^[+-]?\.\d+$/.test(text)) return null;
  return Math.min(hi, Math.max(lo, Math.round(Number(text))));
}

export function etaText(eta) {
  return String(Number(eta.toPrecision(6)));
}
