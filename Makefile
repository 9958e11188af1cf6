# `make run`: set up everything and serve the demo on http://127.0.0.1:8000
# `make test`: set up everything and run the whole test suite
# `make load`: the load test (bench/load.py; needs PostgreSQL on 127.0.0.1:5432)
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
TEST_ENV := DJANGO_DEBUG=false DJANGO_SECRET_KEY=test-only-not-secret DJANGO_SECURE_COOKIES=false

.PHONY: run test setup messages migrate demo check-migrations lint clean load

run: setup
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py create_demo_seal --output $(DEMO_SEAL)
	$(DEV_ENV) $(BIN)/python manage.py load_demo --signed
	@echo "Serving on http://127.0.0.1:8000/ (admin: http://127.0.0.1:8000/admin/) - Ctrl+C to stop"
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# On every core (pytest-xdist): about 4.5 minutes on 2 cores.
test: setup
	$(TEST_ENV) $(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

setup: $(SYSTEM_DEPS) $(INSTALLED) $(ASSETS) messages

$(SYSTEM_DEPS): scripts/system-deps.sh
	./scripts/system-deps.sh
	@mkdir -p $(VENV) && touch $@

# The load test (bench/load.py): 50 users for 60 s against gunicorn on the local PostgreSQL.
load: setup $(BENCH_INSTALLED)
	$(BIN)/python bench/load.py

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
