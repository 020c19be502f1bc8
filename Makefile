# dxplan: set-up and everyday commands. Every target creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint bench bench-national bench-compare fuzz schema messages dist clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# compileall: start-up reads bytecode even where PYTHONDONTWRITEBYTECODE is set
# [pdf]: the README's examples include `report --format pdf` (WeasyPrint is an extra; the test extra pulls it too)
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[pdf]'
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

## test: install with test extras, check the code with ruff and mypy, run the whole test suite (one pytest-xdist worker per CPU)
# (2026-11-30, this 2-core machine: 3.5 minutes; 6 minutes on one worker)
test: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto --dist worksteal

## lint: validate every bundled plan
lint: $(VENV)/.installed
	$(BIN)/dxplan lint plans

## bench: every speed target measured (bench/run_all.py): start-up and status of one plan, report md/html/pdf,
# lint/status/score at 10/100/400 plans beside check-jsonschema, history over 200 and 2,000 commits, diff of two
# national revisions, export/import of a 50,000-row plan; cold and warm, CPU seconds beside wall time. Tables in
# artifacts/bench.md (bench/NOTES.md quotes the current ones). BENCH_ARGS=--quick for a first look.
# The national corpus of lint/status/score and compare: bench-national, bench-compare.
BENCH_SCALE := $(BIN)/python bench/bench_scale.py
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

## bench-national: the growth table up to every municipality (N = 1,741: ~89,000 files, about 13 minutes in all)
bench-national: $(VENV)/.installed-test
	mkdir -p artifacts
	$(BENCH_SCALE) --sizes 10,100,400 --runs 3 --national --json artifacts/bench-national.json

## bench-compare: compare on the national corpus from the plan folders and from the published package (DuckDB); ~13 minutes, most of it publish
bench-compare: $(VENV)/.installed-test
	mkdir -p artifacts
	$(BIN)/python bench/bench_compare.py --runs 3 --json artifacts/bench-compare.json

## messages: extract every user-facing string, merge it into the Japanese catalogue, compile it
LOCALE := src/dxplan/locale
messages: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg -k t:2 -k pt:2c,3 -k NP_:1c,2 -k N_ -k Text -k help_text --no-location --sort-output \
		--project dxplan -o $(LOCALE)/dxplan.pot .
	$(BIN)/pybabel update -i $(LOCALE)/dxplan.pot -d $(LOCALE) -D dxplan --no-fuzzy-matching --ignore-obsolete -w 100
	$(BIN)/pybabel compile -d $(LOCALE) -D dxplan

## fuzz: mutated plans through every command, mutated sheets through import, hostile repositories through
# history/diff (FUZZ_EXAMPLES=10000 folders, FUZZ_SHEETS=1000, FUZZ_REPOS=100, FUZZ_JOBS=CPUs); findings in artifacts/fuzz
FUZZ_EXAMPLES ?= 10000
FUZZ_SHEETS ?= 1000
FUZZ_REPOS ?= 100
fuzz: $(VENV)/.installed-test
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_SHEETS=$(FUZZ_SHEETS) FUZZ_REPOS=$(FUZZ_REPOS) nice $(BIN)/python -m tests.fuzz.campaign --out artifacts/fuzz

clean:
	rm -rf $(VENV) artifacts .pytest_cache dist build
