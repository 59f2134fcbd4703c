"""Build the website: a strict Jupyter Book 1.x build that renders offline.

Usage::

    .venv/bin/python scripts/build_book.py            # what `make book` runs
    .venv/bin/python scripts/build_book.py --if-stale # rebuild only when a source changed (tests)

Steps, each failing loudly (non-zero exit and a message saying what to do):

1. Check the npm assets (MathJax 3, ``mathjax-full`` in ``web/node_modules``; install with
   ``npm ci --prefix web``).
2. Prepare ``_build/.site_extra/`` — copied verbatim into the site root by Sphinx's
   ``html_extra_path`` — with ``_explorers/`` (the kernel-free explorers from ``chapter5/js``;
   for the deep-network lab also ``lab_presets.js`` and the first 1000 MNIST training images as
   bytes, ``lab_mnist.bin``, from scripts/lab_site.py: MNIST must be on this machine) and
   ``_mathjax/woff-v2/`` (MathJax's web fonts: the math is typeset during the build by
   ``scripts/sphinx_math.py``, and pages load no MathJax script). Nothing goes into a ``_static/``
   folder of the book root: Jupyter Book 1 would inject every JS file there into every page.
3. Write the effective config ``_build/.book_config.yml``: ``_config.yml`` plus the repository
   URL for the launch (Binder) buttons, taken from ``CHAPTER5_REPO_URL`` or ``git remote origin``.
   Without one, the launch buttons are left out rather than pointing somewhere wrong.
4. ``jupyter-book build . -W -n --keep-going``: every warning is an error. Notebooks are not
   executed (``execute_notebooks: off``): the committed outputs are rendered.
5. Check the result: the explorers are in place, no page refers to a CDN, and no page has TeX
   left for a MathJax runtime.
6. Record a hash of every input in ``_build/html/.build-hash`` so ``--if-stale`` can skip work.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml
from lab_site import LabAssetError, write_lab_assets
from sphinx_math import FONT_DIR, FONT_SOURCE, unrendered_math

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
HTML = BUILD / "html"
EXTRA = BUILD / ".site_extra"
CONFIG_OUT = BUILD / ".book_config.yml"
HASH_FILE = HTML / ".build-hash"
#: Addresses of CDNs and trackers: none may appear anywhere in a built page (the site is offline).
CDN_PATTERN = re.compile(
    r"(?:https?:)?//(?:[a-z0-9.-]*\.)?"
    r"(?:jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|googleapis\.com|gstatic\.com|"
    r"mathjax\.org|plausible\.io|googletagmanager\.com|google-analytics\.com|cdn\.[a-z0-9.-]+)",
    re.IGNORECASE,
)


class BuildError(RuntimeError):
    """A build step failed; the message says what to do."""


def input_files() -> list[Path]:
    """Every file whose change should trigger a rebuild."""
    files = [ROOT / name for name in ("_config.yml", "_toc.yml", "web/package-lock.json")]
    files += sorted(ROOT.glob("*.md")) + sorted(ROOT.glob("*.bib"))
    files += sorted((ROOT / "notebooks").glob("*.ipynb"))
    files += sorted((ROOT / "chapter5" / "js").glob("*.js"))
    files += [ROOT / "scripts" / "sphinx_math.py", ROOT / "web" / "render_math.js"]
    files += [Path(__file__), ROOT / "scripts" / "sphinx_offline.py", ROOT / "web" / "favicon.svg",
              ROOT / "scripts" / "sphinx_glue.py", ROOT / "chapter5" / "prose.py",
              ROOT / "scripts" / "sphinx_site.py", ROOT / "web" / "static" / "chapter5-site.css",
              ROOT / "scripts" / "lab_site.py", ROOT / "chapter5" / "lab.py",
              ROOT / "chapter5" / "viz" / "lab.py", ROOT / "chapter5" / "viz" / "style.py"]
    return [f for f in files if f.is_file()]


def input_hash() -> str:
    h = hashlib.sha256()
    for f in input_files():
        h.update(str(f.relative_to(ROOT)).encode())
        h.update(f.read_bytes())
    h.update(repo_url().encode())
    return h.hexdigest()


def is_stale() -> bool:
    return not (HASH_FILE.is_file() and HASH_FILE.read_text().strip() == input_hash())


def repo_url() -> str:
    """The project's public repository (https form), or "" when unknown."""
    url = os.environ.get("CHAPTER5_REPO_URL", "").strip()
    if not url:
        try:
            url = subprocess.run(
                ["git", "-C", str(ROOT), "remote", "get-url", "origin"],
                capture_output=True, text=True, check=False,
            ).stdout.strip()
        except OSError:
            url = ""
    m = re.match(r"git@github\.com:(.+?)(?:\.git)?$", url)
    if m:
        url = f"https://github.com/{m.group(1)}"
    url = re.sub(r"\.git$", "", url)
    return url if url.startswith("https://") else ""


def prepare_assets() -> None:
    if not (FONT_SOURCE / "MathJax_Main-Regular.woff").is_file():
        raise BuildError(
            f"MathJax is missing ({FONT_SOURCE}). The book typesets its math with MathJax "
            "and serves the fonts itself (no CDN); install it from the npm registry with:  "
            "npm ci --prefix web"
        )
    if EXTRA.exists():
        shutil.rmtree(EXTRA)
    explorers = EXTRA / "_explorers"
    explorers.mkdir(parents=True)
    js = sorted((ROOT / "chapter5" / "js").glob("*.js"))
    if not js:
        raise BuildError("no explorer modules found in chapter5/js")
    for f in js:
        shutil.copy2(f, explorers / f.name)
    try:  # the deep-network lab's presets module and its MNIST images (scripts/lab_site.py)
        write_lab_assets(explorers)
    except LabAssetError as exc:
        raise BuildError(str(exc)) from exc
    shutil.copytree(FONT_SOURCE, EXTRA / FONT_DIR)
    # Sphinx never deletes what an earlier build copied: no stale MathJax runtime in the site
    shutil.rmtree(HTML / "_mathjax", ignore_errors=True)


def write_config() -> Path:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    # Jupyter Book resolves local extension folders against the config file's folder.
    local = config.get("sphinx", {}).get("local_extensions") or {}
    for name, folder in local.items():
        local[name] = str((ROOT / folder).resolve())
    url = repo_url()
    if url:
        config.setdefault("repository", {})["url"] = url
    else:
        # No known repository: no launch or repository buttons (they would point elsewhere).
        config.setdefault("launch_buttons", {})["binderhub_url"] = ""
        html = config.setdefault("html", {})
        html["use_repository_button"] = False
        html["use_issues_button"] = False
        html["use_edit_page_button"] = False
        print("note: no repository URL (set CHAPTER5_REPO_URL or a git remote 'origin'); "
              "building without Binder launch buttons", file=sys.stderr)
    BUILD.mkdir(exist_ok=True)
    CONFIG_OUT.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return CONFIG_OUT


def jupyter_book() -> list[str]:
    exe = Path(sys.executable).parent / "jupyter-book"
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("jupyter-book")
    if not found:
        raise BuildError("jupyter-book is not installed: pip install -e '.[book]'")
    return [found]


def run_build(config: Path) -> None:
    cmd = jupyter_book() + [
        "build", str(ROOT), "--all", "--config", str(config), "-W", "-n", "--keep-going",
    ]
    print("+ " + " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, cwd=ROOT, check=False)
    if proc.returncode != 0:
        raise BuildError(
            f"jupyter-book build failed (exit {proc.returncode}); every warning above is an "
            "error (-W). Fix the page it names, then run `make book` again."
        )


def check_site() -> None:
    for name in ("index.html", "_explorers/chain_explorer.js", "_explorers/prevalence_band.js",
                 "_explorers/lab_explorer.js", "_explorers/lab_hash.js",
                 "_explorers/lab_controls.js", "_explorers/lab_chart.js",
                 "_explorers/lab_views.js", "_explorers/lab_style.js", "_explorers/lab_presets.js",
                 "_explorers/lab_mnist.bin", f"{FONT_DIR}/MathJax_Main-Regular.woff"):
        if not (HTML / name).is_file():
            raise BuildError(f"the built site lacks {name}")
    bad = []
    for page in HTML.rglob("*.html"):
        for m in CDN_PATTERN.finditer(page.read_text(encoding="utf-8", errors="replace")):
            bad.append(f"{page.relative_to(HTML)}: {m.group(0)}")
    if bad:
        listing = "\n  ".join(bad)
        raise BuildError(f"pages refer to a CDN (the site must work offline):\n  {listing}")
    left = [f"{page.relative_to(HTML)}: {what}" for page in sorted(HTML.rglob("*.html"))
            for what in unrendered_math(page.read_text(encoding="utf-8"))]
    if left:
        listing = "\n  ".join(left[:20])
        raise BuildError(f"pages left math for a MathJax runtime (scripts/sphinx_math.py "
                         f"typesets it during the build):\n  {listing}")


def build() -> float:
    start = time.perf_counter()
    prepare_assets()
    config = write_config()
    if HASH_FILE.exists():
        HASH_FILE.unlink()
    run_build(config)
    check_site()
    HASH_FILE.write_text(input_hash() + "\n")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--if-stale", action="store_true",
                        help="skip the build when _build/html is up to date with its inputs")
    args = parser.parse_args(argv)
    if args.if_stale and not is_stale():
        print("book is up to date: _build/html")
        return 0
    try:
        seconds = build()
    except BuildError as exc:
        print(f"\nBOOK BUILD FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"book built in {seconds:.1f} s: open {HTML / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
