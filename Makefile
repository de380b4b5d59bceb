# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
# Another Python gets its own venv, e.g. `make test PYTHON=python3.13` uses .venv-3.13.
# Supported: 3.11 to 3.13 (pyproject.toml); CI tests the lowest and the highest (.ci/run).
PYTHON_PATH := $(shell scripts/find-python.sh $(PYTHON))
PYTHON_VERSION := $(if $(PYTHON_PATH),$(shell $(PYTHON_PATH) -c 'import sys; print("%d.%d" % sys.version_info[:2])'))
ifeq ($(origin PYTHON),file)
VENV ?= .venv
else
VENV ?= .venv-$(PYTHON_VERSION)
endif
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed lint format messages catalogues clean bench browser-deps \
	backup restore deploy-check mutate schemathesis

$(STAMP): pyproject.toml
	@test -n "$(PYTHON_VERSION)" || { echo "make: no Python at PYTHON=$(PYTHON)" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON_PATH) -m venv $(VENV)
	@$(BIN)/python -c 'import sys; v = "%d.%d" % sys.version_info[:2]; sys.exit(v != "$(PYTHON_VERSION)" and f"make: $(VENV) has Python {v}, PYTHON=$(PYTHON) is $(PYTHON_VERSION); set VENV= or remove $(VENV)")'
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
## /api/v1/ and rendered pages (cold, warm, 304) next to stock API v2 and a minimal Django view
## returning the same bytes; also written to build/bench.json
bench: install
	$(BIN)/python scripts/bench.py

## backup: the database (pg_dump -Fc / SQLite's online backup) and MEDIA_ROOT in one tar file,
## backups/praha-<UTC time>.tar (DATABASE_URL and MEDIA_ROOT pick what is backed up)
backup: install
	$(BIN)/python manage.py backup

## restore FILE=backups/….tar: replace the database and MEDIA_ROOT with a backup, then migrate
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/praha-….tar"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)"
	$(BIN)/python manage.py migrate --noinput

## deploy-check: the production recipe for real (Procfile, deploy/): fresh PostgreSQL + Redis
## databases, release, check --deploy, gunicorn, pages/API/sitemap/static over it, then stop
deploy-check: install messages
	$(BIN)/python scripts/deploy_check.py

## mutate: mutmut on the modules holding the rules that protect readers and translators, each
## against its own tests (scripts/mutate.py); writes build/mutation.json and prints a table.
## MODULES="caching calendar" runs some; MODULES="caching --survivors" re-tests the last survivors.
mutate: install messages
	$(BIN)/python scripts/mutate.py $(MODULES)

## schemathesis: the API contract test (part of `make test`, ~1,800 cases) with ~5,000 cases;
## CONTRACT_EXAMPLES: fuzzed cases per operation (10 in make test); DATABASE_URL picks the DB
CONTRACT_EXAMPLES ?= 170
schemathesis: install messages
	CONTRACT_EXAMPLES=$(CONTRACT_EXAMPLES) $(BIN)/pytest tests/api/test_contract.py -p no:cacheprovider

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
	rm -rf $(VENV) .venv-3.* db.sqlite3 media build node_modules .pytest_cache .ruff_cache
