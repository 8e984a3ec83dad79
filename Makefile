# make demo: set everything up and run the demo on http://127.0.0.1:8000
# make test: every check and every test, on PostgreSQL and Redis
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/strategy
REDIS_URL_TEST ?= redis://127.0.0.1:6379/1
# Where the demo serves; links in its e-mail and calendar (SITE_URL) point there too.
DEMO_ADDRESS ?= 127.0.0.1:8000
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: demo test screenshots bench bench-load bench-live bench-pages bench-reminders bench-fanout bench-saves bench-live-edit install system-packages services messages lint checks pytest clean help

help:
	@echo "make demo   set up and run the demo on http://127.0.0.1:8000 (SQLite, no Redis)"
	@echo "make test   lint, migration and deploy checks, and every test (PostgreSQL, Redis, Chromium)"
	@echo "make screenshots   take the screenshots of docs/walk.md again (its browser test)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Debian packages the project needs: gettext (compiled translations), and for the tests
# Chromium with a Chinese font (browser tests) and docker-compose (validates docker-compose.yml).
system-packages:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ "$(SYSTEM_PACKAGES)" = "bench" ]; then \
	  command -v wrk >/dev/null || missing="$$missing wrk"; \
	fi; \
	if [ "$(SYSTEM_PACKAGES)" = "test" ]; then \
	  [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	  [ -d /usr/share/fonts/truetype/wqy ] || missing="$$missing fonts-wqy-zenhei"; \
	  command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	  command -v npm >/dev/null || missing="$$missing npm"; \
	  ldconfig -p | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing. Install them: sudo apt-get install$$missing" >&2; exit 1; \
	  fi; \
	fi

# PostgreSQL and Redis must answer on 127.0.0.1; start them where this machine can.
services:
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  echo "PostgreSQL is not answering on 127.0.0.1:5432: starting it"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start 2>/dev/null || true; \
	  for i in $$(seq 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done; \
	  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not running on 127.0.0.1:5432 and could not be started." >&2; exit 1; }; \
	fi
	@if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then \
	  echo "Redis is not answering on 127.0.0.1:6379: starting it"; \
	  mkdir -p /var/lib/redis /var/log/redis; \
	  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 || true; \
	  for i in $$(seq 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done; \
	  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { echo "Redis is not running on 127.0.0.1:6379 and could not be started." >&2; exit 1; }; \
	fi
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'strategy'" | grep -q 1 \
	  || createdb -h 127.0.0.1 -U postgres strategy
	@echo "PostgreSQL and Redis answer."

messages: install
	$(MANAGE) compilemessages --ignore '.venv/*' --ignore 'node_modules/*' -v0

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --lint templates recommendations/templates public groups timeline strategy

checks: install services messages
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_URL_TEST) DJANGO_SETTINGS_MODULE=strategy.settings.test \
	  $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=strategy.settings.production DATABASE_URL=$(PG_URL) \
	  REDIS_URL=$(REDIS_URL_TEST) ALLOWED_HOSTS=strategy.example.org \
	  SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

# axe-core, for the accessibility checks in the browser tests.
node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	touch $@

# The suite runs in PYTEST_WORKERS processes (pytest-xdist), each with a test database,
# a Redis database and a Celery queue of its own (strategy/settings/test.py). The tests
# that start a real Celery worker or a Redis server of their own run afterwards, apart and
# one at a time: they wait on processes whose timing a busy neighbour would upset. Exit
# status 5 is pytest's "nothing selected" (PYTEST_ARGS naming a part without such tests).
PYTEST_WORKERS ?= 2
PYTEST_ENV = DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_URL_TEST)
pytest: install services messages node_modules/axe-core/axe.min.js
	$(PYTEST_ENV) $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not worker and not faults" $(PYTEST_ARGS) \
	  || [ $$? -eq 5 ]
	$(PYTEST_ENV) $(BIN)/pytest -p no:xdist -m "worker or faults" $(PYTEST_ARGS) || [ $$? -eq 5 ]

test:
	$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES=test
	$(MAKE) --no-print-directory lint checks pytest

# The screenshots of docs/walk.md, taken again by the browser test that checks each page
# (make test writes them to var/screenshots/walk/ instead).
screenshots:
	$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES=test
	$(MAKE) --no-print-directory pytest PYTEST_ARGS="tests/browser/test_walk_screenshots.py" \
	  WALK_SCREENSHOTS=docs/screenshots/walk

demo: install
	$(MAKE) --no-print-directory system-packages
	$(MAKE) --no-print-directory messages
	mkdir -p var
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) sync_beat_schedule -v0
	SITE_URL=http://$(DEMO_ADDRESS) $(MANAGE) demo_data
	@echo "Open http://$(DEMO_ADDRESS) (stop with Ctrl-C). E-mail is printed below."
	SITE_URL=http://$(DEMO_ADDRESS) $(MANAGE) runserver $(DEMO_ADDRESS)

# Speed, measured against a baseline in the same run (see bench/).
bench: bench-load
	$(BIN)/python bench/diff_speed.py
	$(BIN)/python bench/thread_speed.py
	$(BIN)/python bench/search_speed.py
	$(BIN)/python bench/reminders_speed.py
	$(BIN)/python bench/fanout.py

bench-reminders: install services messages
	$(BIN)/python bench/reminders_speed.py

# Twenty members saving one draft at once, each to a paragraph of their own, over HTTP
# (bench/concurrent_saves.py): saves lost, conflict screens, rounds.
bench-saves: install services messages
	$(BIN)/python bench/concurrent_saves.py

# One recommendation published to 10,000 watchers, to the last e-mail sent by one worker
# (bench/fanout.py); results in bench/results/fanout.md.
bench-fanout: install services messages
	$(BIN)/python bench/fanout.py

# The site under load at 100 times the reference case (bench/load.py); results in
# bench/results/load.md and load.json.
bench-load: install services messages
	$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES=bench
	$(BIN)/python bench/load.py $(BENCH_ARGS)

# A feedback period opening: 500 people for two minutes with Locust (bench/live_session.py),
# on bench-load's data set; results in bench/results/live_session.md.
bench-live: install services messages
	$(BIN)/python bench/live_session.py $(BENCH_ARGS)

# 20 and 50 people typing in one draft at once over real WebSockets (bench/live_editing.py):
# keystroke-to-others delay and server CPU against a bare relay; bench/results/live_editing.md.
bench-live-edit: install services messages
	$(BIN)/python bench/live_editing.py

# Every page requested once at 100 times the reference case (bench/every_page.py): the
# slowest ten in bench/results/every_page.md; fails over a second.
bench-pages: install services messages
	$(BIN)/python bench/every_page.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .ruff_cache
