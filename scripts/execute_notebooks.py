"""Execute paired notebooks from their .py source and write the .ipynb with fresh outputs.

Usage::

    .venv/bin/python scripts/execute_notebooks.py notebooks/03-chain-of-neurons.py [more.py ...]
    .venv/bin/python scripts/execute_notebooks.py --all

The .py (jupytext percent format) is the source; the .ipynb is regenerated from it, executed
top to bottom in ``notebooks/`` with a fresh kernel, and saved with its outputs so nbval can
check them. Widget state is not stored: the website uses its own kernel-free explorers.

Numbers the prose states in glue spans (``<span data-glue="key:fmt">...</span>``, see
``chapter5.prose``) are rewritten from the values the fresh run glued, in both files.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from jupytext.config import load_jupytext_config
from nbclient import NotebookClient

from chapter5.prose import ProseError, refresh_prose

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def keep_cell_ids(nb: nbformat.NotebookNode, old_path: Path) -> None:
    """Give cells the ids they had in the previous .ipynb (matched by type and source), so that a
    re-run changes only what really changed instead of every cell id."""
    if not old_path.exists():
        return
    old_ids: dict[tuple[str, str], list[str]] = {}
    for cell in nbformat.read(old_path, as_version=4).cells:
        if "id" in cell:
            old_ids.setdefault((cell.cell_type, cell.source.strip()), []).append(cell.id)
    used: set[str] = set()
    for cell in nb.cells:
        ids = old_ids.get((cell.cell_type, cell.source.strip()))
        if ids and ids[0] not in used:
            cell.id = ids.pop(0)
            used.add(cell.id)


def execute(py: Path, timeout: int = 1800) -> tuple[float, int]:
    """Execute one notebook source; return the wall time in seconds and how many numbers in
    its prose changed."""
    nb = jupytext.read(py)
    keep_cell_ids(nb, py.with_suffix(".ipynb"))
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}},
                            store_widget_state=False)
    client.execute()
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:  # timestamps would churn the diff on every re-run
        cell.metadata.pop("execution", None)
    try:
        refreshed = refresh_prose(nb)
    except ProseError as exc:
        raise SystemExit(f"{py.name}: {exc}") from None
    target = py.with_suffix(".ipynb")
    config = load_jupytext_config(str(NOTEBOOKS))  # jupytext.toml: pairing, metadata filter
    jupytext.write(nb, target, fmt="ipynb", config=config)
    nbformat.validate(nbformat.read(target, as_version=4))
    # Re-write the .py through jupytext so both halves of the pair carry the same metadata.
    jupytext.write(nb, py, fmt="py:percent", config=config)
    return elapsed, refreshed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--all", action="store_true", help="every notebooks/*.py")
    args = parser.parse_args(argv)
    paths = sorted(NOTEBOOKS.glob("[0-9]*.py")) if args.all else args.paths
    if not paths:
        parser.error("name at least one notebooks/*.py, or pass --all")
    for py in paths:
        py = py.resolve()
        if py.suffix != ".py" or not py.exists():
            parser.error(f"{py} is not an existing .py notebook source")
        print(f"executing {py.relative_to(ROOT)} ...", flush=True)
        elapsed, refreshed = execute(py)
        note = f"; {refreshed} number(s) in the prose updated" if refreshed else ""
        print(f"  done in {elapsed:.1f} s{note}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
