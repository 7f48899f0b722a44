# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
EXTRAS ?= dev

.PHONY: help install run test lint bench bench-quick clean

## The stamp holds the extras installed: a benchmark in a fresh clone installs the project once,
## with the bench's extras, instead of twice (each install builds the editable wheel again).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	echo '$(EXTRAS)' > $(STAMP)

install: $(STAMP)

## What each target does.
help:
	@echo "make run          index seeds/ and open the console, or serve Slack when .env has its settings"
	@echo "make test         install, lint with ruff, run the tests"
	@echo "make lint         ruff only"
	@echo "make bench        the benchmark: Citebot vs Whoosh vs LIKE (about 14 minutes on 2 cores)"
	@echo "make bench-quick  the benchmark at N = 1,000 only (under 2 minutes)"
	@echo "make install      create .venv and install the project into it (run and test do this)"
	@echo "make clean        remove .venv, the store in data/ and the caches"

## Index seeds/ and open the console, or serve Slack when .env has tokens.
run: install
	$(BIN)/citebot run

## Lint and run the tests.
test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

## ruff's lint rules (pyproject.toml). Not `ruff format`: the code is wrapped by hand at 110
## columns, and the formatter would put each entry of the vocabulary tables on its own line.
lint: install
	$(BIN)/ruff check .

## Benchmark: Citebot vs Whoosh vs LIKE at N = 1k, 10k, 50k (about 14 minutes on 2 cores, budget 840 s).
## Writes bench/results.json and bench/results.md; `make bench-quick` is N = 1k (under 2 minutes).
BENCH_STAMP := $(VENV)/.bench-stamp
bench bench-quick: EXTRAS = dev,bench
$(BENCH_STAMP): $(STAMP) pyproject.toml
	grep -qx 'dev,bench' $(STAMP) || $(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

bench-quick: $(BENCH_STAMP)
	$(BIN)/python -m bench.run --quick $(BENCH_ARGS)

## Remove the virtualenv, the store in data/ and the caches.
clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
