# provstats: Dagster + dbt + DuckDB pipeline over Vietnamese provincial statistics.
#
#   make venv          create .venv from requirements.lock (idempotent)
#   make run           parse the dbt project and refresh the warehouse (incremental)
#   make full-rebuild  same, re-extracting every document
#   make test          the test suite (what CI runs)
#   make test-fast     unit tests only (no dbt, Dagster runs or subprocesses), < 2 minutes
#   make dev           Dagster UI + daemon on http://127.0.0.1:3000 (schedule, sensor)
#   make notebooks     JupyterLab on http://127.0.0.1:8888 in notebooks/
#   make docs          dbt docs site on http://127.0.0.1:8080
#   make export        marts as Parquet + CSV with a data dictionary in warehouse/export/
#   make eval          score extraction on the seeds and the development set
#   make lint          ruff
#   make bench         timings of scan, extraction and refreshes
#   make bench-scale   refreshes of 100 / 1,000 / 10,000 generated documents, per stage
#
# Paths: RAW_DIR, WAREHOUSE_PATH and DAGSTER_HOME may be set in the environment (or on
# the make command line); the defaults are those of orchestration/settings.py.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_SYSTEM ?= python3.11
VENV          := .venv
PY            := $(VENV)/bin/python
STAMP         := $(VENV)/.provstats-installed

RAW_DIR        ?= $(CURDIR)/raw
WAREHOUSE_PATH ?= $(CURDIR)/warehouse/provstats.duckdb
DAGSTER_HOME   ?= $(CURDIR)/.dagster_home
export RAW_DIR WAREHOUSE_PATH DAGSTER_HOME

# Absolute, as the orchestrator passes them: a parse reused by the builds records its paths
# (dbt-duckdb loads seeds from them; dbt runs in dbt_project/ there).
DBT_FLAGS := --project-dir $(CURDIR)/dbt_project --profiles-dir $(CURDIR)/dbt_project
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: help venv run full-rebuild dbt-parse test test-fast dev notebooks docs export eval lint \
	bench bench-scale paths lock FORCE

help:
	@sed -n '3,18p' Makefile | sed 's/^# \{0,1\}//'

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@echo "provstats: setting up the Python environment in $(VENV) (about a minute the first time)"
	@test -x $(PY) || { echo "  creating $(VENV) with $(PYTHON_SYSTEM)"; $(PYTHON_SYSTEM) -m venv $(VENV); }
	@echo "  installing the pinned packages of requirements.lock"
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	@echo "  installing provstats itself (editable)"
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# The manifest Dagster builds the dbt assets from. Parsed again only when a project file
# or the builds' --vars (the warehouse's build file) changed, and with those same --vars,
# so that every dbt build reuses this parse instead of re-parsing the whole project.
MANIFEST     := dbt_project/target/manifest.json
VARS_STAMP   := dbt_project/target/.build-vars
DBT_SOURCES  := $(shell find dbt_project/models dbt_project/macros dbt_project/seeds \
                  dbt_project/tests orchestration/extraction/data/catalogue -type f 2>/dev/null) \
                dbt_project/dbt_project.yml dbt_project/profiles.yml

dbt-parse: $(MANIFEST)

$(VARS_STAMP): FORCE | venv
	@mkdir -p $(@D)
	@vars='$(shell $(PY) -m orchestration.warehouse.dbt_vars 2>/dev/null)'; \
	  [ -n "$$vars" ] && { echo "$$vars" | cmp -s - $@ || echo "$$vars" > $@; }

$(MANIFEST): $(DBT_SOURCES) $(VARS_STAMP) $(STAMP)
	@echo "provstats: parsing the dbt project (dbt parse)"
	@$(VENV)/bin/dbt parse $(DBT_FLAGS) --quiet --vars "$$(cat $(VARS_STAMP))"

FORCE:

run: venv dbt-parse
	$(PY) -m orchestration refresh

full-rebuild: venv dbt-parse
	$(PY) -m orchestration refresh --full

paths: venv
	$(PY) -m orchestration paths

test: venv
	$(VENV)/bin/pytest

test-fast: venv
	PROVSTATS_FAST_TESTS=1 $(VENV)/bin/pytest -m "not integration"

# dg dev under a supervisor that stops the UI, the daemon and any run on Ctrl-C or SIGTERM
# (orchestration/devserver.py). DEV_HOST / DEV_PORT choose the address.
DEV_HOST ?= 127.0.0.1
DEV_PORT ?= 3000

dev: venv dbt-parse
	$(PY) -m orchestration dev --host $(DEV_HOST) --port $(DEV_PORT)

NOTEBOOK_PORT ?= 8888
DOCS_PORT     ?= 8080
# JupyterLab refuses to start as root without --allow-root; containers and CI run as root.
JUPYTER_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# (jupysql's ploomber-core would otherwise report usage and look for new versions)
notebooks: venv
	PLOOMBER_STATS_ENABLED=false PLOOMBER_VERSION_CHECK_DISABLED=true \
		$(VENV)/bin/jupyter lab --ip 127.0.0.1 --port $(NOTEBOOK_PORT) --no-browser \
		--ServerApp.root_dir=notebooks $(JUPYTER_ROOT_FLAG)

# dbt docs generate on a copy of the published warehouse, then dbt docs serve.
docs: venv
	$(PY) -m orchestration docs --serve --port $(DOCS_PORT)

export: venv
	$(PY) -m orchestration export

# Straight from extraction, in seconds. make eval EVAL_ARGS="--warehouse warehouse/provstats.duckdb"
# scores a built warehouse instead; --verbose lists every problem; --set dev one set only.
eval: venv
	$(PY) scripts/eval.py $(EVAL_ARGS)

lint: venv
	$(VENV)/bin/ruff check orchestration tests scripts

bench: venv dbt-parse
	$(PY) scripts/benchmark.py

# SIZES=100,1000 for a shorter run; the table is also written to bench-scale.md
SIZES ?= 100,1000,10000
bench-scale: venv dbt-parse
	$(PY) scripts/bench_scale.py --sizes $(SIZES) --markdown bench-scale.md

# Re-freeze the environment after changing pyproject.toml's pins (the project itself,
# installed editable, is left out). The lock is complete: `make venv` installs it with
# --no-deps, which leaves out rfc3987-syntax (jsonschema's optional IRI checker, pulled by
# jupyter-events' extras; it costs 1-3 s of import in every dbt and Dagster process).
lock: venv
	{ echo '# Frozen environment of provstats (Python 3.11): generated by `make lock`.'; \
	  $(PY) -m pip freeze --exclude-editable | grep -v '^provstats'; } > requirements.lock
