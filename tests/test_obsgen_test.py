"""`obsgen test`: proves what is committed, runs every proof, points at the definition,
says expected against got.

test_every_seed_system_passes is where `make test` runs the expensive proofs, once (a
test per system, spread over the parallel workers): generated/ is what the definitions
compile to, promtool checks every rule file and
passes every rule, SLO and scenario test, amtool accepts each Alertmanager config and
routes every case to its declared receivers (and the in-process Alertmanager agrees).
"""

from __future__ import annotations

import os
from dataclasses import replace
import re
import shutil
import stat
from pathlib import Path

import pytest

from conftest import load_yaml, run_obsgen, system_dirs
from obsgen.artifacts.read import read_alertmanager
from obsgen.verify.routing import Alertmanager

INIT = "definitions/example/__init__.py"


def _replace(source: str, old: str, new: str) -> str:
    assert old in source, f"fixture changed: {old!r} not found"
    return source.replace(old, new, 1)


SEEDS = ("bondx", "dex", "surveillance", "trading-engine", "trading-stack")


def test_the_seeds_are_the_systems():
    assert tuple(d.name for d in system_dirs()) == SEEDS


# One system per test, so the parallel suite spreads the promtool runs over its workers;
# together they are `obsgen test` on every seed, once.
@pytest.mark.parametrize("name", SEEDS)
def test_every_seed_system_passes(name):
    result = run_obsgen("test", "--system", name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^\d+ passed, 0 failed$", result.stdout, re.M), result.stdout
    assert re.search(rf"^{name} +\d+ checks  ok$", result.stdout, re.M), result.stdout


def test_a_broken_scenario_points_at_its_definition(small_project):
    example_project = small_project
    init = example_project / INIT
    source = init.read_text()
    init.write_text(_replace(source, "fires=(Fires(ORDER_LATENCY, P2),),\n        reaches=(SLACK_OPS,),", "fires=(Fires(ORDER_LATENCY, P1),),\n        reaches=(SLACK_OPS,),"))
    stale = run_obsgen("test", cwd=example_project)
    assert stale.returncode == 1 and "FAIL generated/example/tests/scenarios.test.yml: generated/ is not what the definitions compile to" in stale.stdout
    assert run_obsgen("generate", cwd=example_project).returncode == 0
    result = run_obsgen("test", cwd=example_project)
    assert result.returncode == 1
    line = source[: source.index('name="slow-orders"')].count("\n")  # the Scenario( line
    assert f"FAIL {INIT}:{line}: promtool: scenario slow-orders" in result.stdout, result.stdout
    assert "expected:" in result.stdout and "got:" in result.stdout
    assert 'priority="P1"' in result.stdout and 'priority="P2"' in result.stdout


def test_a_scenario_that_would_page_says_so(small_project):
    example_project = small_project
    init = example_project / INIT
    source = init.read_text()
    init.write_text(_replace(source, "reaches=(PAGERDUTY_ONCALL, SLACK_INCIDENTS),\n        pages=True", "reaches=(PAGERDUTY_ONCALL, SLACK_INCIDENTS),\n        pages=False"))
    assert run_obsgen("generate", cwd=example_project).returncode == 0
    result = run_obsgen("test", cwd=example_project)
    assert result.returncode == 1
    assert "scenario order-service-down: paging\n  expected: nothing pages\n  got:      pages" in result.stdout


def test_bad_input_is_exit_2(small_project):
    example_project = small_project
    init = example_project / INIT
    init.write_text(_replace(init.read_text(), "P2),),\n        reaches", '"P2"),),\n        reaches'))
    result = run_obsgen("test", cwd=example_project)
    assert result.returncode == 2 and "'P2' is a name: pass the Priority object itself" in result.stderr


def test_hand_edits_in_generated_fail_naming_each_file(small_project):
    """A threshold, a `for`, a dashboard step and a handbook number edited in generated/."""
    folder = small_project / "generated" / "example"
    edits = {
        "rules/orders.alerts.yml": ("expr: service:order_latency_seconds:p95_5m{system=\"example\"} > 0.1\n", "expr: service:order_latency_seconds:p95_5m{system=\"example\"} > 0.15\n"),
        "rules/feeds.alerts.yml": ("for: 2m", "for: 3m"),
        "dashboards/example-orders.json": ('"value": 0.1', '"value": 0.15'),
        "handbook.md": ("| warning | above 100 ms |", "| warning | above 150 ms |"),
    }
    for rel, (old, new) in edits.items():
        text = (folder / rel).read_text()
        assert old in text, (rel, old)
        (folder / rel).write_text(text.replace(old, new, 1))
    result = run_obsgen("test", cwd=small_project)
    assert result.returncode == 1, result.stdout
    for rel, (old, new) in edits.items():
        assert f"FAIL generated/example/{rel}: generated/ is not what the definitions compile to" in result.stdout, (rel, result.stdout)
    assert "reads 'for: 3m', the definitions give 'for: 2m'" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_system_without_alerts_passes(tmp_path):
    package = tmp_path / "definitions" / "quiet"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(QUIET)
    assert run_obsgen("generate", cwd=tmp_path).returncode == 0
    result = run_obsgen("test", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^quiet +\d+ checks  ok$", result.stdout, re.M), result.stdout


QUIET = """
from obsgen import ABOVE, Check, Priority, Service, Signal, Slack, System, hours, minutes, seconds

SLACK = Slack(name="slack", channel="#ops", api_url_file="/etc/am/slack")
LAG = Signal(record="service:lag_seconds:max", expr="max(lag_seconds)", unit=seconds, description="Lag")
SYSTEM = System(
    name="quiet",
    title="Quiet",
    description="A system that watches but never alerts.",
    services=(Service(name="app", title="App", team="ops", description="Runs.", signals=(LAG,)),),
    checks=(Check(title="Lag", signal=LAG, direction=ABOVE, warning=seconds(5), frequency=minutes(5), good="under 1 s", action="Look"),),
    receivers=(SLACK,),
    default_receiver=SLACK,
    priorities=(Priority(name="P1", meaning="Look.", response_time=hours(1), receivers=(SLACK,)),),
    runbook_base_url="https://runbooks.example.com/quiet/",
    grafana_base_url="https://grafana.example.com",
)
"""


def _fake(folder: Path, tool: str, hang_on: str) -> None:
    """A tool that never answers when its arguments contain hang_on, and is the real one otherwise."""
    real = shutil.which(tool)
    script = folder / tool
    script.write_text(f'#!/bin/sh\ncase "$*" in *"{hang_on}"*) exec sleep 60;; esac\nexec {real} "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_a_tool_that_never_answers_is_a_clean_failure_naming_the_file(small_project, tmp_path):
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    _fake(bin_dir, "promtool", "orders.alerts.test.yml")
    _fake(bin_dir, "amtool", "routes test")
    result = run_obsgen("test", "--timeout", "1", cwd=small_project, env={"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL generated/example/tests/orders.alerts.test.yml: promtool test rules" in result.stdout, result.stdout
    assert "no answer within 1 s" in result.stdout
    assert re.search(r"FAIL generated/example/alertmanager.yml: \w+ \w+ \(P\d\) routing: amtool config routes test", result.stdout), result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_inhibition_checks_are_not_vacuous(tmp_path):
    """Without the inhibit rules, the generated inhibition cases fail."""
    checked = 0
    for folder in system_dirs():
        config = read_alertmanager((folder / "alertmanager.yml").read_bytes()).value
        cases = load_yaml((folder / "tests" / "routing.test.yml").read_text())["inhibitions"]
        am = Alertmanager(replace(config, inhibit_rules=()))
        from datetime import datetime

        for case in cases:
            if all(case["notified"].values()):
                continue  # a spared alert (a P0 through maintenance mode): nothing to inhibit, so nothing to lose
            assert am.notified(case["firing"], datetime.fromisoformat(case["at"])) != case["notified"], case["why"]
            checked += 1
    assert checked >= 20


def test_promtool_rule_tests_get_one_go_thread_and_a_lazier_collector_unless_the_caller_sets_them(tmp_path, monkeypatch):
    """obsgen runs one promtool per CPU: each with GOMAXPROCS=1 and GOGC=400 (a fifth less CPU), the caller's own values first."""
    from obsgen.verify import tools

    seen = tmp_path / "seen"
    script = tmp_path / "promtool"
    script.write_text(f'#!/bin/sh\necho "$GOMAXPROCS $GOGC" >> {seen}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("GOMAXPROCS", raising=False)
    monkeypatch.delenv("GOGC", raising=False)
    assert tools.run_rule_tests(tmp_path / "x.test.yml").ok
    monkeypatch.setenv("GOGC", "100")
    assert tools.run_rule_tests(tmp_path / "x.test.yml").ok
    assert seen.read_text().splitlines() == ["1 400", "1 100"]
