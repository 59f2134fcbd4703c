# Three commands a reader needs: make test, make lab, make book.
# Each creates .venv and installs the project (with its test and book tools) the first time.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: test lab book venv lint sync execute bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,book]"
	@touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf _build

# After editing notebooks/NN-name.py: re-execute it and rewrite its paired .ipynb.
#   make execute NB=notebooks/03-chain-of-neurons.py      (or NB=--all)
execute: $(STAMP)
	$(PY) scripts/execute_notebooks.py $(NB)
