"""The generated tests are not vacuous: every mutant of every alert makes one fail.

Each alert rule is mutated (threshold moved up and down, comparison flipped, strictness
flipped (> for >=, <= for <), `for` longer and shorter, severity swapped, priority changed)
in a copy of the rule files, and promtool runs the unchanged generated tests against each
copy. The seeds and the example fixture (which has at-or-above and at-or-below alerts) are
mutated.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import killed, system_dirs, tool
from obsgen.compile.thresholds import prom_number
from obsgen.model.durations import format_duration, parse_duration
from obsgen.verify.tools import rule_test_env

SYSTEMS = system_dirs()
EXAMPLE = "example"
FLIPPED = {">": "<", "<": ">", ">=": "<=", "<=": ">="}
STRICTNESS = {">": ">=", ">=": ">", "<": "<=", "<=": "<"}


@pytest.fixture
def example_generated(_example_template) -> Path:
    """The example fixture's generated files (at-or-above and at-or-below alerts among them)."""
    return _example_template / "generated" / "example"


def _read(text: str):
    return yaml.load(text, Loader=yaml.CSafeLoader)


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


def _own(tests: dict, alertname: str) -> dict:
    """Only the checks of one alert (the ones that must notice its mutant), in the groups that hold them."""
    groups = []
    for group in tests["tests"]:
        checks = [c for c in group["alert_rule_test"] if c["alertname"] == alertname]
        if checks:
            groups.append({**group, "alert_rule_test": checks})
    return {**tests, "tests": groups}


@pytest.mark.parametrize("folder", [*SYSTEMS, EXAMPLE], ids=[*(p.name for p in SYSTEMS), EXAMPLE])
def test_every_alert_mutant_is_killed(folder, tmp_path, request):
    if folder == EXAMPLE:
        folder = request.getfixturevalue("example_generated")
        inclusive = [r for rules in folder.glob("rules/*.alerts.yml") for r in _read(rules.read_text())["groups"][0]["rules"]
                     if r["expr"].rsplit(" ", 2)[1] in (">=", "<=")]
        assert len(inclusive) >= 3, "the example lost its at-or-above and at-or-below alerts"
    promtool = tool("promtool")
    mutants = []
    # Each service's alert tests load only its alert rules; SLO alerts have their own tests (tests/test_slo_generated.py).
    for test_file in sorted((folder / "tests").glob("*.alerts.test.yml")):
        tests = _read(test_file.read_text())
        (rule_path,) = tests["rule_files"]
        content = _read((folder / "tests" / rule_path).read_text())
        step = parse_duration(tests["evaluation_interval"])
        for g, group in enumerate(content["groups"]):
            for r, rule in enumerate(group["rules"]):
                if "alert" not in rule:
                    continue
                own = _own(tests, rule["alert"])
                assert own["tests"], f"no generated test for {rule['alert']}"
                for kind, mutated in _mutants(rule, step):
                    work = tmp_path / f"m{len(mutants)}"
                    (work / "rules").mkdir(parents=True)
                    # The alert's own rules only: the others cannot change its checks, and promtool is faster without them.
                    data = {"groups": [{"name": group["name"], "rules": [
                        mutated if (i, j) == (g, r) else other
                        for i, each in enumerate(content["groups"]) for j, other in enumerate(each["rules"]) if other.get("alert") == rule["alert"]
                    ]}]}
                    # JSON (which is YAML, as promtool reads it) is written ten times faster than YAML.
                    (work / "rules" / Path(rule_path).name).write_text(json.dumps(data))
                    (work / "tests").mkdir()
                    (work / "tests" / test_file.name).write_text(json.dumps(own))
                    # Two levels of one priority (a single market P1 pages like six): swapping the
                    # severity makes two rules of the alert emit the same series, which promtool
                    # refuses outright (duplicate sample) before any expectation is compared.
                    twin = any(other is not rule and other.get("alert") == rule["alert"] and other["labels"] == mutated["labels"]
                               for other in group["rules"])
                    mutants.append((f"{rule['alert']} {rule['labels']['severity']}: {kind}", work / "tests" / test_file.name, twin))
    assert mutants, "no alerts to mutate"
    survivors = []
    for start in range(0, len(mutants), 200):
        batch = mutants[start : start + 200]
        proc = subprocess.run(
            [promtool, "test", "rules", *(str(p) for _, p, _ in batch)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path, env=rule_test_env(),
        )
        verdicts = killed(proc.stdout)
        refused = {s.strip().partition("\n")[0].strip() for s in proc.stdout.split("Unit Testing:")[1:] if "duplicate sample" in s}
        for name, path, twin in batch:
            if twin and str(path) in refused:
                continue
            if verdicts.get(str(path)) is not True:
                survivors.append(f"{name} ({'failed without a wrong expectation' if str(path) in verdicts else 'no verdict'})")
    assert not survivors, f"{len(survivors)} of {len(mutants)} mutants survived:\n" + "\n".join(survivors)
    shutil.rmtree(tmp_path, ignore_errors=True)
