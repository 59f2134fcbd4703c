"""Numbers the prose states, glued to the code cells that compute them.

A markdown cell states a computed number inside a marked span::

    the band is never wider than <span data-glue="band_max_width:.3f">0.448</span>

``band_max_width`` is a *glue key* and ``.3f`` an optional Python format spec. A code cell above
computes the value and stores it with :func:`glue`, which writes myst-nb's glue record (an output
that JupyterLab does not display). Three places keep the stated text and the computed value equal:

* in JupyterLab the span shows its text, the value as the notebook last computed it;
* ``scripts/execute_notebooks.py`` rewrites every span's text from the fresh outputs
  (:func:`refresh_prose`), so re-running a notebook updates its prose;
* the website's build turns every span into myst-nb's ``{glue:text}`` role (:func:`to_glue_roles`),
  so the page pastes the value from the notebook's stored outputs, and it stops with an error if
  a span's text disagrees with that value (:func:`stale_statements`); a test checks the committed
  notebooks the same way.

This module imports IPython only inside :func:`glue`, so the build and the tests can use the rest
without a kernel.
"""

from __future__ import annotations

import math
import re
from ast import literal_eval
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from numbers import Integral, Real
from typing import Any

#: myst-nb's glue protocol: a display_data output whose mime types carry this prefix (so no
#: front end renders it) and whose metadata names the key.
GLUE_PREFIX = "application/papermill.record/"
GLUE_MIME = GLUE_PREFIX + "text/plain"

KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
#: A stated number: <span data-glue="key">text</span> or <span data-glue="key:fmt">text</span>.
SPAN = re.compile(
    r'<span data-glue="(?P<key>' + KEY + r')(?::(?P<fmt>[^"<>]*))?">(?P<text>[^<]*)</span>'
)
_KEY_RE = re.compile(KEY + r"\Z")


class ProseError(ValueError):
    """The prose and the computed values of a notebook do not fit together.

    Introduced in notebook 05-how-common-is-vanishing (see the module docstring).
    """


@dataclass(frozen=True)
class Statement:
    """One number stated in a markdown cell: where, which key, in which format, as what text.

    Introduced in notebook 05-how-common-is-vanishing (see the module docstring).
    """

    cell: int
    key: str
    fmt: str
    text: str


def glue(name: str, value: float | int | str) -> None:
    """Store ``value`` under ``name`` for the prose of the notebook.

    Introduced in notebook 05-how-common-is-vanishing.

    Writes myst-nb's glue record: no visible output in JupyterLab, a value the website pastes
    with ``{glue:text}``, and a number nbval compares on every test run. The value is stored as
    its Python ``repr``, floats rounded to 12 significant digits; numpy scalars are turned into
    Python numbers first.

    Parameters
    ----------
    name : str
        The glue key, letters, digits, ``_`` and ``-``, starting with a letter or ``_``.
    value : float, int or str
        A finite number or a string.
    """
    if not isinstance(name, str) or not _KEY_RE.match(name):
        raise ValueError(
            f"glue name {name!r} is not a valid key: use letters, digits, '_' and '-', "
            "starting with a letter, e.g. 'band_max_width'"
        )
    value = _plain(value)
    from IPython.display import display

    display({GLUE_MIME: repr(value)}, raw=True,
            metadata={"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}})


def _plain(value: Any) -> float | int | str:
    if hasattr(value, "item") and getattr(value, "shape", None) == ():
        value = value.item()  # numpy scalar or 0-d array
    if isinstance(value, bool) or not isinstance(value, str | Integral | Real):
        raise TypeError(
            f"glue stores numbers and strings as value, not {type(value).__name__}; "
            "pass e.g. float(x)"
        )
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"cannot state value {value} in the prose: glue finite numbers only")
        # 12 significant digits: far more than any sentence states, and the same stored text
        # (which nbval compares) whatever the last bits of a platform's libm
        value = float(f"{value:.12g}")
    return value


def format_glued(text: str, fmt: str) -> str:
    """Format a stored glue value as myst-nb's ``{glue:text}`` does.

    Introduced in notebook 05-how-common-is-vanishing.

    Parameters
    ----------
    text : str
        The stored ``repr`` of the value.
    fmt : str
        A Python format spec, or ``""`` for ``str(value)``.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be the stored repr of a glued value (str); got {text!r}")
    if not isinstance(fmt, str):
        raise TypeError(f"fmt must be a format spec (str) such as '.3f', or ''; got {fmt!r}")
    try:
        value: Any = literal_eval(text)
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
        value = text
    if fmt == "":
        return str(value)
    try:
        kind = fmt[-1]
        if kind == "s":
            value = str(value)
        elif kind in "bcdoxX":
            value = int(value)
        elif kind in "eEfFgGn%":
            value = float(value)
        return format(value, fmt)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"cannot format text {text!r} with fmt {fmt!r}: {exc}") from None


def _cells(nb: object) -> list[Any]:
    """The cells of notebook ``nb`` (a mapping with a list of cells, each with a cell_type)."""
    cells = nb.get("cells") if isinstance(nb, Mapping) else None
    if not isinstance(cells, list) or not all(
            isinstance(c, Mapping) and isinstance(c.get("cell_type"), str) for c in cells):
        raise TypeError("nb must be a notebook (nbformat 4: a mapping whose 'cells' is a list of "
                        f"cells with a 'cell_type'); got {type(nb).__name__}")
    return cells


def glued_values(nb: Mapping[str, Any]) -> dict[str, str]:
    """Every value a notebook's code cells glued, by key.

    Introduced in notebook 05-how-common-is-vanishing.

    Parameters
    ----------
    nb : notebook (nbformat 4)
        An executed notebook.

    Returns
    -------
    dict
        Glue key -> the stored ``repr`` of its value. A key glued twice is an error.
    """
    values: dict[str, str] = {}
    for cell in _cells(nb):
        if cell["cell_type"] != "code":
            continue
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if not record or GLUE_MIME not in output.get("data", {}):
                continue
            key = record["name"]
            if key in values:
                raise ProseError(f"glue key {key!r} is stored twice; give each value its own key")
            values[key] = output["data"][GLUE_MIME]
    return values


def statements(nb: Mapping[str, Any]) -> list[Statement]:
    """Every number the markdown cells state through a glue span.

    Introduced in notebook 05-how-common-is-vanishing.
    """
    found = []
    for index, cell in enumerate(_cells(nb)):
        if cell["cell_type"] != "markdown":
            continue
        for m in SPAN.finditer(_source(cell)):
            found.append(Statement(index, m["key"], m["fmt"] or "", m["text"]))
    return found


def stale_statements(nb: Mapping[str, Any]) -> list[str]:
    """Where the prose and the computed values disagree, one message each.

    Introduced in notebook 05-how-common-is-vanishing.

    Returns an empty list when every span's text equals its glued value in the span's format.
    """
    values = glued_values(nb)
    problems = []
    for st in statements(nb):
        try:
            expected = _expected(values, st.key, st.fmt, st.cell)
        except ProseError as exc:
            problems.append(str(exc))
            continue
        if st.text != expected:
            problems.append(
                f"markdown cell {st.cell} states {st.key} as {st.text!r}, but the notebook "
                f"computed {expected!r}: re-execute it (make execute NB=...) to refresh the prose"
            )
    return problems


def _expected(values: Mapping[str, str], key: str, fmt: str, cell: int) -> str:
    """The text a span of ``key`` in format ``fmt`` should read, or a ProseError saying why not."""
    if key not in values:
        raise ProseError(f"markdown cell {cell} states {key!r}, but no code cell glues it: "
                         f"add glue({key!r}, value) to the cell that computes it")
    try:
        return format_glued(values[key], fmt)
    except (TypeError, ValueError) as exc:
        raise ProseError(f"markdown cell {cell}: cannot format {key!r} with {fmt!r}: "
                         f"{exc}") from None


def refresh_prose(nb: Any) -> int:
    """Rewrite every glue span's text from the glued values, in place.

    Introduced in notebook 05-how-common-is-vanishing.

    Returns the number of spans whose text changed. Raises :class:`ProseError` if a span names a
    key that no code cell glues, or a format that does not fit its value.
    """
    values = glued_values(nb)
    changed = 0

    def fill(m: re.Match[str], *, index: int) -> str:
        nonlocal changed
        key, fmt = m["key"], m["fmt"] or ""
        text = _expected(values, key, fmt, index)
        changed += text != m["text"]
        spec = f"{key}:{fmt}" if m["fmt"] is not None else key
        return f'<span data-glue="{spec}">{text}</span>'

    for index, cell in enumerate(_cells(nb)):
        if cell["cell_type"] == "markdown":
            new = SPAN.sub(partial(fill, index=index), _source(cell))
            if new != _source(cell):
                cell["source"] = new
    return changed


def to_glue_roles(markdown: str) -> str:
    """Turn every glue span into myst-nb's ``{glue:text}`` role.

    Introduced in notebook 05-how-common-is-vanishing.

    The website's build applies this to each markdown cell, so the page pastes the stored value.
    """
    if not isinstance(markdown, str):
        raise TypeError(f"markdown must be the text of a markdown cell (str); got {markdown!r}")

    def role(m: re.Match[str]) -> str:
        spec = f"{m['key']}:{m['fmt']}" if m["fmt"] else m["key"]
        return "{glue:text}`" + spec + "`"

    return SPAN.sub(role, markdown)


def _source(cell: Mapping[str, Any]) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src
