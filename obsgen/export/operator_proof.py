"""Proof that a system's routing survives the prometheus-operator.

The exported AlertmanagerConfig goes through the operator's own rewriting
(`operator_alertmanager_config`), and every routing, inhibition, muting and scenario case
of the system runs through obsgen's in-process Alertmanager on the result, with the
alerts carrying the namespace label their PrometheusRule gives them. Receivers come back
named `<namespace>/<config>/<receiver>`; the proof maps them back and compares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import yaml

from ..verify.routing import Alertmanager
from .compiled import Compiled
from .prometheus_operator import NAMESPACE_LABEL, export_prometheus_operator, operator_alertmanager_config
from .targets import ExportOptions

NULL_RECEIVER = "null"  # the operator's default root receiver


@dataclass(frozen=True)
class Mismatch:
    case: str
    expected: str
    got: str

    def render(self) -> str:
        return f"{self.case}: expected {self.expected}, got {self.got}"


@dataclass(frozen=True)
class OperatorProof:
    config: dict  # the alertmanager.yml the operator would generate
    checks: int
    mismatches: tuple[Mismatch, ...]


def dummy_secrets(amc: dict) -> dict[tuple[str, str], str]:
    """A value for every Secret reference of the AlertmanagerConfig (a URL: valid for every field)."""
    refs = {}

    def walk(node):
        if isinstance(node, dict):
            if set(node) == {"name", "key"}:
                refs[(node["name"], node["key"])] = f"https://secrets.invalid/{node['name']}/{node['key']}"
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(amc["spec"]["receivers"])
    return refs


def prove_operator_routing(compiled: Compiled, options: ExportOptions = ExportOptions()) -> OperatorProof:
    objects = [yaml.load(data, Loader=yaml.CSafeLoader) for data in export_prometheus_operator(compiled, options).values()]
    amc = next(o for o in objects if o["kind"] == "AlertmanagerConfig")
    namespace, name = amc["metadata"]["namespace"], amc["metadata"]["name"]
    prefix = f"{namespace}/{name}/"
    config = operator_alertmanager_config([amc], dummy_secrets(amc))
    am = Alertmanager.read(yaml.safe_dump(config, sort_keys=False), "the operator's alertmanager.yml")
    cases = compiled.routing_cases
    mismatches: list[Mismatch] = []
    checks = 0

    def local(names: list[str]) -> list[str]:
        return [n.removeprefix(prefix) if n.startswith(prefix) else f"(not this config: {n})" for n in names]

    def tagged(labels: dict[str, str]) -> dict[str, str]:
        return {**labels, NAMESPACE_LABEL: namespace}

    def check(case: str, expected, got) -> None:
        nonlocal checks
        checks += 1
        if expected != got:
            mismatches.append(Mismatch(case, str(expected), str(got)))

    for rule_object in (o for o in objects if o["kind"] == "PrometheusRule"):
        for group in rule_object["spec"]["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    check(f"PrometheusRule {rule_object['metadata']['name']}: {rule['alert']} namespace label", namespace, rule.get("labels", {}).get(NAMESPACE_LABEL))
    for case in cases["cases"]:
        what = f"{case['alert']} {case['labels']['severity']} ({case['labels']['priority']})"
        check(f"routing {what}", case["receivers"], local(am.receivers(tagged(case["labels"]))))
        check(f"routing {what} without a namespace label", [NULL_RECEIVER], am.receivers(case["labels"]))
    for case in cases["inhibitions"]:
        got = am.notified([tagged(a) for a in case["firing"]], datetime.fromisoformat(case["at"]))
        check(f"inhibition: {case['why']}", case["notified"], {k: local(v) for k, v in got.items()})
    for case in cases["muting"]:
        got = am.notified([tagged(case["labels"])], datetime.fromisoformat(case["at"]))
        key = f"{case['labels']['alertname']}/{case['labels']['severity']}"
        check(f"time intervals: {case['why']}", case["receivers"], local(got[key]))
    for case in cases["scenarios"]:
        got = am.notified([tagged(a) for a in case["firing"]], datetime.fromisoformat(case["at"]))
        check(f"scenario {case['scenario']}: who is told", case["reaches"], sorted({r for v in got.values() for r in local(v)}))
    return OperatorProof(config, checks, tuple(mismatches))
