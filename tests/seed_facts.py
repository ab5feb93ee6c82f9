"""The runbooks' facts as data, and the checks that hold them against generated/.

Each seed's test module lists what its runbook states (thresholds with their comparison,
priorities, receivers, response times), written from the runbook text, and asserts each
against the generated rules, routing, dashboards and handbook: not against the
definitions, which could be wrong in the same way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from conftest import GENERATED, ROOT, load_yaml
from obsgen.compile.thresholds import prom_number
from obsgen.model.provenance import Runbook
from obsgen.verify.routing import Alertmanager

SEEDS = ROOT.parent / "shared" / "seeds"
OPERATORS = {">": "above", "<": "below", ">=": "at or above", "<=": "at or below"}
WEDNESDAY = datetime.fromisoformat("2026-01-07T14:00:00+00:00")


def runbook_text(seed: str) -> str:
    path = SEEDS / seed
    if not path.exists():
        pytest.skip(f"runbook {path} is not beside this clone (CI lays ../shared/seeds beside it)")
    return _normal(path.read_text(encoding="utf-8", errors="replace"))


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("Î¼", "μ")).strip()


@dataclass(frozen=True)
class Threshold:
    """A runbook line an alert level must compare against: the rule, its labels, the handbook."""

    alert: str
    severity: str
    op: str  # the PromQL comparison that fires: '>', '<', '>=', '<='
    value: float  # in base units, as the rule compares
    shown: str  # the value as the handbook writes it, e.g. '500 µs'
    priority: str
    quote: str  # the runbook's words


@dataclass(frozen=True)
class Reaches:
    """Who an alert level reaches, through the generated Alertmanager configuration."""

    alert: str
    severity: str
    receivers: tuple[str, ...]
    quote: str
    at: datetime = WEDNESDAY


@dataclass(frozen=True)
class Respond:
    """A priority's response time as the handbook states it, and its receivers."""

    priority: str
    words: str  # e.g. 'within 5 minutes' or the runbook's words
    receivers: tuple[str, ...]
    quote: str


@dataclass(frozen=True)
class Quote:
    """A statement of the runbook the generated handbook must carry."""

    quote: str
    handbook: str


def rules(system: str) -> dict[tuple[str, str], dict]:
    found = {}
    for path in sorted((GENERATED / system / "rules").glob("*.alerts.yml")):
        for group in load_yaml(path.read_text())["groups"]:
            for rule in group["rules"]:
                found[(rule["alert"], rule["labels"]["severity"])] = rule
    return found


def handbook(system: str) -> str:
    return (GENERATED / system / "handbook.md").read_text()


def alert_section(system: str, alert: str) -> str:
    text = handbook(system)
    assert f"#### {alert}\n" in text, f"{alert} has no handbook section"
    return text.split(f"#### {alert}\n", 1)[1].split("\n#### ", 1)[0]


def alertmanager(system: str) -> Alertmanager:
    return Alertmanager.read((GENERATED / system / "alertmanager.yml").read_bytes(), f"{system}/alertmanager.yml")


def dashboards(system: str) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((GENERATED / system / "dashboards").glob("*.json"))]


def check_threshold(system: str, text: str, fact: Threshold) -> None:
    assert _normal(fact.quote) in text, f"not in the runbook: {fact.quote!r}"
    rule = rules(system).get((fact.alert, fact.severity))
    assert rule is not None, f"no {fact.severity} rule for {fact.alert}"
    assert re.search(rf" {re.escape(fact.op)} {re.escape(prom_number(fact.value))}$", rule["expr"]), (fact, rule["expr"])
    assert rule["labels"]["priority"] == fact.priority, (fact, rule["labels"])
    section = alert_section(system, fact.alert)
    words = f"| {fact.severity} | {OPERATORS[fact.op]} {fact.shown}"
    assert words in section, f"{fact.alert}: handbook lacks {words!r}"
    assert re.search(rf"\| {fact.severity} \|[^\n]*\| {fact.priority}( \[A\d+\]\(#a\d+\))? \|", section), f"{fact.alert}: priority not {fact.priority}"


def check_reaches(system: str, text: str, fact: Reaches) -> None:
    assert _normal(fact.quote) in text, f"not in the runbook: {fact.quote!r}"
    rule = rules(system)[(fact.alert, fact.severity)]
    labels = {"alertname": fact.alert, **rule["labels"]}
    got = alertmanager(system).notified([labels], fact.at)[f"{fact.alert}/{fact.severity}"]
    assert sorted(got) == sorted(fact.receivers), f"{fact.alert} {fact.severity}: reaches {got}, runbook says {fact.receivers}"


def check_respond(system: str, text: str, fact: Respond) -> None:
    assert _normal(fact.quote) in text, f"not in the runbook: {fact.quote!r}"
    table = handbook(system).split("## Priorities and routing", 1)[1]
    row = next((line for line in table.splitlines() if line.startswith(f"| {fact.priority} |")), None)
    assert row is not None, f"no row for {fact.priority}"
    assert fact.words in row, f"{fact.priority}: {row}"
    for receiver in fact.receivers:
        assert f"(`{receiver}`)" in row, f"{fact.priority} does not reach {receiver}: {row}"


def check_quote(system: str, text: str, fact: Quote) -> None:
    assert _normal(fact.quote) in text, f"not in the runbook: {fact.quote!r}"
    assert fact.handbook in handbook(system), f"handbook lacks {fact.handbook!r}"


CHECKS = {Threshold: check_threshold, Reaches: check_reaches, Respond: check_respond, Quote: check_quote}


def check(system: str, seed: str, fact) -> None:
    CHECKS[type(fact)](system, runbook_text(seed), fact)


def check_citations(loaded_system, seed: str) -> int:
    """Every Runbook citation of the definitions quotes the runbook and names its sections."""
    text = runbook_text(seed)
    from obsgen.compile.provenance import _objects

    cited = 0
    for obj in _objects(loaded_system):
        prov = obj.provenance
        values = [prov] if isinstance(prov, Runbook) else list(prov.values()) if prov is not None and not hasattr(prov, "reason") else []
        for value in values:
            if not isinstance(value, Runbook):
                continue
            for part in value.section.split(" > "):
                heading = re.sub(r"^§[\d.]+ ", "", part)
                assert _normal(heading) in text, f"{obj.label}: section {part!r} is not in the runbook"
            if value.quote:
                assert _normal(value.quote) in text, f"{obj.label}: quote {value.quote!r} is not in the runbook"
            cited += 1
    return cited
