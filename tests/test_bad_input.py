"""Bad definitions: one clear error (file:line, object, field), exit 2, nothing written."""

from __future__ import annotations

import pytest

from conftest import run_obsgen
from obsgen.render.writer import read_tree

INIT = "definitions/example/__init__.py"

CASES = {
    "invalid PromQL": (
        'expr="sum by (exchange) (rate(feed_messages_total[5m]))"',
        'expr="sum by (exchange) (rate(feed_messages_total[5m])"',
        ["Signal 'exchange:feed_messages:rate5m'", "field 'expr'", "invalid PromQL at column", "unclosed left parenthesis"],
    ),
    "receiver as a name": (
        "receivers=(SLACK_OPS,), mute_time_intervals",
        'receivers=("slack-ops",), mute_time_intervals',
        ["Priority 'P2'", "field 'receivers'", "'slack-ops' is a name: pass the Receiver object itself (the one built with name='slack-ops')"],
    ),
    "time interval as a name": (
        "mute_time_intervals=(WEEKENDS,)",
        'mute_time_intervals=("weekends",)',
        ["Priority 'P2'", "field 'mute_time_intervals'", "'weekends' is a name: pass the TimeInterval object itself"],
    ),
    "priority as a name": (
        "warning=Level(per_second(10), P2)",
        'warning=Level(per_second(10), "P2")',
        ["Level", "field 'priority'", "'P2' is a name: pass the Priority object itself (the one built with name='P2')"],
    ),
    "route priority as a name": (
        "priorities=(P2,), receivers=(SLACK_MARKET_DATA,)",
        'priorities=("P2",), receivers=(SLACK_MARKET_DATA,)',
        ["Route 'market-data-warnings'", "field 'priorities'", "'P2' is a name: pass the Priority object itself"],
    ),
    "default receiver as a name": (
        "default_receiver=SLACK_OPS,",
        'default_receiver="slack-ops",',
        ["System 'example'", "field 'default_receiver'", "'slack-ops' is a name: pass the Receiver object itself"],
    ),
    "scenario alert as a name": (
        "fires=(Fires(ORDER_LATENCY, P2),),",
        'fires=(Fires("HighOrderLatency", P2),),',
        ["Fires 'HighOrderLatency'", "field 'alert'", "'HighOrderLatency' is a name: pass the Alert object itself"],
    ),
    "scenario receiver as a name": (
        "reaches=(SLACK_OPS,),",
        'reaches=("slack-ops",),',
        ["Scenario 'slow-orders'", "field 'reaches'", "'slack-ops' is a name: pass the Receiver object itself"],
    ),
    "inhibition alert as a name": (
        "source=DOWN, targets=(ORDER_LATENCY, ERROR_RATE)",
        'source=DOWN, targets=("HighOrderLatency", ERROR_RATE)',
        ["Inhibition 'down-silences-symptoms'", "field 'targets'", "'HighOrderLatency' is a name: pass the Alert object itself"],
    ),
    "receiver not in the system": (
        "receivers=(PAGERDUTY_ONCALL, SLACK_INCIDENTS, SLACK_OPS, SLACK_MARKET_DATA),",
        "receivers=(PAGERDUTY_ONCALL, SLACK_INCIDENTS, SLACK_OPS),",
        ["Route 'market-data-warnings'", "field 'receivers'", "receiver 'slack-market-data' (defined at definitions/example/__init__.py:",
         "is not in the receivers of system 'example': add it to System(receivers=...)"],
    ),
    "time interval not in the system": (
        "time_intervals=(WEEKENDS,),",
        "time_intervals=(),",
        ["Priority 'P2'", "field 'mute_time_intervals'", "time interval 'weekends' (defined at definitions/example/__init__.py:", "is not in the time intervals"],
    ),
    "another priority of the same name": (
        "critical=Level(per_second(1), P1),",
        'critical=Level(per_second(1), Priority(name="P1", meaning="Impaired.", response_time=minutes(15), receivers=(PAGERDUTY_ONCALL,))),',
        ["Alert 'FeedMessageRateLow'", "field 'critical.priority'", "priority 'P1' (defined at definitions/example/__init__.py:",
         "is not in the priorities of system 'example': add it to System(priorities=...)"],
    ),
    "alert of no service": (
        "alerts=(ORDER_LATENCY, ERROR_RATE, DOWN, MATCHING_AT_LIMIT)",
        "alerts=(ORDER_LATENCY, DOWN, MATCHING_AT_LIMIT)",
        ["Inhibition 'down-silences-symptoms'", "field 'targets'", "alert 'OrderErrorRateHigh' (defined at definitions/example/__init__.py:",
         "is not in any service of system 'example': add it to the alerts of its Service"],
    ),
    "check naming a copy of an alert": (
        'Check(title="Order latency", alert=ORDER_LATENCY,',
        'Check(title="Order latency", alert=__import__("dataclasses").replace(ORDER_LATENCY),',
        ["Check 'Order latency'", "field 'alert'", "alert 'HighOrderLatency' (defined at definitions/example/__init__.py:", "is not in any service"],
    ),
    "duplicate alert name": (
        'name="FeedMessageRateLow"',
        'name="HighOrderLatency"',
        ["System 'example'", "field 'alerts'", "duplicate name 'HighOrderLatency'", "first defined at"],
    ),
    "wrong unit": (
        "warning=Level(per_second(10), P2)",
        "warning=Level(ms(10), P2)",
        ["Alert 'FeedMessageRateLow'", "field 'warning.threshold'", "10 ms is time but signal 'exchange:feed_messages:rate5m' is rate"],
    ),
    "warning beyond critical": (
        "warning=Level(ms(100), P2)",
        "warning=Level(ms(800), P2)",
        ["Alert 'HighOrderLatency'", "field 'warning.threshold'", "warning 800 ms is beyond critical 500 ms"],
    ),
    "missing field": (
        '    summary="Order errors are high.",\n',
        "",
        ["Alert", "field summary", "missing"],
    ),
    "syntax error": (
        "ERROR_RATE = Alert(",
        "ERROR_RATE = Alert((",
        ["syntax error", "module 'definitions.example'"],
    ),
    "import error": (
        "from obsgen import (",
        "from obsgen.nothing_here import (",
        ["module 'definitions.example'", "field 'import'", "ModuleNotFoundError"],
    ),
    "duration as text": (
        "for_=minutes(2)",
        'for_="2m"',
        ["Alert 'FeedMessageRateLow'", "field 'for_'", "'2m' is text: write durations as time quantities, here minutes(2)"],
    ),
    "duration in words": (
        "for_=minutes(2)",
        'for_="2 minutes"',
        ["Alert 'FeedMessageRateLow'", "field 'for_'", "such as seconds(30), minutes(5), hours(1) or days(30)"],
    ),
    "duration not a time": (
        "for_=minutes(2)",
        "for_=percent(2)",
        ["Alert 'FeedMessageRateLow'", "field 'for_'", "must be a time quantity", "got percent(2)"],
    ),
    "duration in part seconds": (
        "for_=minutes(2)",
        "for_=ms(1500)",
        ["Alert 'FeedMessageRateLow'", "field 'for_'", "ms(1500) is not a whole number of seconds"],
    ),
    "check frequency as text": (
        "frequency=minutes(15)",
        'frequency="15m"',
        ["Check 'Error ratio'", "field 'frequency'", "'15m' is text", "minutes(15)"],
    ),
    "scenario lasting as text": (
        "lasting=minutes(10)",
        'lasting="1h30m"',
        ["Scenario 'slow-orders'", "field 'lasting'", "'1h30m' is text", "minutes(90)"],
    ),
    "priority response time as text": (
        "response_time=hours(4)",
        'response_time="4h"',
        ["Priority 'P2'", "field 'response_time'", "'4h' is text", "hours(4)"],
    ),
    "escalation step as text": (
        '("Team lead", minutes(15))',
        '("Team lead", "15m")',
        ["Escalation 'Technical issues'", "field 'steps'", "step 'Team lead': '15m' is text", "minutes(15)"],
    ),
    "direction as text": (
        "direction=BELOW,\n    warning=Level(per_second(10), P2)",
        'direction="below",\n    warning=Level(per_second(10), P2)',
        ["Alert 'FeedMessageRateLow'", "field 'direction'", "must be ABOVE, BELOW, AT_OR_ABOVE or AT_OR_BELOW", "got 'below'"],
    ),
    "inclusive warning beyond critical": (
        "warning=Level(us(400), P2)",
        "warning=Level(us(600), P2)",
        ["Alert 'MatchingLatencyAtLimit'", "field 'warning.threshold'", "warning 600 µs is beyond critical 500 µs for an alert that fires at or above"],
    ),
    "check without a frequency": (
        'warning=percent(0.1), frequency=minutes(15), good="under 0.05%"',
        'warning=percent(0.1), good="under 0.05%"',
        ["Check 'Error ratio'", "field 'frequency'", "give how often to look, e.g. frequency=minutes(15), or put the check in a CheckGroup(every=...)"],
    ),
    "check repeating its group's frequency": (
        'critical=percent(90),\n',
        'critical=percent(90), frequency=minutes(15),\n',
        ["Check 'Fill ratio'", "field 'frequency'", "comes from CheckGroup 'Order flow' (every=minutes(15)): leave it out"],
    ),
    "secret-looking webhook": (
        'SLACK_OPS = Slack(name="slack-ops", channel="#ops", api_url_file="/etc/alertmanager/secrets/slack")',
        'SLACK_OPS = __import__("obsgen").Webhook(name="slack-ops", url="https://relay.example/hook?token=abc", purpose="relay")',
        ["Webhook 'slack-ops'", "field 'url'", "credential"],
    ),
}


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_definition_gives_one_clear_error_and_writes_nothing(example_project, case):
    before_text, after_text, fragments = CASES[case]
    init = example_project / INIT
    source = init.read_text()
    assert before_text in source, f"fixture changed: {before_text!r} not found"
    init.write_text(source.replace(before_text, after_text, 1))
    before = read_tree(example_project / "generated")

    result = run_obsgen("generate", cwd=example_project)

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"error: {INIT}:"), result.stderr
    line_number = int(lines[0].split(":")[2])
    assert 1 <= line_number <= len(init.read_text().splitlines())
    for fragment in fragments:
        assert fragment in result.stderr, f"{fragment!r} not in {result.stderr!r}"
    assert read_tree(example_project / "generated") == before


def test_error_points_at_the_offending_line(example_project):
    init = example_project / INIT
    source = init.read_text().replace("warning=Level(ms(100), P2)", "warning=Level(ms(800), P2)")
    init.write_text(source)
    result = run_obsgen("generate", cwd=example_project)
    line_number = int(result.stderr.split(":")[2])
    alert_start = _line_of(source, "ORDER_LATENCY = Alert(")
    assert alert_start <= line_number <= alert_start + 12


def test_missing_definitions_folder_is_bad_input(tmp_path):
    result = run_obsgen("generate", cwd=tmp_path)
    assert result.returncode == 2 and "no definitions folder" in result.stderr


def test_a_load_leaves_sys_path_as_it_found_it(example_project):
    """The definitions' parent folder is on sys.path only while they import, a failed load
    included: a process that loads many folders would otherwise search all of them at
    every later import."""
    import sys

    from obsgen.load import LoadError, load_systems

    before = list(sys.path)
    assert [s.system.name for s in load_systems(example_project / "definitions")] == ["example"]
    assert sys.path == before
    init = example_project / INIT
    init.write_text(init.read_text() + "\nraise RuntimeError('broken')\n")
    with pytest.raises(LoadError, match="broken"):
        load_systems(example_project / "definitions")
    assert sys.path == before
