"""nbval really compares our stored outputs: a tampered number in a committed notebook fails."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "04-exploding-gradients.ipynb"


def run_nbval(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q",
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
         "-c", str(path.parent / "empty.ini"), str(path)],
        capture_output=True, text=True, cwd=path.parent, timeout=600,
    )


def tamper(nb: nbformat.NotebookNode) -> str:
    """Change the first digit of the first printed number in a checked cell; return the cell."""
    for cell in nb.cells:
        if cell.cell_type != "code" or "NBVAL_IGNORE_OUTPUT" in cell.source:
            continue
        for out in cell.outputs:
            if out.output_type == "stream" and out.name == "stdout":
                match = re.search(r"\d", out.text)
                if match:
                    i = match.start()
                    digit = "1" if out.text[i] != "1" else "2"
                    out.text = out.text[:i] + digit + out.text[i + 1:]
                    return cell.source
    raise AssertionError("no checked cell prints a number: nothing to tamper with")


@pytest.mark.slow
def test_a_tampered_stored_number_makes_nbval_fail_and_the_original_passes(tmp_path):
    (tmp_path / "empty.ini").write_text("[pytest]\n")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    original = tmp_path / "original.ipynb"
    nbformat.write(nb, original)
    tampered_source = tamper(nb)
    tampered = tmp_path / "tampered.ipynb"
    nbformat.write(nb, tampered)

    good = run_nbval(original)
    assert good.returncode == 0, good.stdout[-3000:]
    bad = run_nbval(tampered)
    assert bad.returncode != 0, "nbval accepted a notebook whose stored output was changed"
    assert "1 failed" in bad.stdout, bad.stdout[-3000:]
    assert tampered_source.splitlines()[0][:40] in bad.stdout
