# make demo  — install, migrate, load the demonstration data and serve it
# make test  — install and run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test check bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch $@

# The npm packages' files the pages use, copied where the app serves them.
static/vendor/.installed: node_modules/.installed scripts/vendor_static.sh
	scripts/vendor_static.sh
	touch $@

install: $(VENV)/.installed $(if $(wildcard package.json),static/vendor/.installed)

demo: install
	TASKFORCE_MODE=demo $(PY) manage.py migrate --noinput
	TASKFORCE_MODE=demo $(PY) manage.py seed_demo
	@echo ""
	@echo "  The case tracker is at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@TASKFORCE_MODE=demo $(PY) manage.py seed_demo --print-logins
	@echo ""
	@echo "  Downloads are written by a worker started here in the background (manage.py db_worker)."
	TASKFORCE_MODE=demo $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	TASKFORCE_MODE=demo $(PY) manage.py runserver $(HOST):$(PORT)

# One pytest worker per core (pytest-xdist); an idle worker takes tests from a busy one.
# PYTEST_WORKERS=0 runs the suite in one process. The 20 slowest tests are listed at the end.
PYTEST_WORKERS ?= auto
test: install
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist worksteal --durations=20 $(PYTEST_ARGS)

check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	TASKFORCE_MODE=test $(PY) manage.py check
	TASKFORCE_MODE=test $(PY) manage.py makemigrations --check --dry-run

# make bench — the performance harness (docs/PERFORMANCE.md) on PostgreSQL; timings are reported, not asserted.
BENCH_SCALE ?= 0.05
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench
bench: install
	$(PY) -m bench.run --database $(BENCH_DATABASE_URL) --scale $(BENCH_SCALE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
