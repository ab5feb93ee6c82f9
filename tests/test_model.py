"""The vocabulary: units, durations, and the port of Prometheus's humanize functions."""

from __future__ import annotations

import pytest

from obsgen import MB, days, hours, minutes, ms, per_hour, percent, seconds, us, weeks
from obsgen.compile.humanize import humanize, humanize_duration, humanize_percentage
from obsgen.model.durations import duration_problem, duration_seconds, format_duration, parse_duration, prom_duration


@pytest.mark.parametrize(
    "quantity, base",
    [(ms(100), 0.1), (us(500), 0.0005), (percent(99.9), 0.999), (percent(0.01), 0.0001), (MB(400), 4e8), (per_hour(5), 5 / 3600)],
)
def test_units_convert_exactly_to_base(quantity, base):
    assert quantity.base == base


@pytest.mark.parametrize("text, seconds", [("30s", 30), ("5m", 300), ("1h30m", 5400), ("1d", 86400), ("0s", 0)])
def test_durations_round_trip(text, seconds):
    assert parse_duration(text) == seconds
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    "quantity, text",
    [(seconds(30), "30s"), (minutes(5), "5m"), (minutes(90), "90m"), (hours(24), "24h"), (days(30), "30d"), (weeks(1), "1w"),
     (seconds(0), "0s"), (minutes(1.5), "1m30s")],
)
def test_durations_are_spelled_in_the_unit_they_were_written_in(quantity, text):
    assert prom_duration(quantity) == text
    assert parse_duration(text) == duration_seconds(quantity)
    assert duration_problem(quantity) is None


@pytest.mark.parametrize(
    "value, words",
    [("5m", "'5m' is text: write durations as time quantities, here minutes(5)"), ("1h30m", "here minutes(90)"),
     ("1d", "here days(1)"), ("soon", "such as seconds(30), minutes(5)"), (ms(1500), "not a whole number of seconds"),
     (percent(5), "must be a time quantity"), (300, "must be a time quantity"), (minutes(-1), "negative")],
)
def test_a_duration_that_is_not_a_time_quantity_says_how_to_write_it(value, words):
    problem = duration_problem(value)
    assert problem is not None and words in problem, problem


@pytest.mark.parametrize("text", ["5", "5 m", "1.5m", "", "250ms"])
def test_bad_durations_are_rejected(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    "fn, value, text",
    [
        (humanize, 0, "0"),
        (humanize, 1234567, "1.235M"),
        (humanize, 0.0012, "1.2m"),
        (humanize_duration, 0.1001, "100.1ms"),
        (humanize_duration, 90061, "1d 1h 1m 1s"),
        (humanize_duration, 12.5, "12.5s"),
        (humanize_duration, 0, "0s"),
        (humanize_percentage, 0.0001001, "0.01001%"),
    ],
)
def test_humanize_matches_prometheus(fn, value, text):
    # Values taken from Prometheus's template tests; promtool proves the rest in the
    # generated rule tests, which assert rendered descriptions.
    assert fn(value) == text


def test_author_values_stay_as_written_and_compilers_read_resolved_views():
    """Nothing normalises a definition in place: the resolved values are computed from it."""
    from obsgen import ABOVE, Alert, Check, CheckGroup, Holds, Level, Priority, Service, Signal, Slack, System, count

    slack = Slack(name="slack", channel="#x", api_url_file="/etc/am/slack")
    p1 = Priority(name="P1", meaning="Page.", response_time=minutes(15), receivers=[slack])
    queue = Signal(record="t:queue:max", expr="max(queue_depth)", unit=count, description="Queue depth")
    level = Level(5, p1)
    alert = Alert(name="QueueHigh", signal=queue, direction=ABOVE, critical=level, summary="Queue.", meaning="Queue.", actions=["Look."])
    check = Check(title="Queue", alert=alert, good="short", action="look")
    group = CheckGroup("Queues", every=minutes(5), checks=(check,))
    holds = Holds(queue, 7)
    system = System(runbook_base_url="https://runbooks.example.com/", grafana_base_url="https://grafana.example.com", name="t", title="T", description="T.", services=(Service(name="s", title="S", team="t", description="S.", alerts=(alert,)),),
                    priorities=(p1,), receivers=(slack,), default_receiver=slack, checks=(group,))

    assert level.threshold == 5 and type(level.threshold) is int
    assert p1.receivers == [slack] and alert.actions == ["Look."]
    assert check.signal is None and check.critical is None and check.frequency is None
    assert holds.value == 7
    (severity, resolved), = alert.levels
    assert severity == "critical" and resolved.threshold == count(5) and resolved.priority is p1
    (item,) = system.checklist
    assert item.signal is queue and item.critical == count(5) and item.frequency == minutes(5) and item.group == "Queues"
    assert holds.quantity == count(7)


def test_a_repeat_is_found_by_equality_whether_or_not_items_can_be_hashed():
    """need_tuple finds repeats by hash (a service lists thousands of alerts) and falls back
    to comparing pairwise once an item cannot be hashed: both find equal, distinct objects."""
    from obsgen.model.base import _Earlier

    def first_repeat(items):
        earlier = _Earlier()
        return next((i for i, item in enumerate(items) if earlier.repeats(item, items, i)), None)

    assert first_repeat(("a", "b", "c")) is None
    assert first_repeat(("a", "b", "".join(["a"]))) == 2
    assert first_repeat((["x"], ["y"], "z")) is None
    assert first_repeat(("z", ["x"], ["y"], ["x"])) == 3
    assert first_repeat((["x"], "z", "z")) == 2
