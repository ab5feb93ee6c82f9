"""At or above, at or below: the threshold itself is a breach, in every artifact.

The example fixture has MatchingLatencyAtLimit (at or above 400 and 500 µs),
FeedsConnectedLow (at or below 1 feed), a "Fill ratio" check (at or below 95% and 90%)
and an SLO whose feed staleness is bad at or above 5 s. The rule, its generated test, its
panel steps, its handbook row and the scenario verdicts must all agree that the
threshold itself is bad; test_mutations.py proves a strict mutant fails the tests.
"""

from __future__ import annotations

import json

import pytest

from conftest import load_yaml, run_obsgen
from obsgen import (
    ABOVE, AT_OR_ABOVE, AT_OR_BELOW, BELOW, Alert, Direction, Level, Priority, Service, Signal, Slack, System, count, minutes, ms,
    seconds, us,
)
from obsgen.live.solve import goals


@pytest.mark.parametrize(
    "direction, operator, words, at, inside, past",
    [
        (ABOVE, ">", "above", False, False, True),
        (AT_OR_ABOVE, ">=", "at or above", True, False, True),
        (BELOW, "<", "below", False, True, False),
        (AT_OR_BELOW, "<=", "at or below", True, True, False),
    ],
)
def test_a_direction_compares_as_its_operator_says(direction: Direction, operator, words, at, inside, past):
    assert direction.operator == operator and direction.words == words
    assert direction.breached(5.0, 5.0) is at
    assert direction.breached(4.0, 5.0) is inside and direction.breached(6.0, 5.0) is past


def _colour(steps: list[dict], value: float) -> str:
    """Grafana's rule: the colour of the highest step at or below the value."""
    return [s["color"] for s in steps if s["value"] is None or s["value"] <= value][-1]


def _steps(folder, uid: str, title: str) -> list[dict]:
    panels = json.loads((folder / "dashboards" / f"{uid}.json").read_text())["panels"]
    return next(p for p in panels if p["title"] == title)["fieldConfig"]["defaults"]["thresholds"]["steps"]


def test_inclusive_thresholds_in_every_artifact(example_project):
    folder = example_project / "generated" / "example"
    rules = {(r["alert"], r["labels"]["severity"]): r["expr"]
             for path in folder.glob("rules/*.alerts.yml") for g in load_yaml(path.read_text())["groups"] for r in g["rules"]}
    assert rules[("MatchingLatencyAtLimit", "critical")].endswith(" >= 0.0005")
    assert rules[("MatchingLatencyAtLimit", "warning")].endswith(" >= 0.0004")
    assert rules[("FeedsConnectedLow", "critical")].endswith(" <= 1")
    slo = load_yaml((folder / "rules" / "slo-feed-freshness.recording.yml").read_text())
    assert any(" >= bool 5)" in r["expr"] for g in slo["groups"] for r in g["rules"])

    # The generated test fires exactly at the threshold and is silent one probe step inside it.
    groups = [t for path in folder.glob("tests/*.alerts.test.yml") for t in load_yaml(path.read_text())["tests"]]
    for name, threshold, inside in (("MatchingLatencyAtLimit", 0.0005, 0.0004995), ("FeedsConnectedLow", 1, 1.001)):
        record = rules[(name, "critical")].split("{")[0]
        group, series = next((g, s) for g in groups for s in g["input_series"]
                             if s["series"].startswith(record + "{") and 'obsgen_probe="critical"' in s["series"])
        values = series["values"].split(" ")
        assert values[0].startswith(f"{inside}x") and values[1].startswith(f"{threshold:g}x"), values
        checks = [c for c in group["alert_rule_test"] if c["alertname"] == name]
        severities = [[a["exp_labels"]["severity"] for a in c["exp_alerts"]] for c in checks]
        assert "critical" not in severities[0] and "critical" in severities[-2], severities

    handbook = (folder / "handbook.md").read_text()
    assert "| critical | at or above 500 µs | 1m | P1 |" in handbook
    assert "| critical | at or below 1 | 1m | P1 |" in handbook
    assert "| Fill ratio | warning: at or below 95%; critical: at or below 90% |" in handbook
    assert "is at or above 5 s, sampled once a minute" in handbook

    matching = _steps(folder, "example-orders", "Matching latency p99")
    assert [_colour(matching, v) for v in (0.0003999, 0.0004, 0.0004999, 0.0005)] == ["green", "orange", "orange", "red"]
    feeds = _steps(folder, "example-feeds", "Feeds connected")
    assert [_colour(feeds, v) for v in (0, 1, 2)] == ["red", "red", "green"]
    fills = _steps(folder, "example-overview", "Fill ratio")
    assert [_colour(fills, v) for v in (0.89, 0.9, 0.93, 0.95, 0.96)] == ["red", "red", "orange", "orange", "green"]


def test_inclusive_scenarios_are_proven(small_project):
    """At exactly 500 µs both levels fire and page; at one feed left the P1 pages (obsgen test runs promtool and routing).

    On the example without its SLOs: their promtool tests run in tests/test_slo_generated.py."""
    scenarios = load_yaml((small_project / "generated" / "example" / "tests" / "scenarios.test.yml").read_text())["tests"]
    at_limit = next(t for t in scenarios if t["name"].startswith("scenario matching-at-its-limit"))
    fired = {(c["alertname"], a["exp_labels"]["severity"]) for c in at_limit["alert_rule_test"] for a in c["exp_alerts"]}
    assert fired == {("MatchingLatencyAtLimit", "warning"), ("MatchingLatencyAtLimit", "critical")}
    result = run_obsgen("test", cwd=small_project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failed" in result.stdout


def test_the_live_simulator_keeps_inclusive_lines_out_of_healthy():
    slack = Slack(name="slack", channel="#x", api_url_file="/etc/am/slack")
    p1 = Priority(name="P1", meaning="Page.", response_time=minutes(15), receivers=(slack,))

    def alert(name: str, record: str, unit, direction: Direction, threshold) -> Alert:
        signal = Signal(record=record, expr=f"max({record.split(':')[1]})", unit=unit, description=name)
        return Alert(name=name, signal=signal, direction=direction, critical=Level(threshold, p1),
                     summary="Test.", meaning="Test.", actions=("Look.",))

    alerts = (alert("AtLimit", "t:latency:max", seconds, AT_OR_ABOVE, us(500)), alert("OneLeft", "t:feeds:max", count, AT_OR_BELOW, 1),
              alert("Slow", "t:slow:max", seconds, ABOVE, ms(100)))
    system = System(runbook_base_url="https://runbooks.example.com/", grafana_base_url="https://grafana.example.com", name="t", title="T", description="Directions.", services=(Service(name="s", title="S", team="t", description="S.", alerts=alerts),),
                    priorities=(p1,), receivers=(slack,), default_receiver=slack)
    healthy = goals(system)
    assert healthy["t:latency:max"].holds(0.00049) and not healthy["t:latency:max"].holds(0.0005)
    assert healthy["t:feeds:max"].holds(2) and not healthy["t:feeds:max"].holds(1)
    assert healthy["t:slow:max"].holds(0.1) and not healthy["t:slow:max"].holds(0.1001)  # strictly above: 100 ms is healthy
