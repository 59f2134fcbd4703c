// The lab's stylesheet (on top of c5ui.js's explorer styles), added to the page once.

import { PALETTE, el, injectStyle } from "./c5ui.js";

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

/** Add the explorers' and the lab's stylesheets to the page once. */
export function injectLabStyle() {
  injectStyle();
  if (!document.getElementById("c5-lab-style")) {
    el("style", { id: "c5-lab-style", text: STYLE }, document.head);
  }
}
