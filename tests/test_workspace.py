"""`make lab` opens the reader's own copies (scripts/workspace.py); nothing made is lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import workspace  # noqa: E402


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, Path]:
    source = tmp_path / "notebooks"
    source.mkdir()
    for name in ("01-a", "02-b"):
        (source / f"{name}.ipynb").write_text(f'{{"cells": "{name} committed"}}')
        (source / f"{name}.py").write_text(f"# {name} committed\n")
    return source, tmp_path / "my-notebooks"


def test_first_run_copies_every_pair_and_pairs_them_inside(repo: tuple[Path, Path]) -> None:
    source, ws = repo
    report = workspace.prepare(ws, source)
    assert report.copied == ["01-a", "02-b"]
    assert sorted(p.name for p in ws.glob("0*")) == ["01-a.ipynb", "01-a.py", "02-b.ipynb",
                                                     "02-b.py"]
    assert (ws / "01-a.py").read_text() == "# 01-a committed\n"
    assert 'formats = "ipynb,py:percent"' in (ws / "jupytext.toml").read_text()


def test_a_later_run_never_overwrites_the_readers_work(repo: tuple[Path, Path]) -> None:
    source, ws = repo
    workspace.prepare(ws, source)
    (ws / "01-a.ipynb").write_text("my run-all outputs")
    (ws / "02-b.py").unlink()  # even half a pair counts as the reader's
    (ws / "my-own.ipynb").write_text("mine")
    (source / "01-a.ipynb").write_text("pulled: a newer committed version")
    (source / "03-c.ipynb").write_text("pulled: a new notebook")

    report = workspace.prepare(ws, source)

    assert (ws / "01-a.ipynb").read_text() == "my run-all outputs"
    assert not (ws / "02-b.py").exists()
    assert (ws / "my-own.ipynb").read_text() == "mine"
    assert report.copied == ["03-c"] and (ws / "03-c.ipynb").read_text() == "pulled: a new notebook"
    assert report.updated_upstream == ["01-a"]
    assert any("make fresh NB=01-a" in line for line in report.lines(ws))


def test_fresh_saves_the_readers_copy_before_taking_the_committed_one(
        repo: tuple[Path, Path]) -> None:
    source, ws = repo
    workspace.prepare(ws, source)
    (ws / "01-a.ipynb").write_text("my work")
    (source / "01-a.ipynb").write_text("new committed")

    report = workspace.fresh(["01-a"], ws, source, stamp="t1")

    assert (ws / "01-a.ipynb").read_text() == "new committed"
    assert (ws / "saved" / "t1" / "01-a.ipynb").read_text() == "my work"
    assert (ws / "02-b.ipynb").read_text() == '{"cells": "02-b committed"}'
    assert report.saved_to == ws / "saved" / "t1"
    assert workspace.prepare(ws, source).updated_upstream == []  # the record follows the copy

    workspace.fresh(None, ws, source, stamp="t2")
    assert sorted(p.name for p in (ws / "saved" / "t2").iterdir()) == [
        "01-a.ipynb", "01-a.py", "02-b.ipynb", "02-b.py"]
    with pytest.raises(workspace.WorkspaceError, match="exists already"):
        workspace.fresh(None, ws, source, stamp="t2")


def test_bad_requests_get_a_message(repo: tuple[Path, Path], tmp_path: Path) -> None:
    source, ws = repo
    with pytest.raises(workspace.WorkspaceError, match="no committed notebook named 09-x"):
        workspace.fresh(["09-x"], ws, source)
    with pytest.raises(workspace.WorkspaceError, match="no notebooks found"):
        workspace.prepare(ws, tmp_path / "empty")
    ws.mkdir(exist_ok=True)
    (ws / ".origin.json").write_text("{broken")
    with pytest.raises(workspace.WorkspaceError, match="not valid JSON"):
        workspace.prepare(ws, source)


def test_the_workspace_is_ignored_by_git_and_the_commands_work() -> None:
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q",
                              "my-notebooks/03-chain-of-neurons.ipynb"], check=False)
    assert ignored.returncode == 0, "my-notebooks/ must be in .gitignore"
    makefile = (ROOT / "Makefile").read_text()
    assert "scripts/workspace.py" in makefile and "--ServerApp.root_dir=my-notebooks" in makefile
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "workspace.py"), "--fresh"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "name the notebooks" in proc.stderr


def test_the_committed_names_are_what_make_lab_copies() -> None:
    names = workspace.committed_notebooks()
    assert "03-chain-of-neurons" in names
    assert all(files[0].suffix == ".ipynb" for files in names.values())
