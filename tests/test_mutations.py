"""The generated tests are not vacuous: every mutant of every alert makes one fail.

Each alert rule is mutated (threshold moved up and down, comparison flipped, strictness
flipped (> for >=, <= for <), `for` longer and shorter, severity swapped, priority changed)
in a copy of the rule files, and promtool runs the unchanged generated tests against each
copy. The seeds and the example fixture (which has at-or-above and at-or-below alerts) are
mutated.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, run_obsgen, system_dirs, tool
from obsgen.compile.thresholds import prom_number
from obsgen.model.durations import format_duration, parse_duration

SYSTEMS = system_dirs()
EXAMPLE = "example"
FLIPPED = {">": "<", "<": ">", ">=": "<=", "<=": ">="}
STRICTNESS = {">": ">=", ">=": ">", "<": "<=", "<=": "<"}


@pytest.fixture(scope="module")
def example_generated(tmp_path_factory) -> Path:
    """The example fixture's generated files (at-or-above and at-or-below alerts among them)."""
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(FIXTURES / "good", root / "definitions")
    result = run_obsgen("generate", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "generated" / "example"


def _mutants(rule: dict, step: int):
    expr = rule["expr"]
    head, op, number = expr.rsplit(" ", 2)
    value = float(number)
    for factor in (1.1, 0.9):
        moved = value * factor if value else (1 if factor > 1 else -1)
        yield "threshold moved", {**rule, "expr": f"{head} {op} {prom_number(moved)}"}
    yield "comparison flipped", {**rule, "expr": f"{head} {FLIPPED[op]} {number}"}
    yield "strictness flipped", {**rule, "expr": f"{head} {STRICTNESS[op]} {number}"}
    seconds = parse_duration(rule.get("for", "0s"))
    # `for` moves by one evaluation step: finer changes are invisible to Prometheus too.
    yield "for longer", {**rule, "for": format_duration(seconds + step)}
    if seconds:
        yield "for shorter", {**rule, "for": format_duration(seconds - step)}
    swapped = "warning" if rule["labels"]["severity"] == "critical" else "critical"
    yield "severity changed", {**rule, "labels": {**rule["labels"], "severity": swapped}}
    yield "priority changed", {**rule, "labels": {**rule["labels"], "priority": "P9"}}


@pytest.mark.parametrize("folder", [*SYSTEMS, EXAMPLE], ids=[*(p.name for p in SYSTEMS), EXAMPLE])
def test_every_alert_mutant_is_killed(folder, tmp_path, request):
    if folder == EXAMPLE:
        folder = request.getfixturevalue("example_generated")
        inclusive = [r for rules in folder.glob("rules/*.alerts.yml") for r in yaml.safe_load(rules.read_text())["groups"][0]["rules"]
                     if r["expr"].rsplit(" ", 2)[1] in (">=", "<=")]
        assert len(inclusive) >= 3, "the example lost its at-or-above and at-or-below alerts"
    promtool = tool("promtool")
    tests = yaml.safe_load((folder / "tests" / "rules.test.yml").read_text())
    # The threshold alerts' files; SLO alerts have their own tests (tests/test_slo_generated.py).
    rule_files = {Path(p).name: yaml.safe_load((folder / "tests" / p).read_text()) for p in tests["rule_files"]}
    step = parse_duration(tests["evaluation_interval"])
    mutants = []
    for file_name, content in rule_files.items():
        for g, group in enumerate(content["groups"]):
            for r, rule in enumerate(group["rules"]):
                if "alert" not in rule:
                    continue
                for kind, mutated in _mutants(rule, step):
                    n = len(mutants)
                    work = tmp_path / f"m{n}"
                    (work / "rules").mkdir(parents=True)
                    for other, other_content in rule_files.items():
                        data = other_content
                        if other == file_name:
                            data = yaml.safe_load(yaml.safe_dump(other_content))
                            data["groups"][g]["rules"][r] = mutated
                        (work / "rules" / other).write_text(yaml.safe_dump(data, sort_keys=False))
                    (work / "tests").mkdir()
                    # Only this alert's tests: they are the ones that must notice, and it keeps promtool fast.
                    own = {**tests, "tests": [t for t in tests["tests"] if t["name"].split(" ")[0] == rule["alert"]]}
                    assert own["tests"], f"no generated test for {rule['alert']}"
                    (work / "tests" / "rules.test.yml").write_text(yaml.safe_dump(own, sort_keys=False))
                    mutants.append((f"{rule['alert']} {rule['labels']['severity']}: {kind}", work / "tests" / "rules.test.yml"))
    assert mutants, "no alerts to mutate"
    survivors = []
    for start in range(0, len(mutants), 200):
        batch = mutants[start : start + 200]
        proc = subprocess.run(
            [promtool, "test", "rules", *(str(p) for _, p in batch)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
        )
        report = proc.stdout  # verdicts go to stderr, names to stdout: one pipe keeps their order
        verdicts = dict(re.findall(r"Unit Testing:\s+(\S+)\n\s+(SUCCESS|FAILED)", report))
        for name, path in batch:
            if verdicts.get(str(path)) != "FAILED":
                survivors.append(f"{name} ({verdicts.get(str(path), 'no verdict')})")
    assert not survivors, f"{len(survivors)} of {len(mutants)} mutants survived:\n" + "\n".join(survivors)
    shutil.rmtree(tmp_path, ignore_errors=True)
