"""The website explorers' controls and layout, in a real chromium (desktop and a 390 px phone).

A number box beside every slider takes exact values; at depth 10 the sigma' dot labels stay in
their panel; the equation line never breaks inside a number; on a 390 px wide screen the chain
diagram's text stays readable and nothing overlaps or runs off the screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import bookkit
import numpy as np
import pytest
from test_book_explorers import page_with, readouts

from chapter5.chain import Chain, gradients
from chapter5.viz import chain as chain_viz

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def chain_root(page: Any) -> Any:
    root = page.wait_for_selector('div.c5-web-explorer[data-explorer="chain"][data-ready="true"]')
    root.scroll_into_view_if_needed()
    return root


def type_into(page: Any, cls: str, text: str) -> None:
    box = page.locator(f"input.{cls}-box")
    box.fill(text)
    box.press("Enter")


def state_readouts(root: Any) -> tuple[dict[str, str], dict[str, str]]:
    """What the explorer shows, and what chapter5 says for its exact state."""
    st = root.evaluate("r => r.c5.state")
    depth = int(st["depth"])
    chain = Chain(np.array(st["w"][:depth], dtype=float), np.array(st["b"][:depth], dtype=float),
                  float(st["a0"]))
    return readouts(root), chain_viz.readout_strings(gradients(chain))


def test_number_boxes_set_exact_values(open_page: Any) -> None:
    page, seen = open_page(page_with("chain"))
    root = chain_root(page)
    type_into(page, "c5-slider-w2", "0")  # "drive one weight to exactly 0", no luck needed
    assert root.evaluate("r => r.c5.state.w[1]") == 0
    shown, expected = state_readouts(root)
    assert shown == expected and shown["dC_db_1"] == expected["dC_db_1"]
    type_into(page, "c5-slider-b1", "1.2345")  # between slider steps: kept exactly
    assert root.evaluate("r => r.c5.state.b[0]") == 1.2345
    shown, expected = state_readouts(root)
    assert shown == expected
    type_into(page, "c5-slider-w3", "1e9")  # out of range: clamped to the slider's end
    w3 = page.locator("input.c5-slider-w3")
    assert root.evaluate("r => r.c5.state.w[2]") == float(w3.get_attribute("max"))
    assert page.locator("input.c5-slider-w3-box").input_value() == w3.get_attribute("max")
    type_into(page, "c5-slider-depth", "7.6")  # the depth is a whole number
    assert root.evaluate("r => r.c5.state.depth") == 8
    # a slider move shows in its box
    w1 = page.locator("input.c5-slider-w1")
    w1.focus()
    w1.press("ArrowRight")
    assert float(page.locator("input.c5-slider-w1-box").input_value()) == float(w1.input_value())
    # every box has an accessible name
    names = root.evaluate("r => Array.from(r.querySelectorAll('input.c5-number'))"
                          ".map(b => b.getAttribute('aria-label'))")
    assert names and all(n and n.endswith("exact value") for n in names)
    assert seen.problems() == []


EQUATION_NUMBERS_ON_ONE_LINE = r"""r => {
  const eq = r.querySelector('.c5-equation');
  const text = eq.firstChild;
  const bad = [];
  for (const m of eq.textContent.matchAll(/[-+]?\d[\d.]*(e[-+]?\d+)?/g)) {
    const range = document.createRange();
    range.setStart(text, m.index);
    range.setEnd(text, m.index + m[0].length);
    const tops = new Set(Array.from(range.getClientRects()).map((b) => Math.round(b.top)));
    if (tops.size > 1) bad.push(m[0]);
  }
  return {bad, lines: new Set(Array.from((() => { const a = document.createRange();
    a.selectNodeContents(eq); return a.getClientRects(); })()).map((b) => Math.round(b.top))).size};
}"""

LABELS_INSIDE_SIGMA_PANEL = """r => {
  const svg = r.querySelector('svg.c5-sigma-view');
  const box = svg.getBoundingClientRect();
  return Array.from(svg.querySelectorAll('text[font-size="10"]'))
    .filter((t) => t.getAttribute('visibility') === 'visible')
    .map((t) => { const b = t.getBoundingClientRect();
                  return {text: t.textContent,
                          inside: b.top >= box.top - 1 && b.bottom <= box.bottom}; });
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_depth_10_keeps_labels_in_their_panel_and_numbers_whole(browser: Any, base_url: str,
                                                                 width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(base_url + page_with("chain"), wait_until="load")
        root = chain_root(page)
        for preset in ("exploding", "typical", "balanced"):
            page.click(f"button.c5-preset-{preset}")
            type_into(page, "c5-slider-depth", "10")
            labels = root.evaluate(LABELS_INSIDE_SIGMA_PANEL)
            assert labels and all(lab["inside"] for lab in labels), (preset, labels)
            shown = "".join(lab["text"] for lab in labels)
            assert all(str(j) in shown for j in (1, 10)), labels  # every neuron is named
            eq = root.evaluate(EQUATION_NUMBERS_ON_ONE_LINE)
            assert eq["bad"] == [], f"{preset}: numbers broken across lines: {eq['bad']}"
            assert eq["lines"] >= 2  # long enough to wrap: the check has something to check
        root.screenshot(path=str(bookkit.shot_name("explorer-chain", f"-depth10-{width}")))
    finally:
        context.close()


CHAIN_TEXT_LAYOUT = """r => {
  const svg = r.querySelector('svg.c5-chain-view');
  const s = svg.getBoundingClientRect();
  const boxes = Array.from(svg.querySelectorAll('text'))
    .filter((t) => t.getAttribute('visibility') !== 'hidden' && t.textContent.trim())
    .map((t) => { const b = t.getBoundingClientRect();
                  return {text: t.textContent, l: b.left, r: b.right, t: b.top, b: b.bottom,
                          h: b.height}; });
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let k = i + 1; k < boxes.length; k++) {
    const a = boxes[i], c = boxes[k];
    const hit = a.l < c.r - 1 && c.l < a.r - 1 && a.t < c.b - 1 && c.t < a.b - 1;
    if (hit) overlaps.push([a.text, c.text]);
  }
  const fontPx = Math.min(...Array.from(svg.querySelectorAll('text'))
    .filter((t) => t.getAttribute('visibility') !== 'hidden')
    .map((t) => parseFloat(getComputedStyle(t).fontSize) * s.width / svg.viewBox.baseVal.width));
  return {overlaps, fontPx, svgLeft: s.left, svgRight: s.right,
          page: document.documentElement.scrollWidth, count: boxes.length};
}"""


def test_chain_diagram_is_usable_on_a_390_px_phone(phone_page: Any, base_url: str) -> None:
    page = phone_page
    page.goto(base_url + page_with("chain"), wait_until="load")
    root = chain_root(page)
    for preset in ("typical", "exploding", "balanced"):
        page.click(f"button.c5-preset-{preset}")
        for depth in ("4", "10"):
            type_into(page, "c5-slider-depth", depth)
            lay = root.evaluate(CHAIN_TEXT_LAYOUT)
            assert lay["overlaps"] == [], (preset, depth, lay["overlaps"])
            assert lay["fontPx"] >= 11, f"chain text drawn at {lay['fontPx']:.1f} px"
            assert lay["svgLeft"] >= 0 and lay["svgRight"] <= PHONE["width"], lay
            assert lay["page"] <= PHONE["width"], "the page scrolls sideways"
            assert lay["count"] >= 2 * int(depth)  # every w_j and b_j is written
    root.screenshot(path=str(bookkit.shot_name("explorer-chain", "-phone-390")))
