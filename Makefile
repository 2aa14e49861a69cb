# `make run` opens the dashboard; `make test` runs every check. Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# uv installs exactly the versions pinned in uv.lock. It lives in its own small venv, because
# `uv sync` removes from .venv whatever the lock does not list (pip and uv among them).
UV_VERSION := 0.13.9
UV_ENV := .tools/uv
UV := $(UV_ENV)/bin/uv
# Never fetch a Python of uv's own: use the one that runs make. Copy from uv's cache rather than
# hard-link, which fails (with a warning) when the cache is on another file system.
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Install the packages' bytecode too: where PYTHONDONTWRITEBYTECODE is set (as on our CI
# machines) Python would otherwise compile pandas, DuckDB and Streamlit from source in every
# process, 0.8 s of each `python -m metrics` call (1.35 s -> 0.46 s for `kpis`).
export UV_COMPILE_BYTECODE := 1
# The suite that depends on the clock runs a second time in a zone far from UTC (issue #5).
TZ_TESTS := tests/test_importer.py tests/connectors tests/metrics tests/test_store.py \
	tests/test_registry.py tests/test_localtime.py

.PHONY: run test lint format bench samples requirements upgrade clean

$(UV):
	$(PYTHON) -m venv $(UV_ENV)
	$(UV_ENV)/bin/python -m pip install --quiet uv==$(UV_VERSION)

# Re-runs whenever uv.lock (or how it is installed, here) changes; --frozen installs the lock
# as it is, without re-resolving.
$(VENV)/.installed: uv.lock Makefile | $(UV)
	$(UV) sync --frozen --python $(PYTHON) --quiet
	touch $@

run: $(VENV)/.installed
	$(PY) -m streamlit run app.py

test: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest
	TZ=Asia/Ho_Chi_Minh $(PY) -m pytest $(TZ_TESTS)

lint: $(VENV)/.installed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(VENV)/.installed
	$(PY) -m bench

samples: $(VENV)/.installed
	$(PY) -m data.generate --missions 12 --days 183 --out data/samples

# requirements*.txt are uv.lock written out for pip users; tests/test_dependencies.py checks them.
requirements: | $(UV)
	$(UV) export --frozen --quiet --no-dev --no-emit-project --no-hashes -o requirements.txt
	$(UV) export --frozen --quiet --no-emit-project --no-hashes -o requirements-dev.txt

# A deliberate upgrade of one package: `make upgrade PACKAGE=babel`, then `make test`.
upgrade: | $(UV)
	test -n "$(PACKAGE)" || { echo "usage: make upgrade PACKAGE=name"; exit 2; }
	$(UV) lock --upgrade-package "$(PACKAGE)"
	$(MAKE) requirements

clean:
	rm -rf $(VENV) .tools .pytest_cache .ruff_cache
