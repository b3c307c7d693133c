.DEFAULT_GOAL := help
PY := .venv/bin/python

help: ## List the everyday commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## Install everything and migrate (no server)
	./dev.sh setup

run: ## Install, migrate, load demo content and serve on http://127.0.0.1:8000
	./dev.sh serve

test: ## Install and run lint and the whole test suite
	./dev.sh test

lint: ## Check code style with ruff
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format: ## Format the code with ruff
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

messages: ## Update the gettext catalogues after changing visible strings
	$(PY) manage.py makemessages -l zh_Hans -l en --extension=html,txt,py,json --ignore=.venv --ignore=data --ignore=test-artifacts --ignore=node_modules --no-obsolete

bench: ## Run the benchmark scripts (prints tables, asserts nothing)
	@for script in benchmarks/*.py; do echo "== $$script"; $(PY) $$script; done

lock: ## Re-pin constraints.txt from a fresh resolution of pyproject.toml
	rm -rf .lockenv && python3 -m venv .lockenv && .lockenv/bin/pip install -q -e ".[dev]" \
	  && (echo '# Pinned versions of every package, so installs repeat. Regenerate with `make lock`.'; \
	      .lockenv/bin/pip freeze --exclude-editable) > constraints.txt && rm -rf .lockenv

.PHONY: help setup run test lint format messages bench lock
