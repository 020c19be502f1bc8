# dxplan: set-up and everyday commands. Every target creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint bench fuzz schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# compileall: start-up reads bytecode even where PYTHONDONTWRITEBYTECODE is set
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q src
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q src
	touch $@ $(VENV)/.installed

## run: install and show 嘉麻市's status table (the main job on a bundled plan)
run: $(VENV)/.installed
	$(BIN)/dxplan status plans/kama

## test: install with test extras and run the whole test suite
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

## lint: validate every bundled plan
lint: $(VENV)/.installed
	$(BIN)/dxplan lint plans

## bench: speed figures (status under 0.5 s, reports under 2 s)
bench: $(VENV)/.installed-test
	$(BIN)/python bench/bench_status.py
	@if [ -f bench/bench_report.py ]; then $(BIN)/python bench/bench_report.py; fi

## fuzz: mutated plans through every command (FUZZ_EXAMPLES=10000, FUZZ_JOBS=CPUs); findings in artifacts/fuzz
FUZZ_EXAMPLES ?= 10000
fuzz: $(VENV)/.installed-test
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) nice $(BIN)/python -m tests.fuzz.campaign --out artifacts/fuzz

clean:
	rm -rf $(VENV) artifacts .pytest_cache
