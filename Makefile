# salesops: `make run` starts the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
TEST_ARGS ?=

.PHONY: install run test lint format clean lock sbom schemathesis

# Dependencies come from requirements.lock, every file checked against its pinned hash.
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
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
	$(VENV)/bin/lint-imports --no-cache
	SALESOPS_TESTING=1 $(VENV)/bin/mypy
	$(VENV)/bin/bandit -c pyproject.toml -r salesops -q --severity-level high

# The API against its OpenAPI document, as two roles, on PostgreSQL (see .ci/schemathesis).
schemathesis: $(STAMP)
	.ci/schemathesis

format: $(STAMP)
	$(VENV)/bin/ruff format salesops conftest.py
	$(VENV)/bin/ruff check --fix salesops conftest.py

# Re-pin every dependency with its hashes after changing pyproject.toml.
lock:
	$(PYTHON) -m venv /tmp/salesops-lock && /tmp/salesops-lock/bin/pip install -q pip-tools
	/tmp/salesops-lock/bin/pip-compile -q --generate-hashes --allow-unsafe --extra dev --strip-extras \
		--no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

# Software bill of materials (CycloneDX JSON) of the installed environment.
sbom: $(STAMP)
	$(VENV)/bin/cyclonedx-py environment --output-format JSON -o sbom.cdx.json $(PY)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache .mypy_cache
