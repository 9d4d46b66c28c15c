# recallkit — the commands a new user needs: `make demo` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test test-fast lint demo bench docs lock clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

test: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

demo: install
	$(BIN)/recallkit demo --out demo-output

bench: install
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test,bench]'
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Regenerate the CLI reference (tests/test_docs.py checks it is current).
docs: install
	$(BIN)/python docs/gen_cli_reference.py

# Re-pin every dependency after changing a range in pyproject.toml.
lock:
	rm -rf .lockenv && $(PY) -m venv .lockenv
	.lockenv/bin/python -m pip install -q --upgrade pip
	.lockenv/bin/python -m pip install -q '.[test,bench]'
	.lockenv/bin/python -m pip freeze --exclude recallkit > constraints.txt
	rm -rf .lockenv

clean:
	rm -rf $(VENV) demo-output .pytest_cache
