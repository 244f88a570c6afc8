# salesops: `make run` starts the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
TEST_ARGS ?=

.PHONY: install run test lint format clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/salesops demo

test: $(STAMP)
	SALESOPS_TESTING=1 $(PY) -m pytest -n 2 --dist loadgroup $(TEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check salesops conftest.py
	$(VENV)/bin/ruff format --check salesops conftest.py
	SALESOPS_TESTING=1 $(PY) manage.py makemigrations --check --dry-run
	SALESOPS_TESTING=1 $(PY) manage.py check

format: $(STAMP)
	$(VENV)/bin/ruff format salesops conftest.py
	$(VENV)/bin/ruff check --fix salesops conftest.py

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
