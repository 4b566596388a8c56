# secops.config1 - the two commands are `make demo` and `make test`; both set everything up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ROOT := $(shell pwd)
COLL_ROOT := $(ROOT)/.build/collections
COLL_LINK := $(COLL_ROOT)/ansible_collections/secops/config1
export ANSIBLE_COLLECTIONS_PATH := $(COLL_ROOT)
export ANSIBLE_LOCAL_TEMP := $(ROOT)/.build/ansible-tmp
export ANSIBLE_HOME := $(ROOT)/.build/ansible-home
export PATH := $(ROOT)/$(BIN):$(PATH)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: all setup test unit emulator-tests integration lint sanity generate demo bench clean

all: test

$(STAMP): test-requirements.txt requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r test-requirements.txt
	touch $(STAMP)

$(COLL_LINK):
	mkdir -p $(dir $(COLL_LINK))
	ln -sfn $(ROOT) $(COLL_LINK)

setup: $(STAMP) $(COLL_LINK)
	mkdir -p .build/ansible-tmp .build/ansible-home

generate: $(STAMP)
	$(BIN)/python tools/gen_control_table.py

## Every test: generated data fresh, unit, emulator and playbook tests, lint, sanity.
test: setup
	$(BIN)/python tools/gen_control_table.py --check
	$(BIN)/python -m pytest -p no:cacheprovider tests -n 2 -q
	$(MAKE) --no-print-directory lint sanity

unit: setup
	$(BIN)/python -m pytest -p no:cacheprovider tests/unit -q

lint: setup
	$(BIN)/ansible-lint --profile production -q

sanity: setup
	tools/run-sanity.sh

## Local demo: emulator, seeded organization, audit, remediation, audit again.
demo: setup
	$(BIN)/python tools/demo.py

## Benchmarks: prints figures (API calls and seconds) for fleets of growing size.
bench: setup
	$(BIN)/python tools/bench.py

clean:
	rm -rf .build reports
