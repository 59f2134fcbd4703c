"""Exercise answers stay hidden until the reader opens them, on the website and in JupyterLab.

The convention (notebooks/*.py, jupytext percent headers):

* a worked solution in prose sits in a closed ``<details><summary>...</summary> ... </details>``
  block of the exercise's markdown cell;
* a solution *code* cell has the header
  ``# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}``:
  the website folds input and output into one closed toggle (``hide-cell``), JupyterLab shows the
  cell with input and output collapsed;
* a check cell (``remove-input``, first line ``# Check: ...``) may sit among them: it prints
  nothing, so it gives nothing away.

Every code cell after a notebook's "## Exercises" (or "## Problems") heading is a solution or a
check cell; this file holds every notebook to that.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
SECTION_START = re.compile(r"^#{2}\s+(Exercises|Problems)\b", re.MULTILINE)
OTHER_SECTION = re.compile(r"^#{1,2}\s+\S", re.MULTILINE)
DETAILS_OPEN = re.compile(r"<details\b[^>]*>", re.IGNORECASE)


def exercise_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The cells of the notebook's exercise sections, in order (headings included)."""
    inside, cells = False, []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if SECTION_START.search(cell.source):
                inside = True
            elif OTHER_SECTION.search(cell.source):
                inside = False
        if inside:
            cells.append(cell)
    return cells


def is_check_cell(cell: nbformat.NotebookNode) -> bool:
    return ("remove-input" in cell.metadata.get("tags", [])
            and cell.source.lstrip().startswith("# Check:"))


def solution_problems(cell: nbformat.NotebookNode) -> list[str]:
    """What is wrong with one cell of an exercise section ([] when it keeps the answer hidden)."""
    if cell.cell_type == "markdown":
        problems = []
        opens = DETAILS_OPEN.findall(cell.source)
        if any(re.search(r"\bopen\b", tag, re.IGNORECASE) for tag in opens):
            problems.append("a solution <details> block is open by default; remove `open`")
        if len(opens) != cell.source.lower().count("</details>"):
            problems.append("a <details> block is not closed with </details>")
        return problems
    if cell.cell_type != "code" or is_check_cell(cell):
        return []
    tags = cell.metadata.get("tags", [])
    jupyter = cell.metadata.get("jupyter", {})
    problems = []
    if "hide-cell" not in tags:
        problems.append('the website shows it: tag it "hide-cell" (input and output in one '
                        "closed toggle)")
    for tag in ("hide-input", "hide-output", "remove-input", "remove-output", "remove-cell"):
        if tag in tags:
            problems.append(f'tag "{tag}" beside "hide-cell": drop it')
    for key in ("source_hidden", "outputs_hidden"):
        if jupyter.get(key) is not True:
            problems.append(f"JupyterLab shows it: set jupyter={{\"{key}\": true}}")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_solution_cell_keeps_its_answer_hidden(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    cells = exercise_cells(nb)
    code = [c for c in cells if c.cell_type == "code" and not is_check_cell(c)]
    assert code, f"{path.name}: no solution code cells found after an '## Exercises' heading"
    assert any(DETAILS_OPEN.search(c.source) for c in cells if c.cell_type == "markdown"), (
        f"{path.name}: no <details> solution block in its exercise section")
    bad = [f"cell {nb.cells.index(c)} ({c.source.splitlines()[0][:50]!r}): {p}"
           for c in cells for p in solution_problems(c)]
    assert not bad, f"{path.name}:\n  " + "\n  ".join(bad)


def _code(source: str, tags: list[str], **jupyter: bool) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = tags
    if jupyter:
        cell.metadata["jupyter"] = jupyter
    return cell


def test_the_check_catches_answers_left_in_view() -> None:
    hidden = _code("x = 1", ["hide-cell"], source_hidden=True, outputs_hidden=True)
    assert solution_problems(hidden) == []
    # what the notebooks had before: input hidden on the website, output and JupyterLab open
    assert len(solution_problems(_code("x = 1", ["hide-input"]))) == 4
    assert len(solution_problems(_code("x = 1", ["hide-cell"], source_hidden=True))) == 1
    assert solution_problems(_code("# Check: sums\nassert 1", ["remove-input"],
                                   source_hidden=True)) == []
    opened = nbformat.v4.new_markdown_cell("<details open><summary>S</summary>x</details>")
    assert solution_problems(opened)
    unclosed = nbformat.v4.new_markdown_cell("<details><summary>S</summary>x")
    assert solution_problems(unclosed)


def test_exercise_sections_end_at_the_next_heading() -> None:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("before"),
        nbformat.v4.new_markdown_cell("## Exercises\n\n**Exercise 1.**"),
        nbformat.v4.new_code_cell("solution"),
        nbformat.v4.new_markdown_cell("## What comes next"),
        nbformat.v4.new_code_cell("after"),
    ])
    assert [c.source for c in exercise_cells(nb) if c.cell_type == "code"] == ["solution"]
