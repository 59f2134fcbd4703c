"""A reader runs 01-deep-circuits.py in JupyterLab and moves the n slider of the parity explorer.

For n inputs the shallow (sum-of-products) parity circuit needs 2^(n-1) + 1 gates plus n NOTs,
the deep XOR tree n - 1 gates at depth ceil(log2 n). After every move the readouts must give
exactly ``chapter5.circuits``' counts for the n the slider shows (and, where the circuits are small
enough to build, the counts of the circuits themselves), and the picture must change.
"""

from __future__ import annotations

from typing import Any

import labkit
import pytest

from chapter5.circuits import (
    SOP_MAX_N,
    parity_sop,
    parity_xor_tree,
    sop_gate_count,
    xor_tree_depth,
    xor_tree_gate_count,
)

NAME = "01-deep-circuits.py"
SHOT = "01-circuits"


@pytest.fixture(scope="module")
def circuits_run(lab_page: Any, lab_server: labkit.LabServer, screenshot: Any) -> dict[str, Any]:
    run = labkit.open_and_run(lab_page, lab_server, NAME, workspace="circuits-explorer")
    labkit.slider(lab_page, "c5-slider-n").scroll_into_view_if_needed()
    lab_page.wait_for_selector(".c5-readout [data-key='xor_depth']")
    lab_page.wait_for_selector(labkit.FIGURE, state="attached")
    labkit.settle(lab_page)
    labkit.show(lab_page, ".c5-slider-n")
    screenshot(lab_page, f"{SHOT}-01-after-run-all")
    return run


@pytest.fixture()
def page(circuits_run: dict[str, Any], lab_page: Any) -> Any:
    return lab_page


def _check_counts(page: Any) -> int:
    n_value = labkit.slider_values(page)["n"]
    n = int(n_value)
    assert n == n_value
    expected = {
        "sop_gates": str(sop_gate_count(n)),
        "xor_gates": str(xor_tree_gate_count(n)),
        "xor_depth": str(xor_tree_depth(n)),
    }
    shown = labkit.readouts(page)
    assert {k: shown.get(k) for k in expected} == expected, f"n = {n}"
    if n <= SOP_MAX_N:  # small enough to build: the counts are the circuits' own
        assert int(shown["sop_gates"]) == parity_sop(n).gate_count()
        tree = parity_xor_tree(n)
        shown_tree = (int(shown["xor_gates"]), int(shown["xor_depth"]))
        assert shown_tree == (tree.gate_count(), tree.depth())
    return n


def test_the_notebook_runs_top_to_bottom_without_error_output(
    circuits_run: dict[str, Any],
) -> None:
    assert circuits_run["problems"] == []


def test_the_explorer_opens_with_the_counts_chapter5_computes(page: Any) -> None:
    _check_counts(page)
    assert labkit.figure_digest(page)


def test_arrow_keys_on_n_update_the_counts(page: Any, screenshot: Any) -> None:
    n_before = int(labkit.slider_values(page)["n"])
    before, picture = labkit.readouts(page), labkit.figure_digest(page)
    key = "ArrowLeft" if n_before > 4 else "ArrowRight"
    labkit.press_arrows(page, "c5-slider-n", key, 3)
    labkit.wait_for_change(page, before, picture)
    n = _check_counts(page)
    assert n == n_before + (-3 if key == "ArrowLeft" else 3)
    screenshot(page, f"{SHOT}-02-n-arrow-keys")


def test_dragging_the_n_handle_updates_the_counts(page: Any, screenshot: Any) -> None:
    n_before = int(labkit.slider_values(page)["n"])
    before, picture = labkit.readouts(page), labkit.figure_digest(page)
    labkit.drag_handle(page, "c5-slider-n", 80 if n_before < 12 else -80)
    labkit.wait_for_change(page, before, picture)
    n = _check_counts(page)
    assert n != n_before
    screenshot(page, f"{SHOT}-03-n-mouse-drag")


@pytest.mark.parametrize("n_text", ["16", "2"])
def test_typing_n_into_the_readout(page: Any, screenshot: Any, n_text: str) -> None:
    if labkit.slider_values(page)["n"] == int(n_text):  # make sure typing changes something
        labkit.press_arrows(page, "c5-slider-n", "ArrowRight", 1)
        labkit.settle(page)
    before, picture = labkit.readouts(page), labkit.figure_digest(page)
    labkit.type_into_readout(page, "c5-slider-n", n_text)
    labkit.wait_for_change(page, before, picture)
    assert _check_counts(page) == int(n_text)
    screenshot(page, f"{SHOT}-04-n-typed-{n_text}")
