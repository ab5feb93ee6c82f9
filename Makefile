# obsgen: `make generate` compiles definitions/ into generated/; `make test` proves it.
# Both set themselves up on a fresh machine: a .venv for Python, Debian's packages for
# promtool/amtool/prometheus/alertmanager.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
JOBS ?= auto
UV := uv==0.13.9

.PHONY: generate check test tools bench bench-slo lint typecheck demo clean

# The venv gets its packages from uv (a pinned wheel from PyPI, in the venv): it resolves
# and installs them in about 2 s where pip takes 15 (pip 23 spends 10 s weighing 22,000 index
# links). Where uv cannot be had or fails (no PyPI: only the machine's own indexes), pip installs them.
# The host's pip installs into the venv when it can (pip >= 22.3: --python); otherwise the
# venv's own, from ensurepip. --no-compile: Python compiles a module when it first imports it.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv --without-pip $(VENV)
	@run() { echo "$$*"; "$$@"; }; \
	if $(PYTHON) -m pip --python $(BIN)/python --version >/dev/null 2>&1; then \
		pip="$(PYTHON) -m pip --python $(BIN)/python"; \
	else \
		$(BIN)/python -m ensurepip --default-pip >/dev/null && pip="$(BIN)/python -m pip"; \
	fi; \
	if run $$pip install --quiet --no-compile --no-deps --only-binary=:all: $(UV) 2>/dev/null \
		&& run $(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[test]'; then :; \
	else \
		echo "without uv:"; run $$pip install --quiet --no-compile -e '.[test]'; \
	fi
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

# The suite runs in parallel (pytest-xdist), niced; the live end-to-end tests (real
# servers on a one-second clock, mostly waiting) run at the same time in processes of
# their own (a file each: every live job of a file at once), ahead of it for the CPU,
# and report after it.
# mypy is a test of the suite (tests/test_typecheck.py). Each expensive proof runs once: `obsgen test` (generated/ is current, every promtool
# test, amtool routing) in tests/test_obsgen_test.py, lint in tests/test_lint_cli.py.
# Python may cache compiled modules (some machines set PYTHONDONTWRITEBYTECODE): each
# process of the suite would otherwise compile obsgen and the test modules again.
test: export PYTHONDONTWRITEBYTECODE=
test: $(STAMP) tools
	@live_log=$$(mktemp); \
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -p no:cacheprovider -m live >$$live_log 2>&1 & live=$$!; \
	nice -n 10 $(BIN)/python -m pytest -n $(JOBS) --dist worksteal -q -m "not live"; suite=$$?; \
	wait $$live; live_status=$$?; \
	echo "== live end-to-end tests (their own process)"; cat $$live_log; rm -f $$live_log; \
	[ $$suite -eq 0 ] && [ $$live_status -eq 0 ]

# The generated rules and routing running in real Prometheus and Alertmanager against a
# simulator of the system: make demo SYSTEM=bondx [SCENARIO=name] [SPEEDUP=60]
SYSTEM ?= bondx
demo: $(STAMP) tools
	$(BIN)/obsgen demo --system $(SYSTEM) $(if $(SCENARIO),--scenario $(SCENARIO)) $(if $(SPEEDUP),--speedup $(SPEEDUP))

# CPU time and peak memory of generate, test, lint and diff on the seeds and synthetic
# fleets, against promtool, with the performance goals met or not. BENCH=fleet: one family.
bench: $(STAMP) tools
	$(BIN)/python -m obsgen.bench $(BENCH)

# obsgen's SLO rules against Sloth-shaped rules for the same SLOs: cost in a real Prometheus
# and the scenario table (detection, reset, pages). make bench-slo ARGS="--slos 50 --apps 20"
bench-slo: $(STAMP) tools
	$(BIN)/python -m obsgen.bench_slo $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
