# Two commands a new user types: `make run` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
RUN_DIR ?= runs/hyosan-high

.PHONY: run test test-all lint bench validate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## run the flagship scenario and write its results, report and animation
run: $(STAMP)
	$(BIN)/hyosan run hyosan-high --out $(RUN_DIR)
	@echo "report: $(abspath $(RUN_DIR))/report.html"

## run every test (slow statistical ones excluded; `make test-all` includes them)
test: $(STAMP)
	$(BIN)/python -m pytest -q

test-all: $(STAMP)
	$(BIN)/python -m pytest -q -m ''

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks validation

## benchmarks side by side with the peers (installs the bench extras)
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/bench_engine.py grid
	$(BIN)/python benchmarks/bench_peers.py --agents 10000 --ticks 100 --runs 5 --check-seeds 20
	$(BIN)/python benchmarks/profile_grid.py
	$(BIN)/python benchmarks/bench_engine.py scaling
	$(BIN)/python benchmarks/bench_engine.py flagship --minutes 60 --threads 1 2
	$(BIN)/python benchmarks/bench_engine.py flagship --hours 3 --threads 2
	$(BIN)/python benchmarks/bench_threads.py --repeats 5
	$(BIN)/python benchmarks/bench_threads.py --sweep
	$(BIN)/python benchmarks/membw.py
	$(BIN)/python benchmarks/bench_jupedsim.py

validate: $(STAMP)
	$(BIN)/hyosan validate all

clean:
	rm -rf $(VENV) runs .pytest_cache build *.egg-info src/*.egg-info
