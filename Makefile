# Every target runs from the project root. `make help` lists them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export CLEARANCE_WAREHOUSE ?= $(CURDIR)/warehouse/clearance.duckdb
export DBT_PROFILES_DIR := $(CURDIR)
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: help setup browser demo test lint docs bench bench-la bench-la-court bench-generator dagster clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(BIN)/clearance: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

setup: $(BIN)/clearance ## Create .venv with the locked dependencies and the clearance command

DEMO_SCALE ?= 1
DEMO_SEED ?= 1

demo: setup ## Generate Los Angeles and San Francisco (DEMO_SCALE), run each under its policy
	rm -rf out/demo/input
	$(BIN)/clearance generate --county "LOS ANGELES" --county "SAN FRANCISCO" \
		--seed $(DEMO_SEED) --scale $(DEMO_SCALE) --out out/demo/input
	$(BIN)/python -m clearance.demo --input out/demo/input --out out/demo

# The dashboard page test drives Debian's chromium through chromedriver; a browser download
# by a test tool would fail offline, so the distribution's packages are used.
browser: ## Install Debian's chromium and chromium-driver when missing (apt-get, as root or with sudo)
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then \
		echo "chromium and chromedriver are installed"; \
	else \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; \
	fi

test: setup browser ## Run the Python tests, the dbt unit tests and the end-to-end test
	$(BIN)/pytest

lint: setup ## Check Python with ruff and SQL with sqlfluff
	$(BIN)/ruff check clearance orchestration expectations tests bench
	$(BIN)/ruff format --check clearance orchestration expectations tests bench
	mkdir -p target
	CLEARANCE_WAREHOUSE=$(CURDIR)/target/lint.duckdb $(BIN)/sqlfluff lint models

# dbt reads table and column names from this warehouse for the site; `make docs
# DOCS_WAREHOUSE=out/demo/warehouse/los_angeles.duckdb` after `make demo`.
DOCS_WAREHOUSE ?= $(CLEARANCE_WAREHOUSE)

docs: setup ## Build the dbt documentation site into target/ (DOCS_WAREHOUSE, default CLEARANCE_WAREHOUSE)
	@test -f "$(DOCS_WAREHOUSE)" || { echo "No warehouse at $(DOCS_WAREHOUSE): run a county or make demo first, then make docs DOCS_WAREHOUSE=FILE." >&2; exit 1; }
	CLEARANCE_WAREHOUSE=$(abspath $(DOCS_WAREHOUSE)) $(BIN)/dbt docs generate --static
	@echo "Open target/static_index.html in a browser, or serve the site on this machine only:"
	@echo "  $(BIN)/dbt docs serve --host 127.0.0.1 --port 8080 --no-browser"

bench: setup ## Time clearance run on generated files of 1,000 and BENCH_ROWS rows
	$(BIN)/python -m bench.run_benchmark --rows $${BENCH_ROWS:-1000000}

BENCH_LA_SCALE ?= 1

bench-la: setup ## Time clearance run on Los Angeles from clearance generate (BENCH_LA_SCALE)
	$(BIN)/python -m bench.run_benchmark --generated-la --scale $(BENCH_LA_SCALE)

bench-la-court: setup ## Time clearance run on generated Los Angeles (BENCH_LA_SCALE) without and with its court file
	$(BIN)/python -m bench.run_benchmark --generated-la --with-court --scale $(BENCH_LA_SCALE)

GENERATOR_SCALE ?= 1

bench-generator: setup ## Print DOJ rows per second of clearance generate (Los Angeles, GENERATOR_SCALE)
	$(BIN)/python -m bench.generator_benchmark --county "LOS ANGELES" --scale $(GENERATOR_SCALE)

dagster: setup ## Start the Dagster UI, daemon, schedule and sensor on http://127.0.0.1:3000 only (Ctrl-C stops)
	mkdir -p -m 700 $(DAGSTER_HOME)
	cp orchestration/dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -h 127.0.0.1 -p 3000 -m orchestration.definitions

clean: ## Remove the warehouse, outputs and dbt artifacts
	rm -rf warehouse out target logs bench/work
