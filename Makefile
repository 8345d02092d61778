# The two commands: `make run` and `make test`. Everything else is a step they use.
SHELL := /bin/bash
PY := .venv/bin/python
export PYTHONPATH := $(CURDIR)

.DEFAULT_GOAL := help
.PHONY: help setup run test lint typecheck unit test-deps build train bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

setup:  ## create .venv-rasa (Python 3.10) and .venv (Python 3.11) from the pinned lock files
	@scripts/setup_envs.sh

run: setup  ## build the knowledge base, train if needed, start every server; Ctrl-C stops them
	@[ -f node_modules/govuk-frontend/package.json ] || npm ci --no-audit --no-fund --silent  # the staff console's GOV.UK Frontend
	@$(PY) -m signposting serve

test: setup test-deps  ## ruff, mypy, and the whole test suite (unit, integration, end-to-end in Chromium)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest

test-deps:  ## Chromium and axe-core for the browser tests
	@scripts/test_deps.sh

lint:  ## ruff only
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck:  ## mypy only
	$(PY) -m mypy

unit:  ## the fast tests only (no servers)
	$(PY) -m pytest tests/unit

build: setup  ## crawl the demo snapshot and build the knowledge base
	$(PY) -m signposting build

train: setup  ## train the Rasa model and the safety classifier, each if its data or code changed
	$(PY) -m signposting train

bench: build  ## benchmarks against the current knowledge base (tables on screen, JSON in bench/results/)
	$(PY) -m bench retrieval
	$(PY) -m bench query-latency
	$(PY) -m bench ingestion
	$(PY) -m bench safety
	$(PY) -m bench scale

clean:  ## remove runtime state and trained models (not the environments)
	rm -rf var models .pytest_cache .mypy_cache .ruff_cache
