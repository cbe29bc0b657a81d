# Two commands from a fresh clone (Debian 12, Python 3.11, root):  make book  |  make test
# Each sets itself up from the lock (uv.lock, installed by a hash-pinned uv); nothing is
# downloaded at build or test time.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := book

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.synced
# axe-core for the accessibility audit, pinned with its integrity hash in tools/browser/package-lock.json
AXE    := tools/browser/node_modules/axe-core/axe.min.js
JB_FLAGS := --all -W -n --keep-going
QDA_ENV   := $(TOOLS)/qda
QDA_STAMP := $(QDA_ENV)/.installed

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: book test check lint pdf clean setup system-deps tex-deps node-deps golden qda-tools

## book: set up from the lock and build the HTML book (strict) into _build/html. The book's Sphinx
## extension executes the stale pages first, in parallel (bookkit/sphinx/execute.py; BOOK_WORKERS=n
## pages at once, 2 by default): plain `jupyter-book build . --all -W -n --keep-going` does the same.
book: setup
	$(BIN)/jupyter-book build . $(JB_FLAGS)

## test: set up, build the book from a clean _build, then run every test and lint
test: setup
	rm -rf _build
	$(MAKE) --no-print-directory book
	$(MAKE) --no-print-directory check

## check: lint, type-check and the test suite against the current _build
check: setup lint
	$(BIN)/pytest

# The pages' code cells are exported (jupytext, py:percent) and linted like the package; the
# import contracts in pyproject.toml keep the one-way rule between the packages; zizmor checks the
# GitHub Actions workflow (schema, pinned actions, permissions) without the network.
lint: setup
	$(BIN)/ruff check analysis bookkit checks tools tests benchmarks
	$(BIN)/ruff format --check analysis bookkit checks tools tests benchmarks
	$(BIN)/ruff check --no-cache $$($(BIN)/python -m checks.prose --export-code _build/page-code)
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/zizmor --offline --strict-collection --no-progress .github/workflows

## golden: rewrite tests/golden/glue.json from the current build (review the diff!)
golden: setup
	$(BIN)/python -m bookkit.registry --write-golden

## pdf: the whole book as a Chinese PDF (Sphinx LaTeX + XeLaTeX/xeCJK) in _build/latex/book.pdf,
## then the HTML again, which now copies it to _build/html/book.pdf and links it from every page;
## then checks it (every glued number, 第1章…第N章, one image per chart, a Chinese text layer)
pdf: setup tex-deps
	rm -rf _build/latex  # latexmk keeps a failed run's state (an index it could not make) across builds
	$(BIN)/jupyter-book build . --builder pdflatex $(JB_FLAGS)
	@test -s _build/latex/book.pdf
	@echo "PDF: _build/latex/book.pdf ($$(pdfinfo _build/latex/book.pdf | awk '/^Pages:/ {print $$2}') pages)"
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	$(BIN)/python -m checks.pdf

clean:
	rm -rf _build $(VENV) $(TOOLS) tools/browser/node_modules .pytest_cache .mypy_cache .ruff_cache

setup: system-deps $(STAMP) $(QDA_STAMP) $(AXE)

# The CJK font for chart PNGs, the browser used by the browser test, npm (to install axe-core from
# the lock) and venv support for a bare Debian python3.11: only the Debian packages that are
# missing, each detected by what it provides (tools/system-deps.sh; tests/test_system_deps.py).
system-deps:
	@PYTHON=$(PYTHON) tools/system-deps.sh book

$(AXE): tools/browser/package.json tools/browser/package-lock.json
	npm ci --prefix tools/browser --ignore-scripts --no-audit --no-fund
	touch $(AXE)

# XeLaTeX, xeCJK and the LaTeX packages Sphinx needs, latexmk, and pdfinfo/pdftoppm (make pdf only).
tex-deps:
	@tools/system-deps.sh tex

$(UV): tools/requirements-uv.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
	  -r tools/requirements-uv.txt
	touch $(UV)

$(STAMP): uv.lock pyproject.toml $(UV)
	$(UV) sync --locked --python $(PYTHON)
	touch $(STAMP)

# Two third-party QDA readers for tests/test_refiqda.py (qualitative-coding's REFI-QDA reader and
# Taguette's codebook importer) in their own hash-locked environment: qualitative-coding pins
# numpy<2, so it cannot share the project's. Only the modules those readers import are installed
# (tools/qda-requirements.in says why); about 95 MB.
## qda-tools: set up .tools/qda (qualitative-coding 1.6.0, taguette 1.5.2) for the REFI-QDA tests
qda-tools: $(QDA_STAMP)

$(QDA_STAMP): tools/qda-requirements.txt tools/qda-requirements-nodeps.txt $(UV)
	rm -rf $(QDA_ENV)
	$(UV) venv --quiet --python $(PYTHON) $(QDA_ENV)
	$(UV) pip install --quiet --python $(QDA_ENV)/bin/python --require-hashes -r tools/qda-requirements.txt
	$(UV) pip install --quiet --python $(QDA_ENV)/bin/python --require-hashes --no-deps \
	  -r tools/qda-requirements-nodeps.txt
	touch $(QDA_STAMP)
