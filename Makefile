# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed lint format messages catalogues clean bench browser-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install messages
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py load_seed_content

## run: install, migrate, load the real content, create a local admin, serve on $(HOST):$(PORT)
## with the background runner (tasks, publish_scheduled every minute) beside it, stopped with it
run: migrate
	$(BIN)/python manage.py load_seed_content --site-port $(PORT)
	$(BIN)/python manage.py ensure_dev_admin --port $(PORT)
	$(BIN)/python manage.py run_tasks & trap 'kill $$!' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: lint, migrations in step with the models, the whole suite (DATABASE_URL picks the DB),
## browser tests included (skipped, with one line saying why, where browser-deps cannot install)
test: install messages browser-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

## browser-deps: Debian's chromium (apt, as root) and axe-core (npm ci) for tests/browser/
browser-deps:
	scripts/browser-deps.sh

## bench: scaled dataset in PostgreSQL (praha_bench), served by gunicorn; req/s and p50/p95 of
## /api/v1/ next to stock API v2 and a minimal Django view returning the same bytes
bench: install
	$(BIN)/python scripts/bench.py

## messages: compile the UI catalogues locale/*/LC_MESSAGES/django.po (pure Python, no msgfmt)
messages: install
	$(BIN)/python manage.py compile_catalogues -v 0

## catalogues: refresh the .po files from the code (needs GNU gettext's xgettext)
catalogues: install
	$(BIN)/python manage.py makemessages -l en -l uk --ignore=.venv --ignore=tests --ignore=build

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media build node_modules .pytest_cache .ruff_cache
