"""Shared helpers for the real-browser tests (Debian's chromium driven by Python Playwright).

On a reader's laptop without chromium or playwright these tests are skipped with a reason; on CI
(``CI`` set) a missing browser is an error, because .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]


def chromium_path() -> str:
    """Path of the chromium binary, or skip (fail on CI) with a message saying how to get it."""
    path = os.environ.get("CHAPTER5_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser"
    )
    if path:
        return path
    message = (
        "no chromium found: install Debian's `chromium` (apt-get install chromium) or set "
        "CHAPTER5_CHROMIUM to a Chromium binary to run the browser tests"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def launched_browser() -> Iterator[Any]:
    """A headless chromium with networking features off (it hangs on closed networks otherwise)."""
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in the test extras
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed; pip install -e '.[test]'")
        pytest.skip("playwright is not installed; pip install -e '.[test]'")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
