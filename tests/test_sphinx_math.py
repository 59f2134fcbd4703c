"""Math typeset at build time (scripts/sphinx_math.py) on pages like the ones Sphinx writes."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import sphinx_math  # noqa: E402

PAGE = """<html><head>
<script>window.MathJax = {"options": {"processHtmlClass": "tex2jax_process|math"}}</script>
<script defer="defer" src="../_static/../_mathjax/not-loaded.js?v=4ba6"></script>
<script src="../searchindex.js"></script>
</head><body>
<p>The factor <span class="math notranslate nohighlight">\\(\\sigma'(z) &lt; 1/4\\)</span> is
small.</p>
<div class="math notranslate nohighlight" id="equation-chain">
<span class="eqno">(1)<a class="headerlink" href="#equation-chain" title="Link">#</a></span>\\[
\\frac{\\partial C}{\\partial b_1} = \\sigma'(z_1)\\, w_2 \\]</div>
<div class="math notranslate nohighlight">
\\begin{align}a &amp;= b\\\\ c &amp;= d\\end{align}</div>
</body></html>"""


def have_renderer() -> bool:
    return shutil.which("node") is not None and \
        (sphinx_math.ROOT / "web" / "node_modules" / "mathjax-full").is_dir()


def needs_renderer() -> None:
    if not have_renderer():
        message = "node and `npm ci --prefix web` (mathjax-full) are needed to typeset math"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_formulas_are_read_with_their_kind_and_unescaped_tex() -> None:
    found = sphinx_math.formulas(PAGE)
    assert [(f.tex, f.display) for f in found] == [
        ("\\sigma'(z) < 1/4", False),
        ("\\frac{\\partial C}{\\partial b_1} = \\sigma'(z_1)\\, w_2", True),
        ("\\begin{align}a &= b\\\\ c &= d\\end{align}", True),
    ]
    assert found[1].prefix.strip().startswith('<span class="eqno">(1)')
    assert found[0].open_tag == '<span class="math notranslate nohighlight">'


def test_a_page_left_to_mathjax_is_flagged() -> None:
    left = sphinx_math.unrendered_math(PAGE)
    assert sum(item.startswith("TeX: ") for item in left) == 3
    assert any(item.startswith("script: ") and "not-loaded.js" in item for item in left)
    assert "MathJax configuration" in left
    # a page without math and without MathJax has nothing left
    assert sphinx_math.unrendered_math("<html><head></head><body><p>x</p></body></html>") == []


@pytest.mark.parametrize("bad", [
    '<span class="math notranslate nohighlight">x^2</span>',                 # no delimiters
    '<span class="math notranslate nohighlight">\\(<b>x</b>\\)</span>',      # markup, not TeX
])
def test_math_that_is_not_tex_between_delimiters_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="math element"):
        sphinx_math.formulas(f"<p>{bad}</p>")


def test_typeset_replaces_each_formula_and_removes_the_runtime() -> None:
    found = sphinx_math.formulas(PAGE)
    fake = {"css": "mjx-c.mjx-c3C::before { content: '<'; }",
            "html": [f'<mjx-container class="MathJax" jax="CHTML">{i}</mjx-container>'
                     for i in range(3)], "errors": []}
    out = sphinx_math.typeset(PAGE, found, fake, "../_mathjax/woff-v2")
    assert sphinx_math.unrendered_math(out) == []
    assert out.count("<mjx-container ") == 3
    assert '<span class="eqno">(1)' in out and 'id="equation-chain"' in out
    assert '<script src="../searchindex.js"></script>' in out   # other scripts stay
    assert out.index(f'<style id="{sphinx_math.STYLE_ID}">') < out.index("</head>")
    assert ('<link rel="preload" href="../_mathjax/woff-v2/MathJax_Main-Regular.woff" as="font" '
            'type="font/woff" crossorigin>') in out
    # typesetting twice changes nothing: typeset formulas are not read again
    assert sphinx_math.formulas(out) == []


def test_real_typesetting_keeps_mathml_for_screen_readers_and_fails_on_tex_errors(
        tmp_path: Path) -> None:
    needs_renderer()
    (tmp_path / "notebooks").mkdir()
    fonts = tmp_path / sphinx_math.FONT_DIR
    fonts.mkdir(parents=True)
    (fonts / "MathJax_Main-Regular.woff").write_bytes(b"")
    page = tmp_path / "notebooks" / "p.html"
    page.write_text(PAGE, encoding="utf-8")
    (tmp_path / "plain.html").write_text(
        '<html><head><script src="_mathjax/not-loaded.js"></script></head><body></body></html>',
        encoding="utf-8")
    assert sphinx_math.typeset_site(tmp_path) == 3
    out = page.read_text(encoding="utf-8")
    assert sphinx_math.unrendered_math(out) == []
    assert out.count("<mjx-assistive-mml") == 3 and out.count('jax="CHTML" display="true"') == 2
    assert "<mi>σ</mi>" in out and "<mjx-merror" not in out
    assert 'url("../_mathjax/woff-v2/MathJax_Main-Regular.woff")' in out
    for name in sphinx_math.PRELOAD_FONTS:  # the preloaded fonts are MathJax's own
        assert f'url("../_mathjax/woff-v2/{name}.woff")' in out
    # a page without math loses the MathJax script too
    assert "not-loaded.js" not in (tmp_path / "plain.html").read_text(encoding="utf-8")

    page.write_text(PAGE.replace("\\frac", "\\fracc"), encoding="utf-8")
    with pytest.raises(sphinx_math.ExtensionError, match=r"notebooks/p.html: .*\\fracc"):
        sphinx_math.typeset_site(tmp_path)
