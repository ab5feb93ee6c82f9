"""A scenario through promtool: which alerts fire at which minute, and what that means.

promtool runs Prometheus 2.42's own rule engine (every group, in order, once a minute),
so it decides exactly what a Prometheus with these rules would. Each checked minute is a
promql_expr_test expecting no firing alert; promtool prints what fires instead, and
that is the timeline. The healthy lead is checked hourly, the incident every minute.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..verify.tools import require
from ..compile.slo_inputs import notation
from .scenarios import BYSTANDER, SUBJECT, Scenario, raw_series

_CHECK = re.compile(r'expr: "ALERTS\{alertstate=\\"firing\\"\}", time: (\S+),\n\s+exp: nil\n\s+got: (.*)')
_SAMPLE = re.compile(r"\{([^{}]*)\} \S+")
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
_DURATION = re.compile(r"(\d+)(y|w|d|h|ms|m|s)")
_SECONDS = {"y": 365 * 86400, "w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0.001}


@dataclass(frozen=True)
class RuleSet:
    """Rule files for promtool, and which alert names are burn-rate alerts."""

    name: str
    files: dict[str, dict]  # file name -> {"groups": [...]}
    burn_alerts: frozenset[str]

    @property
    def group_order(self) -> list[str]:
        return [g["name"] for f in self.files.values() for g in f["groups"]]


@dataclass(frozen=True)
class Timeline:
    """Minutes each alert fires, by (alertname, severity, app)."""

    firing: dict[tuple[str, str, str], frozenset[int]]
    checked: tuple[int, ...]

    def minutes(self, app: str, burn: bool, severity: str | None, burn_alerts: frozenset[str]) -> set[int]:
        return {m for (name, sev, a), ms in self.firing.items() if a == app and (name in burn_alerts) == burn
                and (severity is None or sev == severity) for m in ms}

    def episodes(self, minutes: set[int]) -> list[tuple[int, int]]:
        """(first, last) firing minute of each run of consecutive checked minutes."""
        out: list[tuple[int, int]] = []
        for m in self.checked:
            if m in minutes:
                if out and out[-1][1] == self._previous(m):
                    out[-1] = (out[-1][0], m)
                else:
                    out.append((m, m))
        return out

    def _previous(self, m: int) -> int | None:
        i = self.checked.index(m)
        return self.checked[i - 1] if i else None


def checked_minutes(scenario: Scenario) -> tuple[int, ...]:
    hourly = range(60, scenario.start - 5, 60)
    return tuple(sorted(set(hourly) | set(range(scenario.start - 5, scenario.length))))


def _minutes(text: str) -> int:
    return round(sum(int(n) * _SECONDS[u] for n, u in _DURATION.findall(text)) / 60)


def run(rules: RuleSet, slo, scenario: Scenario, scrape: int = 60) -> Timeline:
    promtool = require("promtool")
    checks = checked_minutes(scenario)
    test = {
        "rule_files": sorted(rules.files),
        "evaluation_interval": "1m",
        "group_eval_order": rules.group_order,
        "tests": [{
            "name": scenario.name,
            "interval": f"{scrape}s",
            "input_series": [{"series": s.text, "values": notation(s.values)} for s in raw_series(slo, scenario, scrape)],
            "promql_expr_test": [{"expr": 'ALERTS{alertstate="firing"}', "eval_time": f"{m}m", "exp_samples": []} for m in checks],
        }],
    }
    with tempfile.TemporaryDirectory(prefix="obsgen-bench-slo-") as work:
        folder = Path(work)
        for name, content in rules.files.items():
            (folder / name).write_text(yaml.safe_dump(content, sort_keys=False))
        (folder / "scenario.test.yml").write_text(yaml.safe_dump(test, sort_keys=False))
        proc = subprocess.run([promtool, "test", "rules", "scenario.test.yml"], cwd=folder, capture_output=True, text=True, timeout=1800)
    output = proc.stdout + proc.stderr
    if proc.returncode and "FAILED" not in output or "error" in output.lower() and "expr:" not in output:
        raise RuntimeError(f"promtool could not run {scenario.name!r} on {rules.name}:\n{output[-3000:]}")
    firing: dict[tuple[str, str, str], set[int]] = {}
    for when, got in _CHECK.findall(output):
        minute = _minutes(when)
        for sample in _SAMPLE.findall(got):
            labels = dict(_LABEL.findall(sample))
            key = (labels.get("alertname", ""), labels.get("severity", ""), labels.get("app", ""))
            firing.setdefault(key, set()).add(minute)
    return Timeline({k: frozenset(v) for k, v in firing.items()}, checks)


@dataclass(frozen=True)
class Outcome:
    """What an on-call engineer sees of one scenario under one rule set."""

    page_at: int | None  # minutes from the incident's start to the first page
    page_clears: int | None  # minutes from recovery to the last page's resolve
    page_ends: int | None  # minutes from the incident's start to the last page's resolve (None: still firing)
    pages: int  # page episodes (one notification and one resolve each)
    ticket_at: int | None
    tickets: int
    others: dict[str, int]  # other alerts of app a: name -> minutes to the first firing
    false_alarms: int  # alert episodes of the healthy app b
    before: int  # alert episodes of app a during the healthy lead

    @staticmethod
    def of(timeline: Timeline, scenario: Scenario, burn_alerts: frozenset[str]) -> "Outcome":
        start, recovery = scenario.start, scenario.recovery
        pages = [e for e in timeline.episodes(timeline.minutes(SUBJECT, True, "critical", burn_alerts)) if e[1] >= start]
        tickets = [e for e in timeline.episodes(timeline.minutes(SUBJECT, True, "warning", burn_alerts)) if e[1] >= start]
        others: dict[str, int] = {}
        for (name, _, app), minutes in sorted(timeline.firing.items()):
            if app == SUBJECT and name not in burn_alerts:
                after = [m for m in minutes if m >= start]
                if after:
                    others[name] = min(min(after) - start, others.get(name, 1 << 30))
        clears = None
        if recovery is not None and pages and pages[-1][1] >= recovery:
            clears = pages[-1][1] + 1 - recovery
        elif recovery is not None and pages:
            clears = 0
        ends = pages[-1][1] + 1 - start if pages and pages[-1][1] < timeline.checked[-1] else None
        everything = set().union(*timeline.firing.values()) if timeline.firing else set()
        lead = [m for (n, s, a), ms in timeline.firing.items() if a == SUBJECT for m in ms if m < start]
        return Outcome(
            page_at=pages[0][0] - start if pages else None,
            page_clears=clears,
            page_ends=ends,
            pages=len(pages),
            ticket_at=tickets[0][0] - start if tickets else None,
            tickets=len(tickets),
            others=others,
            false_alarms=len(timeline.episodes(timeline.minutes(BYSTANDER, True, None, burn_alerts) | timeline.minutes(BYSTANDER, False, None, burn_alerts))),
            before=len(timeline.episodes(set(lead))) if everything else 0,
        )
