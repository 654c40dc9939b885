# Recurrence vs Attention, measured. `make help` lists the targets.
# Everything runs from a virtual environment in .venv that the targets create when it is missing.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed
SITE_PACKAGES := node_modules/.package-lock.json  # npm ci writes it last: KaTeX and the Chinese figure font are in
CHECKERS := node_modules/vnu-jar/package.json  # npm's dev dependencies: the checkers only make test runs
CHROMIUM := build/.chromium-installed  # Debian's /usr/bin/chromium, or Playwright's own
JAVA := $(or $(shell command -v java),/usr/bin/java)
MKDOCS := $(PY) -m mkdocs
# Where torch's CPU build comes from; TORCH_INDEX= (empty) leaves it to pip's default index
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
export NO_MKDOCS_2_WARNING := 1  # Material prints a migration notice on every build
# Reproducible builds: MkDocs dates the sitemap (and its gzip header) with this instead of today
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)

.DEFAULT_GOAL := help
.PHONY: help setup site serve gen status test test-fast bench lint clean gpu gpu-dry

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: $(VENV_STAMP) $(SITE_PACKAGES) ## create the virtual environment and install the pinned dependencies

$(VENV_STAMP): requirements.txt $(wildcard requirements/*.txt) constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { echo "Python 3.11 or newer \
	is needed, and '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing): install one (python.org, brew \
	install python@3.12, apt-get install python3.11) and run make PYTHON=python3.12 ..." >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# torch from PyTorch's CPU index first (PyPI's Linux wheel is a multi-GB CUDA build); where that index
	@# cannot be reached, at once and without retries, pip's own indexes (on these machines: a local wheel)
	@[ -z "$(TORCH_INDEX)" ] || $(PY) -m pip install --quiet --disable-pip-version-check --retries 0 --timeout 10 \
	  --index-url $(TORCH_INDEX) "$$(grep -E '^torch==' requirements/measuring.txt | cut -d' ' -f1)" 2>/dev/null \
	  || echo "$(TORCH_INDEX) not reached: torch comes from pip's default index"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	touch $@

$(SITE_PACKAGES): package.json package-lock.json  # building needs KaTeX and the font for the Chinese figures only
	npm ci --omit=dev --no-audit --no-fund
	touch $@

$(CHECKERS): package.json package-lock.json  # the tests also run the Nu checker, axe-core, Lighthouse
	npm ci --no-audit --no-fund
	touch $@ $(SITE_PACKAGES)

gen: $(VENV_STAMP) $(SITE_PACKAGES) ## measure what is missing or stale on this machine (cpu profile), then render
	$(PY) -m gen --profile cpu --device cpu

status: $(VENV_STAMP) ## which results exist, on which device, and whether each is current
	$(PY) -m gen status

# On the GPU machine: a bare Python with torch, numpy and pyyaml (no venv, no MkDocs), hence python3.
GPU_PYTHON ?= python3
OUT ?= gpu-run
DEADLINE ?= 400
gpu: ## on a GPU machine: every gpu preset in one shot into OUT (default gpu-run/), with an archive to import
	$(GPU_PYTHON) -m gen run-gpu --out $(OUT) --deadline $(DEADLINE)

gpu-dry: $(VENV_STAMP) ## rehearse `make gpu` on this CPU: every gpu code path at toy sizes (under a minute)
	$(PY) -m gen run-gpu --dry-run --out build/gpu-dry

site: gen $(SITE_PACKAGES) ## measure what is missing or stale, render, and build the site into site/
	$(MKDOCS) build --strict --quiet
	@$(PY) -m site_src.translations  # which translations are outdated or missing
	@echo "site/ is ready: open site/index.html (English) or site/zh/index.html (Chinese), or run 'make serve'"

serve: gen $(SITE_PACKAGES) ## live preview at http://127.0.0.1:8000 (rebuilds on edits)
	$(MKDOCS) serve --strict --livereload --dev-addr 127.0.0.1:8000  # --livereload: MkDocs 1.6.1 reloads on edits only with it

$(CHROMIUM): | $(VENV_STAMP)  # Debian's where apt exists; elsewhere (macOS) Playwright's own, which the browser tests then use
	@if [ -x /usr/bin/chromium ]; then :; \
	elif ! command -v apt-get >/dev/null; then $(PY) -m playwright install chromium; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "Browser tests need Chromium: run 'apt-get install chromium' as root, or 'make test-fast' to leave them out." >&2; exit 1; fi
	@mkdir -p $(@D) && touch $@

$(JAVA):  # the Nu HTML Checker (vnu.jar) runs on it
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
	else echo "The HTML check needs Java: run 'apt-get install default-jre-headless' as root." >&2; exit 1; fi

test: $(VENV_STAMP) $(CHECKERS) $(CHROMIUM) $(JAVA) ## lint, then every test (smoke-profile experiments, site build, browser)
	$(PY) -m ruff check gen site_src tests
	$(PY) -m pytest

test-fast: $(VENV_STAMP) $(SITE_PACKAGES) ## every test that needs neither Chromium nor Java (markers: browser, checker)
	$(PY) -m ruff check gen site_src tests
	$(PY) -m pytest -m "not browser and not checker"

lint: $(VENV_STAMP) ## check the Python code with ruff
	$(PY) -m ruff check gen site_src tests

bench: gen $(CHECKERS) $(CHROMIUM) ## time cold and no-op `make site` builds; Lighthouse on every page (RVA_LIGHTHOUSE_RUNS, default 3)
	$(PY) tests/bench/build_time.py
	$(PY) -m tests.bench.lighthouse

clean: ## remove what the build made (keeps .venv, node_modules and committed GPU results)
	rm -rf site build results/smoke results/cpu .pytest_cache
