# jixiao — `make help` lists every target.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
OUT ?= out
DATA ?= data/raw
# the browser tests drive Debian's chromium through Playwright (Playwright downloads no browser)
CHROMIUM ?= /usr/bin/chromium

.PHONY: help install chromium run test bench manifest rowscore crf-roles clean-out

help: ## Show this list of targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  \033[1m%-10s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,train]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP) ## Create .venv and install jixiao with its test and train extras
	@echo "jixiao installed in $(VENV) (run: $(BIN)/jixiao --help)"

chromium: ## Install Debian's chromium (browser tests) and a CJK font (screenshots, notebooks) where missing
	@{ test -x $(CHROMIUM) && fc-list :lang=zh 2>/dev/null | grep -q .; } || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium fonts-noto-cjk; }

run: install ## Install if needed, then clean the sample filings in data/raw into out/
	$(BIN)/jixiao clean $(DATA) -o $(OUT)

test: install chromium ## Install if needed (jixiao, its test extras, chromium), then run the whole test suite
	$(BIN)/python -m pytest

bench: install ## Benchmarks: extraction rows/s and memory, cold start, value parser vs JioNLP/Recognizers-Text
	$(BIN)/python -m pip install -q -e '.[bench]' || echo "bench extra not installable; comparisons are skipped"
	$(BIN)/python bench/run.py

manifest: install ## Rebuild data/raw/manifest.json (file, sha256, source, region, year, kind)
	$(BIN)/python scripts/make_manifest.py

rowscore: install ## Row recall on ../shared/data, working set and frozen held-out set side by side
	$(BIN)/jixiao clean ../shared/data/filings -o $(OUT)/shared -q || true
	$(BIN)/python scripts/rowscore_split.py $(OUT)/shared/indicators.csv

crf-roles: install ## Issue #12's experiment: a CRF cell-role reader vs the rules (row recall, working CV and held-out)
	$(BIN)/pip install -q -e '.[crf]'
	$(BIN)/python scripts/crf_roles.py

clean-out: ## Remove out/ and bench/out/
	rm -rf $(OUT) bench/out
