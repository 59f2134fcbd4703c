"""Every page of the website renders offline in a real browser.

For each page in _toc.yml: no console errors, no request that leaves 127.0.0.1, every formula
arrives typeset (MathJax ran during the build, scripts/sphinx_math.py: no page loads a MathJax
script, and each formula keeps a MathML copy for screen readers) in MathJax's fonts served by the
site itself, every image has loaded. Screenshots (light and dark) go to _build/screenshots/ for a
human to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import bookkit
import pytest

PAGES = bookkit.toc_pages()

MATH_STATE = """() => {
  const formulas = document.querySelectorAll('.bd-article span.math, .bd-article div.math').length;
  const typeset = document.querySelectorAll('.bd-article mjx-container').length;
  const errors = document.querySelectorAll('mjx-merror').length;
  const spoken = document.querySelectorAll('.bd-article mjx-container > mjx-assistive-mml > math')
    .length;
  const fonts = Array.from(document.fonts).filter((f) => f.family.startsWith('MJX'));
  return {formulas, typeset, errors, spoken, runtime: typeof window.MathJax !== 'undefined',
          fontsLoaded: fonts.filter((f) => f.status === 'loaded').length,
          fontsFailed: fonts.filter((f) => f.status === 'error').map((f) => f.family)};
}"""

IMAGES = """async () => {
  const imgs = Array.from(document.querySelectorAll('.bd-article img'));
  await Promise.all(imgs.map((img) => img.complete ? null :
    new Promise((ok) => { img.addEventListener('load', ok); img.addEventListener('error', ok); })));
  return imgs.map((img) => ({src: img.getAttribute('src'), width: img.naturalWidth,
                             alt: img.getAttribute('alt') || ''}));
}"""


def test_the_toc_lists_the_landing_page_seven_notebooks_checking_and_references() -> None:
    names = [p.removesuffix(".html") for p in PAGES]
    assert names[0] == "intro" and names[-2:] == ["checking", "references"]
    assert names[1:-2] == [
        "notebooks/01-deep-circuits", "notebooks/02-vanishing-gradients",
        "notebooks/03-chain-of-neurons", "notebooks/04-exploding-gradients",
        "notebooks/05-how-common-is-vanishing", "notebooks/06-many-neurons-other-obstacles",
        "notebooks/07-deep-network-lab",
    ]


def test_no_page_refers_to_a_cdn(site: Path) -> None:
    from build_book import CDN_PATTERN  # scripts/ is put on sys.path below

    hits = []
    for page in site.rglob("*.html"):
        hits += [f"{page.relative_to(site)}: {m.group(0)}"
                 for m in CDN_PATTERN.finditer(page.read_text(encoding="utf-8"))]
    assert hits == []


def test_the_explorers_and_the_math_fonts_are_served_by_the_site(site: Path) -> None:
    for name in ("chain_explorer.js", "prevalence_band.js", "c5math.js", "c5ui.js",
                 "chain_presets.js"):
        assert (site / "_explorers" / name).is_file(), name
    from sphinx_math import FONT_DIR

    assert (site / FONT_DIR / "MathJax_Main-Regular.woff").is_file()
    # the math is typeset during the build: the site ships no MathJax program at all
    assert sorted(p.name for p in (site / "_mathjax").rglob("*.js")) == []
    # Jupyter Book injects every JS file of a book-root _static/ folder into every page: keep none.
    assert not (bookkit.REPO / "_static").exists()
    for page in PAGES:
        text = (site / page).read_text(encoding="utf-8")
        # the 1.5 MB icon script is dropped: the theme's CSS draws the icons from web fonts
        assert "fontawesome.js" not in text and "tex-mml-chtml.js" not in text, page
        assert "jupyter-widgets" not in text and "require.min.js" not in text, page


@pytest.mark.parametrize("path", PAGES)
def test_no_page_leaves_math_to_a_mathjax_runtime(site: Path, path: str) -> None:
    """Every formula is typeset HTML already (no TeX left, no MathJax script or configuration),
    and a page with math carries the stylesheet of its characters, pointing at the site's fonts."""
    from sphinx_math import FONT_DIR, STYLE_ID, unrendered_math

    text = (site / path).read_text(encoding="utf-8")
    assert unrendered_math(text) == []
    assert not re.search(r"<script[^>]*\bsrc=\"[^\"]*mathjax", text, re.IGNORECASE), path
    has_math = 'class="math notranslate nohighlight"' in text
    assert has_math == (f'<style id="{STYLE_ID}">' in text), path
    if path.startswith("notebooks/0"):
        assert has_math and text.count("<mjx-container ") > 5, path
    if has_math:
        fonts = set(re.findall(r'url\("([^"]+\.woff)"\)', text))
        assert fonts, path
        for url in fonts:
            assert url.removeprefix("../").startswith(FONT_DIR), url
            assert (site / path).parent.joinpath(url).resolve().is_file(), url


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_offline(open_page: Any, path: str) -> None:
    page, seen = open_page(path)
    bookkit.settle(page)
    page.evaluate("document.fonts.ready.then(() => true)")
    math = page.evaluate(MATH_STATE)
    images = page.evaluate(IMAGES)
    for root in page.query_selector_all("div.c5-web-explorer"):
        assert root.get_attribute("data-ready") == "true", "an explorer did not start"
    page.screenshot(path=str(bookkit.shot_name(path)), full_page=True)

    assert seen.problems() == []
    assert math["errors"] == 0
    assert not math["runtime"], "the page loaded MathJax: its math should come typeset"
    # each formula typeset (as it arrived: nothing ran in the browser), with its MathML copy
    assert math["typeset"] == math["formulas"] == math["spoken"]
    source = (bookkit.HTML / path).read_text(encoding="utf-8")
    if re.search(r'class="math', source):
        assert math["typeset"] > 0, "the page has formulas but none is typeset"
        assert math["fontsLoaded"] > 0 and math["fontsFailed"] == [], math
    broken = [img["src"] for img in images if img["width"] == 0]
    assert broken == []


@pytest.mark.parametrize("path", [p for p in PAGES if "notebooks/0" in p or p == "intro.html"])
def test_page_in_dark_mode(open_page: Any, path: str) -> None:
    page, seen = open_page(path, dark=True)
    bookkit.settle(page)
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    # body text stays light on dark: the theme's text colour is bright
    rgb = page.evaluate("getComputedStyle(document.querySelector('.bd-article')).color")
    r, g, b = (int(v) for v in re.findall(r"\d+", rgb)[:3])
    assert (r + g + b) / 3 > 150, rgb
    page.screenshot(path=str(bookkit.shot_name(path, "-dark")))
    assert seen.problems() == []


def test_every_figure_has_alt_text(site: Path) -> None:
    """A figure's alt text describes it (set per cell: mystnb={"image": {"alt": "..."}});
    myst-nb's fallback, the image's own file name, says nothing to a screen reader."""
    missing = []
    for path in PAGES:
        html = (site / path).read_text(encoding="utf-8")
        for tag in re.findall(r"<img\b[^>]*>", html):
            alt = re.search(r'alt="([^"]*)"', tag)
            text = alt.group(1) if alt else ""
            if len(text) < 15 or re.search(r"\.(png|svg|jpe?g|gif)$", text):
                missing.append(f"{path}: {tag[:120]}")
    assert missing == [], "figures without alt text (add mystnb image alt to the cell):\n" + \
        "\n".join(missing)


def test_numbers_in_the_prose_are_pasted_from_the_notebooks_glue(site: Path) -> None:
    """Each number a notebook's prose states through a glue span reaches the page through
    myst-nb's {glue:text} role, in the span's format, and no raw span is left on the page."""
    import nbformat

    from chapter5.prose import format_glued, glued_values, statements

    pasted_somewhere = False
    for path in PAGES:
        if not path.startswith("notebooks/"):
            continue
        nb = nbformat.read(bookkit.REPO / path.replace(".html", ".ipynb"), as_version=4)
        values = glued_values(nb)
        expected = [format_glued(values[s.key], s.fmt) for s in statements(nb)]
        html = (site / path).read_text(encoding="utf-8")
        pasted = re.findall(r'<span class="pasted-text">([^<]*)</span>', html)
        assert pasted == expected, path
        assert "data-glue" not in html, path
        pasted_somewhere |= bool(pasted)
    assert pasted_somewhere


def test_pasted_numbers_read_like_the_sentence_around_them(open_page: Any) -> None:
    """myst-nb sets pasted text in bold; ours takes the weight of its sentence (and is visible)."""
    page, seen = open_page("notebooks/05-how-common-is-vanishing.html")
    weights = page.evaluate("""() => Array.from(document.querySelectorAll('span.pasted-text'))
      .map((s) => [getComputedStyle(s).fontWeight, getComputedStyle(s.parentElement).fontWeight,
                   !!s.closest('details:not([open])') || s.getBoundingClientRect().width > 0])""")
    assert len(weights) >= 5
    assert all(own == parent and shown for own, parent, shown in weights), weights
    assert seen.problems() == []
