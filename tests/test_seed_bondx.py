"""Seed 002, the BondX Production Operator Handbook: its facts, held against generated/bondx."""

from __future__ import annotations

from datetime import datetime

import pytest

from conftest import GENERATED, load_yaml
from seed_facts import Quote, Reaches, Respond, Threshold, alertmanager, check, check_citations, handbook, rules

SEED = "002_e2ac1a940931bfb9.txt"
SYSTEM = "bondx"
PAGER, OPS, INCIDENTS, EMAIL = "pagerduty-bondx-oncall", "slack-bondx-ops", "slack-bondx-incidents", "email-bondx-incidents"
P1_ALL = (PAGER, OPS, INCIDENTS, EMAIL)

FACTS = [
    # Common Alerts and What They Mean
    Threshold("TradingEngineUnavailable", "critical", "<", 1, "1", "P1", "**Alert:** `Trading engine service is down`"),
    Threshold("WebSocketServiceOverloaded", "critical", ">", 0.95, "95%", "P1", "**Alert:** `WebSocket service at 95% capacity`"),
    Threshold("DatabaseConnectionPoolExhausted", "critical", "<", 1, "1", "P1", "**Alert:** `Database connection pool at 100% utilization`"),
    Threshold("HighOrderLatency", "warning", ">", 0.1, "100 ms", "P2", "**Alert:** `Order processing latency >100ms p95`"),
    Threshold("RiskCalculationDelays", "warning", ">", 2, "2 s", "P2", "**Alert:** `Risk calculation taking >2 seconds`"),
    Threshold("DataProviderIssues", "warning", ">", 120, "2 min", "P2", "**Alert:** `Market data stale >2 minutes`"),
    Threshold("HighMemoryUsage", "warning", ">", 0.85, "85%", "P3", "**Alert:** `Memory utilization >85%`"),
    Threshold("DiskSpaceWarning", "warning", ">", 0.8, "80%", "P3", "**Alert:** `Disk usage >80%`"),
    Reaches("TradingEngineUnavailable", "critical", P1_ALL, "Escalate to platform team immediately"),
    Reaches("HighOrderLatency", "warning", (OPS,), "**Immediate Issues:** Slack #bondx-ops"),
    # Primary On-Call response times
    Respond("P1", "within 5 minutes", P1_ALL, 'p1_alerts: "<5 minutes"'),
    Respond("P2", "within 15 minutes", (OPS,), 'p2_alerts: "<15 minutes"'),
    Respond("P3", "within 1 hour", (OPS,), 'p3_alerts: "<1 hour"'),
    Respond("P4", "within 4 hours", (OPS,), 'p4_alerts: "<4 hours"'),
    # Escalation Matrix
    Quote('"Level 2: Team lead (15 min)"', "| 2 | Level 2: Team lead | after 15 minutes |"),
    Quote('"Level 3: Engineering manager (30 min)"', "| 3 | Level 3: Engineering manager | after 30 minutes |"),
    Quote('"Level 4: CTO (1 hour)"', "| 4 | Level 4: CTO | after 1 hour |"),
    Quote('"Level 2: CISO (15 min)"', "| 2 | Level 2: CISO | after 15 minutes |"),
    Quote('"Level 2: Head of Compliance (15 min)"', "| 2 | Level 2: Head of Compliance | after 15 minutes |"),
    # Expected resolution times
    Quote("**Expected Resolution Time:** <15 minutes", "Expected resolution: within 15 minutes."),
    Quote("**Expected Resolution Time:** <5 minutes", "Expected resolution: within 5 minutes."),
    Quote("**Expected Resolution Time:** <24 hours", "Expected resolution: within 1 day."),
]


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f"{type(f).__name__}-{getattr(f, 'alert', getattr(f, 'priority', ''))}")
def test_runbook_fact(fact):
    check(SYSTEM, SEED, fact)


def test_market_data_alert_is_told_during_trading_hours_only():
    """Ten Things 2 watches market data "every 5 minutes during trading hours"."""
    rule = rules(SYSTEM)[("DataProviderIssues", "warning")]
    labels = {"alertname": "DataProviderIssues", **rule["labels"]}
    am = alertmanager(SYSTEM)
    wednesday_noon_ny = datetime.fromisoformat("2026-01-07T17:00:00+00:00")
    saturday = datetime.fromisoformat("2026-01-10T17:00:00+00:00")
    night = datetime.fromisoformat("2026-01-07T04:00:00+00:00")
    assert am.notified([labels], wednesday_noon_ny)["DataProviderIssues/warning"] == [OPS]
    assert am.notified([labels], saturday)["DataProviderIssues/warning"] == []
    assert am.notified([labels], night)["DataProviderIssues/warning"] == []


def test_no_slo_alert_pages():
    """The runbook states the Ten Things targets, no alert on them: their burn alerts ticket, never page."""
    for path in sorted((GENERATED / SYSTEM / "rules").glob("slo-*.alerts.yml")):
        for group in load_yaml(path.read_text())["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    assert rule["labels"]["priority"] in ("P3", "P4"), (path.name, rule["alert"], rule["labels"])


def test_escalation_matrix_and_assumed_receivers_are_marked():
    text = handbook(SYSTEM)
    assumptions = text.split("## What these definitions assume", 1)[1]
    assert "smtp.bondx.com:587" in assumptions and "bondx-primary-oncall" in assumptions
    assert "trading hours without times" in assumptions


def test_every_citation_quotes_the_runbook(systems):
    system = next(s.system for s in systems if s.system.name == SYSTEM)
    assert check_citations(system, SEED) >= 40


# "The Ten Things to Check Dashboard List": each dashboard's check frequency and critical
# thresholds, as the runbook writes them. (check title, runbook words, handbook words, the
# value at the line in base units, whether the line itself is a breach, frequency words)
TEN_THINGS = [
    ("Uptime", "**Uptime:** >99.9% for all critical services", "at or below 99.9%", 0.999, True, "every 15 minutes"),
    ("API response time", "**Response Time:** <100ms p95 for all APIs", "at or above 100 ms", 0.1, True, "every 15 minutes"),
    ("Error rate", "**Error Rate:** <0.1% for all services", "at or above 0.1%", 0.001, True, "every 15 minutes"),
    ("Order processing latency", "**Order Processing:** <50ms p95 order accept to execution", "at or above 50 ms", 0.05, True, "every 5 minutes (during trading hours)"),
    ("Trade success rate", "**Trade Success Rate:** >99.9%", "at or below 99.9%", 0.999, True, "every 5 minutes (during trading hours)"),
    ("Market data freshness", "**Market Data Freshness:** <1 minute stale", "at or above 1 min", 60, True, "every 5 minutes (during trading hours)"),
    ("Active connections", "**Active Connections:** <80% of capacity", "at or above 80%", 0.8, True, "every 2 minutes"),
    ("Connection success rate", "**Connection Success Rate:** >99.9%", "at or below 99.9%", 0.999, True, "every 2 minutes"),
    ("Message delivery latency", "**Message Delivery Latency:** <150ms p95", "at or above 150 ms", 0.15, True, "every 2 minutes"),
    ("Reconnection success rate", "**Reconnection Success Rate:** >99.5%", "at or below 99.5%", 0.995, True, "every 2 minutes"),
    ("VaR calculation time", "**VaR Calculation Time:** <1 second p95", "at or above 1 s", 1, True, "every 10 minutes"),
    ("Risk snapshot frequency", "**Risk Snapshot Frequency:** Every 5 minutes", "above 5 min", 300, False, "every 10 minutes"),
    ("Limit breaches", "**Limit Breaches:** 0 active breaches", "above 0", 0, False, "every 10 minutes"),
    ("Query response time", "**Query Response Time:** <100ms p95", "at or above 100 ms", 0.1, True, "every 5 minutes"),
    ("Connection pool utilization", "**Connection Pool Utilization:** <80%", "at or above 80%", 0.8, True, "every 5 minutes"),
    ("Replica lag", "**Replica Lag:** <1 second", "at or above 1 s", 1, True, "every 5 minutes"),
    ("Transaction throughput", "**Transaction Throughput:** >1000 TPS", "at or below 1000 per second", 1000, True, "every 5 minutes"),
    ("Cache hit rate", "**Cache Hit Rate:** >95%", "at or below 95%", 0.95, True, "every 3 minutes"),
    ("Response time", "**Response Time:** <10ms p95", "at or above 10 ms", 0.01, True, "every 3 minutes"),
    ("Connection count", "**Connection Count:** <80% of limit", "at or above 80%", 0.8, True, "every 3 minutes"),
    ("CPU utilization", "**CPU Utilization:** <80% per node", "at or above 80%", 0.8, True, "every 5 minutes"),
    ("Network I/O", "**Network I/O:** <70% of capacity", "at or above 70%", 0.7, True, "every 5 minutes"),
    ("Critical feed freshness", "**Data Freshness:** <1 minute for critical feeds", "at or above 1 min", 60, True, "every 2 minutes"),
    ("Success rate", "**Success Rate:** >99.5%", "at or below 99.5%", 0.995, True, "every 2 minutes"),
    ("Report generation", "**Report Generation:** 100% on-time", "below 100%", 1, False, "every 15 minutes"),
    ("Audit trail completeness", "**Audit Trail Completeness:** 100%", "below 100%", 1, False, "every 15 minutes"),
    ("Customer satisfaction", "**Customer Satisfaction:** >95%", "at or below 95%", 0.95, True, "every 30 minutes"),
]


def _overview_panel(title: str) -> dict:
    import json

    panels = json.loads((GENERATED / SYSTEM / "dashboards" / "bondx-overview.json").read_text())["panels"]
    return next(p for row in panels for p in (row, *row.get("panels", [])) if p["title"] == title)


def _colour(panel: dict, value: float) -> str:
    colour = None
    for step in panel["fieldConfig"]["defaults"]["thresholds"]["steps"]:
        if step["value"] is None or value >= step["value"]:
            colour = step["color"]
    return colour


@pytest.mark.parametrize("title, quote, words, line, inclusive, every", TEN_THINGS, ids=[t[0] for t in TEN_THINGS])
def test_ten_things_threshold(title, quote, words, line, inclusive, every):
    from seed_facts import runbook_text

    assert " ".join(quote.split()) in runbook_text(SEED), f"the runbook does not say {quote!r}"
    assert f"| {title} | critical: {words} | {every} |" in handbook(SYSTEM)
    panel = _overview_panel(title)
    upward = "above" in words
    step = abs(line) * 0.001 or 0.001
    inside, past = (line - step, line + step) if upward else (line + step, line - step)
    assert _colour(panel, inside) == "green", f"{title}: healthy {inside} is not green"
    assert _colour(panel, past) == "red", f"{title}: {past} past the line is not red"
    assert _colour(panel, line) == ("red" if inclusive else "green"), f"{title}: exactly {line} (the runbook's comparison)"
