"""A reader opens 03-chain-of-neurons.py in JupyterLab, runs it and plays with the chain explorer.

Whatever the reader does to the w_2 slider (arrow keys, dragging the handle, typing a number into
its readout) and whichever preset they press, the readouts must say exactly what ``chapter5``
computes for the setting the sliders now show, and the picture must change with them. The
exploding preset is the chapter's w = 100 chain, whose every factor w_j sigma'(z_j) is 25.
"""

from __future__ import annotations

from typing import Any

import labkit
import pytest
from explorer_checks import chain_readouts_for, expected_chain_readouts

from chapter5.chain import EXPLORER_A0, balanced_chain, exploding_chain, explorer_typical_chain

NAME = "03-chain-of-neurons.py"
SHOT = "03-chain"


@pytest.fixture(scope="module")
def chain_run(lab_page: Any, lab_server: labkit.LabServer, screenshot: Any) -> dict[str, Any]:
    """The notebook opened from its .py by double-click, run top to bottom, explorer on screen."""
    run = labkit.open_and_run(lab_page, lab_server, NAME, workspace="chain-explorer")
    w2 = labkit.slider(lab_page, "c5-slider-w2")
    w2.scroll_into_view_if_needed()
    lab_page.wait_for_selector(".c5-readout [data-key='factor_1']")
    lab_page.wait_for_selector(labkit.FIGURE, state="attached")
    labkit.settle(lab_page)
    labkit.show(lab_page, ".c5-chain-explorer, .c5-preset-typical")
    screenshot(lab_page, f"{SHOT}-01-after-run-all")
    return run


@pytest.fixture()
def page(chain_run: dict[str, Any], lab_page: Any) -> Any:
    return lab_page


def _check_matches_chapter5(page: Any) -> dict[str, float]:
    values = labkit.slider_values(page)
    shown = labkit.readouts(page)
    expected = expected_chain_readouts(values)
    assert {k: shown.get(k) for k in expected} == expected, f"sliders {values}"
    return values


def test_the_notebook_runs_top_to_bottom_without_error_output(chain_run: dict[str, Any]) -> None:
    assert chain_run["problems"] == []


def test_the_explorer_opens_showing_what_chapter5_computes(page: Any) -> None:
    values = _check_matches_chapter5(page)
    assert values["w2"] is not None
    assert labkit.figure_digest(page)


def test_arrow_keys_on_w2_update_readout_and_picture(page: Any, screenshot: Any) -> None:
    before_values = labkit.slider_values(page)
    before, picture = labkit.readouts(page), labkit.figure_digest(page)
    labkit.press_arrows(page, "c5-slider-w2", "ArrowRight", 5)
    labkit.wait_for_change(page, before, picture)
    values = _check_matches_chapter5(page)
    assert values["w2"] > before_values["w2"]
    assert {k: v for k, v in values.items() if k != "w2"} == {
        k: v for k, v in before_values.items() if k != "w2"
    }
    screenshot(page, f"{SHOT}-02-w2-arrow-keys")


def test_dragging_the_w2_handle_updates_readout_and_picture(page: Any, screenshot: Any) -> None:
    before_values = labkit.slider_values(page)
    before, picture = labkit.readouts(page), labkit.figure_digest(page)
    labkit.drag_handle(page, "c5-slider-w2", -60)
    labkit.wait_for_change(page, before, picture)
    values = _check_matches_chapter5(page)
    assert values["w2"] < before_values["w2"]
    screenshot(page, f"{SHOT}-03-w2-mouse-drag")


def test_typing_into_the_w2_readout_updates_readout_and_picture(
    page: Any, screenshot: Any
) -> None:
    before_values = labkit.slider_values(page)
    before, picture = labkit.readouts(page), labkit.figure_digest(page)
    lo, hi = labkit.slider_range(page, "c5-slider-w2")
    target = 3.25 if lo <= 3.25 <= hi and before_values["w2"] != 3.25 else round((lo + hi) / 2, 1)
    labkit.type_into_readout(page, "c5-slider-w2", f"{target}")
    labkit.wait_for_change(page, before, picture)
    values = _check_matches_chapter5(page)
    assert values["w2"] == target
    screenshot(page, f"{SHOT}-04-w2-typed-{target}")


@pytest.mark.parametrize(
    "preset, chain_for_depth",
    [
        ("exploding", lambda depth: exploding_chain(depth, a0=EXPLORER_A0)),
        ("balanced", lambda depth: balanced_chain(depth, a0=EXPLORER_A0)),
        ("typical", explorer_typical_chain),
    ],
)
def test_each_preset_shows_its_chain(
    page: Any, screenshot: Any, preset: str, chain_for_depth: Any
) -> None:
    from chapter5.chain import gradients

    before, picture = labkit.readouts(page), labkit.figure_digest(page)
    button = page.locator(f".c5-preset-{preset}")
    assert button.count() == 1
    button.click()
    labkit.wait_for_change(page, before, picture)
    values = _check_matches_chapter5(page)
    depth = sum(1 for k in labkit.readouts(page) if k.startswith("factor_"))
    if "depth" in values:
        assert depth == int(values["depth"])
    expected = chain_readouts_for(gradients(chain_for_depth(depth)))
    shown = labkit.readouts(page)
    assert {k: shown.get(k) for k in expected} == expected
    factors = [shown[f"factor_{j}"] for j in range(1, depth + 1)]
    if preset == "exploding":
        assert factors == ["25"] * depth
    if preset == "balanced":
        assert factors == ["1"] * depth
    screenshot(page, f"{SHOT}-05-preset-{preset}")
