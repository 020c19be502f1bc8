# dxplan: set-up and everyday commands. Every target creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint bench schema messages dist clean

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
	@echo
	@echo "dxplan is installed in $(BIN). To call it as plain 'dxplan' in this shell:"
	@echo "  export PATH=\"$$(cd $(BIN) && pwd):\$$PATH\"    (or: source $(BIN)/activate)"

## dist: build the wheel and sdist into dist/ (templates, schemas and message catalogues inside)
dist: $(VENV)/.installed-test
	$(BIN)/python -m build --outdir dist .

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

## messages: extract every user-facing string, merge it into the Japanese catalogue, compile it
LOCALE := src/dxplan/locale
messages: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg -k t:2 -k tn:2,3 -k N_ -k Text --no-location --sort-output \
		--project dxplan -o $(LOCALE)/dxplan.pot .
	$(BIN)/pybabel update -i $(LOCALE)/dxplan.pot -d $(LOCALE) -D dxplan --no-fuzzy-matching -w 100
	$(BIN)/pybabel compile -d $(LOCALE) -D dxplan

clean:
	rm -rf $(VENV) artifacts .pytest_cache dist build
