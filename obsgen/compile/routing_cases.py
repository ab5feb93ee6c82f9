"""Who must receive each alert, computed from the priority policy, not from the tree.

These cases are what amtool checks the generated routing against: if the tree and the
declared policy disagree, a test fails.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import System
from .rules import alert_labels


@dataclass(frozen=True)
class RoutingCase:
    alert: str
    labels: dict[str, str]
    receivers: tuple[str, ...]


def expected_receivers(system: System, labels: dict[str, str]) -> tuple[str, ...]:
    receivers: list[str] = []
    for route in system.routes:
        if route.team == labels.get("team") and (not route.priorities or labels.get("priority") in route.priorities):
            receivers += route.receivers
            if not route.also_default:
                return tuple(receivers)
    priority = next((p for p in system.priorities if p.name == labels.get("priority")), None)
    if priority is None:
        return tuple(receivers) or (system.default_receiver,)
    return tuple(receivers + list(priority.receivers))


def routing_cases(system: System) -> list[RoutingCase]:
    cases = []
    for service in system.services:
        for alert in service.alerts:
            for severity, level in alert.levels:
                labels = {"alertname": alert.name, **alert_labels(system, service, severity, level)}
                cases.append(RoutingCase(alert.name, labels, expected_receivers(system, labels)))
    return cases


def compile_routing_cases(system: System) -> list[dict]:
    return [{"alert": c.alert, "labels": c.labels, "receivers": list(c.receivers)} for c in routing_cases(system)]
