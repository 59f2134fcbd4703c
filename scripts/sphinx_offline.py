"""A small Sphinx extension for the book: no page may load anything from another host.

Jupyter Book 1 always enables sphinx-thebe, which writes the address of thebe on unpkg.com into
every page (loaded only when a reader presses a "live code" button, which this book does not
offer: its explorers run without a kernel). This extension drops that inline script, and any
script whose source is a full URL, from every page, and fails the build if a stylesheet would
come from elsewhere. Loaded through ``sphinx.local_extensions`` in ``_config.yml``.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError


def _remote(text: str | None) -> bool:
    return bool(text) and "://" in text  # type: ignore[operator]


def _drop_remote_assets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                        doctree: object) -> None:
    scripts = context.get("script_files")
    if scripts is not None:
        kept = [
            js for js in scripts
            if not _remote(getattr(js, "filename", None) or str(js))
            and not _remote(getattr(js, "attributes", {}).get("body"))
            and "sphinx-thebe" not in (getattr(js, "filename", None) or "")
        ]
        scripts[:] = kept
    for css in context.get("css_files") or []:
        if _remote(getattr(css, "filename", None) or str(css)):
            raise ExtensionError(f"page {pagename} would load a stylesheet from {css}")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _drop_remote_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
