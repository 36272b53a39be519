# labour-kg developer tasks. `make run` and `make test` are all a new machine needs (Python 3.11 + make).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Debian packages the test suite drives (an independent RDF parser, a headless browser, nginx as the caching
# reverse proxy of deploy/nginx.conf) and the benchmarks add (Apache Bench, the load generator of
# bench/web.py): command:package pairs.
SYSTEM_TOOLS := rapper:raptor2-utils chromium:chromium /usr/sbin/nginx:nginx
BENCH_TOOLS  := ab:apache2-utils

.PHONY: install system-deps run build serve test lint eval bench clean

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# re-installs only when the dependencies change
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

system-deps:
	@missing=""; for pair in $(or $(TOOLS),$(SYSTEM_TOOLS)); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: install
	$(BIN)/kg build

run: build
	$(BIN)/kg serve --host $(HOST) --port $(PORT)

test: install system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .

eval: build
	$(BIN)/kg eval tests/data/gold/seeds
	$(BIN)/kg eval tests/data/gold/dev

bench: install
	$(MAKE) --no-print-directory system-deps TOOLS="$(BENCH_TOOLS)"
	$(BIN)/python -m bench
	$(BIN)/python -m bench.web

clean:
	rm -rf data .pytest_cache .ruff_cache
