"""Install the project's JupyterLab settings into a Python environment (one place, two routes).

Usage::

    .venv/bin/python scripts/lab_setup.py     # what `make lab` and `make test` run
    python scripts/lab_setup.py               # ./postBuild: Binder, and conda users once

Into the environment of the Python that runs it (``sys.prefix``), from ``lab-settings/``:

* ``chapter5.json`` -> ``share/jupyter/lab/settings/overrides.d/chapter5.json``: double-clicking
  a notebook's ``.py`` opens it as a notebook (jupytext's viewer);
* ``jupyter_lab_config.json`` merged into ``etc/jupyter/jupyter_lab_config.json`` (other
  settings already there are kept): turns on JupyterLab's ``custom_css``;
* ``custom.css`` -> ``custom/custom.css`` in the static folder of the installed
  ``jupyter_server``, where ``custom_css`` looks: figures on a softer plate in dark themes.

Only files of this project are written, and only inside that environment (never in the
reader's home folder). ``--prefix`` installs into another folder (the tests use it).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ROOT / "lab-settings"
#: lab-settings file -> where it goes, relative to the environment's prefix
COPIED = {"chapter5.json": Path("share/jupyter/lab/settings/overrides.d/chapter5.json")}
#: merged key by key (JupyterLab reads no .d folder for its own config)
MERGED = {"jupyter_lab_config.json": Path("etc/jupyter/jupyter_lab_config.json")}
CUSTOM_CSS = "custom.css"


def custom_css_dir() -> Path:
    """The folder JupyterLab's custom_css reads ``custom.css`` from (besides ~/.jupyter/custom,
    which belongs to the reader)."""
    try:
        import jupyter_server
    except ImportError:
        raise SystemExit("jupyter_server is not installed in this environment: install the project "
                         "first (make lab, or conda env create -f environment.yml)") from None
    return Path(jupyter_server.__file__).resolve().parent / "static" / "custom"


def install(prefix: Path, css_dir: Path) -> list[Path]:
    """Copy the settings; return the files written."""
    written = []
    for name, rel in COPIED.items():
        target = prefix / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SETTINGS / name, target)
        written.append(target)
    for name, rel in MERGED.items():
        target = prefix / rel
        ours = json.loads((SETTINGS / name).read_text(encoding="utf-8"))
        config = json.loads(target.read_text(encoding="utf-8")) if target.is_file() else {}
        if not isinstance(config, dict):
            raise SystemExit(f"{target} is not a JSON object; fix or remove it, then run again")
        for section, values in ours.items():
            config.setdefault(section, {}).update(values)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(target)
    css_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SETTINGS / CUSTOM_CSS, css_dir / CUSTOM_CSS)
    written.append(css_dir / CUSTOM_CSS)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", type=Path, default=None,
                        help="install under this folder instead of the running environment")
    args = parser.parse_args(argv)
    if args.prefix is None:
        prefix, css_dir = Path(sys.prefix), custom_css_dir()
    else:
        prefix, css_dir = args.prefix, args.prefix / "jupyter_server-static" / "custom"
    for path in install(prefix, css_dir):
        print(f"JupyterLab setting installed: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
