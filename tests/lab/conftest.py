"""Fixtures for the JupyterLab tests: one private JupyterLab and one headless chromium per session.

The server serves a temporary copy of ``notebooks/`` (see ``labkit.LabServer``); every test module
opens its notebook in a fresh workspace of its own and shuts its kernel down afterwards.
Screenshots of every step go to ``_build/lab-screenshots/``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
for _p in (HERE, HERE.parent):  # labkit (here) and browser_support (tests/)
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import labkit  # noqa: E402
from browser_support import chromium_path, free_port, launched_browser  # noqa: E402

SCREENSHOTS = labkit.REPO / "_build" / "lab-screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).resolve().parent == HERE:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def lab_server() -> Iterator[labkit.LabServer]:
    """A JupyterLab on 127.0.0.1 serving a copy of notebooks/ (or of $CHAPTER5_LAB_NOTEBOOKS)."""
    chromium_path()  # skip (or fail on CI) before starting anything if there is no browser
    server = labkit.LabServer(free_port())
    source = os.environ.get("CHAPTER5_LAB_NOTEBOOKS")  # developing against other notebooks
    if source:
        labkit.copy_notebooks(server.root_dir.parent, Path(source))
    try:
        server.start()
        yield server
    finally:
        server.stop()
        server.cleanup()


@pytest.fixture(scope="session")
def browser(lab_server: labkit.LabServer) -> Iterator[Any]:
    with launched_browser() as b:
        yield b


@pytest.fixture(scope="module")
def lab_page(browser: Any, lab_server: labkit.LabServer, request: pytest.FixtureRequest) -> Any:
    """A page of its own for the test module, closed (and its kernels shut down) afterwards."""
    with labkit.fresh_page(browser, lab_server) as page:
        yield page


@pytest.fixture(scope="session")
def screenshot() -> Any:
    """``screenshot(page, name)`` saves ``_build/lab-screenshots/<name>.png``; returns the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str, locator: Any = None) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        if locator is not None:
            locator.screenshot(path=str(path))
        else:
            page.screenshot(path=str(path))
        return path

    return take
