"""A small Sphinx extension for the book's own look and weight (loaded from ``_config.yml``).

* adds ``web/static/chapter5-site.css``: wide outputs scroll instead of being cut off, and the
  theme's header buttons get what accessibility checkers ask of them;
* drops the theme's ``fontawesome.js`` (1.5 MB, the heaviest file of every page) from every page:
  the theme's stylesheet already draws the same icons from Font Awesome's web fonts
  (``_static/vendor/fontawesome/webfonts``), which the browser fetches only for glyphs it shows;
* defers the classic scripts of the page head (search, copy and toggle buttons, tabs), which
  otherwise block the first paint: deferred scripts still run in order before
  ``DOMContentLoaded``. ``documentation_options.js`` stays as it is, because inline scripts
  after it write into the object it creates.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"
SITE_CSS = "chapter5-site.css"
FONTAWESOME_JS = re.compile(r'<script\b[^>]*\bsrc="[^"]*_static/scripts/fontawesome\.js[^"]*"'
                            r'[^>]*>\s*</script>\s*')


#: a classic external script without defer/async/type: <script src="..."></script>
PLAIN_SCRIPT = re.compile(r'<script src="([^"]+)"></script>')
KEEP_BLOCKING = ("documentation_options.js",)


def drop_fontawesome_js(html: str) -> tuple[str, int]:
    """The page without its fontawesome.js script tag, and how many tags were removed."""
    return FONTAWESOME_JS.subn("", html)


def defer_scripts(html: str) -> tuple[str, int]:
    """The page with its plain external scripts deferred, and how many were changed."""
    changed = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal changed
        if any(name in m.group(1) for name in KEEP_BLOCKING):
            return m.group(0)
        changed += 1
        return f'<script defer src="{m.group(1)}"></script>'

    return PLAIN_SCRIPT.sub(swap, html), changed


def lighten(html: str) -> str:
    """Both changes above."""
    html, _ = drop_fontawesome_js(html)
    html, _ = defer_scripts(html)
    return html


def _add_static(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))


def _strip_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = lighten(text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _add_static)
    app.add_css_file(SITE_CSS)
    app.connect("build-finished", _strip_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
