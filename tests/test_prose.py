"""Numbers the prose states are the numbers the code computed (chapter5.prose, glue).

A markdown cell states a computed number in ``<span data-glue="key:fmt">text</span>``; a code cell
stores the value with ``glue``. These tests hold the committed notebooks to that promise and check
each link of the chain: myst-nb reads our glue records, formats them as we do, the execute script
refreshes stale text, and the book build refuses a notebook whose prose disagrees.
"""

from __future__ import annotations

import copy
import math
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chapter5 import prose
from chapter5.prose import (
    GLUE_MIME,
    ProseError,
    format_glued,
    glue,
    glued_values,
    refresh_prose,
    stale_statements,
    statements,
    to_glue_roles,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


def _captured_glue(monkeypatch: pytest.MonkeyPatch, name: str, value: Any) -> nbformat.NotebookNode:
    """Call glue() and return the output it displays, as the kernel would store it."""
    import IPython.display

    calls = []
    monkeypatch.setattr(IPython.display, "display",
                        lambda data, raw, metadata: calls.append((data, raw, metadata)))
    glue(name, value)
    (data, raw, metadata), = calls
    assert raw is True
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata)


def _notebook(markdown: list[str], glued: dict[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    outputs = [nbformat.v4.new_output(
        "display_data", data={GLUE_MIME: text},
        metadata={"scrapbook": {"name": key, "mime_prefix": prose.GLUE_PREFIX}})
        for key, text in glued.items()]
    code = nbformat.v4.new_code_cell("...", outputs=outputs, execution_count=1)
    nb.cells = [code] + [nbformat.v4.new_markdown_cell(m) for m in markdown]
    return nb


# ------------------------------------------------------------------------------------------------
# The committed notebooks


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_number_the_prose_states_equals_the_value_the_notebook_computed(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert stale_statements(nb) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_glued_value_is_stated_in_the_prose(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    stated = {s.key for s in statements(nb)}
    assert sorted(set(glued_values(nb)) - stated) == []


def test_the_prevalence_notebook_states_its_computed_numbers_through_glue() -> None:
    nb = nbformat.read(ROOT / "notebooks" / "05-how-common-is-vanishing.ipynb", as_version=4)
    values = glued_values(nb)
    assert format_glued(values["band_max_width"], ".3f") == "0.448"
    assert format_glued(values["band_max_w"], ".2f") == "6.89"
    assert {"band_max_width", "width_bound_10", "width_bound_100"} <= {
        s.key for s in statements(nb)}


def test_a_tampered_number_in_the_prose_is_reported_with_what_to_do() -> None:
    nb = nbformat.read(ROOT / "notebooks" / "05-how-common-is-vanishing.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and ">0.448</span>" in cell.source:
            cell.source = cell.source.replace(">0.448</span>", ">0.449</span>")
            break
    else:
        pytest.fail("notebook 05 no longer states the band's maximum width as 0.448")
    (message,) = stale_statements(nb)
    assert "band_max_width" in message and "'0.449'" in message and "'0.448'" in message
    assert "re-execute" in message


# ------------------------------------------------------------------------------------------------
# glue writes what myst-nb reads


def test_glue_writes_a_record_that_myst_nb_reads_and_nothing_a_front_end_displays(
        monkeypatch: pytest.MonkeyPatch) -> None:
    glue_ext = pytest.importorskip("myst_nb.ext.glue")
    output = _captured_glue(monkeypatch, "band_max_width", np.float64(0.44766))
    assert all(mime.startswith(prose.GLUE_PREFIX) for mime in output["data"])
    cell = nbformat.v4.new_code_cell("glue(...)", outputs=[output])
    ((key, data),) = glue_ext.extract_glue_data_cell(cell)
    assert key == "band_max_width"
    assert data["data"]["text/plain"] == "0.44766"
    assert cell.outputs == []  # myst-nb takes glue records out of the page's outputs


def test_glue_stores_python_numbers_rounded_to_12_significant_digits(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert _captured_glue(monkeypatch, "k", np.int64(15625))["data"][GLUE_MIME] == "15625"
    assert _captured_glue(monkeypatch, "k", np.float32(0.25))["data"][GLUE_MIME] == "0.25"
    assert _captured_glue(monkeypatch, "k", 1 / 3)["data"][GLUE_MIME] == "0.333333333333"
    assert _captured_glue(monkeypatch, "k", 3.9e300)["data"][GLUE_MIME] == "3.9e+300"
    assert _captured_glue(monkeypatch, "k", "25^3")["data"][GLUE_MIME] == "'25^3'"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, np.float64("nan")])
def test_glue_refuses_a_number_no_sentence_should_state(value: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        glue("k", value)


@pytest.mark.parametrize("value", [None, [1, 2], np.array([1.0, 2.0]), True])
def test_glue_refuses_what_is_not_a_number_or_a_string(value: Any) -> None:
    with pytest.raises(TypeError, match="numbers and strings"):
        glue("k", value)


@pytest.mark.parametrize("name", ["", "1st", "band width", "a:b", "x`y", 3])
def test_glue_refuses_a_key_the_prose_could_not_name(name: Any) -> None:
    with pytest.raises(ValueError, match="not a valid key"):
        glue(name, 1.0)


# ------------------------------------------------------------------------------------------------
# Our formatting is myst-nb's


FORMATS = ["", ".0f", ".2f", ".3f", ".4f", ".1e", ".2e", ".3g", ".0%", ".1%", ",.0f", "d", ",d"]


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300),
    st.integers(min_value=-10**12, max_value=10**12)),
    fmt=st.sampled_from(FORMATS))
def test_format_glued_agrees_with_myst_nb(value: float | int, fmt: str) -> None:
    variables = pytest.importorskip("myst_nb.core.variables")
    if fmt in ("d", ",d") and not isinstance(value, int):
        value = int(value)
    text = repr(value)
    assert format_glued(text, fmt) == variables.format_plain_text(text, fmt)


# ------------------------------------------------------------------------------------------------
# The execute script refreshes stale prose; the book build refuses it


def test_refresh_prose_rewrites_stale_text_and_counts_the_changes() -> None:
    nb = _notebook(['Width <span data-glue="w:.2f">0.40</span>, max '
                    '<span data-glue="m">9</span> and <span data-glue="w:.0%">44%</span>.'],
                   {"w": "0.4407", "m": "7"})
    assert refresh_prose(nb) == 2
    assert nb.cells[1].source == ('Width <span data-glue="w:.2f">0.44</span>, max '
                                  '<span data-glue="m">7</span> and '
                                  '<span data-glue="w:.0%">44%</span>.')
    assert refresh_prose(nb) == 0
    assert stale_statements(nb) == []


def test_a_span_without_its_glue_is_an_error_that_names_the_fix() -> None:
    nb = _notebook(['See <span data-glue="missing:.2f">1.00</span>.'], {})
    with pytest.raises(ProseError, match=r"add glue\('missing', value\)"):
        refresh_prose(nb)
    assert "no code cell glues it" in stale_statements(nb)[0]


def test_a_key_glued_twice_is_an_error() -> None:
    nb = _notebook([], {"k": "1"})
    nb.cells.append(copy.deepcopy(nb.cells[0]))
    with pytest.raises(ProseError, match="stored twice"):
        glued_values(nb)


def test_a_format_that_does_not_fit_the_value_is_reported() -> None:
    nb = _notebook(['<span data-glue="s:.2f">x</span>'], {"s": "'twenty-five'"})
    (message,) = stale_statements(nb)
    assert "cannot format 's'" in message


def test_to_glue_roles_turns_spans_into_myst_nb_roles_and_leaves_the_rest() -> None:
    md = ('peaks at <span data-glue="band_max_width:.3f">0.448</span> near $|w| =$ '
          '<span data-glue="band_max_w">6.894</span>; <span class="other">x</span>')
    assert to_glue_roles(md) == ("peaks at {glue:text}`band_max_width:.3f` near $|w| =$ "
                                 "{glue:text}`band_max_w`; <span class=\"other\">x</span>")


def _sphinx_glue() -> Any:
    pytest.importorskip("sphinx")
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import sphinx_glue
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return sphinx_glue


def _fake_app(path: str) -> Any:
    return SimpleNamespace(env=SimpleNamespace(doc2path=lambda docname: path))


def test_the_book_build_pastes_glue_roles_into_the_notebooks_prose() -> None:
    sphinx_glue = _sphinx_glue()
    nb = _notebook(['Max <span data-glue="m:.2f">0.45</span>.'], {"m": "0.4477"})
    source = [nbformat.writes(nb)]
    sphinx_glue._paste_glue(_fake_app("notebooks/x.ipynb"), "notebooks/x", source)
    assert nbformat.reads(source[0], as_version=4).cells[1].source == "Max {glue:text}`m:.2f`."


def test_the_book_build_stops_on_a_notebook_whose_prose_is_stale() -> None:
    sphinx_glue = _sphinx_glue()
    from sphinx.errors import ExtensionError

    nb = _notebook(['Max <span data-glue="m:.2f">0.40</span>.'], {"m": "0.4477"})
    with pytest.raises(ExtensionError, match=r"(?s)x\.ipynb.*'0\.40'.*'0\.45'"):
        sphinx_glue._paste_glue(_fake_app("notebooks/x.ipynb"), "notebooks/x",
                                [nbformat.writes(nb)])


def test_the_book_build_leaves_markdown_pages_alone() -> None:
    sphinx_glue = _sphinx_glue()
    source = ['A page with <span data-glue="m">1</span> in it.']
    sphinx_glue._paste_glue(_fake_app("intro.md"), "intro", source)
    assert source == ['A page with <span data-glue="m">1</span> in it.']


def test_refresh_prose_reports_a_format_that_does_not_fit_as_a_prose_error() -> None:
    nb = _notebook(['<span data-glue="s:.2f">x</span>'], {"s": "'twenty-five'"})
    with pytest.raises(ProseError, match="cannot format 's'"):
        refresh_prose(nb)


def test_the_book_build_names_a_key_glued_twice() -> None:
    sphinx_glue = _sphinx_glue()
    from sphinx.errors import ExtensionError

    nb = _notebook(['<span data-glue="k">1</span>'], {"k": "1"})
    twin = copy.deepcopy(nb.cells[0])
    twin.id = "twin"
    nb.cells.insert(1, twin)
    with pytest.raises(ExtensionError, match="stored twice"):
        sphinx_glue._paste_glue(_fake_app("notebooks/x.ipynb"), "notebooks/x",
                                [nbformat.writes(nb)])
