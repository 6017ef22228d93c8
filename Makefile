# The two commands a newcomer needs: `make chat` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup chat test fuzz lint bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## Set up, build the paper index if it is missing, and start the assistant.
chat: setup
	$(BIN)/commission index --if-missing
	$(BIN)/commission chat

## Set up and run the whole test suite (pytest's "no tests collected", exit 5, is not a failure).
test: setup
	@$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$status

## The hostile-input property tests at length, with a fresh random seed (COMMISSION_FUZZ_EXAMPLES per tool).
fuzz: setup
	COMMISSION_FUZZ_EXAMPLES=$${COMMISSION_FUZZ_EXAMPLES:-2000} $(BIN)/python -m pytest -p no:cacheprovider \
	  tests/test_surfaces_hostile.py -k "whatever_its_arguments or never_raises"

lint: setup
	$(BIN)/ruff check assistant tools tests benchmarks
	$(BIN)/ruff format --check assistant tools tests benchmarks
	$(BIN)/mypy

bench: setup
	$(BIN)/python -m benchmarks

eval: setup
	$(BIN)/python -m benchmarks.evaluate

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
