"""promtool and amtool, the real judges, accept everything generated/ holds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import system_dirs, tool
from obsgen.verify.tools import check_alertmanager, check_rules, route_receivers, run_rule_tests

SYSTEMS = system_dirs()
IDS = [p.name for p in SYSTEMS]


@pytest.mark.parametrize("folder", SYSTEMS, ids=IDS)
def test_promtool_accepts_rules(folder):
    tool("promtool")
    result = check_rules(*sorted((folder / "rules").glob("*.yml")))
    assert result.ok, result.output


@pytest.mark.parametrize("folder", SYSTEMS, ids=IDS)
def test_generated_rule_tests_pass(folder):
    tool("promtool")
    result = run_rule_tests(folder / "tests" / "rules.test.yml")
    assert result.ok, result.output


@pytest.mark.parametrize("folder", SYSTEMS, ids=IDS)
def test_amtool_accepts_alertmanager_config(folder):
    tool("amtool")
    result = check_alertmanager(folder / "alertmanager.yml")
    assert result.ok, result.output


@pytest.mark.parametrize("folder", SYSTEMS, ids=IDS)
def test_every_alert_reaches_its_declared_receivers(folder):
    """The route tree agrees with the priority policy, for every alert level:
    `amtool config routes test --verify.receivers` exits non-zero when it does not."""
    amtool = tool("amtool")
    cases = yaml.safe_load((folder / "tests" / "routing.test.yml").read_text())["cases"]
    assert cases, "no routing cases generated"
    wrong = []
    for case in cases:
        labels = [f"{k}={v}" for k, v in case["labels"].items()]
        verify = f"--verify.receivers={','.join(case['receivers'])}"
        proc = subprocess.run([amtool, "config", "routes", "test", f"--config.file={folder / 'alertmanager.yml'}", verify, *labels], capture_output=True, text=True)
        if proc.returncode != 0:
            got = route_receivers(folder / "alertmanager.yml", case["labels"])
            wrong.append(f"{case['alert']} {case['labels']['severity']}: expected {case['receivers']}, amtool routes to {got}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("folder", SYSTEMS, ids=IDS)
def test_amlint_finds_nothing(folder):
    """amlint (PyPI), a third-party Alertmanager linter: no errors, warnings or notes."""
    amlint = Path(sys.executable).with_name("amlint")
    assert amlint.exists(), "amlint is missing: pip install -e '.[test]' (make test does)"
    proc = subprocess.run([str(amlint), "check", "--format", "json", str(folder / "alertmanager.yml")], capture_output=True, text=True)
    findings = json.loads(proc.stdout)
    assert findings == [], "\n".join(f"{f['level']} {f['code']}: {f['message']}" for f in findings)
