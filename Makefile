# Two commands for everyone: `make site` builds, `make test` tests.
# Both create .venv/ and install what they need; nothing else is assumed
# beyond Python 3.11, make and git (and root or sudo for the browser tests).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SITE   ?= site

.PHONY: site test serve check stats bench lighthouse schema clean deps-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

site: $(VENV)/.installed
	$(BIN)/python -m generator build --site-dir $(SITE)

serve: $(VENV)/.installed
	$(BIN)/python -m generator serve

check: $(VENV)/.installed
	$(BIN)/python -m generator check

stats: $(VENV)/.installed
	$(BIN)/python -m generator stats

schema: $(VENV)/.installed
	$(BIN)/python -m generator schema

deps-test: $(VENV)/.installed-test
	./scripts/install-test-deps.sh

test: deps-test
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

# A report, not a test: Lighthouse scores (mobile) of four pages and the home
# page's transfer size, on a fresh build served locally; median of RUNS runs.
RUNS ?= 3
lighthouse: deps-test
	$(BIN)/python bench/lighthouse.py --runs $(RUNS)

clean:
	rm -rf build site .pytest_cache
