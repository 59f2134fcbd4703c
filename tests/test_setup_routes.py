"""The set-up routes keep the README's promises: `make lab` (runtime only), conda/Binder
(`postBuild`), and `make test` without npm/node/chromium (skips listed with how to get them)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from skip_summary import how_to_get, missing_tool_summary

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = Path("share/jupyter/lab/settings/overrides.d/chapter5.json")

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make(*args: str) -> str:
    proc = subprocess.run(["make", "-C", str(ROOT), *args], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@needs_make
def test_make_lab_installs_the_runtime_only(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    lab = _make("-n", "lab", f"VENV={venv}")
    installs = [line for line in lab.splitlines() if "pip install" in line]
    assert any(line.rstrip().endswith("install --quiet -e .") for line in installs), lab
    assert not any("[test" in line or "[book" in line for line in installs), lab
    assert "scripts/workspace.py" in lab and "--ServerApp.root_dir=my-notebooks" in lab
    assert "npm" not in lab
    test = _make("-n", "test", f"VENV={venv}")
    assert '-e ".[test,book]"' in test and "npm" not in test


@needs_make
def test_conda_and_binder_get_the_same_lab_settings_as_make_lab(tmp_path: Path) -> None:
    # make lab's rule, with the install steps it depends on marked as done
    venv = tmp_path / "venv"
    _make(f"VENV={venv}", f"-o{venv}/.installed-runtime", str(venv / OVERRIDES))
    # repo2docker runs ./postBuild after installing environment.yml; conda users run it once
    prefix = tmp_path / "conda-env"
    proc = subprocess.run(["bash", str(ROOT / "postBuild")], capture_output=True, text=True,
                          check=False, env={**os.environ, "CHAPTER5_PREFIX": str(prefix)})
    assert proc.returncode == 0, proc.stderr
    made, built = venv / OVERRIDES, prefix / OVERRIDES
    assert made.read_bytes() == built.read_bytes()
    settings = json.loads(built.read_text())
    viewers = settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["python"] == "Jupytext Notebook"
    assert os.access(ROOT / "postBuild", os.X_OK), "repo2docker runs postBuild only if executable"
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists(), (
        "a binder/ folder makes repo2docker ignore environment.yml and postBuild at the root")


def test_the_readme_tells_conda_users_to_run_postbuild() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "./postBuild" in readme and "conda env create -f environment.yml" in readme


def test_skips_for_missing_tools_are_summed_up_with_how_to_get_them() -> None:
    skips = [
        ("book/test_book_pages.py", "npm is needed once to fetch MathJax for the website: "
                                    "npm ci --prefix web"),
        ("book/test_book_pages.py", "npm is needed once to fetch MathJax for the website: "
                                    "npm ci --prefix web"),
        ("lab/test_lab_notebooks.py", "no chromium found: install Debian's `chromium`"),
        ("tests/test_js_parity.py", "node is not installed: the JavaScript explorers' math "
                                    "cannot be checked here"),
        ("tests/test_data.py", "real MNIST not available: set CHAPTER5_MNIST_DIR"),
    ]
    lines = missing_tool_summary(skips)
    assert lines[0].startswith("2 tests skipped (book/test_book_pages.py): npm is needed")
    assert "apt-get install npm" in lines[1]
    assert any("apt-get install chromium" in line for line in lines)
    assert any("apt-get install nodejs" in line for line in lines)
    assert not any("MNIST" in line for line in lines)  # not a missing tool
    assert how_to_get("real MNIST not available") is None
    assert missing_tool_summary([]) == []


def test_licences_and_citation_are_in_place() -> None:
    import yaml  # type: ignore[import-untyped]

    assert "MIT License" in (ROOT / "LICENSE").read_text()
    content = (ROOT / "LICENSE-CONTENT.md").read_text()
    assert "CC BY 4.0" in content and "CC BY-NC 3.0" in content
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors", "license"} <= set(cff)
    assert cff["license"] == "MIT"
    footer = yaml.safe_load((ROOT / "_config.yml").read_text())["html"]["extra_footer"]
    assert "CC BY 4.0" in footer and "CC BY-NC 3.0" in footer and "MIT" in footer
