# scicollab: `make book` builds the book, `make test` runs the tests. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.scicollab-installed
RAW ?= ../shared/data
# pytest-xdist workers for `make test` (tests using the built site stay on one of them)
TEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help venv book site test test-browser browser-deps test-fast data data-check lint notebooks editions bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "error: Python 3.11 or newer is needed; run e.g. 'make PYTHON=python3.12 book'"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)  ## create .venv from the pinned versions in constraints.txt

book: $(STAMP)  ## build the HTML book into _build/html (chapters executed, cached)
	$(BIN)/scicollab book

site: $(STAMP)  ## build every region's and economy's edition, then the book with all of them
	$(BIN)/scicollab site

browser-deps:  ## install Debian's chromium for the browser tests when it is missing
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || { \
	  echo "chromium not found: installing Debian's chromium package (needs root and apt)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) || \
	  { echo "error: could not install chromium; install it (apt-get install chromium) and re-run"; exit 1; }; }

test: $(STAMP) browser-deps  ## run every test: parsers, data, models, chapters, book, site in Chromium
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

test-browser: $(STAMP) browser-deps  ## only the site tests (build, links, Chromium)
	$(BIN)/python -m pytest tests/test_site.py

test-fast: $(STAMP)  ## tests that start no kernel
	$(BIN)/python -m pytest -m "not slow"

data: $(STAMP)  ## rebuild data/ from the raw files in $(RAW)
	$(BIN)/scicollab data build --raw $(RAW)

data-check: $(STAMP)  ## verify data/ against its manifest
	$(BIN)/scicollab data check

lint: $(STAMP)  ## ruff
	$(BIN)/ruff check src tests benchmarks

notebooks: $(STAMP)  ## write the paired .ipynb files next to the MyST sources
	$(BIN)/jupytext --sync notebooks/*.md

editions: $(STAMP)  ## build every named region's edition into _build/regions/
	$(BIN)/scicollab region build --named

bench: $(STAMP)  ## print build and edition timings as ratios to plain jupyter-book (benchmarks/bench.py)
	$(BIN)/python benchmarks/bench.py

clean:  ## remove build outputs (keeps .venv)
	rm -rf _build
