# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/caseaudit
export CASEAUDIT_DATA_DIR ?= $(CURDIR)/data

.PHONY: run install test lint test-sqlite test-postgres test-browser bench bench-statistics clean

run: install
	CASEAUDIT_DEMO=1 $(BIN)/caseaudit migrate --no-input -v 0
	CASEAUDIT_DEMO=1 CASEAUDIT_REQUIRE_MFA=0 $(BIN)/caseaudit load_demo
	CASEAUDIT_DEMO=1 CASEAUDIT_REQUIRE_MFA=0 DEBUG=1 $(BIN)/caseaudit runserver 127.0.0.1:8000

# Idempotent: reinstalls only when requirements.txt or pyproject.toml change.
install: $(STAMP)
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "caseaudit needs Python 3.11 or newer"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/caseaudit check --fail-level WARNING
	$(BIN)/caseaudit makemigrations --check --dry-run

test-sqlite: install
	$(BIN)/pytest -m "not browser" -q

# Runs when PostgreSQL answers; under CI it must answer.
test-postgres: install
	@if $(BIN)/python scripts/pg_ready.py "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" $(BIN)/pytest -m "not browser" -q; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL did not answer at $(PG_URL); CI needs it" >&2; exit 1; \
	else echo "PostgreSQL did not answer at $(PG_URL): skipping the PostgreSQL run"; fi

test-browser: install
	scripts/ensure_chromium.sh
	$(BIN)/pytest -m browser -q

test: lint test-sqlite test-postgres test-browser

bench: install
	$(BIN)/python bench/run.py

# Statistics, trends and exports on 1,000,000 returns (docs/performance.md); the data sets are
# kept in their own databases between runs (the first run loads them, about 10 minutes).
bench-statistics: install
	$(BIN)/python bench/run.py --only statistics

clean:
	rm -rf $(VENV) build *.egg-info
