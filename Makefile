# Two commands on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test setup clean

site: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/docgen build --strict .

test: $(STAMP)
	$(BIN)/python -m pytest

setup: $(STAMP)

# Reinstall when the package's declared dependencies change.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) site .docgen docs/reference docs/index.md
