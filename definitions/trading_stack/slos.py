"""The Track 7 SLA targets as service level objectives (seeds/001 "SLA Monitoring").

"CB staleness <= 5s", "Alert delivery P95 < 60s" and "Audit write P95 < 1s". The table
states targets, not objectives: staleness is at most 5 s 99% of the time (sampled once
a minute, an objective above 99.88% would page on a single stale minute), and the P95
targets are 95% of deliveries and writes within their limit. The table marks alert
delivery and audit writes "(Slack)" and pages only on the CB staleness and poison queue
thresholds, not on a target's budget: every burn-rate alert goes to #alerts-ops (P2), never
PagerDuty. Only the fast-burn tiers: a slow-burn tier notifies even a total outage hours
late, past P2's hour.
"""

from obsgen import ABOVE, PAGE, Assumed, LatencySLI, Runbook, SLO, TimeSLI, minutes, percent, seconds, workbook_tiers

from . import alert_delivery, audit_log, circuit_breaker
from . import signals as s
from .routing import P2_SLACK

_TABLE = Runbook("SLA Monitoring > Track 7 SLA Targets")
FAST_BURN_ONLY = tuple(t for t in workbook_tiers() if t.kind is PAGE)


def _slack(row: str) -> dict:
    return {
        "page_priority": _TABLE.says(row), "ticket_priority": _TABLE.says(row),
        "tiers": Assumed("The SRE workbook's fast-burn tiers; its slow-burn tiers notify too late for P2's hour."),
    }

CB_FRESHNESS = SLO(
    name="cb-freshness",
    title="Circuit breaker freshness",
    description="The circuit breaker state in Redis has been verified within the last 5 seconds.",
    service=circuit_breaker.SERVICE,
    sli=TimeSLI(signal=s.CB_STALENESS, bad_when=ABOVE, threshold=seconds(5)),
    objective=percent(99),
    page_priority=P2_SLACK,
    ticket_priority=P2_SLACK,
    tiers=FAST_BURN_ONLY,
    provenance={
        **_slack("| CB staleness | ≤ 5s | > 10s (page) |"),
        "page_priority": Assumed("Added by the definitions: the table pages above 10 s (CircuitBreakerStalenessHigh), not on the 5 s target's budget: P2, #alerts-ops."),
        "ticket_priority": Assumed("Added by the definitions: the 5 s target's budget tickets to #alerts-ops."),
        "objective": Assumed("The table's target is at most 5 s; sampled once a minute, 99% of the time is the tightest objective one stale minute does not page."),
    },
    no_data_for=minutes(5),  # no staleness reported at all: nobody checks the breaker
    actions=(
        "Check the breaker state: Redis key circuit_breaker:state; history in the circuit_breaker:history sorted set.",
        "Verify Redis connectivity in the System Health dashboard.",
        "If the state cannot be confirmed, trip the breaker: make circuit-trip.",
    ),
)

# The delivery service exports its latency with a 60 s bucket (the target).
ALERT_DELIVERY = SLO(
    name="alert-delivery",
    title="Alert delivery time",
    description="95% of alerts are delivered (email, Slack, SMS) within 60 seconds of being enqueued.",
    service=alert_delivery.SERVICE,
    sli=LatencySLI(histogram="alert_delivery_latency_seconds", threshold=seconds(60), buckets=(1, 5, 10, 30, 60, 120, 300, 600)),
    objective=percent(95),
    page_priority=P2_SLACK,
    ticket_priority=P2_SLACK,
    tiers=FAST_BURN_ONLY,
    provenance={**_slack("| Alert delivery P95 | < 60s | > 60s (Slack) |"), "objective": _TABLE.says("| Alert delivery P95 | < 60s |")},
    actions=(
        "Check the poison queue: SELECT ... FROM alert_deliveries WHERE status = 'poison'.",
        "Check the per-channel latency and the provider rate limits on the alert delivery dashboard.",
    ),
)

AUDIT_WRITES = SLO(
    name="audit-writes",
    title="Audit write time",
    description="95% of audit log writes to Postgres complete within 1 second.",
    service=audit_log.SERVICE,
    sli=LatencySLI(histogram="audit_write_latency_seconds", threshold=seconds(1)),
    objective=percent(95),
    page_priority=P2_SLACK,
    ticket_priority=P2_SLACK,
    tiers=FAST_BURN_ONLY,
    provenance={**_slack("| Audit write P95 | < 1s | > 1s (Slack) |"), "objective": _TABLE.says("| Audit write P95 | < 1s |")},
    actions=(
        "Verify Postgres connectivity and load in the System Health dashboard.",
        "Check for long-running transactions and locks on the audit tables.",
    ),
)

SLOS = (CB_FRESHNESS, ALERT_DELIVERY, AUDIT_WRITES)
