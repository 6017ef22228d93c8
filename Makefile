# The two commands a newcomer needs: `make chat` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup chat test fuzz lint bench eval eval-agent clean preview

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

## Synthetic indexes of 10k, 50k and 250k passages: cold and warm search, memory, disk (about 15 minutes;
## SIZES="10000 50000" for fewer; SIZES="10000 --server" also against a local `chroma run`, and as a colleague of it).
bench-scale: setup
	$(BIN)/python -m benchmarks.bench_scale $(SIZES)

eval: setup
	$(BIN)/python -m benchmarks.evaluate

## The assistant end to end on 30+ officer questions against the configured model (EVAL_ARGS="--limit 5 --verbose").
eval-agent: setup
	$(BIN)/commission index --if-missing
	$(BIN)/python -m benchmarks.eval_agent $(EVAL_ARGS)

## Render the example statement of intent to Word, then PDF and one PNG a page, in preview/ to look at.
## Needs LibreOffice (soffice) and poppler (pdftoppm): apt-get install libreoffice-writer poppler-utils.
preview: setup
	@command -v soffice >/dev/null && command -v pdftoppm >/dev/null || \
	  { echo "make preview needs soffice (LibreOffice) and pdftoppm (poppler-utils)"; exit 1; }
	mkdir -p preview
	rm -f preview/statement-of-intent*.png
	$(BIN)/commission intent draft examples/statement-of-intent.yaml --out preview/statement-of-intent.docx --force
	soffice -env:UserInstallation=file://$(CURDIR)/preview/.libreoffice --headless --convert-to pdf \
	  --outdir preview preview/statement-of-intent.docx
	pdftoppm -png -r 80 preview/statement-of-intent.pdf preview/statement-of-intent
	@ls preview/*.png

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
