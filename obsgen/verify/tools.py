"""promtool and amtool through subprocess, with structured results.

A missing tool is an error that says how to install it, never a silent skip; a run that
takes longer than its timeout is a failed result that says so, never a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

INSTALL = {
    "promtool": "apt-get install -y prometheus",
    "amtool": "apt-get install -y prometheus-alertmanager",
    "prometheus": "apt-get install -y prometheus",
    "prometheus-alertmanager": "apt-get install -y prometheus-alertmanager",
}
TIMEOUT = 300.0  # seconds one promtool or amtool run may take

# `promtool test rules` evaluates small in-memory series for hours of test time. obsgen runs
# one promtool per CPU already, so each gets one Go thread, and a lazier garbage collector:
# on the seeds' SLO tests that is a fifth less CPU for the same answers and wall time.
# GOMAXPROCS or GOGC set by the caller win.
RULE_TEST_GO_ENV = {"GOMAXPROCS": "1", "GOGC": "400"}


class ToolMissing(RuntimeError):
    pass


class ToolFailed(RuntimeError):
    """A tool run that did not give an answer (it failed or timed out)."""


@dataclass(frozen=True)
class ToolResult:
    command: tuple[str, ...]
    returncode: int | None  # None: stopped after the timeout
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise ToolMissing(f"{tool} is not installed; install it with: {INSTALL.get(tool, tool)} (or run `make test`, which does)")
    return path


def go_env(settings: dict[str, str]) -> dict[str, str]:
    """This process' environment for a Go child, with Go runtime settings under the caller's own."""
    return {**settings, **os.environ}


def rule_test_env() -> dict[str, str]:
    """The environment to run `promtool test rules` in."""
    return go_env(RULE_TEST_GO_ENV)


def run(tool: str, *args: str, cwd: Path | None = None, timeout: float = TIMEOUT, env: dict[str, str] | None = None) -> ToolResult:
    command = (require(tool), *args)
    try:
        proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return ToolResult(tuple(command), None, f"{tool} {' '.join(args)}: no answer within {timeout:g} s (stopped)")
    return ToolResult(tuple(command), proc.returncode, (proc.stdout + proc.stderr).strip())


def check_rules(*files: Path, timeout: float = TIMEOUT) -> ToolResult:
    return run("promtool", "check", "rules", *map(str, files), timeout=timeout)


def run_rule_tests(test_file: Path, timeout: float = TIMEOUT) -> ToolResult:
    return run("promtool", "test", "rules", test_file.name, cwd=test_file.parent, timeout=timeout, env=rule_test_env())


def check_alertmanager(config: Path, timeout: float = TIMEOUT) -> ToolResult:
    return run("amtool", "check-config", str(config), timeout=timeout)


def route_receivers(config: Path, labels: dict[str, str], timeout: float = TIMEOUT) -> list[str]:
    """The receivers amtool resolves for a label set, in route order; ToolFailed when it cannot say."""
    result = run("amtool", "config", "routes", "test", f"--config.file={config}", *(f"{k}={v}" for k, v in labels.items()), timeout=timeout)
    if not result.ok:
        raise ToolFailed(result.output)
    lines = [l for l in result.output.splitlines() if not l.startswith("Warning:")]
    if not lines:
        raise ToolFailed(f"amtool config routes test gave no receivers: {result.output!r}")
    return lines[-1].strip().split(",") if lines[-1].strip() else []
