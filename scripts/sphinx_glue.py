"""A small Sphinx extension for the book: numbers stated in the prose are pasted with ``glue``.

The notebooks state computed numbers in marked spans, ``<span data-glue="key:fmt">0.448</span>``,
which JupyterLab shows as plain text (see ``chapter5.prose``). When Sphinx reads a notebook, this
extension

1. checks that every span's text equals the value its code cell glued, in the span's format, and
   stops the build with a message naming the notebook and the number otherwise (a stale notebook
   would otherwise publish prose that its own outputs contradict);
2. replaces every span with myst-nb's ``{glue:text}`key:fmt``` role, so the website pastes the value
   from the notebook's stored outputs;
3. sets pasted numbers in the weight of the sentence around them (myst-nb makes them bold, which
   shouts in the middle of a caption; in JupyterLab they look like any other word too).

Loaded through ``sphinx.local_extensions`` in ``_config.yml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from chapter5.prose import ProseError, stale_statements, statements, to_glue_roles


def _paste_glue(app: Sphinx, docname: str, source: list[str]) -> None:
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb":
        return
    nb = nbformat.reads(source[0], as_version=4)
    if not statements(nb):
        return
    try:
        problems = stale_statements(nb)
    except ProseError as exc:  # e.g. a key glued twice
        problems = [str(exc)]
    if problems:
        raise ExtensionError(f"{path.name}: the prose disagrees with the computed values:\n  "
                             + "\n  ".join(problems))
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = to_glue_roles(cell.source)
    source[0] = nbformat.writes(nb)


#: More specific than myst-nb's ``span.pasted-text { font-weight: bold }``, so it wins.
PASTED_TEXT_STYLE = "<style>.bd-article span.pasted-text { font-weight: inherit; }</style>"


def _plain_pasted_text(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                       doctree: object) -> None:
    context["metatags"] = context.get("metatags", "") + PASTED_TEXT_STYLE


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("source-read", _paste_glue)
    app.connect("html-page-context", _plain_pasted_text)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
