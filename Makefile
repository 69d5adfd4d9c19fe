# FundApp — `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
DEMO_ENV := DEBUG=$${DEBUG:-1} SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}

.PHONY: install demo test lint format worker beat messages bench clean

$(BIN)/python:
	@PYTHON="$(PYTHON)" VENV="$(VENV)" sh scripts/bootstrap-venv.sh

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@sh scripts/ensure-fonts.sh || true
	@touch $(STAMP)

install: $(STAMP)

demo: install
	@mkdir -p var
	@$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	@$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	@$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs on TEST_WORKERS pytest-xdist workers ("auto": one per CPU core; 0: in this
# process). The groups of tests/conftest.py (GROUPS_BY_PATH) each stay on one worker, in
# order: the browser journeys, the real-Celery worker tests, each module sharing one seeded demo.
TEST_WORKERS ?= auto

test: install
	@sh scripts/ensure-chromium.sh || true
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install
	$(BIN)/celery -A fundapp worker --loglevel=INFO --concurrency=$${CONCURRENCY:-2}

beat: install
	$(BIN)/celery -A fundapp beat --loglevel=INFO

# The catalogues of the five languages besides English (locale/GLOSSARY.md keeps their terms).
LOCALES := fr es ar ru zh_Hans

messages: install
	for l in $(LOCALES); do DEBUG=1 $(BIN)/python manage.py makemessages -l $$l --ignore=.venv --ignore=var --ignore=tests; done
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

# Every script under bench/ (at the issue's sizes) into one table, bench/RESULTS.md: roughly
# 10-15 minutes on 2 cores (an estimate scaled from the quick run, not timed yet). The short
# one is `make bench BENCH_ARGS=--quick`: about 4 minutes, small sizes, and it writes no file
# unless BENCH_ARGS also has --output PATH.
BENCH_ARGS ?=

bench: install
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf var/fundapp.sqlite3 var/mail var/media
