# Jusur — the commands a newcomer needs. `make help` lists them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
# Tests always run on the real PostgreSQL and Redis (override to point elsewhere).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/jusur
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1
# Each app keeps its own catalogue (<app>/locale); locale/ covers portal/ and templates/.
APPS_WITH_LOCALE := taxonomy regions diaspora projects matching partners dashboards

.PHONY: help install lock demo prod test lint format messages compilemessages schema bench worker

help:
	@echo "make demo     - install, load territories, taxonomy and demo data, serve http://127.0.0.1:8000 (PORT=8080 make demo)"
	@echo "make prod     - migrate, collectstatic, then web + worker + beat with honcho (needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL)"
	@echo "make test     - the whole test suite on PostgreSQL and Redis (starts them if needed)"
	@echo "make lock     - regenerate requirements.lock and requirements-dev.lock after changing requirements*.txt"
	@echo "make lint     - ruff check, format check and the architecture contract (docs/architecture.md)"
	@echo "make messages - extract strings into the .po catalogues (then translate them)"
	@echo "make schema   - regenerate docs/api/openapi.yaml"
	@echo "make bench    - the benchmarks under bench/ (not part of the tests; the size sweep apart: python -m bench.matching --sweep)"

# Installs the lock (every transitive dependency pinned, with hashes), not requirements*.txt.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --require-hashes -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

# After changing requirements.txt or requirements-dev.txt: regenerate both locks (pins already in
# a lock are kept while they still fit; `make lock UPGRADE=1` moves everything to the newest).
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links $(if $(UPGRADE),--upgrade)
lock: install
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --output-file requirements-dev.lock requirements-dev.txt

compilemessages: install
	@command -v msgfmt >/dev/null || scripts/apt-install.sh gettext
	$(VENV)/bin/django-admin compilemessages --ignore=.venv -v0

demo: install compilemessages
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput -v0
	DJANGO_DEBUG=1 $(PY) manage.py load_territories
	DJANGO_DEBUG=1 $(PY) manage.py load_starter_taxonomy
	DJANGO_DEBUG=1 $(PY) manage.py demo_seed
	DJANGO_DEBUG=1 scripts/serve-demo.sh

# One machine, production settings: the Procfile's web, worker and beat (docs/operations.md).
prod: install compilemessages
	@test -n "$$DJANGO_SECRET_KEY" || { echo "make prod: set DJANGO_SECRET_KEY (README, 'Running in production')"; exit 2; }
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	scripts/prod.sh

# The fast checks first: a lint or layering error fails in seconds, before any test runs.
test: install lint compilemessages
	scripts/services.sh
	@command -v chromium >/dev/null || scripts/apt-install.sh chromium fonts-noto-core
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || scripts/apt-install.sh nginx-light  # deploy/nginx/jusur.conf is checked with nginx -t
	@command -v systemd-analyze >/dev/null || scripts/apt-install.sh systemd  # deploy/systemd/ units are checked with systemd-analyze verify
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	@command -v xgettext >/dev/null || scripts/apt-install.sh gettext
	$(PY) manage.py makemessages -l ar -l fr -l en --no-obsolete --ignore=.venv --ignore=tests --ignore=bench \
		$(foreach app,$(APPS_WITH_LOCALE),--ignore=$(app)/*)
	for app in $(APPS_WITH_LOCALE); do \
		if [ -d $$app/locale ]; then (cd $$app && ../$(PY) ../manage.py makemessages -l ar -l fr -l en --no-obsolete); fi; \
	done

schema: install
	DJANGO_DEBUG=1 DATABASE_URL=$(TEST_DATABASE_URL) $(PY) manage.py spectacular --api-version v1 --lang en --file docs/api/openapi.yaml

bench: install
	scripts/services.sh
	for module in $$(ls bench/[a-z]*.py 2>/dev/null | grep -v /sweep.py | sed 's|/|.|; s|\.py$$||'); do $(PY) -m $$module; done

worker: install
	$(VENV)/bin/celery -A portal worker -B -l info
