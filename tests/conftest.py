"""Shared fixtures: the project's generated tree, the real tools, a CLI runner, files from
../shared; and, before any test, the check that generated/ matches the definitions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from obsgen.load import load_systems
from obsgen.verify.tools import ToolMissing, require

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
DEFINITIONS = ROOT / "definitions"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
SCHEMA_DIR = Path(os.environ.get("OBSGEN_GRAFANA_SCHEMA", SHARED / "grafana-schema"))
# CI sets this (.ci/run): there ../shared is beside the clone and its tests are mandatory.
REQUIRE_SHARED = os.environ.get("OBSGEN_REQUIRE_SHARED") == "1"


def shared_path(name: str, what: str, path: Path | None = None) -> Path:
    """A file or folder of ../shared; without it the test skips, saying so (fails in CI)."""
    path = path or SHARED / name
    if not path.exists():
        message = f"{what} not found at {path}: ../shared is not beside this clone"
        if REQUIRE_SHARED:
            pytest.fail(f"{message}, and OBSGEN_REQUIRE_SHARED=1 makes it mandatory")
        pytest.skip(message)
    return path


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the definitions and compare with generated/ first: never test stale output.

    Runs once, in the controlling process (not in each xdist worker).
    """
    if hasattr(session.config, "workerinput"):
        return
    from obsgen.pipeline import all_files
    from obsgen.render.writer import stale_trees

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        files = all_files(load_systems(DEFINITIONS))
    finally:
        os.chdir(cwd)
    stale = stale_trees(GENERATED, files)
    if stale:
        listing = "\n  ".join(stale[:20]) + ("\n  ..." if len(stale) > 20 else "")
        pytest.exit(f"generated/ is stale against definitions/; run `make generate` (or `obsgen generate`) first:\n  {listing}", returncode=1)


def tool(name: str) -> str:
    """The tool's path; a missing tool fails the test with the install command."""
    try:
        return require(name)
    except ToolMissing as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def systems():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return load_systems(DEFINITIONS)
    finally:
        os.chdir(cwd)


def system_dirs() -> list[Path]:
    return sorted(p for p in GENERATED.iterdir() if p.is_dir() and not p.name.startswith("."))


def run_obsgen(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command line, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "obsgen.cli", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """A throwaway project with the example definitions and its generated tree."""
    shutil.copytree(FIXTURES / "good", tmp_path / "definitions")
    result = run_obsgen("generate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path
