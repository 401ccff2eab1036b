# Two commands matter on a fresh machine (README): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint chromium java demo

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Browser tests drive Debian's Chromium through Playwright (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# The Spark engine (pyspark, tests/test_spark.py) needs a Java runtime, 17 or later: Debian's default.
java:
	@command -v java >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq default-jre-headless >/dev/null; }

run: $(BIN)/.installed
	$(BIN)/python -m streamlit run app.py

lint: $(BIN)/.installed
	$(BIN)/ruff check .

test: $(BIN)/.installed chromium java lint
	$(BIN)/python -m pytest -q

# Regenerates the bundled demo workspace from its seeded generator.
demo: $(BIN)/.installed
	$(BIN)/python -m pipelines.demo data/demo
