# Three commands a reader needs: make test, make lab, make book.
# Each creates .venv and installs the project (with its test and book tools) the first time.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: test lab book venv lint execute bench clean

# Double-clicking a notebook's .py in JupyterLab opens it as a notebook (jupytext's viewer).
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.d/chapter5.json

# The website (Jupyter Book 1.x): warnings are errors (-W -n --keep-going), notebooks are not
# re-executed, MathJax comes from npm (web/) and is served by the site itself. Output: _build/html.
WEB_STAMP := web/node_modules/.package-lock.json

$(WEB_STAMP): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to fetch MathJax for the book (apt-get install npm)"; exit 1; }
	npm ci --prefix web --no-audit --no-fund

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,book]"
	@touch $(STAMP)

$(LAB_OVERRIDES): lab-settings/chapter5.json $(STAMP)
	mkdir -p $(dir $@) && cp $< $@

test: $(STAMP) $(LAB_OVERRIDES) $(WEB_STAMP)
	$(PY) -m pytest

# JupyterLab refuses to run as root (containers, CI) unless told so explicitly.
LAB_FLAGS := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

# Rooted at the repository (so jupytext.toml pairs .py and .ipynb), opened on notebooks/.
lab: $(STAMP) $(LAB_OVERRIDES)
	$(PY) -m jupyter lab --ServerApp.root_dir=. --ServerApp.default_url=/lab/tree/notebooks --ServerApp.ip=127.0.0.1 $(LAB_FLAGS)

# Benchmarks print figures; they are not tests (the machines are shared and noisy).
bench: $(STAMP) $(LAB_OVERRIDES) $(WEB_STAMP)
	$(PY) benchmarks/bench_training.py
	$(PY) benchmarks/bench_lab_latency.py
	$(PY) scripts/build_book.py --if-stale
	$(PY) benchmarks/bench_book_latency.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

clean:
	rm -rf _build

book: $(STAMP) $(WEB_STAMP)
	$(PY) scripts/build_book.py

# After editing notebooks/NN-name.py: re-execute it and rewrite its paired .ipynb.
#   make execute NB=notebooks/03-chain-of-neurons.py      (or NB=--all)
execute: $(STAMP)
	$(PY) scripts/execute_notebooks.py $(NB)
