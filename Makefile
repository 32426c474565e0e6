# caseapp: `make run` serves the app with demo data on SQLite; `make test` runs every test.
# The venv's interpreter: the distribution's own Python 3.11+ where it can make a venv (Debian: python3-venv),
# else python3 on PATH. A packaged interpreter is built with profile-guided optimisation; this machine's pyenv
# 3.11.7 (plain -O3) was a third slower and its workers crashed with SIGSEGV under load (README, "Which Python").
PYTHON ?= $(shell /usr/bin/python3 -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo /usr/bin/python3 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Where `make run` serves: `make run PORT=5055`, or HOST=0.0.0.0 to be reached from other machines.
HOST ?= 127.0.0.1
PORT ?= 5000
export CASEAPP_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

# Refresh the vendored design system from npm (needs npm; `make dkfds DKFDS_VERSION=11.2.0`).
DKFDS_VERSION ?= $(shell cat caseapp/static/dkfds/VERSION)

.PHONY: dkfds run test test-sqlite test-postgres test-browser bench lint translations install clean FORCE

# The interpreter the venv was built from: when PYTHON names another (or a venv predates this file), the
# venv is built anew on it, so a change of interpreter reaches existing checkouts too.
$(VENV)/.python: FORCE
	@echo '$(PYTHON)' | cmp -s - $@ || { rm -rf $(VENV) && mkdir -p $(VENV) && echo '$(PYTHON)' > $@; }

$(STAMP): pyproject.toml setup.py $(VENV)/.python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Installing compiles the Danish catalogues (setup.py); this recompiles them after a catalogue changed.
install: $(STAMP)
	$(BIN)/python setup.py --quiet compile_catalogues

run: install
	$(BIN)/caseapp db upgrade
	$(BIN)/caseapp demo seed --people 300 --if-empty
	@echo "serving http://$(HOST):$(PORT)/ (log in with an account above; make run PORT=5055 for another port)"
	$(BIN)/caseapp run --host $(HOST) --port $(PORT)

# Both databases; the PostgreSQL leg creates and drops its own database.
test: install
	$(BIN)/python tests/run_suites.py

test-sqlite: install
	$(BIN)/python tests/run_suites.py --only sqlite

test-postgres: install
	$(BIN)/python tests/run_suites.py --only postgres

# SQLite at 10,000 and 100,000 people, PostgreSQL at 100,000 with 1, 2 and 4 workers (a few minutes).
bench: install
	$(BIN)/python bench/run.py --postgres
	$(BIN)/python bench/reports.py

lint: install
	$(BIN)/ruff check caseapp config tests bench
	$(BIN)/ruff format --check caseapp config tests bench
	$(BIN)/python -m caseapp.i18n check

translations: install
	$(BIN)/python -m caseapp.i18n update
	$(BIN)/python -m caseapp.i18n check || true

clean:
	rm -rf $(VENV) instance build *.egg-info

dkfds:
	scripts/vendor_dkfds.sh $(DKFDS_VERSION)
