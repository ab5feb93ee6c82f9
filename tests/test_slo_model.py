"""SLO definitions: the workbook's numbers, and one clear error for every SLO that cannot work."""

from __future__ import annotations

import re

import pytest

from conftest import run_obsgen
from obsgen import (
    ABOVE, PAGE, TICKET, BurnRateTier, DefinitionError, LatencySLI, Priority, RatioSLI, SLO, Service, Signal, Slack, System,
    TimeSLI, days, hours, minutes, ms, percent, ratio, seconds, workbook_tiers,
)
from obsgen.compile.slo_rules import slo_rule_counts

SERVICE = Service(name="api", title="API", team="platform", description="Answers requests.")
ERRORS = RatioSLI(total='http_requests_total{job="api"}', errors='http_requests_total{job="api", code=~"5.."}')
RECEIVER = Slack(name="r", channel="#r", api_url_file="/etc/am/slack")
P1 = Priority(name="P1", meaning="Page.", response_time=minutes(15), receivers=(RECEIVER,))
P2 = Priority(name="P2", meaning="Ticket.", response_time=hours(4), receivers=(RECEIVER,))
LAG = Signal(record="exchange:lag_seconds:max", expr="max by (exchange) (lag_seconds)", unit=seconds, description="Lag")


def slo(**fields) -> SLO:
    base = dict(
        name="api-availability", title="API availability", description="Requests succeed.", service=SERVICE, sli=ERRORS,
        objective=percent(99.9), page_priority=P1, ticket_priority=P2, actions=("Look.",),
    )
    return SLO(**{**base, **fields})


def system(*slos: SLO, services=(SERVICE,)) -> System:
    return System(runbook_base_url="https://runbooks.example.com/", grafana_base_url="https://grafana.example.com",
        name="s", title="S", description="A system.", services=services,
        priorities=(P1, P2), receivers=(RECEIVER,), default_receiver=RECEIVER, slos=slos,
    )


def error(fn) -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        fn()
    return caught.value


def test_workbook_tiers_are_the_srewb_factors_for_30_days():
    tiers = workbook_tiers(days(30))
    assert [(t.kind, t.long, t.short, t.factor, t.for_seconds) for t in tiers] == [
        (PAGE, hours(1), minutes(5), 14.4, 0), (PAGE, hours(6), minutes(30), 6.0, 0),
        (TICKET, days(1), hours(2), 3.0, 0), (TICKET, days(3), hours(6), 1.0, 0),
    ]
    # Another period keeps the budget shares (2% in 1h, 5% in 6h, 10% in 1d and in 3d).
    assert [t.factor for t in workbook_tiers(days(28))] == [13.44, 5.6, 2.8, pytest.approx(28 / 30)]


def test_thresholds_are_factor_times_budget_exactly():
    assert [slo().threshold(t) for t in slo().burn_tiers] == [0.0144, 0.006, 0.003, 0.001]
    dex = slo(objective=percent(99.99))  # the DEX's "<0.01%": every tier still reachable
    assert [dex.threshold(t) for t in dex.burn_tiers] == [0.00144, 0.0006, 0.0003, 0.0001]


def test_a_tier_that_can_never_fire_is_a_definition_error():
    e = error(lambda: slo(objective=percent(90)))  # 14.4 x 10% = 1.44: above 100%
    assert e.obj == "SLO 'api-availability'" and e.field == "tiers"
    assert "page tier 1h/5m at 14.4x can never fire: 14.4 x (1 - 90%) = 1.44" in e.message
    e = error(lambda: slo(objective=percent(95), tiers=(BurnRateTier(kind=PAGE, long=hours(1), short=minutes(5), factor=20.1),)))
    assert "at 20.1x can never fire: 20.1 x (1 - 95%) = 1.005" in e.message
    slo(objective=percent(95), tiers=(BurnRateTier(kind=PAGE, long=hours(1), short=minutes(5), factor=20),))  # at-or-above: 100% bad fires it


def test_latency_threshold_must_be_a_bucket_boundary():
    e = error(lambda: LatencySLI(histogram='http_request_duration_seconds{job="api"}', threshold=ms(300)))
    assert e.field == "threshold"
    assert "300 ms is not a bucket boundary of http_request_duration_seconds" in e.message
    assert "Use 0.25 s or 0.5 s, or add 0.3 to the histogram's buckets" in e.message
    LatencySLI(histogram="h_seconds", threshold=ms(300), buckets=(0.1, 0.3, 1))
    assert "without its suffix: 'h_seconds'" in error(lambda: LatencySLI(histogram="h_seconds_bucket", threshold=ms(100))).message
    assert "a latency threshold is a time" in error(lambda: LatencySLI(histogram="h_seconds", threshold=percent(1))).message


@pytest.mark.parametrize(
    "fields, field, words",
    [
        (dict(total='x_total{job="a"}', errors='x_total{code="500"}'), "errors", 'job="a" is missing'),
        (dict(total='x_total{job="a"}', errors='x_total{job="a"}'), "errors", "selects the same series as total"),
        (dict(total="x_total", errors="sum(x_total)"), "errors", "plain series selector"),
        (dict(total="x_seconds", errors="x_total"), "total", "is not a counter"),
        (dict(total="x_total", errors="e_total", good="g_total"), "errors", "one of them"),
    ],
)
def test_ratio_sli_selectors_are_checked(fields, field, words):
    e = error(lambda: RatioSLI(**fields))
    assert e.field == field and words in e.message


def test_time_sli_too_tight_for_one_minute_samples():
    sli = TimeSLI(signal=LAG, bad_when=ABOVE, threshold=ms(100))
    e = error(lambda: slo(sli=sli, objective=percent(99.9)))
    assert e.field == "objective" and "one bad minute is 1.67% of the 1h window, at or above the page tier's 1.44%" in e.message
    assert "at most 99.88%" in e.message
    slo(sli=sli, objective=percent(99.88))
    assert "give bad_when and a threshold" in error(lambda: TimeSLI(signal=LAG)).message
    assert "5% is ratio but signal" in error(lambda: TimeSLI(signal=LAG, bad_when=ABOVE, threshold=percent(5))).message
    up = Signal(record="app:up:ratio", expr="avg by (app) (up)", unit=ratio, description="Up")
    slo(sli=TimeSLI(signal=up), objective=percent(99.9))  # a ratio signal is sampled as a share: no such limit


@pytest.mark.parametrize(
    "fields, field, words",
    [
        (dict(period=hours(12)), "tiers", "long window 1d is longer than the period 12h"),
        (dict(tiers=(BurnRateTier(kind=PAGE, long=hours(1), short=minutes(5), factor=2), BurnRateTier(kind=TICKET, long=hours(1), short=minutes(5), factor=1))), "tiers", "two tiers use the windows 1h/5m"),
        (dict(no_data_for=seconds(90)), "no_data_for", "whole minutes"),
        (dict(period="30d"), "period", "'30d' is text: write durations as time quantities, here days(30)"),
        (dict(no_traffic_for=minutes(3)), "no_traffic_for", "shorter than the 5m"),
        (dict(period=minutes(36 * 60 + 30), tiers=()), "period", "not whole hours"),
        (dict(group_by=("le",)), "group_by", "not a label"),
        (dict(name="a-very-long-slo-name-that-goes-on-and-on"), "name", "longer than 30"),
        (dict(objective=percent(100)), "objective", "strictly between"),
    ],
)
def test_slo_fields_are_checked(fields, field, words):
    e = error(lambda: slo(**fields))
    assert e.field == field and words in e.message, e.message


def test_tier_windows_and_for_are_checked():
    assert "shorter than the long window" in error(lambda: BurnRateTier(kind=PAGE, long=minutes(10), short=hours(1), factor=2)).message
    assert "whole minutes" in error(lambda: BurnRateTier(kind=PAGE, long=hours(1), short=minutes(5), factor=2, for_=seconds(30))).message
    assert "shorter than 5m" in error(lambda: BurnRateTier(kind=PAGE, long=hours(1), short=minutes(2), factor=2)).message
    e = error(lambda: BurnRateTier(kind=PAGE, long=hours(1), short=minutes(5), factor=2, for_=minutes(2)))
    assert e.field == "for_" and "only delays the page" in e.message
    assert "PAGE or TICKET" in error(lambda: BurnRateTier(kind="sms", long=hours(1), short=minutes(5), factor=2)).message
    assert "PAGE or TICKET" in error(lambda: BurnRateTier(kind="page", long=hours(1), short=minutes(5), factor=2)).message


def test_system_checks_slo_references():
    e = error(lambda: system(slo(page_priority=Priority(name="P1", meaning="Page.", response_time=minutes(15), receivers=(RECEIVER,)))))
    assert e.field == "page_priority" and "priority 'P1' (defined at " in e.message and "is not in the priorities of system 's'" in e.message
    e = error(lambda: slo(ticket_priority="P2"))
    assert e.field == "ticket_priority" and "'P2' is a name: pass the Priority object itself" in e.message
    other = Service(name="web", title="Web", team="platform", description="Serves pages.")
    assert "not in the services" in error(lambda: system(slo(service=other))).message
    assert "'ApiAvailabilityBudgetBurn', already taken" in error(lambda: system(slo(), slo(name="api--availability"))).message
    e = error(lambda: system(slo(), slo(name="api-availability")))
    assert e.field == "slos" and "lists SLO 'api-availability' twice" in e.message


def test_rules_per_slo_stay_under_sloths_17():
    counts = slo_rule_counts(system(slo(), slo(name="lag", sli=TimeSLI(signal=LAG, bad_when=ABOVE, threshold=ms(100)), objective=percent(99))))
    assert counts == {"api-availability": 15, "lag": 12}
    assert slo_rule_counts(system(slo(no_data_for=minutes(10))))["api-availability"] == 16  # with the optional no-data alert


BAD_SLOS = {
    "unreachable tier": (
        "objective=percent(99.9),", "objective=percent(90),",
        ["SLO 'orders-availability'", "field 'tiers'", "can never fire: 14.4 x (1 - 90%) = 1.44"],
    ),
    "latency threshold between buckets": (
        "threshold=ms(250)", "threshold=ms(200)",
        ["LatencySLI", "field 'threshold'", "200 ms is not a bucket boundary of order_latency_seconds"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_SLOS), ids=list(BAD_SLOS))
def test_bad_slo_is_exit_2_with_file_line_object_and_field(example_project, case):
    before, after, fragments = BAD_SLOS[case]
    path = example_project / "definitions" / "example" / "slos.py"
    source = path.read_text()
    assert before in source
    path.write_text(source.replace(before, after, 1))
    result = run_obsgen("generate", cwd=example_project)
    assert result.returncode == 2, result.stderr
    first = result.stderr.strip().splitlines()[0]
    where = re.match(r"error: definitions/example/slos\.py:(\d+): ", first)
    assert where, result.stderr
    line = int(where.group(1))
    at = source.index(before)
    slo_start = source[:at].rindex("SLO(")
    assert source[:slo_start].count("\n") + 1 <= line <= source[:at].count("\n") + 1, (line, first)
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
