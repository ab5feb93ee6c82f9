"""Shared fixtures: the project's generated tree, the real tools, a CLI runner."""

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
SCHEMA_DIR = Path(os.environ.get("OBSGEN_GRAFANA_SCHEMA", ROOT.parent / "shared" / "grafana-schema"))


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
