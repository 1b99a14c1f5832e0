# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format migration clean

run: $(STAMP)  ## install what is needed and run the product (embedded: SQLite, no other server)
	$(BIN)/hotgigs serve

test: $(STAMP)  ## install what is needed, lint, and run the whole test suite
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: $(STAMP)  ## lint, then every test but the browser, process and slow ones (minutes)
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -m "not e2e and not worker and not slow" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

migration: $(STAMP)  ## make migration m="what changed": autogenerate an Alembic revision
	$(BIN)/python -c "import sys; from alembic import command; from hotgigs.migrations import alembic_config; command.revision(alembic_config(), message=sys.argv[1], autogenerate=True)" "$(m)"

# Re-install whenever the pinned dependencies change.
$(STAMP): pyproject.toml
	@echo "Installing HotGigs and its pinned dependencies into $(VENV)" \
		"(the first time takes about 3 to 5 minutes; pip shows each package)..."
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --progress-bar on -e ".[dev,embeddings]"
	touch $(STAMP)
	@echo "Installed."

clean:
	rm -rf $(VENV) hotgigs-data .pytest_cache .ruff_cache
