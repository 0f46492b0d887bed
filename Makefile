# make run   -- install, then start the studio on the bundled (synthetic) credit-card data
# make test  -- install everything the tests need (Chromium included), then run them
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-test system-deps bench bench-browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test system-deps

# Chromium for the browser tests; a Java runtime for PMML scoring (jpmml) and Spark.
system-deps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; fi

run: install
	$(BIN)/python -c "import studio; studio.load('creditcard-synthetic')"
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: install-test
	$(BIN)/python -m pytest -q

bench: install-test
	bash benchmarks/setup-bench-env.sh
	.venv-bench/bin/python -m benchmarks.bench_engine
	.venv-bench/bin/python -m benchmarks.bench_export
	.venv-bench/bin/python -m benchmarks.check_hulearn_snippet
	.venv-bench/bin/python -m benchmarks.bench_templates
	$(BIN)/python -m benchmarks.bench_browser
	$(BIN)/python -m benchmarks.bench_explore
	$(BIN)/python -m benchmarks.bench_mining
	.venv-bench/bin/python -m benchmarks.bench_quality
	.venv-bench/bin/python -m benchmarks.bench_tree_seeds creditcard bank
	$(BIN)/python -m benchmarks.bench_rule_count
	$(BIN)/python -m benchmarks.bench_baseline
	$(BIN)/python -m benchmarks.bench_hostile
