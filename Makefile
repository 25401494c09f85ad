# Refettorio: `make up` runs the system with demo data; `make test` runs every test.
# Both install what they need: uv (from PyPI), the Python packages (uv.lock), the Kafka jars
# (Maven Central), PostgreSQL (Debian) when the machine has none, kustomize (Go module proxy),
# the web assets (npm ci) and Debian's Chromium for the browser tests.
SHELL := /bin/bash
.DEFAULT_GOAL := help
REPLICAS ?= 1
LOCAL := deploy/local

.PHONY: help install stack up down test lint demo status bench

help:
	@echo "make up     - install, start Kafka + PostgreSQL + the four services, load demo data"
	@echo "              (make up REPLICAS=2: two processes of each service)"
	@echo "make test   - install, start Kafka + PostgreSQL, run lint and the whole test suite"
	@echo "make down   - stop the services and the local stack"
	@echo "make status - what is running"
	@echo "make bench  - every benchmark (local stack up), ROUNDS=3 rounds, one table of medians"

# --compile-bytecode: every service process a test starts imports the packages from their .pyc
# (compiling them again, where PYTHONDONTWRITEBYTECODE is set, cost each start 5 s of CPU).
install:
	@UV=$$($(LOCAL)/ensure-uv.sh) && $$UV sync --frozen --quiet --compile-bytecode
	@$(LOCAL)/ensure-kustomize.sh >/dev/null
	@$(LOCAL)/ensure-web.sh

stack: install
	@$(LOCAL)/stack.sh up
	@.venv/bin/python $(LOCAL)/create_topics.py

up: stack
	@REPLICAS=$(REPLICAS) $(LOCAL)/services.sh up
	@.venv/bin/python $(LOCAL)/demo.py

down:
	@$(LOCAL)/services.sh down
	@$(LOCAL)/stack.sh down

status:
	@$(LOCAL)/services.sh status; $(LOCAL)/stack.sh status

lint: install
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check --quiet .
	@.venv/bin/lint-imports --no-cache
	@.venv/bin/mypy shared/src testkit/src services/*/src

test: stack lint
	@source $(LOCAL)/test.env && .venv/bin/pytest $(PYTEST_ARGS)

# Not part of `make test`: benchmarks print figures, they assert nothing (bench/README.md).
ROUNDS ?= 3
BENCH_ENV ?= $(LOCAL)/test.env
bench: install
	@$(LOCAL)/ensure-wrk.sh >/dev/null
	@source $(BENCH_ENV) && .venv/bin/python bench/run_all.py --rounds $(ROUNDS) $(BENCH_ARGS)
