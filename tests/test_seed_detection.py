"""Detection time fits the promise: every alert notifies within its priority's response time.

The check runs when a System is built (a definition error naming the alert's line), and the
handbook shows each level's detection time. These tests fail it on purpose and read it back
from the seeds.
"""

from __future__ import annotations

import re
import shutil

import pytest

from obsgen.model.durations import parse_duration

from conftest import FIXTURES, GENERATED, load_yaml, run_obsgen
from obsgen import (
    ABOVE, PAGE, SLO, Alert, DefinitionError, Fires, Holds, LatencySLI, Level, Priority, Scenario, Service, Signal, Slack, System,
    count, minutes, percent, seconds, workbook_tiers,
)
from obsgen.model.detection import alert_detection, slo_detections, window_seconds

SLACK = Slack(name="slack", channel="#ops", api_url_file="/etc/am/slack")
P1 = Priority(name="P1", meaning="Page.", response_time=minutes(5), receivers=(SLACK,))
RATE = Signal(record="t:messages:rate5m", expr="sum(rate(messages_total[5m]))", unit=count, description="Messages")
ERRORS = Signal(record="t:errors:increase5m", expr="sum(increase(errors_total[5m]))", unit=count, description="Errors")


def _alert(signal=RATE, direction=ABOVE, for_=minutes(2), name="FeedLow"):
    return Alert(name=name, signal=signal, direction=direction, critical=Level(1, P1), for_=for_,
                 summary="Feed.", meaning="Feed.", actions=("Look.",))


def _system(*alerts, slos=(), scenarios=(), **kwargs):
    service = Service(name="s", title="S", team="t", description="S.", alerts=alerts)
    return System(name="t", title="T", description="T.", services=(service,), priorities=(P1,), receivers=(SLACK,),
                  default_receiver=SLACK, slos=tuple(s(service) for s in slos), scenarios=scenarios,
                  runbook_base_url="https://runbooks.example.com/t/", grafana_base_url="https://grafana.example.com", **kwargs)


def test_an_alert_slower_than_its_priority_is_a_definition_error():
    # 5m rate window + 2m for + 1m evaluation + 30s group wait = 8m30s > P1's 5 minutes:
    # the surveillance runbook's "a feed that stops dead raises P1 7 minutes later".
    with pytest.raises(DefinitionError) as caught:
        _system(_alert())
    error = caught.value
    assert error.obj == "Alert 'FeedLow'" and error.field == "critical.priority"
    assert "5m window + 2m for + 1m evaluation + 30s group wait = 8m30s" in error.message
    assert "P1 promises a response within 5 minutes" in error.message
    assert error.source is not None and error.source.file.endswith("test_seed_detection.py")


def test_exactly_the_response_time_fits_and_one_second_more_does_not():
    # 0s window (a gauge) + 3m30s for + 1m + 30s = 5m: fits.
    gauge = Signal(record="t:lag:max", expr="max(lag_seconds)", unit=count, description="Lag")
    _system(_alert(gauge, for_=seconds(210)))
    with pytest.raises(DefinitionError, match="= 5m1s"):
        _system(_alert(gauge, for_=seconds(211)))
    # A slower evaluation interval is part of the promise too.
    with pytest.raises(DefinitionError, match="2m evaluation"):
        _system(_alert(gauge, for_=seconds(210)), evaluation_interval=minutes(2))


def test_the_window_counts_unless_an_event_count_crosses_upward():
    assert window_seconds(RATE, ABOVE) == 300  # a rate averages: it can take its whole window
    assert window_seconds(ERRORS, ABOVE) == 0  # the counted error crosses the line at once
    from obsgen import BELOW
    assert window_seconds(ERRORS, BELOW) == 300  # a count falling below a line needs the window to pass
    _system(_alert(ERRORS, for_=seconds(0), name="Errors"))


def test_an_slo_whose_fastest_page_tier_is_too_slow_is_a_definition_error():
    def slow(service):
        return SLO(name="lat", title="Latency", description="Fast.", service=service,
                   sli=LatencySLI(histogram="req_duration_seconds", threshold=seconds(1)), objective=percent(95),
                   page_priority=P1, ticket_priority=P1, actions=("Look.",),
                   tiers=tuple(t for t in workbook_tiers() if t.kind is PAGE))
    with pytest.raises(DefinitionError) as caught:
        _system(slos=(slow,))
    # A total outage fills 14.4 x 5% of the 1h window after 43m12s.
    assert caught.value.field == "page_priority" and "43m12s outage fills the window" in caught.value.message


def test_a_scenario_that_expects_a_faster_notification_is_a_definition_error():
    gauge = Signal(record="t:lag:max", expr="max(lag_seconds)", unit=count, description="Lag")
    alert = _alert(gauge, for_=minutes(3), name="LagHigh")
    scenario = Scenario(name="lag", situation="Lag", holds=(Holds(gauge, 2),), lasting=minutes(5),
                        fires=(Fires(alert, P1),), reaches=(SLACK,), pages=False, within=minutes(4))
    with pytest.raises(DefinitionError) as caught:
        _system(alert, scenarios=(scenario,))
    assert caught.value.field == "within" and "LagHigh (P1)" in caught.value.message and "= 4m30s" in caught.value.message


def test_a_scenario_lists_an_alert_once_per_level_at_that_priority():
    # Warning and critical both P1 (surveillance "Active P1 alerts > 0 / > 5"): both fire.
    gauge = Signal(record="t:active:count", expr="max(active_alerts)", unit=count, description="Active")
    alert = Alert(name="ActiveHigh", signal=gauge, direction=ABOVE, warning=Level(0, P1), critical=Level(5, P1), for_=minutes(1),
                  summary="Active.", meaning="Active.", actions=("Look.",))
    both = Scenario(name="storm", situation="Storm", holds=(Holds(gauge, 7),), lasting=minutes(3),
                    fires=(Fires(alert, P1), Fires(alert, P1)), reaches=(SLACK,), pages=False)
    with pytest.raises(DefinitionError) as caught:
        Scenario(name="storm", situation="Storm", holds=(Holds(gauge, 7),), lasting=minutes(3),
                 fires=(Fires(alert, P1),) * 3, reaches=(SLACK,), pages=False)
    assert both.fires == (Fires(alert, P1),) * 2
    assert caught.value.field == "fires" and "3 times" in caught.value.message and "2 level(s) at P1" in caught.value.message


def test_generate_refuses_a_slow_alert_with_one_line(tmp_path):
    shutil.copytree(FIXTURES / "good", tmp_path / "definitions")
    module = tmp_path / "definitions" / "example" / "__init__.py"
    text = module.read_text()
    assert "    for_=minutes(1),\n" in text
    module.write_text(text.replace("    for_=minutes(1),\n", "    for_=minutes(30),\n", 1))
    result = run_obsgen("generate", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and re.match(r"error: definitions/example/__init__\.py:\d+: Alert '\w+', field '\w+\.priority'", lines[0]), lines
    assert not (tmp_path / "generated").exists()


def test_every_seed_alert_fits_and_its_handbook_shows_when_it_is_notified(systems):
    checked = 0
    for loaded in systems:
        system = loaded.system
        handbook = (GENERATED / system.name / "handbook.md").read_text()
        for alert in system.alerts:
            section = handbook.split(f"#### {alert.name}\n", 1)[1].split("\n#### ", 1)[0]
            for severity, level in alert.levels:
                found = alert_detection(alert, level.priority, system.evaluation_seconds)
                assert found.total <= level.priority.response_seconds, f"{system.name} {alert.name} {severity}: {found.words}"
                assert f"{severity}: {found.words}" in section, f"{system.name} {alert.name} {severity}: detection not in the handbook"
                checked += 1
        for slo in system.slos:
            for kind, found in slo_detections(slo, system.evaluation_seconds).items():
                assert found.fits, f"{system.name} SLO {slo.name} {kind.value}: {found.words}"
    assert checked > 60


def test_keep_firing_for_is_in_the_rule_and_proved_by_its_test():
    rules = load_yaml((GENERATED / "dex" / "rules" / "matching-engine.alerts.yml").read_text())
    errors = next(r for g in rules["groups"] for r in g["rules"] if r.get("alert") == "MatchingEngineErrors")
    assert errors["keep_firing_for"] == "30m" and "for" not in errors
    tests = load_yaml((GENERATED / "dex" / "tests" / "matching-engine.alerts.test.yml").read_text())["tests"]
    checks = [c for t in tests for c in t["alert_rule_test"] if c["alertname"] == "MatchingEngineErrors"]
    firing = [c for c in checks if c["exp_alerts"]]
    quiet = [c for c in checks if not c["exp_alerts"]]
    # still firing 29 minutes after the error left the window, resolved at 30
    assert len(firing) >= 3 and parse_duration(quiet[-1]["eval_time"]) > parse_duration(firing[-1]["eval_time"])
