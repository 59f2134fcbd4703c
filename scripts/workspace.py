"""The reader's own copy of the notebooks: what `make lab` opens.

Usage::

    .venv/bin/python scripts/workspace.py            # make lab: create or top up my-notebooks/
    .venv/bin/python scripts/workspace.py --fresh 03-chain-of-neurons   # make fresh NB=03-...
    .venv/bin/python scripts/workspace.py --fresh --all                 # make fresh (all)

The committed notebooks in ``notebooks/`` stay the source for ``make execute`` and the tests;
JupyterLab never writes to them. ``my-notebooks/`` (ignored by git) holds the reader's copies:

* the first ``make lab`` copies every notebook pair (``.ipynb`` and its ``.py``) into it;
* a later ``make lab`` (for example after ``git pull``) copies only notebooks that are new, and
  never touches a copy that is already there; it names the notebooks that were updated in the
  repository since they were copied, and how to take the new version;
* ``--fresh`` takes the committed version of a notebook (or of all of them) again, after moving
  the reader's copy aside into ``my-notebooks/saved/<time>/``, so nothing is lost.

``my-notebooks/.origin.json`` remembers the sha256 of the committed files each copy came from;
that is how "updated in the repository" is told apart from "changed by the reader".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "notebooks"
WORKSPACE = ROOT / "my-notebooks"
ORIGIN = ".origin.json"
SAVED = "saved"
#: Pairs the copies with each other inside the workspace (the repository's own jupytext.toml
#: pairs the committed notebooks and must not apply to the copies).
JUPYTEXT_TOML = (
    "# Written by `make lab` (scripts/workspace.py): your copies stay paired with each other.\n"
    'formats = "ipynb,py:percent"\n'
    'notebook_metadata_filter = "-jupytext.text_representation.jupytext_version"\n'
)


class WorkspaceError(RuntimeError):
    """A request the workspace cannot carry out; the message says what to do."""


@dataclass
class Report:
    copied: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    updated_upstream: list[str] = field(default_factory=list)
    saved_to: Path | None = None

    def lines(self, workspace: Path) -> list[str]:
        out = []
        if self.saved_to is not None:
            out.append(f"your previous copies are saved in {self.saved_to}")
        if self.copied:
            out.append(f"copied into {workspace}: " + ", ".join(self.copied))
        if self.updated_upstream:
            out.append("updated in the repository since you copied them (your copies are kept): "
                       + ", ".join(self.updated_upstream))
            out.append("  to take the new version of one (yours is moved to "
                       f"{workspace.name}/{SAVED}/): make fresh NB={self.updated_upstream[0]}")
        return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def committed_notebooks(source: Path = SOURCE) -> dict[str, list[Path]]:
    """Notebook name (stem) -> its committed files, .ipynb first."""
    names: dict[str, list[Path]] = {}
    for ipynb in sorted(source.glob("*.ipynb")):
        files = [ipynb]
        if ipynb.with_suffix(".py").is_file():
            files.append(ipynb.with_suffix(".py"))
        names[ipynb.stem] = files
    if not names:
        raise WorkspaceError(f"no notebooks found in {source}")
    return names


def _read_origin(workspace: Path) -> dict[str, dict[str, str]]:
    path = workspace / ORIGIN
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise WorkspaceError(f"{path} is not valid JSON ({exc}); delete it and run make lab "
                             "again (your notebooks are not touched)") from None
    return data if isinstance(data, dict) else {}


def _write_origin(workspace: Path, origin: dict[str, dict[str, str]]) -> None:
    (workspace / ORIGIN).write_text(json.dumps(origin, indent=1, sort_keys=True) + "\n",
                                    encoding="utf-8")


def _copy(files: list[Path], workspace: Path) -> dict[str, str]:
    # The .ipynb first, the .py after it: jupytext refuses a pair whose .ipynb is newer.
    for f in files:
        shutil.copyfile(f, workspace / f.name)
    return {f.name: _sha256(f) for f in files}


def prepare(workspace: Path = WORKSPACE, source: Path = SOURCE) -> Report:
    """Create the workspace or copy in notebooks it lacks; never overwrite a file in it."""
    notebooks = committed_notebooks(source)
    workspace.mkdir(parents=True, exist_ok=True)
    toml = workspace / "jupytext.toml"
    if not toml.exists():
        toml.write_text(JUPYTEXT_TOML, encoding="utf-8")
    origin = _read_origin(workspace)
    report = Report()
    for name, files in notebooks.items():
        if any((workspace / f.name).exists() for f in files):
            report.kept.append(name)
            recorded = origin.get(name, {})
            if recorded and any(recorded.get(f.name) != _sha256(f) for f in files):
                report.updated_upstream.append(name)
            continue
        origin[name] = _copy(files, workspace)
        report.copied.append(name)
    _write_origin(workspace, origin)
    return report


def fresh(names: list[str] | None, workspace: Path = WORKSPACE, source: Path = SOURCE,
          stamp: str | None = None) -> Report:
    """Take the committed version of the named notebooks (all when ``names`` is None) again.

    The reader's current copies are moved to ``saved/<stamp>/`` first, never deleted.
    """
    notebooks = committed_notebooks(source)
    if names is None:
        names = list(notebooks)
    unknown = [n for n in names if n not in notebooks]
    if unknown:
        raise WorkspaceError(f"no committed notebook named {', '.join(unknown)}; choose from: "
                             + ", ".join(notebooks))
    workspace.mkdir(parents=True, exist_ok=True)
    stamp = stamp or time.strftime("%Y%m%d-%H%M%S")
    saved = workspace / SAVED / stamp
    origin = _read_origin(workspace)
    report = Report()
    for name in names:
        mine = [workspace / f.name for f in notebooks[name] if (workspace / f.name).exists()]
        if mine:
            saved.mkdir(parents=True, exist_ok=True)
            for f in mine:
                target = saved / f.name
                if target.exists():
                    raise WorkspaceError(f"{target} exists already; try again in a second")
                shutil.move(str(f), target)
            report.saved_to = saved
        origin[name] = _copy(notebooks[name], workspace)
        report.copied.append(name)
    _write_origin(workspace, origin)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", nargs="*", metavar="NOTEBOOK",
                        help="take the committed version of these notebooks again (yours are "
                             "saved first); with --all, of every notebook")
    parser.add_argument("--all", action="store_true", help="with --fresh: every notebook")
    parser.add_argument("--workspace", type=Path, default=WORKSPACE, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.fresh is None:
            if args.all:
                parser.error("--all goes with --fresh")
            report = prepare(args.workspace)
        else:
            names = [n.removesuffix(".ipynb").removesuffix(".py").split("/")[-1]
                     for n in args.fresh]
            if not names and not args.all:
                parser.error("name the notebooks to take again (e.g. --fresh 03-chain-of-neurons)"
                             " or pass --all")
            report = fresh(None if args.all else names, args.workspace)
    except WorkspaceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in report.lines(args.workspace):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
