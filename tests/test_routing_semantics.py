"""The in-process Alertmanager follows Alertmanager 0.25 on the points that matter."""

from __future__ import annotations

from datetime import datetime, timezone

import yaml

from obsgen.artifacts.read.alertmanager import parse_matchers
from obsgen.verify.routing import Alertmanager

CONFIG = {
    "route": {
        "receiver": "default",
        "routes": [
            {"receiver": "pd", "matchers": ['priority=~"P0|P1"'], "continue": True},
            {"receiver": "slack-critical", "matchers": ['priority=~"P0|P1"']},
            {"receiver": "never", "matchers": ['priority="P1"']},
            {"receiver": "slack-ops", "matchers": ['priority="P2"'], "mute_time_intervals": ["nights"]},
            {"receiver": "email", "matchers": ['priority="P3"'], "active_time_intervals": ["business-hours"]},
        ],
    },
    "receivers": [{"name": n} for n in ("default", "pd", "slack-critical", "never", "slack-ops", "email")],
    "inhibit_rules": [
        {"source_matchers": ['alertname="Down"'], "target_matchers": ['alertname=~"Slow|Errors"'], "equal": ["system"]},
        {"source_matchers": ['severity="critical"'], "target_matchers": ['severity="warning"'], "equal": ["alertname"]},
    ],
    "time_intervals": [
        {"name": "nights", "time_intervals": [{"times": [{"start_time": "00:00", "end_time": "06:00"}], "location": "Europe/London"}]},
        {"name": "business-hours", "time_intervals": [{"weekdays": ["monday:friday"], "times": [{"start_time": "09:00", "end_time": "17:00"}], "location": "America/New_York"}]},
    ],
}
AM = Alertmanager.read(yaml.safe_dump(CONFIG))
NOON = datetime(2026, 1, 7, 17, 0, tzinfo=timezone.utc)  # Wednesday, 12:00 in New York


def _matcher(text: str):
    (matcher,), problem = parse_matchers(text)
    assert problem is None
    return matcher


def test_matchers():
    assert _matcher('a=~"x|y"').matches_labels({"a": "y"})
    assert not _matcher('a=~"x"').matches_labels({"a": "xx"})  # anchored
    assert _matcher('a!="x"').matches_labels({})
    assert _matcher('a!~"x.*"').matches_labels({"a": "y"})


def test_continue_fans_out_and_a_stop_ends_the_search():
    assert AM.receivers({"priority": "P1"}) == ["pd", "slack-critical"]
    assert AM.receivers({"priority": "P9"}) == ["default"]


def test_inhibition_needs_equal_labels_and_spares_the_source():
    down = {"alertname": "Down", "system": "a"}
    slow = {"alertname": "Slow", "system": "a", "priority": "P2"}
    other = {"alertname": "Slow", "system": "b", "priority": "P2"}
    assert AM.inhibited(slow, [down, slow])
    assert not AM.inhibited(other, [down, other])
    assert not AM.inhibited(down, [down, slow])


def test_alerts_matching_both_sides_do_not_inhibit_each_other():
    am = Alertmanager.read(yaml.safe_dump({
        "route": {"receiver": "x"}, "receivers": [{"name": "x"}],
        "inhibit_rules": [{"source_matchers": ['team="a"'], "target_matchers": ['team="a"'], "equal": []}],
    }))
    one, two = {"alertname": "One", "team": "a"}, {"alertname": "Two", "team": "a"}
    assert not am.inhibited(one, [one, two])


def test_mute_and_active_intervals_in_their_time_zones():
    p2, p3 = {"alertname": "A", "severity": "warning", "priority": "P2"}, {"alertname": "B", "severity": "warning", "priority": "P3"}
    at_night_london = datetime(2026, 1, 7, 3, 0, tzinfo=timezone.utc)
    assert AM.notified([p2], at_night_london) == {"A/warning": []}
    assert AM.notified([p2], NOON) == {"A/warning": ["slack-ops"]}
    assert AM.notified([p3], NOON) == {"B/warning": ["email"]}
    saturday = datetime(2026, 1, 10, 17, 0, tzinfo=timezone.utc)
    assert AM.notified([p3], saturday) == {"B/warning": []}
