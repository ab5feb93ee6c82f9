"""A corpus of wrong definitions, one class of mistake per group: each must end `obsgen
generate` with exit 2 and one line (file:line: object, field: what is wrong), and leave
generated/ byte for byte as it was.

Every case edits the example fixture (tests/fixtures/good): a text replaced in a file, or
code appended to its __init__.py. The fragments are what the operator must read in the
message. Cases run in-process through the real command (click), so the corpus stays fast.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, run_obsgen
from obsgen.cli import main
from obsgen.load import LoadError
from obsgen.load.loader import load_timeout
from obsgen.render.writer import read_tree

INIT = "definitions/example/__init__.py"
SLOS = "definitions/example/slos.py"
AT_END = None  # `before` of an edit that appends its text to the file

# ---------------------------------------------------------------------------------------
# (edits, fragments): edits are (file, before, after); before=AT_END appends after.
# ---------------------------------------------------------------------------------------


def replace(before: str, after: str, *fragments: str, file: str = INIT):
    return ([(file, before, after)], list(fragments))


def append(code: str, *fragments: str):
    return ([(INIT, AT_END, code)], list(fragments))


LATENCY_EXPR = 'expr="histogram_quantile(0.95, sum by (le) (rate(order_latency_seconds_bucket[5m])))"'
UP_EXPR = """expr='min(up{job="orders"})'"""
ORDER_WARNING = "warning=Level(ms(100), P2)"
FEED_WARNING = "warning=Level(per_second(10), P2)"
ERROR_CRITICAL = "critical=Level(percent(5), P1)"
DOWN_CRITICAL = "critical=Level(1, P0)"
ORDER_SUMMARY = 'summary="Order latency is high."'
ORDERS_SERVICE = 'Service(name="orders", title="Orders", team="trading", description="Takes orders."'
ROUTE = 'Route(name="market-data-warnings", team="market-data", priorities=(P2,), receivers=(SLACK_MARKET_DATA,))'
INHIBITION = 'source=DOWN, targets=(ORDER_LATENCY, ERROR_RATE)'
WEEKENDS = 'start="00:00", end="24:00"'
STEPS = '("Team lead", minutes(15))'
HOLDS = "holds=(Holds(LATENCY, ms(120)),)"
BASES = 'runbook_base_url="https://runbooks.example.com/example/"'
GRAFANA = 'grafana_base_url="https://grafana.example.com"'
SYSTEM_DESCRIPTION = 'description="A small exchange used by obsgen\'s tests."'
SLACK_OPS = 'SLACK_OPS = Slack(name="slack-ops", channel="#ops", api_url_file="/etc/alertmanager/secrets/slack")'
SLACK_URL = "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx"


def rebuild(**fields: str) -> str:
    """Code appended to __init__.py that rebuilds the system with other fields."""
    given = ", ".join(f"{k}={v}" for k, v in fields.items())
    return f"\nimport dataclasses as _dc\nSYSTEM = _dc.replace(SYSTEM, {given})\n"


CASES: dict[str, tuple[list, list[str]]] = {
    # -- a signal whose result is not an instant vector: the rule fails at every evaluation
    "signal is a range vector": replace(UP_EXPR, """expr='up{job="orders"}[5m]'""", "Signal 'service:order_up:min'", "field 'expr'", "not an instant vector"),
    "signal is a subquery": replace(UP_EXPR, """expr='min(up{job="orders"})[5m:1m]'""", "field 'expr'", "not an instant vector"),
    "signal is a string": replace(UP_EXPR, """expr='"up"'""", "field 'expr'", "string, not an instant vector"),
    "signal is a scalar": replace(UP_EXPR, """expr='scalar(min(up{job="orders"}))'""", "field 'expr'", "scalar, not an instant vector", "vector("),
    "signal is a number": replace(UP_EXPR, "expr='1'", "field 'expr'", "scalar, not an instant vector"),
    "signal is time()": replace(UP_EXPR, "expr='time()'", "field 'expr'", "scalar"),
    "signal filters by a comparison": replace(UP_EXPR, """expr='min(up{job="orders"}) > 0'""", "field 'expr'", "comparison that filters"),
    "signal filters by a comparison in parentheses": replace(UP_EXPR, """expr='(min(up{job="orders"}) == 1)'""", "field 'expr'", "comparison that filters"),
    "signal records itself": replace(UP_EXPR, "expr='min(service:order_up:min)'", "field 'expr'", "the series it records"),
    "signal is not PromQL": replace(UP_EXPR, "expr='min(up{job=orders})'", "field 'expr'", "invalid PromQL"),
    "signal record not level:metric:ops": replace('record="service:order_up:min"', 'record="order_up"', "field 'record'", "level:metric:operations"),
    # -- one record, one definition
    "two signals, one record, other expr": append(
        'EXTRA = Signal(record="service:order_up:min", expr=\'max(up{job="orders"})\', unit=count, description="Order service instances up")\n'
        + rebuild(services="(SYSTEM.services[0], _dc.replace(SYSTEM.services[1], signals=(EXTRA,)))"),
        "Signal 'service:order_up:min'", "field 'expr'", "another signal is recorded as 'service:order_up:min'",
    ),
    "two signals, one record, other unit": append(
        'EXTRA = Signal(record="service:order_up:min", expr=\'min(up{job="orders"})\', unit=ratio, description="Order service instances up")\n'
        + rebuild(services="(SYSTEM.services[0], _dc.replace(SYSTEM.services[1], signals=(EXTRA,)))"),
        "field 'unit'", "another signal is recorded as 'service:order_up:min'",
    ),
    "two signals, one record, in a check": append(
        'EXTRA = Signal(record="service:order_errors:ratio_rate5m", expr="sum(rate(order_errors_total[1m])) / sum(rate(orders_total[1m]))", unit=ratio, description="Order error ratio")\n'
        + rebuild(checks='(Check(title="Errors", signal=EXTRA, frequency=minutes(5), good="low", action="Read logs"),)'),
        "field 'expr'", "another signal is recorded as 'service:order_errors:ratio_rate5m'",
    ),
    "two signals, one record, in a scenario": replace(
        HOLDS, 'holds=(Holds(Signal(record="service:order_latency_seconds:p95_5m", expr="max(order_latency_seconds)", unit=seconds, description="Order latency p95"), ms(120)),)',
        "field 'expr'", "another signal is recorded as 'service:order_latency_seconds:p95_5m'",
    ),
    # -- collisions in what is written
    "service named overview": replace(ORDERS_SERVICE, ORDERS_SERVICE.replace('name="orders"', 'name="overview"'), "Service 'overview'", "Grafana dashboard uid", "example-overview"),
    "service named slos": replace(ORDERS_SERVICE, ORDERS_SERVICE.replace('name="orders"', 'name="slos"'), "Grafana dashboard uid", "example-slos"),
    "two services cut to one uid": append(
        rebuild(name='"an-exchange-with-a-rather-long-name"', services=(
            '(_dc.replace(SYSTEM.services[0], name="order-gateway-primary-a"), _dc.replace(SYSTEM.services[1], name="order-gateway-primary-b"))'
        ), slos="()", scenarios="()", checks="()", routes="()", inhibitions="()"),
        "Grafana dashboard uid", "already taken",
    ),
    "alert names differ only by case": replace('name="FeedsConnectedLow"', 'name="HighorderLatency"', "field 'alerts'", "duplicate name 'HighorderLatency', the same as 'HighOrderLatency' but for case"),
    "SLO alert name differs only by case": replace('name="HighOrderLatency"', 'name="OrdersAvailabilityBUDGETBURN"', "SLO 'orders-availability'", "field 'name'", "OrdersAvailabilityBudgetBurn"),
    "alert heading shares an anchor": replace('name="FeedsConnectedLow"', 'name="Alerts"', "handbook anchor", "'alerts'"),
    "two systems, one name": ([("definitions/other/__init__.py", AT_END, "from definitions.example import SYSTEM\n")], ["System 'example'", "field 'name'", "also defined in"]),
    "two systems share a dashboard uid": (
        [(INIT, ORDERS_SERVICE, ORDERS_SERVICE.replace('name="orders"', 'name="orders-overview"')),
         ("definitions/example_orders/__init__.py", AT_END,
          "import dataclasses\nfrom definitions.example import SYSTEM as _S\nSYSTEM = dataclasses.replace(_S, name='example-orders')\n")],
        ["System 'example-orders'", "field 'name'", "Grafana dashboard uid 'example-orders-overview'", "Service 'orders-overview'"],
    ),
    "two services, one dashboard title": replace('title="Feeds", team', 'title="Orders", team', "Service 'feeds'", "field 'title'", "dashboard title 'Example Exchange / Orders'"),
    "a service titled like the overview": replace('title="Orders"', 'title="Things to check"', "Service 'orders'", "dashboard title 'Example Exchange / Things to check'"),
    "a service titled like the SLO dashboard": replace('title="Orders"', 'title="Service level objectives"', "dashboard title 'Example Exchange / Service level objectives'"),
    "a check group titled like an alert": replace('CheckGroup("Order flow"', 'CheckGroup("OrderServiceDown"', "CheckGroup 'OrderServiceDown'", "handbook anchor 'orderservicedown'"),
    # -- a reference to another object of the same name
    "scenario fires a copy of an alert": replace("fires=(Fires(ORDER_LATENCY, P2),),", 'fires=(Fires(__import__("dataclasses").replace(ORDER_LATENCY), P2),),', "Scenario 'slow-orders'", "field 'fires'", "is not in any service"),
    "inhibition source is a copy": replace(INHIBITION, 'source=__import__("dataclasses").replace(DOWN), targets=(ORDER_LATENCY, ERROR_RATE)', "Inhibition 'down-silences-symptoms'", "field 'source'", "is not in any service"),
    "route receiver is a copy": replace(ROUTE, ROUTE.replace("receivers=(SLACK_MARKET_DATA,)", 'receivers=(__import__("dataclasses").replace(SLACK_MARKET_DATA),)'), "Route 'market-data-warnings'", "field 'receivers'", "is not in the receivers"),
    "scenario holds a signal no alert has": replace(HOLDS, 'holds=(Holds(Signal(record="service:other:max", expr="max(other)", unit=seconds, description="Other"), ms(120)),)', "Scenario 'slow-orders'", "field 'holds'"),
    "scenario fires at a priority the alert has not": replace("fires=(Fires(ORDER_LATENCY, P2),),", "fires=(Fires(ORDER_LATENCY, P0),),", "field 'priority'", "P0 is not a priority alert 'HighOrderLatency' fires with"),
    # -- thresholds the signal can never be
    "negative latency": replace(ORDER_WARNING, "warning=Level(ms(-100), P2)", "Alert 'HighOrderLatency'", "field 'warning.threshold'", "above -100 ms always holds", "at least 0 s"),
    "negative latency below": replace("direction=ABOVE,\n    warning=Level(ms(100), P2),\n    critical=Level(ms(500), P1)", "direction=BELOW,\n    warning=Level(ms(-100), P2),\n    critical=Level(ms(-500), P1)", "field", "never happens"),
    "negative rate": replace(FEED_WARNING, "warning=Level(per_second(-10), P2)", "Alert 'FeedMessageRateLow'", "field", "never happens"),
    "rate below zero, critical": replace("critical=Level(per_second(1), P1)", "critical=Level(per_second(0), P1)", "field 'critical.threshold'", "never happens"),
    "ratio above 100%": replace(ERROR_CRITICAL, "critical=Level(percent(150), P1)", "Alert 'OrderErrorRateHigh'", "field 'critical.threshold'", "never happens", "between 0% and 100%"),
    "ratio at 100% above": replace(ERROR_CRITICAL, "critical=Level(ratio(1), P1)", "field 'critical.threshold'", "never happens"),
    "ratio below 0": replace(ERROR_CRITICAL, "critical=Level(percent(-5), P1)", "field 'critical.threshold'", "always holds"),
    "count below zero": replace(DOWN_CRITICAL, "critical=Level(0, P0)", "Alert 'OrderServiceDown'", "field 'critical.threshold'", "never happens"),
    "count below negative": replace(DOWN_CRITICAL, "critical=Level(-3, P0)", "field 'critical.threshold'", "never happens"),
    "at or below under the minimum": replace("critical=Level(1, P1),\n    for_=minutes(1),\n    summary=\"An exchange", "critical=Level(-1, P1),\n    for_=minutes(1),\n    summary=\"An exchange", "Alert 'FeedsConnectedLow'", "never happens"),
    "check threshold out of range": replace("warning=percent(0.1), frequency", "warning=percent(101), frequency", "Check 'Error ratio'", "field 'warning'", "never happens"),
    "check threshold negative": replace("warning=percent(95), critical=percent(90)", "warning=percent(95), critical=percent(-90)", "Check 'Fill ratio'", "field 'critical'"),
    "scenario holds a negative latency": replace(HOLDS, "holds=(Holds(LATENCY, ms(-120)),)", "Holds", "field 'value'", "outside what signal"),
    "scenario holds a ratio above 1": replace("Holds(UP, 0), Holds(LATENCY, ms(700))", "Holds(UP, 0), Holds(LATENCY, ms(700)), Holds(ERRORS, percent(140))", "field 'value'", "outside what signal"),
    "TimeSLI condition always holds": replace("bad_when=AT_OR_ABOVE, threshold=seconds(5)", "bad_when=AT_OR_ABOVE, threshold=seconds(0)", "TimeSLI", "field 'threshold'", "always holds", file=SLOS),
    "TimeSLI condition never holds": replace("bad_when=AT_OR_ABOVE, threshold=seconds(5)", "bad_when=__import__('obsgen').BELOW, threshold=seconds(0)", "field 'threshold'", "never holds", file=SLOS),
    "latency SLI threshold negative": replace("threshold=ms(250)", "threshold=ms(-250)", "LatencySLI", "field 'threshold'", file=SLOS),
    "objective above 100%": replace("objective=percent(99.9)", "objective=percent(100.5)", "SLO 'orders-availability'", "field 'objective'", file=SLOS),
    "objective of 100%": replace("objective=percent(99.9)", "objective=percent(100)", "field 'objective'", file=SLOS),
    "signal bounds reversed": replace(UP_EXPR, UP_EXPR + ", minimum=5, maximum=2", "field 'maximum'", "must be above the minimum"),
    # -- NaN and infinity, in any field
    "NaN threshold": replace(ORDER_WARNING, "warning=Level(ms(float('nan')), P2)", "field", "not a finite number"),
    "infinite threshold": replace(ORDER_WARNING, "warning=Level(ms(float('inf')), P2)", "field", "not a finite number"),
    "NaN count threshold": replace(DOWN_CRITICAL, "critical=Level(float('nan'), P0)", "field", "not a finite number"),
    "NaN for": replace("for_=minutes(5)", "for_=minutes(float('nan'))", "Alert 'HighOrderLatency'", "field 'for_'", "not a finite number"),
    "infinite resolution": replace("resolution=minutes(30)", "resolution=minutes(float('inf'))", "field 'resolution'", "not a finite number"),
    "NaN objective": replace("objective=percent(99.9)", "objective=percent(float('nan'))", "field 'objective'", "not a finite number", file=SLOS),
    "NaN SLO threshold": replace("threshold=ms(250)", "threshold=ms(float('nan'))", "field 'threshold'", "not a finite number", file=SLOS),
    "infinite scenario value": replace(HOLDS, "holds=(Holds(LATENCY, ms(float('inf'))),)", "field 'value'", "not a finite number"),
    "NaN escalation step": replace(STEPS, '("Team lead", minutes(float("nan")))', "Escalation 'Technical issues'", "field 'steps'", "not a finite number"),
    "infinite lasting": replace("lasting=minutes(10),\n        fires=(Fires(ORDER_LATENCY, P2),)", "lasting=minutes(float('inf')),\n        fires=(Fires(ORDER_LATENCY, P2),)", "field 'lasting'", "not a finite number"),
    "NaN check threshold": replace("warning=percent(0.1), frequency", "warning=percent(float('nan')), frequency", "Check 'Error ratio'", "not a finite number"),
    "NaN repeat interval": replace("repeat_interval=minutes(15)", "repeat_interval=minutes(float('nan'))", "Priority 'P0'", "field 'repeat_interval'", "not a finite number"),
    "NaN signal bound": replace(UP_EXPR, UP_EXPR + ", maximum=float('nan')", "field 'maximum'", "not a finite number"),
    "NaN check frequency": replace("frequency=minutes(5)", "frequency=minutes(float('nan'))", "Check 'Order latency'", "not a finite number"),
    "NaN group every": replace("every=minutes(15)", "every=minutes(float('nan'))", "CheckGroup 'Order flow'", "not a finite number"),
    "NaN no-data": replace("no_data_for=minutes(10)", "no_data_for=minutes(float('nan'))", "field 'no_data_for'", "not a finite number", file=SLOS),
    "NaN SLO period": replace("period=days(28)", "period=days(float('nan'))", "field 'period'", "not a finite number", file=SLOS),
    # -- routes, escalations and inhibitions that never apply
    "route for a team nobody is": replace(ROUTE, ROUTE.replace('team="market-data"', 'team="market-date"'), "Route 'market-data-warnings'", "field 'team'", "no service of system 'example' has team 'market-date'"),
    "route for a priority the team never fires": replace(ROUTE, ROUTE.replace("priorities=(P2,)", "priorities=(P0,)"), "field 'priorities'", "no alert or SLO of team 'market-data' fires with P0"),
    "escalation for a team nobody is": replace(STEPS + ")", STEPS + '), teams=("nobody",)', "Escalation 'Technical issues'", "field 'teams'", "'nobody'"),
    "escalation for a priority never fired": append(
        rebuild(escalations='(Escalation(name="Pager", steps=(("On-call", seconds(0)),), priorities=(SYSTEM.priorities[0],), teams=("market-data",)),)'),
        "Escalation 'Pager'", "field 'priorities'", "fires with P0",
    ),
    "escalation steps out of order": replace('("On-call operator", seconds(0)), ' + STEPS, '("On-call operator", minutes(20)), ' + STEPS, "field 'steps'", "list the steps in order"),
    "inhibition of an alert by itself": replace(INHIBITION, "source=DOWN, targets=(DOWN, ERROR_RATE)", "Inhibition 'down-silences-symptoms'", "field 'targets'", "its own source"),
    "inhibition target not in the system": replace(INHIBITION, 'source=DOWN, targets=(__import__("dataclasses").replace(ERROR_RATE, name="Ghost"),)', "field 'targets'", "alert 'Ghost'", "is not in any service"),
    "time interval ends at 24:30": replace(WEEKENDS, 'start="00:00", end="24:30"', "TimeInterval 'weekends'", "field 'end'", "'24:30'"),
    "time interval starts at 24:00": replace(WEEKENDS, 'start="24:00", end="24:00"', "field 'start'", "'24:00'"),
    "time interval at 25:00": replace(WEEKENDS, 'start="00:00", end="25:00"', "field 'end'"),
    "time interval at 9:00": replace(WEEKENDS, 'start="9:00", end="24:00"', "field 'start'", "HH:MM"),
    "time interval ends before it starts": replace(WEEKENDS, 'start="18:00", end="08:00"', "field 'end'", "must be after"),
    "time interval in no zone": replace('weekdays=("saturday", "sunday")', 'weekdays=("saturday", "sunday"), location="Mars/Olympus"', "field 'location'"),
    "time interval weekday misspelt": replace('weekdays=("saturday", "sunday")', 'weekdays=("saturday", "sundae")', "field 'weekdays'"),
    # -- the same thing twice
    "an inhibition target listed twice": replace(INHIBITION, "source=DOWN, targets=(ORDER_LATENCY, ORDER_LATENCY)", "field 'targets'", "lists Alert 'HighOrderLatency' twice"),
    "a scenario firing twice the same": replace("fires=(Fires(ORDER_LATENCY, P2),),", "fires=(Fires(ORDER_LATENCY, P2), Fires(ORDER_LATENCY, P2)),", "field 'fires'", "twice"),
    "a scenario reaching a receiver twice": replace("reaches=(SLACK_OPS,),", "reaches=(SLACK_OPS, SLACK_OPS),", "field 'reaches'", "twice"),
    "an SLO grouped by one label twice": replace('group_by=("venue",)', 'group_by=("venue", "venue")', "SLO 'order-latency'", "field 'group_by'", "'venue' twice", file=SLOS),
    "a route told twice": replace(ROUTE, ROUTE.replace("receivers=(SLACK_MARKET_DATA,)", "receivers=(SLACK_MARKET_DATA, SLACK_MARKET_DATA)"), "field 'receivers'", "twice"),
    "a reminder more often than Alertmanager looks": replace("repeat_interval=minutes(15)", "repeat_interval=seconds(1)", "Priority 'P0'", "field 'repeat_interval'", "shorter than group_interval"),
    "a no-data alert after 0 minutes": replace("no_data_for=minutes(10)", "no_data_for=minutes(0)", "field 'no_data_for'", "longer than 0", file=SLOS),
    "a placeholder in a check": replace('good="p95 around 35 ms"', 'good="p95 under {threshold}"', "Check 'Order latency'", "field 'good'", "{threshold} would be printed as is"),
    "a placeholder in a service description": replace('description="Takes orders."', 'description="Takes orders within {threshold}."', "Service 'orders'", "field 'description'", "{threshold}"),
    # -- a definition that does not return normally
    "sys.exit(0)": append("import sys\nsys.exit(0)\n", "module 'definitions.example'", "calls sys.exit(0)"),
    "sys.exit(1)": append("import sys\nsys.exit(1)\n", "calls sys.exit(1)"),
    "exit()": append("raise SystemExit\n", "calls sys.exit(None)"),
    "KeyboardInterrupt": append("raise KeyboardInterrupt\n", "KeyboardInterrupt"),
    "BaseException": append("raise BaseException('stop')\n", "raises BaseException: stop"),
    "GeneratorExit": append("raise GeneratorExit\n", "GeneratorExit"),
    "an exception with two lines": append("raise ValueError('first\\nsecond')\n", "ValueError: first second"),
    "an import of nothing": append("import definitions.nothing_here\n", "field 'import'", "ModuleNotFoundError"),
    "SYSTEM not a System": append("SYSTEM = 3\n", "field 'SYSTEM'", "must be bound to a System"),
    # -- absurd values: refused, never a traceback
    "for_ of 100000000 days": replace("for_=minutes(5)", "for_=__import__('obsgen').days(100000000)", "field 'for_'", "longer than"),
    "for_ longer than a week": replace("for_=minutes(5)", "for_=__import__('obsgen').days(8)", "field 'for_'", "longer than"),
    "repeat interval of 1e300 hours": replace("repeat_interval=minutes(15)", "repeat_interval=hours(1e300)", "field 'repeat_interval'"),
    "500-character alert name": replace('name="HighOrderLatency"', 'name="H" + "x" * 499', "Alert", "field 'name'", "500 characters"),
    "500-character service name": replace(ORDERS_SERVICE, ORDERS_SERVICE.replace('name="orders"', 'name="o" * 500'), "field 'name'", "500 characters"),
    "500-character system name": replace('name="example"', 'name="e" * 500', "System", "field 'name'", "500 characters"),
    "500-character title": replace('title="Example Exchange"', 'title="T" * 500', "field 'title'", "500 characters"),
    "title with a line separator": replace('title="Example Exchange"', 'title="Example\u2028Exchange"', "field 'title'", "one line"),
    "title with a right-to-left override": replace('title="Orders"', 'title="Orders\u202eredro"', "field 'title'", "one line"),
    "title with a newline": replace('title="Example Exchange"', 'title="Example\\nExchange"', "field 'title'", "one line"),
    "a size of 1e308 MB": append(
        'from obsgen.model.units import MB\nBIG = Signal(record="service:queue_bytes:max", expr="max(queue_bytes)", unit=MB, description="Queue")\n'
        'Alert(name="QueueHuge", signal=BIG, direction=ABOVE, warning=Level(MB(1e308), P2), for_=minutes(1), summary="Queue is big.", meaning="Big.", actions=("Drain.",))\n',
        "Level, field 'threshold'", "MB(1e+308) is beyond",
    ),
    "a latency of 1e30 seconds": replace(ORDER_WARNING, "warning=Level(seconds(1e30), P2)", "Level, field 'threshold'", "beyond"),
    "a count of 10**30": replace(DOWN_CRITICAL, "critical=Level(10**30, P0)", "field", "beyond"),
    "a latency too small to tell from 0": replace(ORDER_WARNING, "warning=Level(ms(1e-12), P2)", "Level, field 'threshold'", "too small"),
    "a deeply nested expression": replace(UP_EXPR, "expr='(' * 500 + 'up' + ')' * 500", "field 'expr'", "nested 500 deep"),
    "a very long expression": replace(UP_EXPR, "expr='up + ' * 3000 + 'up'", "field 'expr'", "characters long"),
    "a threshold given as text": replace(ORDER_WARNING, 'warning=Level("100ms", P2)', "field"),
    "a threshold given as None": replace(ORDER_WARNING, "warning=Level(None, P2)", "field"),
    "a unit that is not a unit": replace("unit=per_second,", 'unit="per_second",', "field 'unit'"),
    "actions given as one string": replace('actions=("Check the database.", "Check load.")', 'actions="Check the database."', "field 'actions'"),
    "a boolean for a threshold": replace(DOWN_CRITICAL, "critical=Level(True, P0)", "field"),
    # -- one number, also in words
    "summary with a number that is not the alert's": replace(ORDER_SUMMARY, 'summary="Order latency is above 120 ms."', "Alert 'HighOrderLatency'", "field 'summary'", "'120 ms'", "{threshold}"),
    "summary with a stale percentage": replace('summary="Order errors are high."', 'summary="Order errors are above 4%."', "field 'summary'", "'4%'"),
    "summary with a stale duration": replace(ORDER_SUMMARY, 'summary="Order latency is high for 10 minutes."', "field 'summary'", "'10 minutes'"),
    "description with a stale number": replace(ORDER_SUMMARY, ORDER_SUMMARY + ", description='{{ $labels.job }} is above 250 ms'", "field 'description'", "'250 ms'"),
    "an unknown placeholder": replace(ORDER_SUMMARY, 'summary="Order latency is above {thresold}."', "field 'summary'", "{thresold} is not a placeholder"),
    "a placeholder the alert cannot fill": replace('summary="Order errors are high."', 'summary="Order errors are above {warning}."', "field 'summary'", "{warning}: the alert has no warning"),
    "a resolution placeholder without one": replace('summary="Order errors are high."', 'summary="Order errors are high; fix within {resolution}."', "field 'summary'", "no resolution"),
    "a placeholder in an action": replace('actions=("Check the database.", "Check load.")', 'actions=("Check the database above {critcal}.",)', "field 'actions'", "{critcal}"),
    # -- links that open from a notification
    "no runbook base URL": replace(BASES + ",\n", "", "System 'example'", "field 'runbook_base_url'", "is required"),
    "no Grafana base URL": replace(GRAFANA + ",\n", "", "field 'grafana_base_url'", "is required"),
    "a relative runbook base URL": replace(BASES, 'runbook_base_url="/runbooks/example/"', "field 'runbook_base_url'", "not an absolute http(s) URL"),
    "a runbook base URL without a scheme": replace(BASES, 'runbook_base_url="runbooks.example.com/example/"', "field 'runbook_base_url'", "not an absolute"),
    "a Grafana base URL with a query": replace(GRAFANA, 'grafana_base_url="https://grafana.example.com/?orgId=1"', "field 'grafana_base_url'", "no query"),
    "an ftp Grafana base URL": replace(GRAFANA, 'grafana_base_url="ftp://grafana.example.com"', "field 'grafana_base_url'"),
    "a base URL with a user": replace(GRAFANA, 'grafana_base_url="https://admin@grafana.example.com"', "field 'grafana_base_url'"),
    # -- secrets, in any text field
    "Slack hook in a service description": replace('description="Takes orders."', f'description="Takes orders; alerts go to {SLACK_URL}"', "Service 'orders'", "field 'description'", "a Slack webhook URL"),
    "Slack hook in an alert meaning": replace('meaning="Orders take longer than expected."', f'meaning="See {SLACK_URL}"', "Alert 'HighOrderLatency'", "field 'meaning'", "Slack webhook"),
    "Slack hook in an action": replace('actions=("Check the database.", "Check load.")', f'actions=("Post to {SLACK_URL}",)', "field 'actions'", "Slack webhook"),
    "Slack hook in a system description": replace(SYSTEM_DESCRIPTION, f'description="{SLACK_URL}"', "System 'example'", "field 'description'"),
    "Discord hook in a check": replace('good="p95 around 35 ms"', 'good="see https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJ"', "Check 'Order latency'", "field 'good'", "a Discord webhook URL"),
    "Teams hook in a scenario": replace('situation="Order p95 at 120 ms for 10 minutes"', 'situation="https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456"', "Scenario 'slow-orders'", "field 'situation'", "Microsoft Teams"),
    "access_token in a webhook URL": replace(SLACK_OPS, 'SLACK_OPS = __import__("obsgen").Webhook(name="slack-ops", url="https://relay.example.com/hook?access_token=abc123", purpose="relay")', "Webhook 'slack-ops'", "field 'url'", "query string"),
    "apikey in a webhook URL": replace(SLACK_OPS, 'SLACK_OPS = __import__("obsgen").Webhook(name="slack-ops", url="https://relay.example.com/hook?apikey=abc123", purpose="relay")', "field 'url'", "query string"),
    "PagerDuty key in a URL path": replace(SLACK_OPS, 'SLACK_OPS = __import__("obsgen").Webhook(name="slack-ops", url="https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue", purpose="pd")', "field 'url'", "PagerDuty key"),
    "password in a webhook URL": replace(SLACK_OPS, 'SLACK_OPS = __import__("obsgen").Webhook(name="slack-ops", url="https://ops:hunter2@relay.example.com/hook", purpose="relay")', "field 'url'", "a password in a URL"),
    "token in a webhook URL path": replace(SLACK_OPS, 'SLACK_OPS = __import__("obsgen").Webhook(name="slack-ops", url="https://relay.example.com/hook/9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc", purpose="relay")', "field 'url'", "a token in a URL's path"),
    "bearer token in a description": replace('description="Reads exchange feeds."', 'description="curl -H \'Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789\'"', "Service 'feeds'", "field 'description'", "a bearer token"),
    "password in a database URL in a meaning": replace('meaning="Many orders fail."', 'meaning="Check postgres://app:s3cretpass@db.example.com/orders"', "field 'meaning'", "a password in a URL"),
    "Slack hook in a signal expression": replace(UP_EXPR, f"""expr='min(up{{job="orders", hook="{SLACK_URL}"}})'""", "field 'expr'", "Slack webhook"),
    "Slack token in a SLO description": replace('description="Orders are accepted without a server error."', 'description="xoxb-123456789012-abcdefghijklmnop"', "SLO 'orders-availability'", "field 'description'", "a Slack token", file=SLOS),
    "GitHub token in an escalation": replace('("On-call operator", seconds(0))', '("ghp_abcdefghijklmnopqrstuvwxyz0123456789", seconds(0))', "Escalation 'Technical issues'", "field 'steps'", "GitHub token"),
    "secret after its name in a check action": replace('action="Read logs"', 'action="Read logs with password=Hunter2024"', "Check 'Error ratio'", "field 'action'"),
    "webhook with basic auth but no password file": replace(SLACK_OPS, 'SLACK_OPS = __import__("obsgen").Webhook(name="slack-ops", url="https://relay.example.com/hook", purpose="relay", username="ops")', "field 'password_file'", "needs both"),
    "webhook credentials file not absolute": replace(SLACK_OPS, 'SLACK_OPS = __import__("obsgen").Webhook(name="slack-ops", url="https://relay.example.com/hook", purpose="relay", credentials_file="secrets/relay")', "field 'credentials_file'"),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The example project, generated once: each case copies it."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(FIXTURES / "good", root / "definitions")
    result = _obsgen(root, "generate")
    assert result.exit_code == 0, result.stderr
    return root


def _obsgen(cwd: Path, *args: str, env: dict | None = None):
    """`obsgen ARGS` in cwd, in this process: the real command, its exit code and stderr."""
    here = Path.cwd()
    try:
        os.chdir(cwd)
        result = CliRunner().invoke(main, list(args), env=env)
    finally:
        os.chdir(here)
        gc.enable()  # the command turns collection off for its short life; this process lives on
    return result


def _apply(project: Path, edits: list) -> None:
    for file, before, after in edits:
        path = project / file
        if before is AT_END:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text((path.read_text() if path.exists() else "") + after)
            continue
        text = path.read_text()
        assert text.count(before) >= 1, f"fixture changed: {before!r} not in {file}"
        path.write_text(text.replace(before, after, 1))


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_wrong_definition_is_one_clear_line(template, tmp_path, monkeypatch, case):
    edits, fragments = CASES[case]
    project = tmp_path / "project"
    shutil.copytree(template, project)
    _apply(project, edits)
    before = read_tree(project / "generated")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)

    result = _obsgen(project, "generate")

    lines = result.stderr.splitlines()
    assert result.exit_code == 2, f"exit {result.exit_code}: {result.stderr or result.output}"
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    where, _, message = lines[0].removeprefix("error: ").partition(": ")
    file, _, line = where.rpartition(":")
    assert (project / file).is_file() and file.startswith("definitions/") and line.isdigit(), f"no file:line in {lines[0]!r}"
    assert 1 <= int(line) <= len((project / file).read_text().splitlines()), lines[0]
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {lines[0]!r}"
    assert read_tree(project / "generated") == before


def test_the_corpus_covers_every_class():
    assert len(CASES) >= 100, len(CASES)


@pytest.mark.parametrize("command", [("generate",), ("generate", "--check"), ("test",), ("list",)], ids=" ".join)
def test_a_definition_that_exits_fails_every_command(example_project, command):
    """sys.exit(0) in a definition once made generate, --check, test and list exit 0 silently."""
    (example_project / INIT).write_text((example_project / INIT).read_text() + "\nimport sys\nsys.exit(0)\n")
    before = read_tree(example_project / "generated")
    result = run_obsgen(*command, cwd=example_project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith(f"error: {INIT}:") and "calls sys.exit(0)" in result.stderr and len(result.stderr.splitlines()) == 1
    assert read_tree(example_project / "generated") == before


@pytest.mark.parametrize("body", ["while True:\n    pass\n", "import time\ntime.sleep(3600)\n"], ids=["loop", "sleep"])
def test_a_definition_that_never_returns_times_out_naming_the_module(example_project, body):
    before = read_tree(example_project / "generated")
    (example_project / INIT).write_text((example_project / INIT).read_text() + "\n" + body)
    # One second: the loop spends it all on the CPU (the example itself loads in 20 ms).
    result = run_obsgen("generate", cwd=example_project, env={"OBSGEN_LOAD_TIMEOUT": "1"})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"error: {INIT}:") and len(result.stderr.splitlines()) == 1, result.stderr
    assert "module 'definitions.example': still loading after 1 s" in result.stderr
    assert read_tree(example_project / "generated") == before


def test_the_load_timeout_is_60_seconds_unless_set(monkeypatch):
    monkeypatch.delenv("OBSGEN_LOAD_TIMEOUT", raising=False)
    assert load_timeout() == 60
    monkeypatch.setenv("OBSGEN_LOAD_TIMEOUT", "soon")
    with pytest.raises(LoadError, match="OBSGEN_LOAD_TIMEOUT='soon' is not a number of seconds"):
        load_timeout()
