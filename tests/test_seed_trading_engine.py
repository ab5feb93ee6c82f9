"""Seed 003, the trading engine's Operations Runbook: its facts, held against generated/trading-engine."""

from __future__ import annotations

import re

import pytest

from seed_facts import Quote, Reaches, Respond, Threshold, alert_section, check, check_citations, handbook, rules

SEED = "003_4f4cce8341292edf.txt"
SYSTEM = "trading-engine"
PAGER, INCIDENTS = "pagerduty-oncall", "slack-incidents"
DEVOPS, BACKEND, DBA, SECURITY = "email-devops-lead", "email-backend-lead", "email-dba", "email-security"

FACTS = [
    # Quick Reference > Critical Metrics Dashboard: the key targets, alerts of their own
    Threshold("OrderExecutionLatencyHigh", "warning", ">=", 0.3, "300 ms", "P2", "Order execution latency (p95 < 300ms)"),
    Threshold("ApiErrorRateAboveTarget", "warning", ">=", 0.001, "0.1%", "P2", "Error rate (< 0.1%)"),
    Threshold("FixSessionDown", "warning", ">", 0, "0", "P2", "FIX session status"),
    Threshold("PostgresConnectionsHigh", "warning", ">", 0.8, "80%", "P3", "Database connection pool utilization (< 80%)"),
    # Monitoring & Alerting > Key Metrics to Watch
    Threshold("ApiHighErrorRate", "warning", ">", 0.01, "1%", "P2", "| Error rate | > 1% | Investigate logs |"),
    Threshold("ApiHighLatency", "warning", ">", 0.5, "500 ms", "P2", "| p95 latency | > 500ms | Check database, scale up |"),
    Threshold("PodCPUHigh", "warning", ">", 0.8, "80%", "P3", "| CPU usage | > 80% | Scale horizontally |"),
    Threshold("PodMemoryHigh", "warning", ">", 0.85, "85%", "P3", "| Memory usage | > 85% | Check for leaks, scale vertically |"),
    Threshold("NodeDiskUsageHigh", "warning", ">", 0.85, "85%", "P3", "| Disk usage | > 85% | Clean logs, expand storage |"),
    Threshold("WebSocketConnectionsHigh", "warning", ">", 50000, "50000", "P3", "| WebSocket connections | > 50K | Scale WebSocket pods |"),
    # P1: High Error Rate
    Threshold("ApiHighErrorRate", "critical", ">", 0.05, "5%", "P1", "Error rate > 5%"),
    Threshold("ApiHighLatency", "critical", ">", 1, "1 s", "P1", "Slow response times (p95 > 1s)"),
    # P0: Complete Service Outage
    Threshold("ApiHealthCheckFailing", "critical", "<", 1, "1", "P0", "Health check failing"),
    Threshold("ApiAllRequestsFailing", "critical", "<", 1, "1", "P0", "All API requests returning errors"),
    Threshold("PostgresDown", "critical", "<", 1, "1", "P0", "Database unreachable"),
    Threshold("WebSocketNoConnections", "critical", "<", 1, "1", "P0", "Zero WebSocket connections"),
    Reaches("ApiHealthCheckFailing", "critical", (PAGER, INCIDENTS, DEVOPS, BACKEND), "# Post to #incidents Slack channel # Page on-call engineer"),
    Reaches("PostgresDown", "critical", (PAGER, INCIDENTS, DEVOPS, DBA), "| DBA | dba@trading-engine.com | 24/7 |"),
    # P0: Security Breach
    Threshold("SecurityBreachDetected", "critical", ">", 0, "0", "P0", "Unauthorized access detected"),
    Reaches("SecurityBreachDetected", "critical", (PAGER, INCIDENTS, DEVOPS, SECURITY), "# - Security team"),
    # P1: Database Performance Issues, P1: Memory Leak
    Threshold("PostgresConnectionsExhausted", "critical", "<", 1, "1", "P1", "Connection pool exhausted"),
    Threshold("PodOOMKilled", "critical", ">", 0, "0", "P1", "OOMKilled pods"),
    # Alert Response Times
    Respond("P0", "Immediate (< 5 minutes)", (PAGER, INCIDENTS, DEVOPS), "**P0**: Immediate (< 5 minutes)"),
    Respond("P1", "within 15 minutes", (PAGER, INCIDENTS), "**P1**: 15 minutes"),
    Respond("P2", "within 1 hour", (INCIDENTS,), "**P2**: 1 hour"),
    Respond("P3", "Next business day", (INCIDENTS,), "**P3**: Next business day"),
    # Weekly Tasks
    Quote("kubectl get certificates -n production", "#### CertificateExpiringSoon"),
]


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f"{type(f).__name__}-{getattr(f, 'alert', getattr(f, 'priority', ''))}-{getattr(f, 'severity', '')}")
def test_runbook_fact(fact):
    check(SYSTEM, SEED, fact)


def test_a_single_restart_pages_nobody():
    """P1 Memory Leak lists pod restarts; one restart is a P3, repeated restarts are the P1."""
    warning, critical = rules(SYSTEM)[("PodRestarting", "warning")], rules(SYSTEM)[("PodRestarting", "critical")]
    assert warning["labels"]["priority"] == "P3" and warning["expr"].endswith(" > 0")
    assert critical["labels"]["priority"] == "P1" and critical["expr"].endswith(" > 2")


def test_security_p0_stays_firing_until_silenced():
    rule = rules(SYSTEM)[("SecurityBreachDetected", "critical")]
    assert rule["keep_firing_for"] == "30m"
    assert "How it clears" in alert_section(SYSTEM, "SecurityBreachDetected")


def test_slo_alerts_ticket():
    slo = handbook(SYSTEM).split("## Service level objectives", 1)[1].split("## Priorities and routing", 1)[0]
    assert re.search(r"\| P3 \[A\d+\]\(#a\d+\) \| P3 \[A\d+\]\(#a\d+\) \|", slo), "the SLO page and ticket are marked as added"
    assert "Added by the definitions" in handbook(SYSTEM)


def test_every_citation_quotes_the_runbook(systems):
    system = next(s.system for s in systems if s.system.name == SYSTEM)
    assert check_citations(system, SEED) >= 60
