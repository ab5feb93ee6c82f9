"""mypy over obsgen/ (configured in pyproject.toml, [tool.mypy]): one test of the parallel
suite, so the type check runs beside the other tests instead of before all of them."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from conftest import ROOT


def test_obsgen_type_checks():
    assert importlib.util.find_spec("mypy"), "mypy is missing: pip install -e '.[test]' (make test does it)"
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success: no issues found" in proc.stdout, proc.stdout
