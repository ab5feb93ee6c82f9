"""promtool and amtool through subprocess, with structured results.

A missing tool is an error that says how to install it, never a silent skip.
"""

from __future__ import annotations

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


class ToolMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class ToolResult:
    command: tuple[str, ...]
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise ToolMissing(f"{tool} is not installed; install it with: {INSTALL.get(tool, tool)} (or run `make test`, which does)")
    return path


def run(tool: str, *args: str, cwd: Path | None = None, timeout: float = 300) -> ToolResult:
    command = (require(tool), *args)
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return ToolResult(tuple(command), proc.returncode, (proc.stdout + proc.stderr).strip())


def check_rules(*files: Path) -> ToolResult:
    return run("promtool", "check", "rules", *map(str, files))


def run_rule_tests(test_file: Path) -> ToolResult:
    return run("promtool", "test", "rules", test_file.name, cwd=test_file.parent)


def check_alertmanager(config: Path) -> ToolResult:
    return run("amtool", "check-config", str(config))


def route_receivers(config: Path, labels: dict[str, str]) -> list[str]:
    """The receivers amtool resolves for a label set, in route order."""
    result = run("amtool", "config", "routes", "test", f"--config.file={config}", *(f"{k}={v}" for k, v in labels.items()))
    if not result.ok:
        raise RuntimeError(result.output)
    line = [l for l in result.output.splitlines() if not l.startswith("Warning:")][-1]
    return line.strip().split(",") if line.strip() else []
