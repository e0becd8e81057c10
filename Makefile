# Two entry points for a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= rasd.db
CHROMIUM ?= /usr/bin/chromium
PORT ?= 0
REGISTRY ?= site-sources.toml
LOCK_VENV ?= .venv-lock
# Every install is pinned to the versions the tests last passed with (`make lock` renews them).
CONSTRAINTS := constraints.txt

.PHONY: install install-test browser postgres demo test site lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# A Debian package the tests need: $(1) tells whether it is there, $(2) is the package and
# $(3) what is missing. apt-get installs it when make runs as root; otherwise make stops.
define debian_package
	@if ! $(1) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2); \
	  else \
	    echo "make test needs $(3): sudo apt-get install $(2)" >&2; \
	    exit 1; \
	  fi; \
	fi
endef

# The HTML digest tests open the page in real headless Chromium (Debian's package).
browser:
	$(call debian_package,test -x $(CHROMIUM),chromium,Chromium at $(CHROMIUM))

# The store and worker tests start their own PostgreSQL cluster (Debian's server programs).
postgres:
	$(call debian_package,ls /usr/lib/postgresql/*/bin/initdb,postgresql,PostgreSQL's server)

demo: install
	$(BIN)/rasd replay seeds/ --db $(DB)
	$(BIN)/rasd matches --db $(DB) --limit 12
	$(BIN)/rasd digest --db $(DB) --date $$(TZ=Africa/Tripoli date +%F)

test: install-test browser postgres
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# A fixture outlet on 127.0.0.1 (seeds/site/), and the registry to crawl it, until Ctrl-C.
site: install
	$(BIN)/python -m rasd.devsite --port $(PORT) --registry $(REGISTRY)

# Newest versions pyproject.toml allows, in a fresh venv; the pins are written only if the
# tests pass there.
lock: browser postgres
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet -e '.[test]'
	$(LOCK_VENV)/bin/python -m pytest -q $(PYTEST_ARGS)
	{ echo "# pip constraints: the versions the tests passed with (make lock)"; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable; } > $(CONSTRAINTS)
	rm -rf $(LOCK_VENV)

clean:
	rm -rf $(VENV) $(LOCK_VENV) $(DB) $(DB)-wal $(DB)-shm $(DB)-reserve .pytest_cache
