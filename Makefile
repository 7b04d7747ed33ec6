# The few commands the README and CI use. Everything else is an implementation detail.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
PYTEST_WORKERS ?= 2
# Each worker takes a whole module (a class, for test classes) at a time, in the order collected
# (the longest tests first: tests/conftest.py): their fixtures are made once, and neither
# worker is left waiting while the other works through a long batch of tests.
PYTEST_DIST := --dist loadscope --no-loadscope-reorder
# The tests keep compiled modules (__pycache__, ignored by git) even where the environment says
# not to (PYTHONDONTWRITEBYTECODE): otherwise each of pytest's workers rewrites every test
# module's asserts again (about 10 s a run) and every child process the tests start compiles
# the project again.
KEEP_BYTECODE := PYTHONDONTWRITEBYTECODE=

.PHONY: run test test-postgres lint format serve worker bench messages openapi chromium clean
DB ?= sqlite
WORKERS ?= $(shell echo $$((2 * $$(nproc) + 1)))
BIND ?= 127.0.0.1:8000

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found). Install it, or run: make PYTHON=/path/to/python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

# The task worker (large imports) runs next to the development server and stops with it. The
# demo logins are printed last, once the server answers (below its banner, not scrolled away).
run: $(STAMP)
	$(PY) manage.py migrate --noinput -v 0
	@logins=$$($(PY) manage.py seed_demo) || { printf '%s\n' "$$logins"; exit 1; }; \
	$(PY) manage.py seed_trade_demo >/dev/null || exit 1; \
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	{ $(PY) -c "import socket, time; any(socket.socket().connect_ex(('127.0.0.1', 8000)) == 0 \
	    or time.sleep(0.2) for _ in range(300))"; \
	  printf '\n%s\nOpen http://127.0.0.1:8000 and log in.\n\n' "$$logins"; } & printer=$$!; \
	trap 'kill $$worker $$printer 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP) chromium node_modules/.installed
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || { echo "Model changes without migrations: run manage.py makemigrations"; exit 1; }
	$(KEEP_BYTECODE) $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_DIST)

# The whole suite against a throwaway PostgreSQL 15 cluster (started here, stopped after).
test-postgres: $(STAMP) chromium node_modules/.installed
	@port=$$($(PY) -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"); \
	dir=/tmp/screening-pg-$$port; \
	url=$$(sh tests/postgres.sh start $$dir $$port) || exit 1; \
	trap "sh tests/postgres.sh stop $$dir" EXIT INT TERM; \
	echo "PostgreSQL test cluster on port $$port"; \
	DATABASE_URL=$$url $(KEEP_BYTECODE) $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_DIST)

# Production mode: gunicorn (WORKERS processes, one request each: sync workers, so requests queue
# fairly in front of all of them) with WhiteNoise serving collected static files.
# Needs SECRET_KEY and ALLOWED_HOSTS (and DATABASE_URL for PostgreSQL); see README.
serve: $(STAMP)
	@[ -n "$${SECRET_KEY:-}" ] && [ -n "$${ALLOWED_HOSTS:-}" ] || { \
	  echo "make serve runs with DEBUG off: set SECRET_KEY and ALLOWED_HOSTS (README: Running in production)."; exit 1; }
	DEBUG=false $(PY) manage.py migrate --noinput
	DEBUG=false $(PY) manage.py collectstatic --noinput -v0
	DEBUG=false $(BIN)/gunicorn config.wsgi --workers $(WORKERS) --bind $(BIND) \
	  --access-logfile - --graceful-timeout 30

# The database-backed task worker. Run one or more next to each app server; each task runs once.
worker: $(STAMP)
	$(PY) manage.py db_worker --no-reload --interval 1

# Benchmarks on this machine → bench/results.json (DB=postgres for a throwaway PostgreSQL);
# README's table of both databases is rewritten from the two results files.
bench: $(STAMP)
	$(PY) -m bench.run --db $(DB)
	$(PY) -m bench.table --write

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Browser tests use Debian's Chromium (playwright cannot download its own browser here), or
# Playwright's own Chromium where a user has installed it.
chromium:
	@sh tests/e2e/ensure_chromium.sh

# axe-core for the accessibility check of the browser tests (never served to users).
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the accessibility check (axe-core): install Node.js 20 and npm."; exit 1; }
	npm ci --no-audit --no-fund --silent
	touch $@

# --no-location: file:line comments change with every edit and make parallel branches conflict.
messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --no-location --ignore=.venv --ignore=tests --ignore=bench \
	  --ignore=staticfiles --ignore=media --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

# The API's OpenAPI document, committed: a test fails when the API changes without it.
openapi: $(STAMP)
	$(PY) manage.py export_openapi_schema --api config.urls.api --indent 2 --sorted \
	  --output docs/openapi.json

clean:
	rm -rf $(VENV) .pytest_cache
