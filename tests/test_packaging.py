"""The project's own promises about itself: installable the same way with pip and conda, notebook
pairs in sync, math modules free of plotting code, every public helper documented, lint clean."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
MATH_MODULES = ["activations", "chain", "prevalence", "readout", "circuits", "network", "data",
                "experiments", "identity", "obstacles", "explorer_readouts", "lab", "lockstep"]
NOTEBOOK_NAME = re.compile(r"0[1-9]-[a-z0-9-]+")


def _requirements() -> tuple[list[str], list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        pip_reqs += extra
    pip_reqs = [r.replace(" ", "") for r in pip_reqs if "python_version" not in r]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d.replace(" ", "") for d in env["dependencies"] if isinstance(d, str)]
    conda = [d for d in conda if not d.startswith(("python", "pip"))]
    return sorted(pip_reqs), sorted(conda)


def test_pyproject_and_environment_yml_list_the_same_dependencies():
    pip_reqs, conda = _requirements()
    assert pip_reqs == conda


def test_dependencies_have_lower_bounds_and_no_exact_pins():
    pip_reqs, _ = _requirements()
    for req in pip_reqs:
        assert ">=" in req and "==" not in req, req
    assert "pytest>=8,<10" in pip_reqs
    assert "jupyter-book>=1.0.4,<2" in pip_reqs


def test_environment_yml_installs_the_package_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert "-e ." in pip_section


def _cells(path: Path) -> list[tuple[str, str]]:
    import jupytext

    return [(c.cell_type, c.source.strip()) for c in jupytext.read(path).cells]


NOTEBOOK_SOURCES = sorted((ROOT / "notebooks").glob("*.py"))


@pytest.mark.parametrize("py", NOTEBOOK_SOURCES, ids=lambda p: p.name)
def test_each_notebook_pair_has_the_same_inputs(py: Path):
    ipynb = py.with_suffix(".ipynb")
    assert ipynb.exists(), f"{py.name} has no paired {ipynb.name}: run scripts/execute_notebooks.py"
    assert _cells(py) == _cells(ipynb), (
        f"{py.name} and {ipynb.name} differ: edit the .py, then re-execute it with "
        f"`make execute NB=notebooks/{py.name}`"
    )


@pytest.mark.parametrize("py", NOTEBOOK_SOURCES, ids=lambda p: p.name)
def test_notebook_sources_do_not_record_the_jupytext_version(py: Path):
    assert not re.search(r"^#\s+jupytext_version:", py.read_text(), re.M)


@pytest.mark.parametrize("py", NOTEBOOK_SOURCES, ids=lambda p: p.name)
def test_every_code_cell_of_the_committed_notebook_was_executed(py: Path):
    import nbformat

    nb = nbformat.read(py.with_suffix(".ipynb"), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.strip():
            assert cell.execution_count is not None, cell.source[:80]
            assert not any(o.output_type == "error" for o in cell.outputs), cell.source[:80]


def _existing_math_modules() -> list[str]:
    return [m for m in MATH_MODULES if (ROOT / "chapter5" / f"{m}.py").exists()]


@pytest.mark.parametrize("module", _existing_math_modules())
def test_math_modules_import_no_plotting_or_widgets(module: str):
    code = (f"import sys, chapter5.{module}; "
            "bad = [m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules]; "
            "print(','.join(bad)); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"chapter5.{module} imports {result.stdout.strip()}"


def _public_functions(path: Path) -> list[tuple[str, ast.AST]]:
    tree = ast.parse(path.read_text())
    return [(node.name, node) for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")]


PUBLIC_MODULES = sorted(p for p in (ROOT / "chapter5").rglob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("path", PUBLIC_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_public_helper_names_the_notebook_that_introduces_it(path: Path):
    missing = []
    for name, node in _public_functions(path):
        doc = ast.get_docstring(node) or ""
        if not NOTEBOOK_NAME.search(doc):
            missing.append(name)
    assert not missing, f"{path.name}: docstrings lack the introducing notebook: {missing}"


@pytest.mark.parametrize("path", PUBLIC_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_public_functions_have_type_hints(path: Path):
    untyped = []
    for name, node in _public_functions(path):
        if isinstance(node, ast.FunctionDef) and node.returns is None:
            untyped.append(name)
    assert not untyped, f"{path.name}: public functions without a return annotation: {untyped}"


def test_importing_chapter5_has_no_side_effects():
    code = "import sys, chapter5; print(sorted(m for m in sys.modules if m.startswith('chapter5')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['chapter5']"
    assert importlib.import_module("chapter5").__version__


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme
    assert re.search(r"^\s*make test\b", ci, re.M)
