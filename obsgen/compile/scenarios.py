"""Operator scenarios as promtool tests: the declared alerts fire, no other does.

The test file loads only the alert rules of services that read a held signal (or that
a scenario expects to fire): an alert on a signal no scenario feeds has no series and
cannot fire, so leaving it out proves the same at a fraction of promtool's work.
"""

from __future__ import annotations

from ..model import Alert, Fires, Scenario, Service, System
from ..model.durations import format_duration
from .rule_tests import probe_labels, render_template, series_name, series_notation, step_for
from .rules import alert_rules, alerts_file


def _expected_alert(system: System, fires: Fires, held: dict[str, float], taken: list) -> dict:
    """The alert as promtool must list it: the level the scenario names, rendered. Two
    levels of one priority are named by two Fires: each takes the next level of it."""
    alert, priority = fires.alert, fires.priority.name
    service = system.service_of(alert)
    rules = alert_rules(system, service, alert)
    rule = next((r for r in rules if r.labels["priority"] == priority and r not in taken), rules[0])
    taken.append(rule)
    labels = {**probe_labels(system, alert.signal), **rule.labels, "priority": priority}
    value = held.get(alert.signal.record, 0.0)
    return {"exp_labels": labels, "exp_annotations": {k: render_template(v, value, labels) for k, v in rule.annotations.items()}}


def scenario_test(system: System, scenario: Scenario, step: int, checked: list[tuple[Service, Alert]]) -> dict:
    lasting = scenario.lasting_seconds
    samples = lasting // step + 1
    held = {h.signal.record: h.quantity.base for h in scenario.holds}
    input_series = [
        {"series": series_name(h.signal, probe_labels(system, h.signal)), "values": series_notation([h.quantity.base] * samples)}
        for h in scenario.holds
    ]
    checks = []
    for _, alert in checked:
        taken: list = []
        expected = [_expected_alert(system, f, held, taken) for f in scenario.fires if f.alert is alert]
        checks.append({"eval_time": format_duration(lasting), "alertname": alert.name, "exp_alerts": expected})
    return {
        "name": f"scenario {scenario.name}: {scenario.situation}",
        "interval": format_duration(step),
        "input_series": input_series,
        "alert_rule_test": checks,
    }


def tested_services(system: System) -> list[Service]:
    """Services whose alerts a scenario can make fire, or expects to."""
    held = {h.signal.record for s in system.scenarios for h in s.holds}
    named = {id(f.alert) for s in system.scenarios for f in s.fires}
    return [s for s in system.services if any(a.signal.record in held or id(a) in named for a in s.alerts)]


def compile_scenario_tests(system: System) -> dict:
    step = step_for(system)
    services = tested_services(system)
    checked = [(service, alert) for service in services for alert in service.alerts]
    return {
        "rule_files": [f"../rules/{alerts_file(s)}" for s in services],
        "evaluation_interval": format_duration(step),
        "tests": [scenario_test(system, s, step, checked) for s in system.scenarios],
    }


def scenario_firing(system: System, scenario: Scenario) -> list[dict[str, str]]:
    """What the definitions make fire in the scenario, as Alertmanager sees it.

    Computed from the thresholds, not from the scenario's own `fires`, so a wrong
    expectation fails in promtool and the routing check still tells the truth.
    """
    held = {h.signal.record: h.quantity.base for h in scenario.holds}
    lasting = scenario.lasting_seconds
    firing = []
    for service in system.services:
        for alert in service.alerts:
            value = held.get(alert.signal.record)
            if value is None or alert.for_seconds > lasting:
                continue
            for rule, (_, level) in zip(alert_rules(system, service, alert), alert.levels):
                if alert.direction.breached(value, level.threshold.base):
                    firing.append({"alertname": alert.name, **probe_labels(system, alert.signal), **rule.labels})
    return firing
