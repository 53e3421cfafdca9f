# Set-up is idempotent: every target below depends on the stamp file, which is rebuilt
# only when pyproject.toml changes or the venv is missing.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian's own interpreter: the one python3-meep belongs to.
SYSTEM_PYTHON := /usr/bin/python3
APT_PACKAGES := python3-meep-openmpi openmpi-bin python3-mpi4py python3-venv python3-pip

.PHONY: setup run test test-all bench docs clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@missing=""; for p in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "apt-get install:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi
	[ -x $(PY) ] || $(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]' --config-settings editable_mode=compat
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/photonics run

# The suite runs on one pytest-xdist worker per core; Hypothesis draws from a fixed seed
# (tests/conftest.py), so CI is reproducible.
test: $(STAMP)
	HYPOTHESIS_PROFILE=ci $(PY) -m pytest -q -n auto

test-all: $(STAMP)
	HYPOTHESIS_PROFILE=ci $(PY) -m pytest -q -m ''

# The API reference from the docstrings (MkDocs + mkdocstrings), offline, warnings as
# errors: build/docs/index.html.
docs: $(STAMP)
	$(PY) -m mkdocs build --strict

bench: $(STAMP)
	$(PY) -m pip install -q -e '.[dev,bench]'
	for b in benchmarks/bench_*.py; do $(PY) $$b; done

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
