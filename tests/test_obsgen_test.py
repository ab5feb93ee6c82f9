"""`obsgen test`: runs every proof, points at the definition, says expected against got."""

from __future__ import annotations

from dataclasses import replace

import re

import yaml

from conftest import run_obsgen, system_dirs
from obsgen.artifacts.read import read_alertmanager
from obsgen.verify.routing import Alertmanager
from obsgen.verify.tools import route_receivers

INIT = "definitions/example/__init__.py"


def _replace(source: str, old: str, new: str) -> str:
    assert old in source, f"fixture changed: {old!r} not found"
    return source.replace(old, new, 1)


def test_every_seed_system_passes():
    result = run_obsgen("test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^\d+ passed, 0 failed$", result.stdout, re.M), result.stdout
    for name in ("bondx", "dex", "surveillance", "trading-engine", "trading-stack"):
        assert re.search(rf"^{name} +\d+ checks  ok$", result.stdout, re.M), result.stdout


def test_a_broken_scenario_points_at_its_definition(example_project):
    init = example_project / INIT
    source = init.read_text()
    init.write_text(_replace(source, "fires=(Fires(ORDER_LATENCY, P2),),\n        reaches=(SLACK_OPS,),", "fires=(Fires(ORDER_LATENCY, P1),),\n        reaches=(SLACK_OPS,),"))
    result = run_obsgen("test", cwd=example_project)
    assert result.returncode == 1
    line = source[: source.index('name="slow-orders"')].count("\n")  # the Scenario( line
    assert f"FAIL {INIT}:{line}: promtool: scenario slow-orders" in result.stdout, result.stdout
    assert "expected:" in result.stdout and "got:" in result.stdout
    assert 'priority="P1"' in result.stdout and 'priority="P2"' in result.stdout


def test_a_scenario_that_would_page_says_so(example_project):
    init = example_project / INIT
    source = init.read_text()
    init.write_text(_replace(source, "reaches=(PAGERDUTY_ONCALL, SLACK_INCIDENTS),\n        pages=True", "reaches=(PAGERDUTY_ONCALL, SLACK_INCIDENTS),\n        pages=False"))
    result = run_obsgen("test", cwd=example_project)
    assert result.returncode == 1
    assert "scenario order-service-down: paging\n  expected: nothing pages\n  got:      pages" in result.stdout


def test_bad_input_is_exit_2(example_project):
    init = example_project / INIT
    init.write_text(_replace(init.read_text(), "P2),),\n        reaches", '"P2"),),\n        reaches'))
    result = run_obsgen("test", cwd=example_project)
    assert result.returncode == 2 and "'P2' is a name: pass the Priority object itself" in result.stderr


def test_in_process_matcher_agrees_with_amtool_on_every_case():
    compared = 0
    for folder in system_dirs():
        config = folder / "alertmanager.yml"
        am = Alertmanager.read(config.read_bytes())
        for case in yaml.safe_load((folder / "tests" / "routing.test.yml").read_text())["cases"]:
            assert am.receivers(case["labels"]) == route_receivers(config, case["labels"]), case
            compared += 1
    assert compared >= 50


def test_inhibition_checks_are_not_vacuous(tmp_path):
    """Without the inhibit rules, the generated inhibition cases fail."""
    checked = 0
    for folder in system_dirs():
        config = read_alertmanager((folder / "alertmanager.yml").read_bytes()).value
        cases = yaml.safe_load((folder / "tests" / "routing.test.yml").read_text())["inhibitions"]
        am = Alertmanager(replace(config, inhibit_rules=()))
        from datetime import datetime

        for case in cases:
            assert am.notified(case["firing"], datetime.fromisoformat(case["at"])) != case["notified"], case["why"]
            checked += 1
    assert checked >= 20
