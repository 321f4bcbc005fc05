# Quick start: `make demo` and `make test` work from a fresh clone with only
# Python 3.11+ and make. Both create .venv and install the project into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup demo test lint format evaluate bench clean

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

lint: setup
	$(BIN)/ruff check kg tests bench
	$(BIN)/ruff format --check kg tests bench

test: lint
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
	rm -rf .kg out .pytest_cache .ruff_cache
