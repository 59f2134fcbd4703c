"""On the website no part of an exercise's answer is visible until the reader opens it.

Solution code cells (tag ``hide-cell``, see tests/test_solution_cells.py) sit in a closed toggle
with their outputs; solution prose sits in closed ``<details>`` blocks. Checked in a real browser:
what is laid out on the page, not what the HTML says.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import bookkit
import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_solution_cells import (  # type: ignore[import-not-found]  # noqa: E402
    exercise_cells,
    is_check_cell,
)

NOTEBOOK_PAGES = [p for p in bookkit.toc_pages() if p.startswith("notebooks/")]

SOLUTION_STATE = """() => {
  const seen = (el) => el.checkVisibility ? el.checkVisibility()
                                           : el.getBoundingClientRect().height > 0;
  const cells = Array.from(document.querySelectorAll('.bd-article .cell.tag_hide-cell'));
  return {
    cells: cells.map((cell) => ({
      toggle: !!cell.querySelector(':scope > details:not([open]) > summary'),
      visibleInput: Array.from(cell.querySelectorAll('.cell_input')).filter(seen).length,
      outputs: cell.querySelectorAll('.cell_output').length,
      visibleOutputs: Array.from(cell.querySelectorAll('.cell_output')).filter(seen).length,
    })),
    openDetails: document.querySelectorAll('.bd-article details[open]').length,
    proseDetails: Array.from(document.querySelectorAll('.bd-article details:not(.hide)'))
      .map((d) => Array.from(d.children).filter((c) => c.tagName !== 'SUMMARY')
                   .filter(seen).length),
  };
}"""


def solution_cell_count(page: str) -> int:
    nb = nbformat.read(bookkit.REPO / page.replace(".html", ".ipynb"), as_version=4)
    return sum(1 for c in exercise_cells(nb) if c.cell_type == "code" and not is_check_cell(c))


@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_no_answer_is_visible_until_its_toggle_opens(open_page: Any, path: str) -> None:
    page, seen = open_page(path)
    bookkit.settle(page)
    state = page.evaluate(SOLUTION_STATE)
    cells = state["cells"]
    assert len(cells) == solution_cell_count(path) > 0
    assert all(c["toggle"] for c in cells), "a solution cell is not inside a closed toggle"
    assert [c["visibleInput"] for c in cells] == [0] * len(cells)
    assert [c["visibleOutputs"] for c in cells] == [0] * len(cells)
    assert state["openDetails"] == 0
    assert state["proseDetails"] and all(n == 0 for n in state["proseDetails"])

    # the toggle works: opening the first solution shows its code and its output
    with_output = next(i for i, c in enumerate(cells) if c["outputs"])
    page.locator(".bd-article .cell.tag_hide-cell > details > summary").nth(with_output).click()
    opened = page.evaluate(SOLUTION_STATE)["cells"][with_output]
    assert opened["visibleInput"] == 1 and opened["visibleOutputs"] == opened["outputs"] > 0
    assert seen.problems() == []
