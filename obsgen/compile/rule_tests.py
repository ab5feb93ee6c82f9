"""promtool rule unit tests for every alert level, generated from the definition.

Each level is probed at its exact threshold (silent), just past it for one step less
than `for` (pending, silent), for `for` (firing, with exact labels and rendered
annotations) and after recovery (silent). Moving the threshold, flipping the
comparison, changing `for` or a label makes one of these fail.
"""

from __future__ import annotations

import math

from ..artifacts import AlertingRule
from ..model import Alert, Service, System
from ..model.durations import format_duration, prom_duration
from . import links
from .humanize import FUNCTIONS
from .rules import alert_rules, grouping_labels
from .thresholds import probe_values, prom_number

LEAD_STEPS = 4  # samples inside the threshold before the breach


def render_template(template: str, value: float, labels: dict[str, str]) -> str:
    """Render the few template forms obsgen writes: {{ $value | fn }} and {{ $labels.x }}."""
    if "{{" not in template:
        return template
    out = template
    for name, fn in FUNCTIONS.items():
        placeholder = f"{{{{ $value | {name} }}}}"
        if placeholder in out:
            out = out.replace(placeholder, fn(value))
    out = out.replace("{{ $value }}", prom_number(value))
    for key, val in labels.items():
        out = out.replace(f"{{{{ $labels.{key} }}}}", val)
    return out


def series_notation(values: list[float]) -> str:
    """promtool's expanding notation: runs of equal values as 'v xN'."""
    parts, i = [], 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        run = j - i
        parts.append(f"{prom_number(values[i])}x{run}" if run else prom_number(values[i]))
        i = j + 1
    return " ".join(parts)


def probe_labels(system: System, signal) -> dict[str, str]:
    """Labels of a test's input series: the system and an example of each kept label."""
    return {"system": system.name, **{label: f"example-{label}" for label in grouping_labels(signal)}}


def series_name(signal, labels: dict[str, str]) -> str:
    return signal.record + "{" + ", ".join(f'{k}="{v}"' for k, v in labels.items()) + "}"


def _expected(alert: Alert, rules: list[AlertingRule], values: list[float], at: int, step: int, series_labels: dict[str, str]) -> list[dict]:
    """The alerts of this name firing at sample index `at`, as promtool lists them.

    A level fires once its condition has held at every evaluation for `for`.
    """
    fired = []
    value = values[at]
    for (_, level), rule in zip(alert.levels, rules):
        held = 0
        while held <= at and alert.direction.breached(values[at - held], level.threshold.base):
            held += 1
        if held and (held - 1) * step >= alert.for_seconds:
            labels = {**series_labels, **rule.labels}
            annotations = {k: render_template(v, value, labels) for k, v in rule.annotations.items()}
            fired.append({"exp_labels": labels, "exp_annotations": annotations})
    return fired


def step_for(system: System) -> int:
    """Evaluation step of a system's tests: divides every `for`, at most a minute."""
    step = 60
    for alert in system.alerts:
        if alert.for_seconds:
            step = math.gcd(step, alert.for_seconds)
    return step


def level_test(system: System, service: Service, alert: Alert, severity: str, step: int) -> dict:
    level = alert.level(severity)
    rules = alert_rules(system, service, alert)
    inside, past = probe_values(level.threshold, alert.direction)
    for_steps = alert.for_seconds // step
    breach_steps = for_steps + 2
    values = [inside] * LEAD_STEPS + [past] * breach_steps + [inside] * 3
    start = LEAD_STEPS * step
    labels = probe_labels(system, alert.signal)
    series = series_name(alert.signal, labels)
    times = [start - step]
    if for_steps:
        times.append(start + alert.for_seconds - step)
    times += [start + alert.for_seconds, start + breach_steps * step]
    checks = [(t, _expected(alert, rules, values, t // step, step, labels)) for t in times]
    return {
        "name": f"{alert.name} {severity} at {level.threshold} ({links.direction_words(alert.direction)}, for {prom_duration(alert.for_)})",
        "interval": format_duration(step),
        "input_series": [{"series": series, "values": series_notation(values)}],
        "alert_rule_test": [
            {"eval_time": format_duration(t), "alertname": alert.name, "exp_alerts": exp} for t, exp in checks
        ],
    }


def compile_rule_tests(system: System, rule_files: list[str]) -> dict:
    step = step_for(system)
    tests = []
    for service in system.services:
        for alert in service.alerts:
            for severity, _ in alert.levels:
                tests.append(level_test(system, service, alert, severity, step))
    return {"rule_files": rule_files, "evaluation_interval": format_duration(step), "tests": tests}
