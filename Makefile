# The README's two commands: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test setup serve lint typecheck pytest messages lock chromium pango totp clean bench loadtest capacity faults

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py wbs_keys init
	$(PY) manage.py audit_key init
	$(PY) manage.py load_regions
	$(PY) manage.py mcp_catalogue import data/mcp/mcp-*.yaml
	$(PY) manage.py zi_lke import data/zi/lke-*.yaml
	$(PY) manage.py upg_rules import data/upg/aturan-*.yaml
	$(PY) manage.py coi_lists import data/coi/daftar-*.yaml
	$(PY) manage.py spi reference data/spi/spi-*.yaml
	$(PY) manage.py signal_rules import data/signals/sinyal-*.yaml
	$(PY) manage.py seed_demo
	$(PY) manage.py mcp_demo_scores
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py mcp_reminders --schedule
	$(PY) manage.py wbs_daily --schedule
	$(PY) manage.py upg_daily --schedule
	$(PY) manage.py coi_daily --schedule
	@echo "Cegah: http://$(HOST):$(PORT)/  (Ctrl+C stops the server and the task worker)"
	@# The background worker (emails, reminders) runs beside the web server and stops with it.
	$(PY) manage.py db_worker --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn config.wsgi -c python:config.gunicorn_conf --bind $(HOST):$(PORT) \
		--access-logfile - --forwarded-allow-ips=127.0.0.1

test: setup chromium lint typecheck pytest

setup: $(VENV)/.installed node_modules/.installed .env locale/en/LC_MESSAGES/django.mo pango

# Python: a venv pinned by requirements.lock (regenerate with `make lock`).
$(VENV)/.installed: requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# Front-end libraries from the npm registry, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Local settings for the demo server: a random secret key, plain HTTP on localhost.
.env:
	@umask 077; printf 'DEBUG=false\nHTTPS=false\nSECRET_KEY=%s\n' \
		"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env (local demo settings)."

locale/en/LC_MESSAGES/django.mo: locale/en/LC_MESSAGES/django.po
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext; }
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
	touch $@

# Debian's pango for WeasyPrint (the PDF report card), installed when missing and we are root.
pango:
	@ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || { [ "$$(id -u)" = 0 ] && \
		{ apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; } || \
		echo "libpango is missing: PDF report cards will not render (apt-get install libpango-1.0-0)"; }

# Debian's chromium for the browser tests; where it cannot be installed they skip, saying why.
chromium:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && \
		{ apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || \
		echo "chromium not installed: browser tests will be skipped"; }

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

typecheck:
	SECRET_KEY=$${SECRET_KEY:-typecheck-only} $(VENV)/bin/mypy .

pytest:
	$(PY) manage.py makemigrations --check --dry-run -v0
	@$(VENV)/bin/pytest -n auto $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure"; fi; exit $$rc

# Benchmarks at national scale (not part of `make test`): SQLite by default, or
# BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cegah_bench make bench
bench: setup
	$(PY) bench/run.py
	$(PY) bench/staff_import.py
	$(PY) bench/profile.py

# The deadline surge (locust, loopback only) against gunicorn + PostgreSQL at 127.0.0.1:5432;
# LOAD_USERS (300) and LOAD_SECONDS (90) bound it. Recreates the database cegah_load.
loadtest: setup
	$(PY) bench/loadtest.py

# The capacity curve (the surge at 100 to 800 users, CAPACITY_STEPS) and a publication-day read
# spike (CAPACITY_VISITORS anonymous visitors): bench/capacity.py, about 10 minutes; database
# cegah_capacity, recreated.
capacity: setup
	$(PY) bench/capacity.py

# Fault scenarios (faults/README.md; not part of `make test`, minutes each, as root): PostgreSQL
# restarted in a surge, the worker killed mid-job, a full disk, Redis stopped, two servers
# behind nginx. SCENARIO=pg-restart (or worker-kill, disk-full, redis-stop, two-servers) runs one.
SCENARIO ?= all
faults: setup
	$(PY) faults/run.py $(SCENARIO)

messages:
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete

lock:
	$(VENV)/bin/pip-compile --quiet --no-emit-index-url --no-emit-find-links --strip-extras \
		--extra dev -o requirements.lock pyproject.toml

totp:
	@$(PY) manage.py demo_totp

clean:
	rm -rf $(VENV) node_modules var .mypy_cache .ruff_cache
