# Maillage — every set-up step a fresh machine needs, from Python 3.11+ alone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The links of the e-mails the demo queues (invitations) and the worker sends lead to this server.
export SITE_URL ?= http://127.0.0.1:$(PORT)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-api test-browser lint fmt demo messages lock bench load setup install system-libraries clean

## run: set up, load the demo, serve http://127.0.0.1:$(PORT) with a task worker (Ctrl-C stops both)
run: setup
	@echo "Maillage on http://127.0.0.1:$(PORT) — Ctrl-C stops the server and the worker."
	@$(BIN)/python manage.py db_worker & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: set up, then run the whole suite (browser tests apart)
test: setup
	$(BIN)/pytest -q $(PYTEST_ARGS)

## test-api: schemathesis runs the whole OpenAPI schema against the demo data (FUZZ_EXAMPLES=8)
test-api: install
	$(BIN)/pytest -q -m fuzz -p no:logging $(PYTEST_ARGS)

## test-browser: drive Debian's Chromium through Playwright (apt-get install chromium)
test-browser: setup
	$(BIN)/pytest -q -m browser $(PYTEST_ARGS)

## lint: ruff, mypy, migrations in step with models, templates
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy maillage
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/djlint maillage --lint

## bench: territory imports, the 10 000-project portfolio and dashboards, the search…, SQLite and PostgreSQL, vs raw SQL
bench: install
	$(BIN)/python bench/portfolio.py --database sqlite
	$(BIN)/python bench/dashboard.py --database sqlite
	$(BIN)/python bench/report.py --database sqlite
	$(BIN)/python bench/mutualisation.py --database sqlite
	$(BIN)/python bench/funding.py --database sqlite
	$(BIN)/python bench/observatory.py --database sqlite
	$(BIN)/python bench/search.py --database sqlite
	$(BIN)/python bench/forum.py --database sqlite
	$(BIN)/python bench/import_territories.py --database sqlite
	@if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then \
		$(BIN)/python bench/import_territories.py --database postgres; \
		$(BIN)/python bench/portfolio.py --database postgres; \
		$(BIN)/python bench/dashboard.py --database postgres; \
		$(BIN)/python bench/mutualisation.py --database postgres; \
		$(BIN)/python bench/funding.py --database postgres; \
		$(BIN)/python bench/observatory.py --database postgres; \
		$(BIN)/python bench/search.py --database postgres; \
		$(BIN)/python bench/forum.py --database postgres; \
	else echo "PostgreSQL is not on 127.0.0.1:5432: skipped (BENCH_POSTGRES_URL to point elsewhere)"; fi

## fmt: format and fix what ruff can
fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## load: gunicorn on PostgreSQL and Redis under 1, 10 and 50 users; req/s and p50/p95/p99 (bench/load.py)
load: install
	$(BIN)/python bench/load.py $(LOAD_ARGS)

## demo: start the local database afresh with the demo data
demo: install
	rm -f var/maillage.sqlite3 var/maillage.sqlite3-wal var/maillage.sqlite3-shm
	$(MAKE) setup

## messages: extract the interface strings and compile the translations
messages: install
	$(BIN)/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=var --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

## lock: re-resolve the pinned dependencies from pyproject.toml
lock: install
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements/production.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -q -o requirements/dev.txt

setup: install
	@mkdir -p var
	@$(BIN)/python manage.py migrate --noinput -v0
	@$(BIN)/python manage.py load_demo

install: $(VENV)/.installed system-libraries

## system-libraries: Pango and a font for the PDF reports (WeasyPrint), from Debian's packages
system-libraries:
	@ldconfig -p | grep -q libpangoft2-1.0 || { \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
		else echo "PDF reports need Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; fi; }

$(VENV)/.installed: requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	@touch $@

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
