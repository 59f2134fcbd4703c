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
<script type="module" src="../_explorers/chain_explorer.js"></script>"""


def test_fontawesome_js_is_dropped_and_nothing_else() -> None:
    page, n = sphinx_site.drop_fontawesome_js(HEAD)
    assert n == 1 and "fontawesome" not in page
    assert page.count("<script") == HEAD.count("<script") - 1


def test_head_scripts_are_deferred_except_the_one_inline_scripts_write_into() -> None:
    page, n = sphinx_site.defer_scripts(HEAD)
    assert n == 2
    assert '<script defer src="../_static/doctools.js?v=9a2d"></script>' in page
    assert '<script defer src="../searchindex.js"></script>' in page
    assert '<script src="../_static/documentation_options.js?v=9eb3"></script>' in page
    # inline scripts, module scripts and already deferred ones are left alone
    assert "<script>let toggleHintShow" in page
    assert '<script type="module" src="../_explorers/chain_explorer.js"></script>' in page
    assert page.count("defer") == HEAD.count("defer") + 2
    assert sphinx_site.lighten(sphinx_site.lighten(HEAD)) == sphinx_site.lighten(HEAD)
