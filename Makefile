# Quick start: `make demo` and `make test` work from a fresh clone with only
# Python 3.11+ and make. Both create .venv and install the project into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup demo test lint format evaluate bench clean system

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/kg build data/documents
	$(BIN)/kg validate
	$(BIN)/kg query documents
	$(BIN)/kg export -o out/graph.ttl
	$(BIN)/kg export -o out/graph.jsonld
	$(BIN)/kg report -o out/report
	$(BIN)/kg graph -o out/actors.dot

lint: setup
	$(BIN)/ruff check kg tests bench
	$(BIN)/ruff format --check kg tests bench

# Chromium and ChromeDriver (the report's browser tests) and Graphviz (`kg graph` as SVG
# or PNG) are system packages: installed here when missing and apt-get runs as root;
# elsewhere the tests that need them are skipped, with a warning.
SYSTEM_PACKAGES := chromium chromium-driver graphviz
system:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v dot >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing $(SYSTEM_PACKAGES)"; \
	  (apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null 2>&1 || \
	   (apt-get update -qq && apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null)) || \
	  echo "warning: could not install $(SYSTEM_PACKAGES); the browser and picture tests will be skipped"; \
	else echo "warning: $(SYSTEM_PACKAGES) missing (as root: apt-get install $(SYSTEM_PACKAGES)); the browser and picture tests will be skipped"; fi

test: lint system
	$(BIN)/python -m pytest
	$(BIN)/kg evaluate

evaluate: setup
	$(BIN)/kg evaluate --per-document

format: setup
	$(BIN)/ruff format kg tests bench
	$(BIN)/ruff check --fix kg tests bench

# `make bench` measures N = 10, 100, 1,000 and 10,000; pass ARGS="--max 1000" or
# ARGS="--docs 100" to run less. Results land in bench/results/.
BENCH_STAMP := $(VENV)/.bench-stamp
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench $(ARGS)

clean:
	rm -rf .kg out report .pytest_cache .ruff_cache
