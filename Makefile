# Headway's task runner. Quick start: `make run` serves the demo; `make test` checks everything.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2

.PHONY: run test lint fix typecheck check-migrations test-sqlite test-postgres test-browser \
        system-deps install install-dev clean

run: $(VENV)/.installed
	@scripts/serve $(PY)

test: system-deps install-dev lint typecheck check-migrations test-sqlite test-postgres
	@echo "All checks passed."

$(VENV)/bin/python:
	@python=$$(scripts/find-python); echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV)

$(VENV)/.installed: $(VENV)/bin/python requirements.lock pyproject.toml
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

system-deps:
	@scripts/install-system-deps

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fix: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install-dev
	$(BIN)/mypy

check-migrations: install-dev
	$(PY) manage.py makemigrations --check --dry-run

# The whole suite, browser journeys included, on each database.
test-sqlite: install-dev system-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q --browser

test-postgres: install-dev system-deps
	scripts/with-postgres $(BIN)/pytest -n $(PYTEST_WORKERS) -q --browser

# Only the browser journeys, on SQLite.
test-browser: install-dev system-deps
	$(BIN)/pytest -q --browser -m browser

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
