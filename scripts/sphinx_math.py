"""Math typeset at build time (a Sphinx extension loaded from ``_config.yml``).

Sphinx writes each formula as TeX (``<span class="math">\\(...\\)</span>``, ``<div
class="math">\\[...\\]</div>``) and leaves it to MathJax in the reader's browser. On a phone that
typesetting is one long task of 1.5-2.5 s (Lighthouse, 4x slower CPU) during which the page does
not respond. So when the build has finished, this extension hands every page's TeX to MathJax 3 in
node (``web/render_math.js``, the npm package ``mathjax-full``), puts the finished CHTML into the
page, with the assistive MathML copy that screen readers read, adds the stylesheet for the
characters that page uses (its ``@font-face`` rules point at MathJax's own web fonts, served by the
site from ``_mathjax/woff-v2``), and removes the MathJax script and its configuration: no page
ships the MathJax runtime.

A TeX error fails the build, naming the page and the formula (MathJax's ``noerrors`` and
``noundefined`` packages, which would show it as red text, are not loaded).
:func:`unrendered_math` finds what was left as TeX; ``scripts/build_book.py`` and the book tests
use it.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[1]
RENDERER = ROOT / "web" / "render_math.js"
#: MathJax's CHTML web fonts in npm's package, and where the site serves them
FONT_SOURCE = ROOT / "web" / "node_modules" / "mathjax-full" / "es5" / "output" / "chtml" / \
    "fonts" / "woff-v2"
FONT_DIR = "_mathjax/woff-v2"
STYLE_ID = "c5-math-css"

#: a formula as Sphinx writes it: the element, its attributes and its content (TeX, and for a
#: numbered display formula the equation number before it)
MATH_ELEMENT = re.compile(
    r'<(span|div) class="math notranslate nohighlight"([^>]*)>(.*?)</\1>', re.DOTALL)
EQNO = re.compile(r'\s*<span class="eqno">.*?</span>', re.DOTALL)
#: the MathJax loader Sphinx adds to every page with math, and its configuration
MATHJAX_SCRIPT = re.compile(
    r'<script\b[^>]*\bsrc="[^"]*(?:mathjax|startup\.js|tex-[a-z-]+\.js)[^"]*"[^>]*>\s*</script>\s*',
    re.IGNORECASE)
MATHJAX_CONFIG = re.compile(r"<script>\s*window\.MathJax\s*=.*?</script>\s*", re.DOTALL)
#: MathJax's scale for math in running text, which its runtime measured in the browser
#: (``matchFontHeight``: the ex height of the text font over that of MathJax's font): 127.3 %
#: with the theme's fonts in chromium (20.37 px formulas in 16 px text). Kept, so that the math
#: looks as it did.
SCALE = 1.273
#: MathJax's fonts that every page with math uses (the empty-glyph font, upright and italic
#: letters): fetched early (``<link rel="preload">``), together with the page's stylesheets,
#: rather than after the first layout; the text around a formula paints only once they are there
PRELOAD_FONTS = ("MathJax_Zero", "MathJax_Main-Regular", "MathJax_Math-Italic")


@dataclass(frozen=True)
class Formula:
    """One formula of a page: its TeX, display or inline, and where it stands in the page."""

    tex: str
    display: bool
    start: int
    end: int
    prefix: str  # markup kept before the math (the equation number)
    open_tag: str


def formulas(page: str) -> list[Formula]:
    """The formulas Sphinx wrote as TeX into ``page`` (HTML) and not typeset yet, in page order.

    Raises ``ValueError`` for a math element whose content is not TeX between MathJax's
    delimiters (markup inside it, or an inline formula without ``\\(...\\)``).
    """
    found = []
    for m in MATH_ELEMENT.finditer(page):
        tag, attrs, content = m.group(1), m.group(2), m.group(3)
        eqno = EQNO.match(content)
        prefix = eqno.group(0) if eqno else ""
        source = content[len(prefix):]
        if source.startswith("<mjx-container "):
            continue  # typeset already
        if "<" in source:
            raise ValueError(f"markup inside a math element, not TeX: {content[:120]!r}")
        tex = html.unescape(source).strip()
        if tex.startswith("\\(") and tex.endswith("\\)"):
            tex, display = tex[2:-2], False
        elif tex.startswith("\\[") and tex.endswith("\\]"):
            tex, display = tex[2:-2], True
        elif tag == "div" and tex.startswith("\\begin{"):
            display = True  # an amsmath environment, written without delimiters
        else:
            raise ValueError(f"a math element without TeX delimiters: {content[:120]!r}")
        found.append(Formula(tex.strip(), display, m.start(), m.end(), prefix,
                             f'<{tag} class="math notranslate nohighlight"{attrs}>'))
    return found


def unrendered_math(page: str) -> list[str]:
    """What in ``page`` (HTML) is still left for a MathJax runtime: math elements holding TeX,
    MathJax's script or configuration. Empty for a page whose math was typeset at build time."""
    left = [f"TeX: {f.tex[:80]}" for f in formulas(page)]
    left += [f"script: {m.group(0).strip()[:80]}" for m in MATHJAX_SCRIPT.finditer(page)]
    left += ["MathJax configuration" for _ in MATHJAX_CONFIG.finditer(page)]
    return left


def node() -> str:
    found = shutil.which("node")
    if not found:
        raise ExtensionError("node is needed to typeset the book's math: apt-get install nodejs")
    return found


def render(pages: list[list[Formula]], font_urls: list[str]) -> list[dict[str, Any]]:
    """Typeset the formulas of several pages in one node process: per page, ``{"css", "html",
    "errors"}`` as web/render_math.js answers."""
    if not (ROOT / "web" / "node_modules" / "mathjax-full").is_dir():
        raise ExtensionError("mathjax-full is missing: install the book's npm packages with "
                             "`npm ci --prefix web`")
    request = {"pages": [{"fontURL": url,
                          "formulas": [{"tex": f.tex, "display": f.display} for f in page]}
                         for page, url in zip(pages, font_urls, strict=True)]}
    proc = subprocess.run([node(), str(RENDERER)], input=json.dumps(request), text=True,
                          capture_output=True, check=False, encoding="utf-8")
    if proc.returncode != 0:
        raise ExtensionError(f"web/render_math.js failed (exit {proc.returncode}):\n"
                             f"{proc.stderr[-2000:]}")
    answer: list[dict[str, Any]] = json.loads(proc.stdout)["pages"]
    return answer


def typeset(page: str, found: list[Formula], result: dict[str, Any], font_url: str) -> str:
    """``page`` with each formula replaced by its typeset HTML and the MathJax runtime removed,
    and the stylesheet for its characters added to the head, with preloads of the main fonts
    (``font_url``: the folder of MathJax's fonts, relative to the page)."""
    parts = []
    last = 0
    for f, rendered in zip(found, result["html"], strict=True):
        parts += [page[last:f.start], f.open_tag, f.prefix,
                  rendered,
                  "</div>" if f.open_tag.startswith("<div") else "</span>"]
        last = f.end
    parts.append(page[last:])
    out = "".join(parts)
    out = MATHJAX_SCRIPT.sub("", out)
    out = MATHJAX_CONFIG.sub("", out)
    css = (result["css"] +
           # MathJax's scale (see SCALE); a wide display formula scrolls on a narrow screen
           f'\nmjx-container[jax="CHTML"] {{ font-size: {SCALE * 100:.1f}%; }}\n'
           'div.math { overflow-x: auto; overflow-y: hidden; }\n')
    style = "".join(f'<link rel="preload" href="{font_url}/{name}.woff" as="font" '
                    'type="font/woff" crossorigin>\n' for name in PRELOAD_FONTS)
    style += f'<style id="{STYLE_ID}">{css}</style>\n'
    if "</head>" not in out:
        raise ValueError("the page has no </head>")
    return out.replace("</head>", style + "</head>", 1)


def typeset_site(outdir: Path) -> int:
    """Typeset every page under ``outdir``; return how many formulas were typeset."""
    pages, found, urls = [], [], []
    for path in sorted(outdir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        try:
            page_formulas = formulas(text)
        except ValueError as exc:
            raise ExtensionError(f"{path.relative_to(outdir)}: {exc}") from exc
        if not page_formulas:
            if MATHJAX_SCRIPT.search(text) or MATHJAX_CONFIG.search(text):
                text = MATHJAX_CONFIG.sub("", MATHJAX_SCRIPT.sub("", text))
                path.write_text(text, encoding="utf-8")
            continue
        pages.append(path)
        found.append(page_formulas)
        urls.append(os.path.relpath(outdir / FONT_DIR, path.parent).replace(os.sep, "/"))
    if not pages:
        return 0
    if not (outdir / FONT_DIR / "MathJax_Main-Regular.woff").is_file():
        raise ExtensionError(f"the site lacks MathJax's fonts ({FONT_DIR}); build with "
                             "scripts/build_book.py, which copies them from web/node_modules")
    results = render(found, urls)
    errors = [f"{path.relative_to(outdir)}: {e['message']} in {page_formulas[e['index']].tex!r}"
              for path, page_formulas, result in zip(pages, found, results, strict=True)
              for e in result["errors"]]
    if errors:
        raise ExtensionError("TeX errors (fix the formula in the notebook or page):\n  " +
                             "\n  ".join(errors))
    for path, page_formulas, result, url in zip(pages, found, results, urls, strict=True):
        text = path.read_text(encoding="utf-8")
        path.write_text(typeset(text, page_formulas, result, url), encoding="utf-8")
    return sum(len(f) for f in found)


def _typeset_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    typeset_site(Path(app.outdir))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", _typeset_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
