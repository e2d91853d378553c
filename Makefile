# hutch — two commands do all set-up: `make serve` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_DIR := tests/clients/node
ARGS ?=

.PHONY: serve test lint typecheck unit pytest bench node clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

serve: $(STAMP)
	$(BIN)/hutch serve $(ARGS)

$(NODE_DIR)/node_modules/.installed: $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node: $(NODE_DIR)/node_modules/.installed

lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# The suite: lint, types, then every test (unit, live-server integration, real clients) against
# SQLite and a throwaway PostgreSQL. pytest's summary line is the last thing printed.
test: $(STAMP) node lint typecheck
	scripts/with-throwaway-postgres $(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP) node
	bench/install.sh $(BIN)
	$(BIN)/python -m bench $(if $(QUICK),--quick,)

clean:
	rm -rf $(VENV) .hutch-test $(NODE_DIR)/node_modules
