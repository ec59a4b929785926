# Two targets matter: `make run` (install, migrate, demo data, serve on 127.0.0.1:8000, or HOST=/PORT=) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails point where this server answers unless SITE_URL says otherwise; a wildcard address
# is no address a browser can open, so it links to this machine.
LINK_HOST := $(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(if $(filter ::,$(HOST)),[::1],$(HOST)))
APT_PACKAGES := python3-venv python3-dev build-essential libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 \
	fonts-noto-cjk redis-server chromium postgresql ffmpeg poppler-utils \
	libreoffice-writer-nogui

.PHONY: run install system-deps test test-postgres migrate demo worker clean bench

run: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true SITE_URL="$${SITE_URL:-http://$(LINK_HOST):$(PORT)}" $(PY) manage.py runserver $(if $(findstring :,$(HOST)),[$(HOST)],$(HOST)):$(PORT)

# Debian packages: WeasyPrint's libraries and CJK font, Chromium for browser tests, Redis/PostgreSQL
# for the production mode. Skipped when not root (install them by hand then).
system-deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		export DEBIAN_FRONTEND=noninteractive; \
		dpkg -s $(APT_PACKAGES) >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq $(APT_PACKAGES); }; \
	fi

.install-stamp: pyproject.toml
	$(MAKE) system-deps
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch .install-stamp

install: .install-stamp

test: install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) test-postgres; fi

# The tests that need PostgreSQL (row locks under real concurrency), against TEST_DATABASE_URL; with
# TEST_APP_DATABASE_URL (the app's own role: README, two database roles) the append-only tests once more,
# connected as that role after the owner migrated and granted it.
test-postgres: install
	DATABASE_URL="$$TEST_DATABASE_URL" DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -q -m postgres
	@if [ -n "$$TEST_APP_DATABASE_URL" ]; then \
		DATABASE_URL="$$TEST_DATABASE_URL" DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -q --as-app-role tests/test_append_only.py; \
	fi

# The benchmarks of README's performance section (they print their figures; not part of `make test`).
# wrk drives the page benchmark; BENCH_DATABASE_URL=postgres://… adds the PostgreSQL run of each.
bench: install
	@if ! command -v wrk >/dev/null; then \
		if [ "$$(id -u)" = "0" ]; then apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; \
		else echo "wrk is missing: apt-get install wrk (as root)"; exit 1; fi; \
	fi
	$(PY) bench/pages.py $${BENCH_DATABASE_URL:+--database "$$BENCH_DATABASE_URL"}
	$(PY) bench/roster_import.py
	$(PY) bench/pdf_build.py
	$(PY) bench/search.py
	$(PY) bench/survey.py

worker: install
	DEBUG=true $(VENV)/bin/celery -A haidian_contest.celery worker --beat -l info

clean:
	rm -rf $(VENV) .install-stamp
