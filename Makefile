# Handwerker-Schnellruf: `make run` serves the demo region, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app backend
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
export TEST_REDIS_URL

.PHONY: run test services test-sqlite test-postgres lint format bench bench-small audit browser print-tools clean schemathesis

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# A secret key of this installation's own, made once (the default one is refused).
instance/config.toml:
	mkdir -p instance
	$(PYTHON) -c "import secrets; print(f'SECRET_KEY = \"{secrets.token_hex(32)}\"')" > $@

# The demo portals (another origin, port 5001) embed the demo cities' widgets.
DEMO_CITIES := halberstadt quedlinburg stassfurt
PORT ?= 5000
PORTAL_PORT ?= 5001

run: $(STAMP) instance/config.toml
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@for city in $(DEMO_CITIES); do \
	  $(FLASK) city allow-origin $$city http://127.0.0.1:$(PORTAL_PORT); done
	@# The messaging worker (SMS, calls, housekeeping) and the demo portal run next to the
	@# server and stop with it.
	$(FLASK) messaging worker & worker=$$!; \
	  $(FLASK) demo-portal --port $(PORTAL_PORT) --widget-url http://127.0.0.1:$(PORT) & portal=$$!; \
	  trap 'kill $$worker $$portal 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host 127.0.0.1 --port $(PORT)

# Debian's chromium for the browser tests; downloaded browsers are blocked on these machines.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "chromium could not be installed: run 'apt-get install chromium' as root"; exit 1; }; }

# pdftoppm (poppler-utils) renders the printed notices in the tests; DejaVu Sans is their font.
print-tools:
	@command -v pdftoppm >/dev/null 2>&1 && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { \
	  echo "Installing Debian's poppler-utils and fonts-dejavu-core for the print tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils fonts-dejavu-core >/dev/null) \
	  || { echo "poppler-utils could not be installed: run 'apt-get install poppler-utils fonts-dejavu-core' as root"; exit 1; }; }

test: $(STAMP) browser print-tools lint services
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres
	@echo "Services tested: SQLite, PostgreSQL ($(PG_TEST_URL)), Redis ($(TEST_REDIS_URL))"

# The tests talk to a real PostgreSQL and a real Redis; a missing one fails the run.
services: $(STAMP)
	@$(BIN)/python -c "import psycopg; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" \
	  || { echo "No PostgreSQL answers at $(PG_TEST_URL): start it (see .ci/run) or set PG_TEST_URL"; exit 1; }
	@$(BIN)/python -c "import redis; redis.Redis.from_url('$(TEST_REDIS_URL)', socket_connect_timeout=3).ping()" \
	  || { echo "No Redis answers at $(TEST_REDIS_URL): start it (see .ci/run) or set TEST_REDIS_URL"; exit 1; }

test-sqlite: $(STAMP)
	@echo "== Tests on SQLite (all tests, including browser tests)"
	$(BIN)/pytest

# The benchmark smoke test runs on both databases by itself, so it runs once (above).
test-postgres: $(STAMP)
	@echo "== Tests on PostgreSQL ($(PG_TEST_URL)), browser tests and the benchmark smoke excluded"
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -m "not e2e and not bench"

# The OpenAPI document against the server, every check, 100 examples per operation (over
# 1,000 cases; `make test` runs 10 per operation).
schemathesis: $(STAMP) services
	SCHEMATHESIS_EXAMPLES=100 $(BIN)/pytest -q -s tests/contract/test_schemathesis.py

lint: $(STAMP)
	@# A worktree's .venv symlink, once committed, replaces the shared virtualenv on merge.
	@test -z "$$(git ls-files -- .venv 2>/dev/null)" || { echo ".venv is tracked: git rm --cached .venv"; exit 1; }
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
	  || echo "wrk could not be installed: the HTTP part uses the Python load generator"
	$(BIN)/python -m benchmarks.run --businesses 1000000 --output benchmarks/RESULTS.md

bench-small: $(STAMP)
	$(BIN)/python -m benchmarks.run --businesses 20000 --queries 200 --http-duration 3

audit: $(STAMP) browser
	$(BIN)/python -m scripts.audit

# Database stopped, restarted and hung, Redis stopped: what the production server
# (gunicorn, config/gunicorn.conf.py) answers each time. Own servers, never the shared ones.
.PHONY: faults
faults: $(STAMP)
	$(BIN)/python -m scripts.faults

clean:
	rm -rf $(VENV) instance .pytest_cache
