"""Lint's speed against promtool's on the same files: CPU seconds per 1,000 rules and
peak memory, for `make bench` (issue 17: lint under 2x `promtool check rules`, under 400 MB).

Each command runs in its own process; CPU time (user + system) comes from wait4, so the
figures do not move with the machine's load the way wall time does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

GOAL_RATIO = 2.0
GOAL_PEAK_MB = 400.0


@dataclass(frozen=True)
class Usage:
    cpu_seconds: float
    peak_mb: float


def measure(command: list[str]) -> Usage:
    """CPU time and peak RSS of one child process (its exit code is not judged here)."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return Usage(usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def rule_count(files: list[Path]) -> int:
    return sum(text.count("\n  - alert:") + text.count("\n  - record:") + text.count("\n- alert:") + text.count("\n- record:")
               for text in (f.read_text(encoding="utf-8") for f in files))


def compare(tree: Path) -> str:
    """One line: lint and promtool CPU seconds per 1,000 rules on `tree`, their ratio, lint's peak."""
    rule_files = sorted(p for p in tree.rglob("*.yml") if p.parent.name == "rules")
    rules = max(rule_count(rule_files), 1)
    lint = measure([sys.executable, "-m", "obsgen", "lint", "--fail-on", "never", str(tree)])
    promtool = measure(["promtool", "check", "rules", *map(str, rule_files)])
    ratio = lint.cpu_seconds / promtool.cpu_seconds if promtool.cpu_seconds else float("inf")
    met = "met" if ratio < GOAL_RATIO and lint.peak_mb < GOAL_PEAK_MB else "NOT met"
    return (f"lint {lint.cpu_seconds * 1000 / rules:.2f} s CPU per 1,000 rules, promtool check rules {promtool.cpu_seconds * 1000 / rules:.2f} s "
            f"({rules} rules): {ratio:.2f}x, lint peak {lint.peak_mb:.0f} MB; goal under {GOAL_RATIO:g}x and {GOAL_PEAK_MB:g} MB: {met}")


def main(services: int = 1000) -> None:
    from obsgen.bench import fleet
    from obsgen.load import LoadedSystem
    from obsgen.pipeline import iter_files
    from obsgen.render.writer import TreeWriter

    with tempfile.TemporaryDirectory() as out:
        with TreeWriter(Path(out) / "generated") as tree:
            for rel, data in iter_files([LoadedSystem(fleet(services), "bench")]):
                tree.write(rel, data)
            tree.commit()
        print(f"lint, {services} services: {compare(Path(out) / 'generated')}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
