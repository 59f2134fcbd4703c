"""The website's explorers work without a kernel, and say what the Python package says.

On the built site in a real chromium: move the w_2 slider of the chain explorer with the keyboard
and with a mouse drag, read every readout, and compare it with chapter5.chain + chapter5.readout
for exactly the setting the sliders show; the picture changes; the exploding preset reads
dC/db_1 / dC/db_4 = 15625 (= 25^3). The same for the prevalence band.
"""

from __future__ import annotations

from typing import Any

import bookkit
import numpy as np
import pytest

from chapter5.chain import EXPLORER_DEFAULT_DEPTH, Chain, explorer_typical_chain, gradients
from chapter5.prevalence import PREVALENCE_DEFAULT_B, PREVALENCE_DEFAULT_W
from chapter5.viz import chain as chain_viz
from chapter5.viz import prevalence as prevalence_viz


def page_with(kind: str) -> str:
    """The site page that embeds the ``kind`` explorer (its markdown cell's raw HTML)."""
    marker = f'data-explorer="{kind}"'
    hits = [p for p in bookkit.toc_pages() if marker in (bookkit.HTML / p).read_text("utf-8")]
    assert hits, f"no page of the book embeds the {kind} explorer"
    return hits[0]


def readouts(root: Any) -> dict[str, str]:
    return root.evaluate(
        "r => Object.fromEntries(Array.from(r.querySelectorAll('[data-key]'))"
        ".map(e => [e.dataset.key, e.textContent]))")


def slider_values(root: Any) -> dict[str, float]:
    return root.evaluate(
        "r => Object.fromEntries(Array.from(r.querySelectorAll('input[type=range]'))"
        ".map(e => [Array.from(e.classList).find(c => c.startsWith('c5-slider-')).slice(10),"
        " Number(e.value)]))")


def chain_expected(values: dict[str, float]) -> dict[str, str]:
    depth = int(values["depth"])
    chain = Chain(np.array([values[f"w{j}"] for j in range(1, depth + 1)]),
                  np.array([values[f"b{j}"] for j in range(1, depth + 1)]), values["a0"])
    return chain_viz.readout_strings(gradients(chain))


def picture(root: Any) -> bytes:
    return root.query_selector(".c5-figs").screenshot()


def drag(page: Any, slider: Any, fraction: float) -> None:
    """Press the mouse on the slider's thumb and drag it to ``fraction`` of the track."""
    box = slider.bounding_box()
    lo, hi, v = (float(slider.get_attribute(k)) for k in ("min", "max", "value"))
    thumb = 8.0  # half the thumb width of chromium's range input
    track = box["width"] - 2 * thumb
    x0 = box["x"] + thumb + (v - lo) / (hi - lo) * track
    x1 = box["x"] + thumb + fraction * track
    y = box["y"] + box["height"] / 2
    page.mouse.move(x0, y)
    page.mouse.down()
    for k in range(1, 11):
        page.mouse.move(x0 + (x1 - x0) * k / 10, y)
    page.mouse.up()


def open_explorer(open_page: Any, kind: str) -> tuple[Any, Any, Any]:
    path = page_with(kind)
    page, seen = open_page(path)
    root = page.wait_for_selector(f'div.c5-web-explorer[data-explorer="{kind}"][data-ready="true"]')
    root.scroll_into_view_if_needed()
    return page, seen, root


def shot(root: Any, kind: str, step: str) -> None:
    root.screenshot(path=str(bookkit.shot_name(f"explorer-{kind}", f"-{step}")))


def test_chain_explorer_without_a_kernel(open_page: Any) -> None:
    page, seen, root = open_explorer(open_page, "chain")

    # Opens at the notebook's defaults: the typical N(0,1) start, depth 4, a0 = 1.
    values = slider_values(root)
    start = explorer_typical_chain(EXPLORER_DEFAULT_DEPTH)
    assert values["depth"] == EXPLORER_DEFAULT_DEPTH and values["a0"] == start.a0
    assert [values[f"w{j}"] for j in range(1, 5)] == start.w.tolist()
    assert readouts(root) == chain_viz.readout_strings(gradients(start))
    shot(root, "chain", "0-default")

    # Keyboard: 25 steps of 0.01 to the right on w_2.
    before = picture(root)
    w2 = root.query_selector("input.c5-slider-w2")
    w2.focus()
    for _ in range(25):
        page.keyboard.press("ArrowRight")
    values = slider_values(root)
    assert values["w2"] == pytest.approx(start.w[1] + 0.25, abs=1e-9)
    assert readouts(root) == chain_expected(values)
    after_keys = picture(root)
    assert after_keys != before
    shot(root, "chain", "1-keyboard-w2")

    # Mouse: drag the w_2 thumb to 80 % of its track (w_2 near +60).
    drag(page, w2, 0.8)
    values = slider_values(root)
    assert values["w2"] > 40
    assert readouts(root) == chain_expected(values)
    assert picture(root) != after_keys
    shot(root, "chain", "2-drag-w2")

    # The chapter's exploding chain: every factor 25, dC/db_1 = 25^3 dC/db_4.
    root.query_selector("button.c5-preset-exploding").click()
    r = readouts(root)
    assert r["ratio_1_L"] == "15625"
    assert r["dC_db_1"] == "3906.25"
    assert r == chain_expected(slider_values(root))
    shot(root, "chain", "3-exploding")

    # Depth 10 and extreme settings stay finite and equal to Python.
    depth = root.query_selector("input.c5-slider-depth")
    depth.focus()
    page.keyboard.press("End")
    assert slider_values(root)["depth"] == 10
    assert readouts(root) == chain_expected(slider_values(root))
    for cls, key in (("w1", "End"), ("b1", "Home"), ("w7", "Home"), ("b9", "End")):
        root.query_selector(f"input.c5-slider-{cls}").focus()
        page.keyboard.press(key)
    r = readouts(root)
    assert r == chain_expected(slider_values(root))
    assert not any(t in v for v in r.values() for t in ("NaN", "Infinity", "inf"))
    shot(root, "chain", "4-depth10-extreme")

    # Back to the typical start, then the balanced chain: every factor 1.
    root.query_selector("button.c5-preset-balanced").click()
    r = readouts(root)
    assert all(r[f"factor_{j}"] == "1" for j in range(1, 11))
    assert r["ratio_1_L"] == "1"
    shot(root, "chain", "5-balanced")
    assert seen.problems() == []


def test_chain_explorer_in_dark_mode(open_page: Any) -> None:
    page, seen, root = open_explorer(open_page, "chain")
    page.emulate_media(color_scheme="dark")
    # the theme switches on the media change; under load that can take longer than a fixed wait
    page.wait_for_function("document.documentElement.dataset.theme === 'dark'", timeout=10_000)
    page.wait_for_timeout(200)
    colour = root.evaluate("r => getComputedStyle(r.querySelector('svg text')).fill")
    assert colour.startswith("rgb(") and sum(int(v) for v in colour[4:-1].split(",")) / 3 > 150
    shot(root, "chain", "dark")
    assert seen.problems() == []


def test_prevalence_band_without_a_kernel(open_page: Any) -> None:
    page, seen, root = open_explorer(open_page, "prevalence")
    values = slider_values(root)
    assert (values["w"], values["b"]) == (PREVALENCE_DEFAULT_W, PREVALENCE_DEFAULT_B)
    assert readouts(root) == prevalence_viz.readout_strings(values["w"], values["b"])
    shot(root, "prevalence", "0-default")

    before = picture(root)
    w = root.query_selector("input.c5-slider-w")
    w.focus()
    for _ in range(60):
        page.keyboard.press("ArrowRight")
    values = slider_values(root)
    assert values["w"] == pytest.approx(PREVALENCE_DEFAULT_W + 0.6, abs=1e-9)
    assert readouts(root) == prevalence_viz.readout_strings(values["w"], values["b"])
    after_keys = picture(root)
    assert after_keys != before
    shot(root, "prevalence", "1-keyboard-w")

    # Drag w to the middle of its track (|w| < 4): the band is empty.
    drag(page, w, 0.5)
    values = slider_values(root)
    assert abs(values["w"]) < 4
    r = readouts(root)
    assert r == prevalence_viz.readout_strings(values["w"], values["b"])
    assert r["band_lo"] == "none" and r["band_width"] == "0"
    assert picture(root) != after_keys
    shot(root, "prevalence", "2-drag-w-empty")

    # w = 100 (End), b moved with the keyboard: a narrow band, still equal to Python.
    w.focus()
    page.keyboard.press("End")
    root.query_selector("input.c5-slider-b").focus()
    for _ in range(30):
        page.keyboard.press("ArrowLeft")
    values = slider_values(root)
    assert values["w"] == 100.0
    assert readouts(root) == prevalence_viz.readout_strings(values["w"], values["b"])
    shot(root, "prevalence", "3-w100")
    assert seen.problems() == []
