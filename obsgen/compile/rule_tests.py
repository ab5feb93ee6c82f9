"""promtool rule unit tests for every alert level, generated from the definition.

Each level is probed at its exact threshold (silent), just past it for one step less
than `for` (pending, silent), for `for` (firing, with exact labels and rendered
annotations) and after recovery (silent). Moving the threshold, flipping the
comparison, changing `for` or a label makes one of these fail.

One test file per service, loading only that service's alert rules, its levels batched
into few groups: promtool's work grows with the alerts, not with their square.
"""

from __future__ import annotations

import math
import re
from typing import Iterator

from ..artifacts import AlertingRule
from ..model import Alert, Service, System
from ..model.durations import format_duration
from .humanize import FUNCTIONS
from .rules import alert_rules, alerts_file, grouping_labels
from .thresholds import probe_values, prom_number

LEAD_STEPS = 4  # samples inside the threshold before the breach


_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_LABEL = re.compile(r"^\$labels\.(\w+)$")
_PIPE = re.compile(r"^\$value\s*\|\s*(\w+)$")
_PRINTF = re.compile(r'^printf\s+"(%[-+ #0]*\d*(?:\.\d+)?[dfgeEsv])"\s+\$value$')


def _action(action: str, value: float, labels: dict[str, str]) -> str | None:
    """One {{ ... }} of the forms tests can predict, rendered as Prometheus does; None for any other."""
    if action == "$value":
        return prom_number(value)
    label = _LABEL.match(action)
    if label:
        return labels.get(label.group(1), "")  # Go: a missing key of map[string]string is ""
    pipe = _PIPE.match(action)
    if pipe and pipe.group(1) in FUNCTIONS:
        return FUNCTIONS[pipe.group(1)](value)
    printf = _PRINTF.match(action)
    if printf and printf.group(1)[-1] in "fgeE":
        return printf.group(1) % value
    return None


def render_template(template: str, value: float, labels: dict[str, str]) -> str:
    """Render the template forms tests can predict: {{ $value }}, {{ $value | fn }},
    {{ printf "%.2f" $value }} and {{ $labels.x }}; any other action is left as written."""
    if "{{" not in template:
        return template

    def one(match: re.Match) -> str:
        rendered = _action(match.group(1), value, labels)
        return match.group(0) if rendered is None else rendered

    return _ACTION.sub(one, template)


def predictable(template: str) -> bool:
    """Whether every {{ ... }} of a template is one render_template renders."""
    return all(_action(m.group(1), 1.0, {}) is not None for m in _ACTION.finditer(template)) and "{{" not in _ACTION.sub("", template)


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

    A level fires once its condition has held at every evaluation for `for`; with
    keep_firing_for it stays firing that long after the condition clears, its
    annotations rendered with the last value that breached.
    """
    fired = []
    for (_, level), rule in zip(alert.levels, rules):
        firing, held, last, since = False, 0, None, None
        for i in range(at + 1):
            if alert.direction.breached(values[i], level.threshold.base):
                held += 1
                last, since = i, None
                firing = firing or (held - 1) * step >= alert.for_seconds
            else:
                held = 0
                if firing:
                    since = i if since is None else since
                    firing = (i - since) * step < alert.keep_firing_seconds
        if firing and last is not None:
            labels = {**series_labels, **rule.labels}
            # Prometheus expands annotations with the series' labels, before the rule's own are set.
            annotations = {k: render_template(v, values[last], series_labels) for k, v in rule.annotations.items()}
            fired.append({"exp_labels": labels, "exp_annotations": annotations})
    return fired


def step_for(system: System) -> int:
    """Evaluation step of a system's tests: divides every `for` and keep_firing_for, at most a minute."""
    step = 60
    for alert in system.alerts:
        for seconds in (alert.for_seconds, alert.keep_firing_seconds):
            if seconds:
                step = math.gcd(step, seconds)
    return step


PROBE_LABEL = "obsgen_probe"  # tells apart the input series of an alert's levels in one test group


def level_labels(system: System, alert: Alert, severity: str) -> dict[str, str]:
    """Labels of the input series that probes one level of an alert."""
    return {**probe_labels(system, alert.signal), PROBE_LABEL: severity}


def alert_probe(system: System, service: Service, alert: Alert, step: int) -> tuple[list[dict], list[dict]]:
    """An alert's input series (one per level) and its checks: at each level's threshold
    (silent), just past it for `for` less a step (pending, silent), for `for` (firing) and
    after recovery (silent; kept firing, until keep_firing_for runs out). The levels share a timeline, so each check lists what every
    level's series makes fire."""
    rules = alert_rules(system, service, alert)
    for_steps = alert.for_seconds // step
    breach_steps = for_steps + 2
    keep_steps = alert.keep_firing_seconds // step
    start = LEAD_STEPS * step
    times = [start - step]
    if for_steps:
        times.append(start + alert.for_seconds - step)
    times += [start + alert.for_seconds, start + breach_steps * step]
    if keep_steps:  # still firing just before keep_firing_for runs out, resolved once it has
        times += [start + (breach_steps + keep_steps - 1) * step, start + (breach_steps + keep_steps) * step]
    series, timelines = [], []
    for severity, level in alert.levels:
        inside, past = probe_values(level.threshold, alert.direction)
        values = [inside] * LEAD_STEPS + [past] * breach_steps + [inside] * (3 + keep_steps)
        labels = level_labels(system, alert, severity)
        series.append({"series": series_name(alert.signal, labels), "values": series_notation(values)})
        timelines.append((values, labels))
    checks = [
        {"eval_time": format_duration(t), "alertname": alert.name,
         "exp_alerts": [fired for values, labels in timelines for fired in _expected(alert, rules, values, t // step, step, labels)]}
        for t in times
    ]
    return series, checks


def alert_batches(service: Service) -> list[list[Alert]]:
    """A service's alerts in as few test groups as their input series allow.

    promtool evaluates every loaded rule at every step of every group, so one group per
    alert costs alerts squared; alerts on different signals share a group instead (two
    alerts on one signal cannot: each would fire on the other's series). With one signal
    per alert, that is one group per service, whatever its size.
    """
    batches: list[tuple[set[str], list[Alert]]] = []
    for alert in service.alerts:
        batch = next((b for b in batches if alert.signal.record not in b[0]), None)
        if batch is None:
            batch = (set(), [])
            batches.append(batch)
        batch[0].add(alert.signal.record)
        batch[1].append(alert)
    return [alerts for _, alerts in batches]


def service_test_file(service: Service) -> str:
    """tests/<service>.alerts.test.yml tests rules/<service>.alerts.yml (a name no other test file can take)."""
    return f"{service.name}.alerts.test.yml"


def compile_rule_tests(system: System) -> Iterator[tuple[str, dict]]:
    """Test files, one at a time: one per service with alerts, loading only that service's alert rules."""
    step = step_for(system)
    for service in system.services:
        batches = alert_batches(service)
        tests = []
        for k, alerts in enumerate(batches, 1):
            probes = [alert_probe(system, service, alert, step) for alert in alerts]
            tests.append({
                "name": f"{service.name}: {len(alerts)} alerts, every level" + (f" (group {k} of {len(batches)})" if len(batches) > 1 else ""),
                "interval": format_duration(step),
                "input_series": [one for series, _ in probes for one in series],
                "alert_rule_test": [check for _, checks in probes for check in checks],
            })
        if tests:
            yield service_test_file(service), {
                "rule_files": [f"../rules/{alerts_file(service)}"],
                "evaluation_interval": format_duration(step),
                "tests": tests,
            }
