"""At the end of a test run: what was skipped because a tool is missing, and how to get it.

`make test` works with Python and make alone: the tests that need npm (the website), node (the
JavaScript parity test) or chromium (the real-browser tests) skip with a reason. This summary
groups those skips by reason so a reader sees at a glance what did not run and the one command
that makes it run. On CI (``CI`` set) the same tests fail instead of skipping.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hypothesis import settings  # noqa: E402
from skip_summary import missing_tool_summary, skip_reason  # noqa: E402

# On CI the property tests draw the same examples on every run (hypothesis's derandomize), so a
# run's result depends on the code alone; locally they keep exploring new examples.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    skips = [skip_reason(r) for r in terminalreporter.stats.get("skipped", [])]
    lines = missing_tool_summary(skips)
    if not lines:
        return
    terminalreporter.section("not run: a tool is missing", sep="=", yellow=True, bold=True)
    for line in lines:
        terminalreporter.write_line(line)
    if not os.environ.get("CI"):
        terminalreporter.write_line("Everything else ran. (On CI, with CI=true, these fail.)")
