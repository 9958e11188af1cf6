# `make run`: set up everything and serve the demo on http://127.0.0.1:8000
# `make test`: set up everything and run the whole test suite
# `make load`: the load test (bench/load.py; needs PostgreSQL on 127.0.0.1:5432)
# `make bench`: the benchmarks (bench/pdf.py, bench/web.py; PostgreSQL, wrk), results in bench/results
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-requirements
BENCH_INSTALLED := $(VENV)/.installed-bench-requirements
ASSETS := node_modules/.installed-assets
SYSTEM_DEPS := $(VENV)/.installed-system-deps
# The demo seal (self-signed, refused when debug is off), made by `make run` on first use.
DEMO_SEAL := var/demo-seal.p12
DEV_ENV := DJANGO_DEBUG=true MINUTES_SEAL_FILE=$(DEMO_SEAL) MINUTES_SEAL_PASSWORD_FILE=var/demo-seal.password
# The task worker `make run` starts beside the web server (meetings/jobs.py):
# the database queue's, or RQ's when REDIS_URL names a Redis server. At a lower
# CPU priority (nice 10): a seal being made never slows the pages people wait on.
WORKER := nice -n 10 $(BIN)/python manage.py $(if $(REDIS_URL),rqworker default --job-class django_tasks_rq.Job,db_worker --no-reload)
TEST_ENV := DJANGO_DEBUG=false DJANGO_SECRET_KEY=test-only-not-secret DJANGO_SECURE_COOKIES=false

.PHONY: run test setup messages migrate demo check-migrations lint clean load bench

run: setup
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py create_demo_seal --output $(DEMO_SEAL)
	$(DEV_ENV) $(BIN)/python manage.py load_demo --signed
	@echo "Serving on http://127.0.0.1:8000/ (admin: http://127.0.0.1:8000/admin/) with a task worker - Ctrl+C stops both"
	@trap 'kill $$worker 2>/dev/null' EXIT; \
	$(DEV_ENV) $(WORKER) & worker=$$!; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# On every core (pytest-xdist): 4.5 to 5 minutes on 2 cores.
test: setup
	$(TEST_ENV) $(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

setup: $(SYSTEM_DEPS) $(INSTALLED) $(ASSETS) messages

$(SYSTEM_DEPS): scripts/system-deps.sh
	./scripts/system-deps.sh
	@mkdir -p $(VENV) && touch $@

# The load test (bench/load.py): 50 users for 60 s against gunicorn on the local PostgreSQL.
load: setup $(BENCH_INSTALLED)
	$(BIN)/python bench/load.py

# The benchmarks (about 8 minutes; BENCH_ARGS=--quick for a smoke run): PDF renders
# against WeasyPrint alone and Chromium, then pages under load with wrk on PostgreSQL.
bench: setup $(BENCH_INSTALLED)
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" -eq 0 ]; then apt-get install -y -qq wrk; \
		else sudo apt-get install -y -qq wrk; fi; }
	$(BIN)/python bench/pdf.py $(BENCH_ARGS)
	$(BIN)/python bench/web.py $(BENCH_ARGS)

$(BENCH_INSTALLED): bench/requirements.txt $(INSTALLED)
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	@touch $@

$(INSTALLED): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

# Browser assets (signature_pad) from the npm registry, served by the app itself.
$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

messages: $(INSTALLED)
	@$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv --verbosity=0

check-migrations: setup
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles node_modules
