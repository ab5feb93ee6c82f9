"""pytest never tests stale output, and a clone without ../shared beside it still passes:
tests that need ../shared skip there with the reason, and fail when CI requires them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

NEEDS_SHARED = '''
from conftest import shared_path

def test_reads_the_corpus():
    assert shared_path("corpus", "the third-party corpus").is_dir()

def test_needs_nothing():
    assert True
'''


@pytest.fixture
def project(small_project: Path) -> Path:
    """A project with the example definitions (without their SLOs: each pytest run below
    compiles them before any test, and what is proved is the suite's harness), its generated
    tree, this suite's conftest and one test that needs ../shared, in a folder with no
    ../shared beside it."""
    root = small_project
    (root / "tests").mkdir()
    for helper in ("conftest.py", "cli_runner.py"):
        shutil.copy(ROOT / "tests" / helper, root / "tests" / helper)
    (root / "tests" / "test_shared.py").write_text(NEEDS_SHARED)
    assert not (root.parent / "shared").exists()
    return root


def _pytest(root: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "OBSGEN_REQUIRE_SHARED"} | env
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "tests"],
        cwd=root, capture_output=True, text=True, env=environment, timeout=300,
    )


def test_without_shared_a_test_that_needs_it_skips_saying_why(project: Path) -> None:
    result = _pytest(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed, 1 skipped" in result.stdout
    assert "the third-party corpus not found at" in result.stdout and "../shared is not beside this clone" in result.stdout


def test_ci_makes_the_shared_tests_mandatory(project: Path) -> None:
    result = _pytest(project, OBSGEN_REQUIRE_SHARED="1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed, 1 passed" in result.stdout and "OBSGEN_REQUIRE_SHARED=1 makes it mandatory" in result.stdout


def test_pytest_refuses_to_test_a_stale_generated_tree(project: Path) -> None:
    rule_file = next(p for p in sorted((project / "generated").glob("*/rules/*.alerts.yml")) if "for: " in p.read_text())  # SLO alerts have no for
    rule_file.write_text(rule_file.read_text().replace("for: ", "for: 1", 1))
    result = _pytest(project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "generated/ is stale against definitions/" in result.stdout + result.stderr
    assert re.search(rf"changed +{rule_file.parent.parent.name}/rules/{re.escape(rule_file.name)}: line \d+ reads 'for: 1", result.stdout + result.stderr)
    assert "passed" not in result.stdout  # no test ran on the stale tree


def test_the_tests_run_first_exist() -> None:
    """HEAVY (conftest.py) orders the suite by name: a renamed test would silently run last."""
    from conftest import HEAVY

    defined = set(re.findall(r"^def (test_\w+)\(", "".join(p.read_text() for p in Path(__file__).parent.glob("test_*.py")), re.M))
    assert set(HEAVY) <= defined, sorted(set(HEAVY) - defined)
