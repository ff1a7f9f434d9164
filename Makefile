# Two commands from a fresh clone: `make demo` and `make test`. Each sets up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup demo test lint bench lock clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/sijill demo --serve

# The database tests run twice: on SQLite (the default) and on PostgreSQL (database tests
# only). Without a PostgreSQL server the second run skips them visibly; under CI=true it fails.
# The two passes run side by side (each keeps about one core busy): the PostgreSQL pass
# writes to .pytest-postgresql.log, shown when both are done; either failing fails the target.
test: setup
	@$(BIN)/python -m pytest --db=postgresql -m django_db > .pytest-postgresql.log 2>&1 & \
	postgresql=$$!; \
	$(BIN)/python -m pytest; sqlite=$$?; \
	wait $$postgresql; postgresql=$$?; \
	echo "=== the PostgreSQL pass (.pytest-postgresql.log) ==="; cat .pytest-postgresql.log; \
	echo "SQLite pass: exit $$sqlite; PostgreSQL pass: exit $$postgresql"; \
	test $$sqlite -eq 0 && test $$postgresql -eq 0

lint: setup
	$(BIN)/ruff check src tests benchmarks lint
	$(BIN)/ruff format --check src tests benchmarks lint
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

bench: setup
	$(BIN)/python benchmarks/synth_throughput.py
	$(BIN)/python benchmarks/reconcile_scale.py
	$(BIN)/python benchmarks/linkage_quality.py
	$(BIN)/python benchmarks/dashboard_render.py
	$(BIN)/python benchmarks/demand_stats.py
	$(BIN)/python benchmarks/load.py

# Re-pin every dependency to what the current venv runs (after changing pyproject.toml).
lock: setup
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check \
		| grep -v '^sijill' > constraints.txt

clean:
	rm -rf $(VENV) demo .pytest_cache .mypy_cache .ruff_cache
