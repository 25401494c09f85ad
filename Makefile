# Refettorio: `make up` runs the system with demo data; `make test` runs every test.
# Both install what they need: uv (from PyPI), the Python packages (uv.lock), the Kafka jars
# (Maven Central), PostgreSQL (Debian) when the machine has none, kustomize (Go module proxy),
# the web assets (npm ci) and Debian's Chromium for the browser tests.
SHELL := /bin/bash
.DEFAULT_GOAL := help
LOCAL := deploy/local

.PHONY: help install stack up down test lint demo status

help:
	@echo "make up     - install, start Kafka + PostgreSQL + the four services, load demo data"
	@echo "make test   - install, start Kafka + PostgreSQL, run lint and the whole test suite"
	@echo "make down   - stop the services and the local stack"
	@echo "make status - what is running"

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
	@$(LOCAL)/services.sh up
	@.venv/bin/python $(LOCAL)/demo.py

down:
	@$(LOCAL)/services.sh down
	@$(LOCAL)/stack.sh down

status:
	@$(LOCAL)/services.sh status; $(LOCAL)/stack.sh status

lint: install
	@.venv/bin/ruff check .
	@.venv/bin/lint-imports --no-cache
	@.venv/bin/mypy shared/src testkit/src services/*/src

test: stack lint
	@source $(LOCAL)/test.env && .venv/bin/pytest $(PYTEST_ARGS)
