"""Helpers for the website tests: build the book when needed, serve it on 127.0.0.1, watch a page.

Used by ``tests/book`` and ``benchmarks/bench_book_latency.py``.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
HTML = REPO / "_build" / "html"
SCREENSHOTS = REPO / "_build" / "screenshots"
BUILD_SCRIPT = REPO / "scripts" / "build_book.py"
MATHJAX = REPO / "web" / "node_modules" / "mathjax-full" / "js" / "mathjax.js"


def _unavailable(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def ensure_built() -> Path:
    """Build the book unless ``_build/html`` is up to date with its sources; return its folder.

    Installs the npm assets first when they are missing (``npm ci --prefix web``). Skips (fails on
    CI) when jupyter-book or npm is not available; fails with the build log if the build fails.
    """
    try:
        import jupyter_book  # noqa: F401
    except ImportError:
        _unavailable("jupyter-book is not installed: pip install -e '.[book]' to test the website")
    if not MATHJAX.is_file():
        npm = shutil.which("npm")
        if not npm:
            _unavailable("npm is needed once to fetch MathJax for the website: "
                         "npm ci --prefix web")
        proc = subprocess.run([npm, "ci", "--prefix", str(REPO / "web"), "--no-audit", "--no-fund"],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            pytest.fail(f"npm ci --prefix web failed:\n{proc.stdout}\n{proc.stderr}")
    proc = subprocess.run([sys.executable, str(BUILD_SCRIPT), "--if-stale"], cwd=REPO,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-60:])
        pytest.fail(f"the book does not build (scripts/build_book.py):\n{tail}")
    return HTML


def toc_pages() -> list[str]:
    """Site-relative paths of the pages listed in ``_toc.yml`` (``intro.html``, ...)."""
    text = (REPO / "_toc.yml").read_text(encoding="utf-8")
    names = re.findall(r"^\s*(?:root|-\s*file)\s*:\s*(\S+)", text, flags=re.MULTILINE)
    return [re.sub(r"\.(md|ipynb)$", "", n) + ".html" for n in names]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".woff": "font/woff", ".woff2": "font/woff2"}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextmanager
def serve(folder: Path, port: int,
          handler_class: type[QuietHandler] | None = None) -> Iterator[str]:
    """Serve ``folder`` on http://127.0.0.1:port/ from a thread; yield the base URL."""
    handler = functools.partial(handler_class or QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class PageWatch:
    """What one page did: console errors, uncaught exceptions, and requests that left 127.0.0.1."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"uncaught exception: {m}" for m in self.page_errors]
                + [f"request off 127.0.0.1 (blocked): {u}" for u in self.offsite]
                + [f"request failed: {u}" for u in self.failed])


def watch(context: Any, page: Any) -> PageWatch:
    """Record console errors and exceptions of ``page``; block and record every request of
    ``context`` whose host is not 127.0.0.1."""
    seen = PageWatch()

    def route(r: Any) -> None:
        url = r.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            seen.offsite.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: seen.failed.append(r.url)
            if urlsplit(r.url).hostname == "127.0.0.1" else None)
    return seen


def shot_name(page_path: str, suffix: str = "") -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = page_path.replace("/", "__").removesuffix(".html")
    return SCREENSHOTS / f"{stem}{suffix}.png"


#: True once no resource has finished loading for ``quiet`` ms and the page's fonts are ready.
_SETTLED_JS = """(quiet) => {
  const n = performance.getEntriesByType('resource').length;
  const now = performance.now();
  const s = window.__c5settle;
  if (!s || s.n !== n) { window.__c5settle = {n, t: now}; return false; }
  return document.readyState === 'complete' && document.fonts.status === 'loaded'
    && now - s.t >= quiet;
}"""


def settle(page: Any, quiet_ms: int = 750, timeout_ms: int = 60_000) -> None:
    """Wait until the page has loaded everything it is going to load (MathJax's fonts and
    components, the explorers' modules).

    Playwright's ``networkidle`` sometimes never arrives on a busy 2-core machine although no
    request is pending; the browser's own resource timeline is a steadier signal. Requests that
    leave the machine are caught by ``watch`` either way.
    """
    page.wait_for_load_state("load")
    page.wait_for_function(_SETTLED_JS, arg=quiet_ms, polling=100, timeout=timeout_ms)
