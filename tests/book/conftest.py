"""Fixtures for the website tests: one built book, one local server, one chromium per session.

The book is built (``scripts/build_book.py --if-stale``) the first time a test here needs it, so
``make test`` works in a fresh clone; a build that is up to date with its sources is reused.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
# bookkit (here), browser_support (tests/) and build_book (scripts/)
for _p in (HERE, HERE.parent, HERE.parents[1] / "scripts"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import bookkit  # noqa: E402
from browser_support import chromium_path, free_port, launched_browser  # noqa: E402

VIEWPORT = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).resolve().parent == HERE and "browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def site() -> Path:
    """The built website folder (``_build/html``), built now if missing or stale."""
    return bookkit.ensure_built()


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """http://127.0.0.1:PORT/ serving the built site."""
    with bookkit.serve(site, free_port()) as url:
        yield url


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[Any]:
    """A headless chromium for one test module.

    Module scope on purpose: Playwright's sync API allows one running instance per thread, and
    tests/lab keeps its own for its whole session; ours is closed before those tests start.
    """
    chromium_path()
    with launched_browser() as b:
        yield b


@pytest.fixture
def open_page(browser: Any, base_url: str) -> Iterator[Any]:
    """open_page(path, dark=False) -> (page, watch): a fresh context per call, offsite blocked."""
    contexts: list[Any] = []

    def _open(path: str, dark: bool = False) -> tuple[Any, bookkit.PageWatch]:
        context = browser.new_context(viewport=VIEWPORT,
                                      color_scheme="dark" if dark else "light")
        contexts.append(context)
        page = context.new_page()
        seen = bookkit.watch(context, page)
        page.goto(base_url + path, wait_until="load")
        return page, seen

    yield _open
    for c in contexts:
        c.close()
