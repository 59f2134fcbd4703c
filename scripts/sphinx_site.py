"""A small Sphinx extension for the book's own look and weight (loaded from ``_config.yml``).

* adds ``web/static/chapter5-site.css``: wide outputs scroll instead of being cut off, and the
  theme's header buttons get what accessibility checkers ask of them;
* drops the theme's ``fontawesome.js`` (1.5 MB, the heaviest file of every page) from every page:
  the theme's stylesheet already draws the same icons from Font Awesome's web fonts
  (``_static/vendor/fontawesome/webfonts``), which the browser fetches only for glyphs it shows;
* defers the classic scripts of the page head (search, copy and toggle buttons, tabs), which
  otherwise block the first paint: deferred scripts still run in order before
  ``DOMContentLoaded``. ``documentation_options.js`` stays as it is, because inline scripts
  after it write into the object it creates;
* gives every ``<img>`` of a PNG its pixel size (``width``/``height``), so the page does not jump
  when a figure arrives (layout shift), and drops myst-nb's ``aria-label="Toggle hidden
  content"`` from its cell toggles, a name that does not contain their visible text ("Show code
  cell content"), which axe-core flags (label-content-name-mismatch);
* cuts Font Awesome's fonts down to the icons the pages use (about 15 of 1,400: the solid font
  goes from 157 kB to a few kB) and points our stylesheet at the cut fonts; the browser then
  never fetches the full ones.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"
SITE_CSS = "chapter5-site.css"
FONTAWESOME_JS = re.compile(r'<script\b[^>]*\bsrc="[^"]*_static/scripts/fontawesome\.js[^"]*"'
                            r'[^>]*>\s*</script>\s*')


#: a classic external script without defer/async/type: <script src="..."></script>
PLAIN_SCRIPT = re.compile(
    r'<script((?: (?!defer\b|async\b|type=)[a-z-]+="[^"]*")*) src="([^"]+)"></script>')
KEEP_BLOCKING = ("documentation_options.js",)


def drop_fontawesome_js(html: str) -> tuple[str, int]:
    """The page without its fontawesome.js script tag, and how many tags were removed."""
    return FONTAWESOME_JS.subn("", html)


def defer_scripts(html: str) -> tuple[str, int]:
    """The page with its plain external scripts deferred, and how many were changed."""
    changed = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal changed
        if any(name in m.group(2) for name in KEEP_BLOCKING):
            return m.group(0)
        changed += 1
        return f'<script{m.group(1)} defer src="{m.group(2)}"></script>'

    return PLAIN_SCRIPT.sub(swap, html), changed


TOGGLE_LABEL = re.compile(r'<summary aria-label="Toggle hidden content">')
IMG_WITHOUT_SIZE = re.compile(r'<img (?![^>]*\bwidth=)([^>]*?)src="([^"]+\.png)"([^>]*)>')


def png_size(path: Path) -> tuple[int, int] | None:
    """(width, height) of a PNG file from its header, or None if it is not a readable PNG."""
    try:
        head = path.read_bytes()[:24]
    except OSError:
        return None
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def size_images(html: str, page_dir: Path) -> tuple[str, int]:
    """The page with width/height on every PNG <img> that lacks them, and how many it sized."""
    sized = 0

    def add(m: re.Match[str]) -> str:
        nonlocal sized
        size = png_size(page_dir / m.group(2))
        if size is None:
            return m.group(0)
        sized += 1
        return (f'<img {m.group(1)}src="{m.group(2)}" width="{size[0]}" height="{size[1]}"'
                f'{m.group(3)}>')

    return IMG_WITHOUT_SIZE.sub(add, html), sized


def lighten(html: str, page_dir: Path | None = None) -> str:
    """Every change above (image sizes only when the page's folder is given)."""
    html, _ = drop_fontawesome_js(html)
    html, _ = defer_scripts(html)
    html = TOGGLE_LABEL.sub("<summary>", html)
    if page_dir is not None:
        html, _ = size_images(html, page_dir)
    return html


FA_DIR = Path("_static/vendor/fontawesome/webfonts")
#: (font file stem, CSS family, weight) of the theme's Font Awesome faces
FA_FACES = [("fa-solid-900", "Font Awesome 6 Free", 900),
            ("fa-regular-400", "Font Awesome 6 Free", 400),
            ("fa-brands-400", "Font Awesome 6 Brands", 400)]
FA_CLASS = re.compile(r'\bfa-[a-z0-9-]+')
FA_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:before,?)+)\{content:"\\([0-9a-f]+)"\}')


def icon_codepoints(css: str, classes: set[str]) -> set[int]:
    """The code points the theme's CSS gives to the ``fa-*`` classes in ``classes``."""
    points = set()
    for m in FA_RULE.finditer(css):
        names = {sel.removeprefix(".").removesuffix(":before") for sel in m.group(1).split(",")
                 if sel}
        if names & classes:
            points.add(int(m.group(2), 16))
    return points


def subset_font(source: Path, target: Path, codepoints: set[int]) -> None:
    """Write ``source`` (a TTF) as a WOFF with only the glyphs of ``codepoints``."""
    from fontTools import subset  # type: ignore[import-untyped]

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    try:
        subsetter.subset(font)
        subset.save_font(font, str(target), options)
    finally:
        font.close()


def cut_icon_fonts(outdir: Path) -> str:
    """Subset the theme's icon fonts to the icons used in ``outdir``'s pages; return the CSS
    @font-face rules that point at the subsets ("" when the theme's files are not there)."""
    theme_css = outdir / "_static" / "styles" / "pydata-sphinx-theme.css"
    if not theme_css.is_file():
        return ""
    classes: set[str] = set()
    for page in outdir.rglob("*.html"):
        classes |= set(FA_CLASS.findall(page.read_text(encoding="utf-8")))
    points = icon_codepoints(theme_css.read_text(encoding="utf-8"), classes)
    rules = []
    for stem, family, weight in FA_FACES:
        source = outdir / FA_DIR / f"{stem}.ttf"
        if not source.is_file() or not points:
            continue
        subset_font(source, outdir / FA_DIR / f"{stem}-used.woff", points)
        rules.append(f'@font-face {{ font-display: block; font-family: "{family}"; '
                     f"font-style: normal; font-weight: {weight}; "
                     f'src: url("vendor/fontawesome/webfonts/{stem}-used.woff") format("woff"); }}')
    return "\n".join(rules)


def _add_static(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))


def _strip_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = lighten(text, page.parent)
        if new != text:
            page.write_text(new, encoding="utf-8")
    rules = cut_icon_fonts(Path(app.outdir))
    if rules:  # after the theme's stylesheet, so these faces win over its full fonts
        site_css = Path(app.outdir) / "_static" / SITE_CSS
        note = "\n/* Font Awesome cut to the icons used (scripts/sphinx_site.py) */\n"
        site_css.write_text(site_css.read_text(encoding="utf-8") + note + rules + "\n",
                            encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _add_static)
    app.add_css_file(SITE_CSS)
    app.connect("build-finished", _strip_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
