"""Seed 000, the DEX Operator Manual: its facts, held against generated/dex."""

from __future__ import annotations

from datetime import datetime

import pytest

from conftest import GENERATED
from seed_facts import Quote, Reaches, Threshold, alert_section, alertmanager, check, check_citations, dashboards, handbook, rules

SEED = "000_1513bae255a16944.txt"
SYSTEM = "dex"
ONCALL, SLACK = "dex-oncall-pagerduty", "dex-alerts-slack"

FACTS = [
    # §2.1 DEX Overview Dashboard
    Threshold("DexErrorRateHigh", "critical", ">=", 0.0001, "0.01%", "P1", "Ensure the aggregate error rate is <0.01%."),
    Threshold("GatewayErrorsAboveBaseline", "warning", ">", 2, "200%", "P2",
              "Verify HTTP 5xx responses from the API Gateway are at baseline levels."),
    # §2.1 Matching Engine Dashboard: strictly under 500 µs, so 500 µs itself fires
    Threshold("MatchingEngineLatencyHigh", "critical", ">=", 0.0005, "500 µs", "P1", "Check p99 latency is strictly under 500μs."),
    Threshold("MatchingEnginePanic", "critical", ">", 0, "0", "P0", "Confirm zero unhandled panics or matching anomalies."),
    Threshold("MatchingEngineAnomaly", "critical", ">", 0, "0", "P0", "Confirm zero unhandled panics or matching anomalies."),
    # §4.2 Error Context: any matching engine error is a P0
    Threshold("MatchingEngineErrors", "critical", ">", 0, "0", "P0", "Matching Engine (Any Error)**: **P0 Incident**. Raise immediately"),
    Reaches("MatchingEngineErrors", "critical", (ONCALL,), "Raise immediately; ME errors indicate severe consistency issues."),
    # §5 Circuit Breakers: a trip detected in Prometheus
    Threshold("CircuitBreakerOpen", "warning", ">", 0, "0", "P2", 'If a circuit breaker trip is detected in Prometheus (`circuit_breaker_state="open"`)'),
    Reaches("CircuitBreakerOpen", "warning", (SLACK,), "Identify the failing dependency (e.g., Account Service)."),
    # §2.2 Prometheus Alerts: P0 critical, P1 high, P2/P3 acknowledged and investigated
    Quote("Ensure there are zero active **P0** (critical) or **P1** (high) alerts.", "| P0 | Critical:"),
    Quote("Acknowledge and investigate any active **P2** or **P3** alerts", "acknowledge and investigate at the latest at the next start-of-shift check"),
    # §7 Emergency Maintenance and §3.2 Feature Flags
    Threshold("DexMaintenanceMode", "warning", ">", 0, "0", "P3", "FLAG_MAINTENANCE_MODE=true"),
    Quote("./infra/scripts/toggle-maintenance.sh --enable", "toggle-maintenance.sh --enable"),
    # §6 Restart Procedures
    Quote("kubectl rollout restart deployment/<service-name> -n dex-production", "kubectl rollout restart deployment/<service-name> -n dex-production"),
]


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f"{type(f).__name__}-{getattr(f, 'alert', '')}{getattr(f, 'quote', '')[:30]}")
def test_runbook_fact(fact):
    check(SYSTEM, SEED, fact)


def test_circuit_breaker_selector_is_kept_as_written_and_one_trip_notifies():
    rule = rules(SYSTEM)[("CircuitBreakerOpen", "warning")]
    assert "for" not in rule and rule["keep_firing_for"] == "10m"
    recording = (GENERATED / SYSTEM / "rules" / "exchange.recording.yml").read_text()
    assert 'circuit_breaker_state="open"' in recording


def test_any_error_p0s_stay_firing_until_silenced_and_the_handbook_says_how_they_clear():
    for alert in ("MatchingEngineErrors", "MatchingEnginePanic", "MatchingEngineAnomaly"):
        rule = rules(SYSTEM)[(alert, "critical")]
        assert rule["keep_firing_for"] == "30m" and "for" not in rule, rule
        section = alert_section(SYSTEM, alert)
        assert "How it clears: it stays firing for 30 minutes" in section and "amtool silence add alertname=" + alert in section


def test_maintenance_mode_silences_symptoms_but_never_a_p0():
    am = alertmanager(SYSTEM)
    at = datetime.fromisoformat("2026-01-07T14:00:00+00:00")
    labels = {key: {"alertname": key[0], **rule["labels"]} for key, rule in rules(SYSTEM).items()}
    maintenance = labels[("DexMaintenanceMode", "warning")]
    for key, alert in labels.items():
        if key[0] == "DexMaintenanceMode":
            continue
        got = am.notified([maintenance, alert], at)[f"{key[0]}/{key[1]}"]
        if alert["priority"] == "P0":
            assert got == [ONCALL], f"maintenance mode silenced the P0 {key}"
        else:
            assert got == [], f"maintenance mode let {key} through"


def test_assumed_receivers_and_response_times_are_marked():
    text = handbook(SYSTEM)
    assert "## What these definitions assume" in text
    p1 = next(line for line in text.splitlines() if line.startswith("| P1 |"))
    assert "[A" in p1, "P1's response time and receivers are assumptions and must say so"
    assumptions = text.split("## What these definitions assume", 1)[1]
    assert "The manual names no channel or pager" in assumptions and "PagerDuty 'dex-oncall-pagerduty'" in assumptions


def test_every_citation_quotes_the_runbook(systems):
    system = next(s.system for s in systems if s.system.name == SYSTEM)
    assert check_citations(system, SEED) >= 30


def test_gateway_5xx_baseline_is_in_the_rule_and_on_the_panel():
    """§2.1 "at baseline levels": the rule compares with the same time last week, and the panel draws it."""
    recording = (GENERATED / SYSTEM / "rules" / "api-gateway.recording.yml").read_text()
    assert "offset 1w" in recording
    gateway = next(d for d in dashboards(SYSTEM) if d["uid"] == "dex-api-gateway")
    panel = next(p for p in gateway["panels"] if p["title"] == "API gateway HTTP 5xx responses")
    exprs = [t["expr"] for t in panel["targets"]]
    assert exprs == ['app:api_gateway_http_5xx:rate5m{system="dex"}', 'app:api_gateway_http_5xx:rate5m{system="dex"} offset 1w'], exprs
