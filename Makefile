# Two commands for everyone: `make site` builds, `make test` tests.
# Both create .venv/ and install what they need; nothing else is assumed
# beyond Python 3.11, make and git (and root or sudo for the browser tests).
#
# Installs come from the locks in requirements/ (every package pinned, with
# its hashes), so a registry release cannot break a fresh clone; the package
# itself is installed last, without dependencies. pyproject.toml keeps the
# ranges for people installing the package; `make lock` re-resolves them.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SITE   ?= site
LOCKS  := requirements
PIP    := $(BIN)/python -m pip --quiet
# The tools that install and lock, pinned too.
PIP_VERSION := 26.3
UV_VERSION  := 0.13.9

.PHONY: site test serve check stats bench lighthouse schema clean deps-test lock \
	lint ruff mypy imports pytest

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
	  echo "the locks in $(LOCKS)/ are for Python 3.11; $(PYTHON) is not: make PYTHON=python3.11" >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install pip==$(PIP_VERSION)

$(VENV)/.installed: $(LOCKS)/runtime.txt pyproject.toml | $(BIN)/python
	$(PIP) install --require-hashes -r $(LOCKS)/runtime.txt
	$(PIP) install --no-deps -e .
	touch $@

# The test lock holds the runtime lock's versions (it is resolved under it),
# plus the test, bench and lint extras.
$(VENV)/.installed-test: $(LOCKS)/test.txt pyproject.toml | $(BIN)/python
	$(PIP) install --require-hashes -r $(LOCKS)/test.txt
	$(PIP) install --no-deps -e .
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

# Every step runs (--keep-going), so one red run shows every finding; the
# run fails if any step failed. `make test TEST_STEPS=pytest` runs fewer.
TEST_STEPS ?= ruff mypy imports pytest
test: deps-test
	@$(MAKE) --no-print-directory --keep-going $(TEST_STEPS)

lint: $(VENV)/.installed-test
	@$(MAKE) --no-print-directory --keep-going ruff mypy imports

# The steps, in the environment .venv/ has now (CI's newest-releases job
# installs it without the lock, then runs `make pytest`).
ruff:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

mypy:
	$(BIN)/mypy

imports:
	$(BIN)/lint-imports --no-logo

# WCW_REQUIRE_TOOLS=1: a test whose npm or Debian tool is missing fails
# instead of skipping. pytest's exit 5 (no test collected) fails too.
PYTEST_ARGS ?=
pytest:
	@WCW_REQUIRE_TOOLS=1 $(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no test: that is a failure" >&2; fi; \
	exit $$status

# Re-resolve the locks from pyproject.toml's ranges for Python 3.11, keeping
# the versions they pin where the ranges still allow them; `make lock
# UPGRADE=1` moves every package to its newest allowed release. The test lock
# is resolved under the runtime lock, so both install the same versions.
UPGRADE ?=
lock: | $(BIN)/python
	$(PIP) install uv==$(UV_VERSION)
	$(BIN)/uv pip compile --no-config --quiet --generate-hashes --python-version 3.11 \
	  --custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade) \
	  pyproject.toml -o $(LOCKS)/runtime.txt
	$(BIN)/uv pip compile --no-config --quiet --generate-hashes --python-version 3.11 \
	  --custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade) \
	  --extra test --extra bench --extra lint -c $(LOCKS)/runtime.txt \
	  pyproject.toml -o $(LOCKS)/test.txt

# Issue 19's figures, written to bench/RESULTS.md: the real site and the real
# content multiplied to 1,000, 10,000 and 100,000 claims, each timed against a
# bare Material build (the 100,000 build alone takes many minutes). For a
# quick look: make bench BENCH_ARGS="--sizes real,1000 --runs 1 --no-results".
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# A report, not a test: Lighthouse scores (mobile) of four pages and the home
# page's transfer size, on a fresh build served locally; median of RUNS runs.
RUNS ?= 3
lighthouse: deps-test
	$(BIN)/python bench/lighthouse.py --runs $(RUNS)

clean:
	rm -rf build site .pytest_cache
