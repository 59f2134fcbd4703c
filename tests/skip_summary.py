"""Summing up the tests skipped because a tool is missing (used by tests/conftest.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

#: A word in a skip reason -> how to get what is missing (Debian/Ubuntu commands).
HOW_TO_GET = {
    "chromium": "apt-get install chromium   (or set CHAPTER5_CHROMIUM to a Chromium binary)",
    "npm": "apt-get install npm   (the website tests then fetch MathJax once: npm ci --prefix web)",
    "node": "apt-get install nodejs",
    "jupyter-book": "make test installs it (pip install -e '.[book]')",
    "playwright": "make test installs it (pip install -e '.[test]')",
}


def how_to_get(reason: str) -> str | None:
    """The install hint for a skip reason that names a missing tool, else None."""
    low = reason.lower()
    for word, hint in HOW_TO_GET.items():
        if word in low:
            return hint
    return None


def missing_tool_summary(skips: list[tuple[str, str]]) -> list[str]:
    """Lines for the summary from (test file, skip reason) pairs; [] when no tool was missing."""
    by_reason: Counter[str] = Counter()
    files: dict[str, set[str]] = {}
    for path, reason in skips:
        if how_to_get(reason) is None:
            continue
        by_reason[reason] += 1
        files.setdefault(reason, set()).add(path)
    lines = []
    for reason, count in by_reason.most_common():
        where = ", ".join(sorted(files[reason]))
        lines.append(f"{count} test{'s' if count != 1 else ''} skipped ({where}): {reason}")
        lines.append(f"    to run them: {how_to_get(reason)}")
    return lines


def skip_reason(report: Any) -> tuple[str, str]:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        path, _, reason = longrepr
    else:
        path, reason = report.nodeid.split("::")[0], str(longrepr)
    reason = str(reason).removeprefix("Skipped: ")
    folder = Path(str(path)).parent.name or str(path)
    return f"{folder}/{Path(str(path)).name}", reason
