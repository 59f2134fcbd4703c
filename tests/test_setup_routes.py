"""The set-up routes keep the README's promises: `make lab` (runtime only), conda/Binder
(`postBuild`), and `make test` without npm/node/chromium (skips listed with how to get them)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from skip_summary import how_to_get, missing_tool_summary

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
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
    # make lab's rule runs scripts/lab_setup.py with the venv's python ...
    venv = tmp_path / "venv"
    rule = _make("-n", f"VENV={venv}", f"-o{venv}/.installed-runtime", str(venv / OVERRIDES))
    assert f"{venv}/bin/python scripts/lab_setup.py" in rule, rule
    # ... and repo2docker (Binder) and conda users run ./postBuild, which runs the same script
    assert os.access(ROOT / "postBuild", os.X_OK), "repo2docker runs postBuild only if executable"
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists(), (
        "a binder/ folder makes repo2docker ignore environment.yml and postBuild at the root")
    prefix = tmp_path / "conda-env"
    (prefix / "etc" / "jupyter").mkdir(parents=True)
    (prefix / "etc" / "jupyter" / "jupyter_lab_config.json").write_text(
        '{"LabApp": {"collaborative": false}, "ServerApp": {"port": 9999}}')
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    proc = subprocess.run(["bash", str(ROOT / "postBuild"), "--prefix", str(prefix)],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"})
    assert proc.returncode == 0, proc.stderr
    assert (prefix / OVERRIDES).read_bytes() == (ROOT / "lab-settings/chapter5.json").read_bytes()
    viewers = json.loads((prefix / OVERRIDES).read_text())[
        "@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["python"] == "Jupytext Notebook"
    merged = json.loads((prefix / "etc/jupyter/jupyter_lab_config.json").read_text())
    assert merged == {"LabApp": {"collaborative": False, "custom_css": True},
                      "ServerApp": {"port": 9999}}, "settings already there must be kept"
    assert "dark" in (prefix / "jupyter_server-static/custom/custom.css").read_text()


def test_jupyterlab_reads_the_places_lab_setup_writes_to() -> None:
    import lab_setup
    from jupyter_core.paths import jupyter_config_path
    from jupyterlab.commands import get_app_dir  # type: ignore[import-untyped]

    assert Path(get_app_dir()) / "settings" / "overrides.d" / "chapter5.json" == (
        Path(sys.prefix) / lab_setup.COPIED["chapter5.json"])
    assert str(Path(sys.prefix) / "etc" / "jupyter") in jupyter_config_path()
    static_custom = lab_setup.custom_css_dir()
    from jupyter_server.serverapp import DEFAULT_STATIC_FILES_PATH
    assert static_custom == Path(DEFAULT_STATIC_FILES_PATH).resolve() / "custom"


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
