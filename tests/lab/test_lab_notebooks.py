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
    "07-deep-network-lab",
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


#: JavaScript: the rendered text of the given markdown cells (each scrolled into view first, as
#: JupyterLab renders only what is near the viewport), and the visible text of glue outputs.
_PROSE_JS = """
async (indices) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const notebook = panel.content;
  const texts = {};
  for (const index of indices) {
    await notebook.scrollToItem(index, 'center');
    const cell = notebook.widgets[index];
    cell.rendered = true;
    await cell.ready;
    for (let i = 0; i < 50 && !cell.node.querySelector('.jp-RenderedMarkdown'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const md = cell.node.querySelector('.jp-RenderedMarkdown');
    texts[index] = md ? md.textContent : null;
  }
  // Every code cell that glued something: its whole output area, as a reader sees it.
  const glueShown = [];
  for (const [index, cell] of notebook.widgets.entries()) {
    if (cell.model.type !== 'code') continue;
    const records = [];
    for (let i = 0; i < cell.model.outputs.length; i++) {
      const o = cell.model.outputs.get(i).toJSON();
      if (o.metadata && o.metadata.scrapbook) records.push(Object.values(o.data).join(' '));
    }
    if (!records.length) continue;
    await notebook.scrollToItem(index, 'center');
    const area = cell.node.querySelector('.jp-OutputArea');
    glueShown.push({cell: index, records, text: area ? area.textContent : ''});
  }
  return {texts, glueShown};
}
"""


def test_numbers_the_prose_states_read_as_plain_numbers_in_jupyterlab(
    page: Any, lab_server: labkit.LabServer, screenshot: Any
) -> None:
    """The prose's glue spans show just the number, and glue() itself shows nothing."""
    import nbformat

    from chapter5.prose import statements

    name = "05-how-common-is-vanishing.ipynb"
    run = labkit.open_and_run(page, lab_server, name, workspace="prose-05")
    assert run["problems"] == []
    stated: dict[int, list[str]] = {}
    for s in statements(nbformat.read(labkit.NOTEBOOKS / name, as_version=4)):
        stated.setdefault(s.cell, []).append(s.text)
    assert len(stated) >= 4
    seen = page.evaluate(_PROSE_JS, sorted(stated))
    screenshot(page, "prose-05-glued-numbers")
    for index, texts in stated.items():
        rendered = seen["texts"][str(index)]
        assert rendered is not None, f"markdown cell {index} did not render"
        assert "data-glue" not in rendered and "{glue" not in rendered, rendered[:300]
        for text in texts:
            assert text in rendered, (index, text, rendered[:300])
    assert seen["glueShown"], "no code cell's glue records reached JupyterLab"
    for cell in seen["glueShown"]:
        shown = cell["text"]
        assert "papermill" not in shown and "renderer" not in shown.lower(), shown[:300]
        assert not any(record in shown for record in cell["records"]), (cell["records"], shown)
