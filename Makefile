# caseapp: `make run` serves the app with demo data on SQLite; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export CASEAPP_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: run test test-sqlite test-postgres test-browser bench lint translations install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/python -m caseapp.i18n compile

run: install
	$(BIN)/caseapp db upgrade
	$(BIN)/caseapp demo seed --people 300 --if-empty
	$(BIN)/caseapp run --host 127.0.0.1 --port 5000

# Both databases; the PostgreSQL leg creates and drops its own database.
test: install
	$(BIN)/python tests/run_suites.py

test-sqlite: install
	$(BIN)/python tests/run_suites.py --only sqlite

test-postgres: install
	$(BIN)/python tests/run_suites.py --only postgres

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check caseapp config tests bench
	$(BIN)/python -m caseapp.i18n check

translations: install
	$(BIN)/python -m caseapp.i18n update
	$(BIN)/python -m caseapp.i18n check || true

clean:
	rm -rf $(VENV) instance build *.egg-info
