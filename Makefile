# obsgen: `make generate` compiles definitions/ into generated/; `make test` proves it.
# Both set themselves up on a fresh machine: a .venv for Python, Debian's packages for
# promtool/amtool/prometheus/alertmanager.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
JOBS ?= auto

.PHONY: generate check test tools bench lint typecheck demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

generate: $(STAMP)
	$(BIN)/obsgen generate

check: $(STAMP)
	$(BIN)/obsgen generate --check

lint: $(STAMP)
	$(BIN)/obsgen lint

typecheck: $(STAMP)
	$(BIN)/mypy

# promtool, amtool and the servers come from Debian's prometheus and
# prometheus-alertmanager packages; installed only when missing.
tools:
	@if ! command -v promtool >/dev/null || ! command -v amtool >/dev/null || ! command -v prometheus-alertmanager >/dev/null; then \
		echo "installing promtool and amtool: $(SUDO) apt-get install -y prometheus prometheus-alertmanager"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager >/dev/null; \
	fi
	@promtool --version 2>&1 | head -1
	@amtool --version 2>&1 | head -1

test: $(STAMP) tools
	$(BIN)/obsgen generate --check
	$(BIN)/obsgen lint
	$(BIN)/mypy
	$(BIN)/python -m pytest -n $(JOBS) -q

# The generated rules and routing running in real Prometheus and Alertmanager against a
# simulator of the system: make demo SYSTEM=bondx [SCENARIO=name] [SPEEDUP=60]
SYSTEM ?= bondx
demo: $(STAMP) tools
	$(BIN)/obsgen demo --system $(SYSTEM) $(if $(SCENARIO),--scenario $(SCENARIO)) $(if $(SPEEDUP),--speedup $(SPEEDUP))

bench: $(STAMP)
	$(BIN)/python -m obsgen.bench

clean:
	rm -rf $(VENV) .pytest_cache
