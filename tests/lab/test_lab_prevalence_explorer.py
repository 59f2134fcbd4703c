"""A reader runs 05-how-common-is-vanishing.py in JupyterLab and moves the band explorer's w and b.

The band of inputs a where |w sigma'(w a + b)| >= 1 is what eq. (123) bounds: after every move the
readouts must give exactly the band ``chapter5.prevalence`` computes for the w and b the sliders
show, the picture must change with them, and below |w| = 4 the band must be empty.
"""

from __future__ import annotations

from typing import Any

import labkit
import pytest
from explorer_checks import expected_band_readouts

NAME = "05-how-common-is-vanishing.py"
SHOT = "05-band"


@pytest.fixture(scope="module")
def band_run(lab_page: Any, lab_server: labkit.LabServer, screenshot: Any) -> dict[str, Any]:
    run = labkit.open_and_run(lab_page, lab_server, NAME, workspace="band-explorer")
    labkit.slider(lab_page, "c5-slider-w").scroll_into_view_if_needed()
    lab_page.wait_for_selector(".c5-readout [data-key='band_width']")
    lab_page.wait_for_selector(labkit.FIGURE, state="attached")
    labkit.settle(lab_page)
    labkit.show(lab_page, ".c5-slider-w")
    screenshot(lab_page, f"{SHOT}-01-after-run-all")
    return run


@pytest.fixture()
def page(band_run: dict[str, Any], lab_page: Any) -> Any:
    return lab_page


def _check_matches_chapter5(page: Any) -> dict[str, float]:
    values = labkit.slider_values(page)
    shown = labkit.readouts(page)
    expected = expected_band_readouts(values)
    assert {k: shown.get(k) for k in expected} == expected, f"sliders {values}"
    return values


def test_the_notebook_runs_top_to_bottom_without_error_output(band_run: dict[str, Any]) -> None:
    assert band_run["problems"] == []


def test_the_explorer_opens_showing_the_band_chapter5_computes(page: Any) -> None:
    values = _check_matches_chapter5(page)
    assert set(values) >= {"w", "b"}
    assert labkit.figure_digest(page)


def test_arrow_keys_on_w_move_the_band(page: Any, screenshot: Any) -> None:
    before_values = labkit.slider_values(page)
    before, picture = labkit.readouts(page), labkit.figure_digest(page)
    labkit.press_arrows(page, "c5-slider-w", "ArrowRight", 5)
    labkit.wait_for_change(page, before, picture)
    values = _check_matches_chapter5(page)
    assert values["w"] > before_values["w"] and values["b"] == before_values["b"]
    screenshot(page, f"{SHOT}-02-w-arrow-keys")


def test_arrow_keys_on_b_shift_the_band_but_not_its_width(page: Any, screenshot: Any) -> None:
    before_values = labkit.slider_values(page)
    before, picture = labkit.readouts(page), labkit.figure_digest(page)
    labkit.press_arrows(page, "c5-slider-b", "ArrowLeft", 5)
    labkit.wait_for_change(page, before, picture)
    values = _check_matches_chapter5(page)
    assert values["b"] < before_values["b"] and values["w"] == before_values["w"]
    assert labkit.readouts(page)["width_bound"] == before["width_bound"]
    screenshot(page, f"{SHOT}-03-b-arrow-keys")


def test_dragging_the_w_handle_moves_the_band(page: Any, screenshot: Any) -> None:
    before_values = labkit.slider_values(page)
    before, picture = labkit.readouts(page), labkit.figure_digest(page)
    labkit.drag_handle(page, "c5-slider-w", 40)
    labkit.wait_for_change(page, before, picture)
    values = _check_matches_chapter5(page)
    assert values["w"] > before_values["w"]
    screenshot(page, f"{SHOT}-04-w-mouse-drag")


@pytest.mark.parametrize("w_text", ["6.9", "3"])
def test_typing_w_into_the_readout(page: Any, screenshot: Any, w_text: str) -> None:
    before, picture = labkit.readouts(page), labkit.figure_digest(page)
    labkit.type_into_readout(page, "c5-slider-w", w_text)
    labkit.wait_for_change(page, before, picture)
    values = _check_matches_chapter5(page)
    assert values["w"] == float(w_text)
    shown = labkit.readouts(page)
    if float(w_text) < 4:  # |w| sigma' <= |w|/4 < 1: no input keeps the gradient alive
        assert shown["band_lo"] == shown["band_hi"] == "none" and shown["band_width"] == "0"
    else:
        assert float(shown["band_width"]) > 0
    screenshot(page, f"{SHOT}-05-w-typed-{w_text}")
