# Plain targets: a local virtual environment, the package in it, and the jobs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: setup report test lint typecheck bench clean

$(BIN)/wgsforecast: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/wgsforecast

## The quarterly prognosis on the bundled data: outputs in $(OUT)/, Table 1 on the terminal.
report: setup
	$(BIN)/wgsforecast report --out $(OUT)

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: setup
	$(BIN)/mypy

## Lint, type-check, then the whole test suite (notebooks and the browser check included).
test: lint typecheck
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/speed.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
