# Two entry points for a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= rasd.db
CHROMIUM ?= /usr/bin/chromium

.PHONY: install install-test browser demo test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The HTML digest tests open the page in real headless Chromium (Debian's package).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "make test needs Chromium at $(CHROMIUM): sudo apt-get install chromium" >&2; \
	    exit 1; \
	  fi; \
	fi

demo: install
	$(BIN)/rasd replay seeds/ --db $(DB)
	$(BIN)/rasd matches --db $(DB) --limit 12
	$(BIN)/rasd digest --db $(DB) --date $$(TZ=Africa/Tripoli date +%F)

test: install-test browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache
