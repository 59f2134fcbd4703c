"""Every notebook of the book opens in JupyterLab and runs top to bottom with no error output.

A reader double-clicks a notebook in the file browser, chooses Run > Run All Cells and waits: no
cell may end in a traceback, write to stderr (warnings included), or fail to display a widget.
The paired ``.py`` sources must open as notebooks on a double-click too (not in the text editor).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import labkit
import pytest

CONTRACT_NAMES = (
    "01-deep-circuits",
    "02-vanishing-gradients",
    "03-chain-of-neurons",
    "04-exploding-gradients",
    "05-how-common-is-vanishing",
    "06-many-neurons-other-obstacles",
)
FOUND = sorted(p.name for p in labkit.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
#: Seconds for Run All; 02 trains networks on MNIST (minutes the first time, cached after).
RUN_TIMEOUT = {"02-vanishing-gradients.ipynb": 2400.0}
DEFAULT_RUN_TIMEOUT = 300.0
OVERRIDES = Path(sys.prefix) / "share/jupyter/lab/settings/overrides.d"


@pytest.fixture()
def page(browser: Any, lab_server: labkit.LabServer) -> Iterator[Any]:
    with labkit.fresh_page(browser, lab_server) as page:
        yield page


def test_every_notebook_named_in_the_contract_is_there() -> None:
    assert sorted(FOUND) == sorted(f"{name}.ipynb" for name in CONTRACT_NAMES)
    for name in CONTRACT_NAMES:
        assert (labkit.NOTEBOOKS / f"{name}.py").exists(), f"{name}.py (the source) is missing"


def test_a_py_source_opens_as_a_notebook_on_double_click(
    page: Any, lab_server: labkit.LabServer, screenshot: Any
) -> None:
    name = "03-chain-of-neurons.py"
    labkit.open_lab(page, lab_server, "double-click-py")
    labkit.double_click_file(page, name)
    page.wait_for_function(
        "(n) => window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.title.label === n",
        arg=name,
    )
    page.wait_for_timeout(1000)
    screenshot(page, "00-double-click-py-opens-notebook")
    factory = page.evaluate(
        "(n) => window.jupyterapp.docRegistry.defaultWidgetFactory(n).name", name
    )
    state = labkit.notebook_state(page)
    assert state["notebook"], (
        f"{name} opened in the {factory!r} viewer, not as a notebook. JupyterLab reads the "
        f"default viewer for Python files from {OVERRIDES}/chapter5.json (installed by "
        "`make venv`; see the Makefile)"
    )
    assert factory == "Jupytext Notebook"
    cells = page.locator(".jp-NotebookPanel:visible .jp-Cell")
    assert cells.count() > 3


@pytest.mark.parametrize("name", FOUND)
def test_the_notebook_runs_in_the_browser_without_error_output(
    page: Any, lab_server: labkit.LabServer, screenshot: Any, name: str
) -> None:
    run = labkit.open_and_run(
        page, lab_server, name, workspace=f"run-{name[:2]}",
        timeout=RUN_TIMEOUT.get(name, DEFAULT_RUN_TIMEOUT),
    )
    print(f"{name}: Run All took {run['seconds']:.1f} s")
    screenshot(page, f"run-all-{name.removesuffix('.ipynb')}")
    assert run["problems"] == [], f"{name}: {run['problems']}"
    assert run["state"]["done"] == run["state"]["code"] > 0
