# A fresh machine needs two commands: `make demo` (install and run the demo on SQLite)
# and `make test` (install and run the tests). Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 5000
# Test processes: one per core, a test file stays in one process (`make test PYTEST_WORKERS=0`: no workers).
PYTEST_WORKERS ?= auto
BIN := $(VENV)/bin
# Pinned versions for every install (pip constraints); `make lock` renews them from pyproject.toml.
LOCK := requirements.lock
# The browser tests drive Debian's Chromium through Playwright (no browser download).
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test lint audit lock clean

demo: $(VENV)/.installed-app
	$(BIN)/selfeval demo --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test $(CHROMIUM)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# mypy checks the packages named in pyproject.toml ([tool.mypy] files).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy

audit: $(VENV)/.installed-test
	BIN=$(BIN) .ci/audit

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed-app: pyproject.toml $(LOCK) $(VENV)/.created
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) $(VENV)/.created
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[test]'
	touch $@ $(VENV)/.installed-app

$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests (needs root: apt-get)"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

lock: $(VENV)/.created
	$(BIN)/python -m pip install --quiet pip-tools
	{ sed -n '1,2p' $(LOCK); $(BIN)/pip-compile --quiet --extra test --strip-extras --no-emit-index-url \
	  --no-emit-find-links --no-header -o - pyproject.toml; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
