"""amlint, a third-party Alertmanager linter, finds nothing in what generated/ holds.

promtool and amtool, the real judges, check every rule file, pass every rule, SLO and
scenario test, accept every Alertmanager config and route every alert to its declared
receivers in `obsgen test` (tests/test_obsgen_test.py), once per `make test`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import system_dirs

SYSTEMS = system_dirs()
IDS = [p.name for p in SYSTEMS]


@pytest.mark.parametrize("folder", SYSTEMS, ids=IDS)
def test_amlint_finds_nothing(folder):
    """amlint (PyPI), a third-party Alertmanager linter: no errors, warnings or notes."""
    amlint = Path(sys.executable).with_name("amlint")
    assert amlint.exists(), "amlint is missing: pip install -e '.[test]' (make test does)"
    proc = subprocess.run([str(amlint), "check", "--format", "json", str(folder / "alertmanager.yml")], capture_output=True, text=True)
    findings = json.loads(proc.stdout)
    assert findings == [], "\n".join(f"{f['level']} {f['code']}: {f['message']}" for f in findings)
