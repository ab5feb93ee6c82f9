"""Seed 004, the surveillance Operations Runbook: its facts, held against generated/surveillance."""

from __future__ import annotations

import pytest

from seed_facts import Reaches, Respond, Threshold, alert_section, check, check_citations, handbook, rules

SEED = "004_668dfd8eae18abe0.txt"
SYSTEM = "surveillance"
PAGER, CRITICAL, OPS, INFRA = "pagerduty-market-ops", "slack-market-ops-critical", "slack-market-ops", "slack-infrastructure-ops"
TABLE = "| Metric | Warning Threshold | Critical Threshold |"

FACTS = [
    # Monitoring > Key Metrics to Watch: warning routes as P2, critical as P1
    Threshold("ExchangeMessageRateLow", "warning", "<", 10, "10 per second", "P2", "| Message rate (per exchange) | < 10 msg/s | < 1 msg/s |"),
    Threshold("ExchangeMessageRateLow", "critical", "<", 1, "1 per second", "P1", "| Message rate (per exchange) | < 10 msg/s | < 1 msg/s |"),
    Threshold("ProcessingLagHigh", "warning", ">", 0.1, "100 ms", "P2", "| Processing lag | > 100ms | > 500ms |"),
    Threshold("ProcessingLagHigh", "critical", ">", 0.5, "500 ms", "P1", "| Processing lag | > 100ms | > 500ms |"),
    Threshold("DataGapsFrequent", "warning", ">", 5, "5 gaps/hour", "P2", "| Gap frequency | > 5 gaps/hour | > 20 gaps/hour |"),
    Threshold("DataGapsFrequent", "critical", ">", 20, "20 gaps/hour", "P1", "| Gap frequency | > 5 gaps/hour | > 20 gaps/hour |"),
    Threshold("ActiveP1SurveillanceAlerts", "warning", ">", 0, "0", "P1", "| Active P1 alerts | > 0 | > 5 |"),
    Threshold("ActiveP1SurveillanceAlerts", "critical", ">", 5, "5", "P1", "| Active P1 alerts | > 0 | > 5 |"),
    Threshold("RedisMemoryHigh", "warning", ">", 400e6, "400 MB", "P2", "| Redis memory | > 400MB | > 480MB |"),
    Threshold("RedisMemoryHigh", "critical", ">", 480e6, "480 MB", "P1", "| Redis memory | > 400MB | > 480MB |"),
    # Adding New Instruments > Step 2: ETH-USDT-PERP's thresholds
    Threshold("SpreadWarningEthUsdtPerp", "warning", ">", 5, "5 bps", "P2", "threshold: 5.0 # ETH typically has wider spreads zscore: 2.0"),
    Threshold("SpreadCriticalEthUsdtPerp", "critical", ">", 10, "10 bps", "P1", "spread_critical: threshold: 10.0 zscore: 3.0"),
    Threshold("DepthLowEthUsdtPerp", "warning", "<", 300000, "300000 USD", "P2", "depth_warning: threshold: 300000 # $300K (less liquidity than BTC)"),
    Threshold("DepthLowEthUsdtPerp", "critical", "<", 100000, "100000 USD", "P1", "depth_critical: threshold: 100000"),
    # Emergency Contact Escalation: P1 to #market-ops-critical and PagerDuty within 5 minutes; P2 to #market-ops
    Reaches("ActiveP1SurveillanceAlerts", "warning", (PAGER, CRITICAL), "Slack channel: #market-ops-critical - PagerDuty: On-call rotation"),
    Reaches("SpreadCriticalEthUsdtPerp", "critical", (PAGER, CRITICAL), "**P1 Alerts (Critical):**"),
    Reaches("SpreadWarningEthUsdtPerp", "warning", (OPS,), "**P2 Alerts (Warning):** - Slack channel: #market-ops"),
    Reaches("RedisMemoryHigh", "warning", (OPS, INFRA), "Contact: #infrastructure-ops"),
    Respond("P1", "within 5 minutes", (PAGER, CRITICAL), "Response time: < 5 minutes"),
    Respond("P2", "within 30 minutes", (OPS,), "Response time: < 30 minutes"),
]


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f"{type(f).__name__}-{getattr(f, 'alert', getattr(f, 'priority', ''))}-{getattr(f, 'severity', '')}")
def test_runbook_fact(fact):
    check(SYSTEM, SEED, fact)


def test_a_feed_that_stops_dead_pages_within_five_minutes():
    section = alert_section(SYSTEM, "ExchangeMessageRateLow")
    detection = next(line for line in section.splitlines() if line.startswith("Notified within"))
    critical = detection.split("critical: ", 1)[1]
    total = critical.split(" = ", 1)[1].split(" ", 1)[0]
    assert total in ("3m30s", "3m", "4m", "4m30s", "5m"), critical
    assert rules(SYSTEM)[("ExchangeMessageRateLow", "critical")]["expr"].endswith(" < 1")


def test_lag_slo_is_a_warning_never_a_page():
    text = handbook(SYSTEM).split("## Service level objectives", 1)[1].split("## Priorities and routing", 1)[0]
    assert "| P2 | P2 |" in text and PAGER not in text


def test_every_citation_quotes_the_runbook(systems):
    system = next(s.system for s in systems if s.system.name == SYSTEM)
    assert check_citations(system, SEED) >= 50
