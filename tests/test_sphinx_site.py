"""The website's weight trims (scripts/sphinx_site.py) on page heads like the theme writes."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import sphinx_site  # noqa: E402

HEAD = """<script defer src="../_static/scripts/fontawesome.js?digest=55c2"></script>
<script src="../_static/documentation_options.js?v=9eb3"></script>
<script src="../_static/doctools.js?v=9a2d"></script>
<script>let toggleHintShow = 'Click to show';</script>
<script defer="defer" src="../_static/../_mathjax/startup.js?v=4ba6"></script>
<script>DOCUMENTATION_OPTIONS.pagename = 'intro';</script>
<script src="../searchindex.js"></script>
<script data-sd-tabs-storage-prefix="tab-" src="../_static/design-tabs.js?v=fc"></script>
<script type="module" src="../_explorers/chain_explorer.js"></script>"""


def test_fontawesome_js_is_dropped_and_nothing_else() -> None:
    page, n = sphinx_site.drop_fontawesome_js(HEAD)
    assert n == 1 and "fontawesome" not in page
    assert page.count("<script") == HEAD.count("<script") - 1


def test_head_scripts_are_deferred_except_the_one_inline_scripts_write_into() -> None:
    page, n = sphinx_site.defer_scripts(HEAD)
    assert n == 3
    assert '<script defer src="../_static/doctools.js?v=9a2d"></script>' in page
    assert '<script defer src="../searchindex.js"></script>' in page
    assert ('<script data-sd-tabs-storage-prefix="tab-" defer '
            'src="../_static/design-tabs.js?v=fc">') in page
    assert '<script src="../_static/documentation_options.js?v=9eb3"></script>' in page
    # inline scripts, module scripts and already deferred ones are left alone
    assert "<script>let toggleHintShow" in page
    assert '<script type="module" src="../_explorers/chain_explorer.js"></script>' in page
    assert page.count("defer") == HEAD.count("defer") + 3
    assert sphinx_site.lighten(sphinx_site.lighten(HEAD)) == sphinx_site.lighten(HEAD)


def test_figures_get_their_pixel_size_and_toggles_lose_the_mismatching_name(
        tmp_path: Path) -> None:
    import struct
    import zlib

    png = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR"
           + struct.pack(">IIBBBBB", 640, 480, 8, 2, 0, 0, 0))
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "fig.png").write_bytes(png + struct.pack(">I", zlib.crc32(png[12:])))
    (tmp_path / "_images" / "bad.png").write_bytes(b"not a png")
    html = ('<img alt="a figure" src="_images/fig.png" />'
            '<img alt="sized" src="_images/fig.png" width="10" height="5" />'
            '<img alt="broken" src="_images/bad.png" />'
            '<summary aria-label="Toggle hidden content">')
    assert sphinx_site.png_size(tmp_path / "_images" / "fig.png") == (640, 480)
    assert sphinx_site.png_size(tmp_path / "missing.png") is None
    page, n = sphinx_site.size_images(html, tmp_path)
    assert n == 1
    assert '<img alt="a figure" src="_images/fig.png" width="640" height="480" />' in page
    assert 'width="10" height="5"' in page and '<img alt="broken" src="_images/bad.png" />' in page
    assert "aria-label" not in sphinx_site.lighten(html, tmp_path)


def test_icon_fonts_are_cut_to_the_icons_the_pages_use(tmp_path: Path) -> None:
    import pydata_sphinx_theme  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    css = ('.fa-magnifying-glass:before,.fa-search:before{content:"\\f002"}'
           '.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}'
           '.fa-rocket:before{content:"\\f135"}')
    assert sphinx_site.icon_codepoints(css, {"fa-search", "fa-bars", "fa-solid"}) == {
        0xF002, 0xF0C9}
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    source = theme / "static" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.ttf"
    target = tmp_path / "cut.woff"
    sphinx_site.subset_font(source, target, {0xF002, 0xF0C9})
    with TTFont(str(target)) as font:
        assert set(font.getBestCmap()) == {0xF002, 0xF0C9}
    assert target.stat().st_size < source.stat().st_size / 50
