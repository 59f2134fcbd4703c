#!/usr/bin/env node
// Typesets the book's TeX at build time (scripts/sphinx_math.py runs this), so that pages ship
// finished math and no MathJax runtime: MathJax's typesetting in the browser was a 1.5-2.5 s long
// task on Lighthouse's slowed-down phone. Same engine, same output as the runtime gave: MathJax 3
// (mathjax-full) CHTML, with the assistive MathML copy that screen readers read.
//
// Reads JSON from stdin:  {"pages": [{"fontURL": "../_mathjax/woff-v2",
//                                     "formulas": [{"tex": "x^2", "display": false}, ...]}, ...]}
// Writes JSON to stdout:  {"pages": [{"css": "<the CHTML stylesheet for this page's glyphs>",
//                                     "html": ["<mjx-container ...>...</mjx-container>", ...],
//                                     "errors": [{"index": 3, "message": "..."}]}, ...]}
// A TeX error is reported (the caller fails the build), never rendered as red text on a page.
"use strict";

const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { CHTML } = require("mathjax-full/js/output/chtml.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

// noerrors/noundefined would turn a mistake into red text on the page; without them it throws.
const PACKAGES = AllPackages.filter((p) => p !== "noerrors" && p !== "noundefined");

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

function renderPage(page) {
  const tex = new TeX({
    packages: PACKAGES,
    formatError: (_jax, err) => { throw err; },
  });
  // adaptiveCSS: the stylesheet covers only the characters this page uses
  const chtml = new CHTML({ fontURL: page.fontURL, adaptiveCSS: true });
  const doc = mathjax.document("", { InputJax: tex, OutputJax: chtml });
  const html = [];
  const errors = [];
  page.formulas.forEach((f, index) => {
    try {
      html.push(adaptor.outerHTML(doc.convert(f.tex, { display: Boolean(f.display) })));
    } catch (err) {
      html.push("");
      errors.push({ index, message: String((err && err.message) || err) });
    }
  });
  return { css: adaptor.textContent(chtml.styleSheet(doc)), html, errors };
}

function main() {
  const chunks = [];
  process.stdin.on("data", (c) => chunks.push(c));
  process.stdin.on("end", () => {
    const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (!request || !Array.isArray(request.pages)) {
      process.stderr.write('render_math.js: expected {"pages": [...]} on stdin\n');
      process.exit(2);
    }
    const pages = request.pages.map(renderPage);
    process.stdout.write(JSON.stringify({ pages }));
  });
}

main();
