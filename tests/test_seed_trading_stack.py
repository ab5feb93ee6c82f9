"""Seed 001, the automated trading stack's Ops Runbook (Track 7 SLA): its facts, held against generated/trading-stack."""

from __future__ import annotations

import pytest

from conftest import GENERATED, load_yaml
from seed_facts import Quote, Reaches, Respond, Threshold, check, check_citations, handbook, rules

SEED = "001_5d170fdb5d734262.txt"
SYSTEM = "trading-stack"
PAGER, SLACK = "pagerduty-platform-team", "slack-alerts-ops"

FACTS = [
    # SLA Monitoring > Track 7 SLA Targets
    Threshold("CircuitBreakerStalenessHigh", "critical", ">", 10, "10 s", "P1", "| CB staleness | ≤ 5s | > 10s (page) |"),
    Reaches("CircuitBreakerStalenessHigh", "critical", (PAGER,), "> 10s (page)"),
    Threshold("AlertDeliveryLatencyHigh", "warning", ">", 60, "60 s", "P2", "| Alert delivery P95 | < 60s | > 60s (Slack) |"),
    Reaches("AlertDeliveryLatencyHigh", "warning", (SLACK,), "> 60s (Slack)"),
    Threshold("AuditWriteLatencyHigh", "warning", ">", 1, "1 s", "P2", "| Audit write P95 | < 1s | > 1s (Slack) |"),
    Reaches("AuditWriteLatencyHigh", "warning", (SLACK,), "> 1s (Slack)"),
    Threshold("AlertPoisonQueueHigh", "critical", ">", 10, "10", "P1", "| Poison queue size | 0 | > 10 (page) |"),
    Reaches("AlertPoisonQueueHigh", "critical", (PAGER,), "> 10 (page)"),
    # Alert Troubleshooting 2: the alert's own name and line
    Quote("Alert: `AlertDeliveryLatencyHigh` (P95 > 60s)", "#### AlertDeliveryLatencyHigh"),
    # SLA Monitoring > Alert Escalation
    Respond("P1", "Immediate investigation", (PAGER,), "**Critical alerts** → PagerDuty (platform-team)"),
    Respond("P2", "Monitor closely and investigate", (SLACK,), "**Warning alerts** → #alerts-ops Slack channel"),
    # System Health: Red = Unhealthy, immediate investigation
    Threshold("ExecutionGatewayDown", "critical", "<", 1, "1", "P1", "| Red | Unhealthy | Immediate investigation |"),
    Reaches("RedisDown", "critical", (PAGER,), "Verify Redis/Postgres connectivity in dashboard"),
    Reaches("PostgresDown", "critical", (PAGER,), "Verify Redis/Postgres connectivity in dashboard"),
    # Incidents and Recovery, in the actions
    Quote("**Trip breaker:** `make circuit-trip`", "make circuit-trip"),
    Quote("**Flatten:** `make kill-switch`", "make kill-switch"),
    Quote("Restart services; ensure reconciler completes; verify breaker state is OPEN.", "ensure the reconciler completes"),
]


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f"{type(f).__name__}-{getattr(f, 'alert', getattr(f, 'priority', ''))}")
def test_runbook_fact(fact):
    check(SYSTEM, SEED, fact)


def test_slo_alerts_follow_the_table_slack_marks_and_never_page():
    """The table marks alert delivery and audit writes "(Slack)": their SLO burn alerts are P2, Slack only."""
    for path in sorted((GENERATED / SYSTEM / "rules").glob("slo-*.alerts.yml")):
        for group in load_yaml(path.read_text())["groups"]:
            for rule in group["rules"]:
                if "alert" in rule and "BudgetBurn" in rule["alert"]:
                    assert rule["labels"]["priority"] == "P2", (path.name, rule["labels"])
    slo = handbook(SYSTEM).split("## Service level objectives", 1)[1]
    assert "Added by the definitions" in handbook(SYSTEM)
    assert PAGER not in slo.split("## Priorities and routing", 1)[0]


def test_every_citation_quotes_the_runbook(systems):
    system = next(s.system for s in systems if s.system.name == SYSTEM)
    assert check_citations(system, SEED) >= 40
