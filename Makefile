# Three commands a reader needs: make lab, make test, make book.
# Each creates .venv the first time: `make lab` installs the runtime only (numpy, matplotlib,
# JupyterLab, ...); `make test` and `make book` add the test and book tools.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.installed-runtime
STAMP  := $(VENV)/.installed

.PHONY: test lab fresh book venv lint execute bench clean

# JupyterLab settings (scripts/lab_setup.py); this file stands for all of them.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.d/chapter5.json

# The website (Jupyter Book 1.x): warnings are errors (-W -n --keep-going), notebooks are not
# re-executed, MathJax comes from npm (web/) and is served by the site itself. Output: _build/html.
WEB_STAMP := web/node_modules/.package-lock.json

$(WEB_STAMP): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to fetch MathJax for the book (apt-get install npm)"; exit 1; }
	npm ci --prefix web --no-audit --no-fund

venv: $(STAMP)

$(RUNTIME_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $(RUNTIME_STAMP)

$(STAMP): $(RUNTIME_STAMP)
	$(PY) -m pip install --quiet -e ".[test,book]"
	@touch $(STAMP)

# lab-settings/ into .venv: .py files open as notebooks, softer figure plates in dark themes.
# The conda/Binder route runs the same script from ./postBuild (tests/test_setup_routes.py).
$(LAB_OVERRIDES): $(wildcard lab-settings/*) scripts/lab_setup.py $(RUNTIME_STAMP)
	$(PY) scripts/lab_setup.py

# Without npm, node or chromium the tests that need them are skipped and listed at the end,
# with how to get them; on CI (CI=true) they fail instead. npm is used once, by the book tests.
test: $(STAMP) $(LAB_OVERRIDES)
	$(PY) -m pytest

# JupyterLab refuses to run as root (containers, CI) unless told so explicitly.
LAB_FLAGS := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

# Opens the reader's own copies in my-notebooks/ (ignored by git), made from notebooks/ on the
# first run; a later run only adds notebooks that are new. Nothing tracked is ever written.
lab: $(RUNTIME_STAMP) $(LAB_OVERRIDES)
	$(PY) scripts/workspace.py
	$(PY) -m jupyter lab --ServerApp.root_dir=my-notebooks --ServerApp.ip=127.0.0.1 $(LAB_FLAGS)

# Take the committed version again: `make fresh NB=03-chain-of-neurons` (one) or `make fresh`
# (all). Your copies are moved to my-notebooks/saved/<time>/ first, never deleted.
fresh: $(RUNTIME_STAMP)
	$(PY) scripts/workspace.py --fresh $(if $(NB),$(NB),--all)

# Benchmarks print figures; they are not tests (the machines are shared and noisy).
bench: $(STAMP) $(LAB_OVERRIDES) $(WEB_STAMP)
	$(PY) benchmarks/bench_training.py
	$(PY) benchmarks/bench_lab_latency.py
	$(PY) benchmarks/bench_lab07.py
	$(PY) benchmarks/bench_lab_js.py
	$(PY) scripts/build_book.py --if-stale
	$(PY) benchmarks/bench_book_latency.py
	$(PY) benchmarks/bench_lab_web.py

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
