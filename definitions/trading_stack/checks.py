"""The things operators check: the runbook's Daily list, the Track 7 SLA table and the
breaker verification checklist.

The runbook gives no thresholds for data freshness, API errors, drawdown, positions or P&L,
so those checks show the number without a red line. Where the Track 7 table states a target
apart from its alert threshold, the target is the check's warning line and the alert's own
threshold (taken from the Alert object: one source) is its critical line.
"""

from obsgen import ABOVE, Check, days, per_second, seconds

from . import alert_delivery, audit_log, circuit_breaker
from . import procedures as p
from . import signals as s

DAILY = days(1)  # seeds/001 "Daily"; the Track 7 review has no cadence of its own, so daily too.

# --- seeds/001 "Daily" ------------------------------------------------------------------

POSITIONS = Check(
    title="Positions, open orders and P&L",
    signal=s.OPEN_POSITIONS,
    frequency=DAILY,
    good="Positions, open orders and P&L as expected for the strategies running.",
    action="Run `make status` to list positions, open orders and P&L. " + p.FLATTEN,
)

DATA_FRESHNESS = Check(
    title="Data freshness",
    signal=s.MARKET_DATA_RATE,
    frequency=DAILY,
    when="during market hours",
    good="Market data messages keep arriving (rate above 0) and no data freshness alert in Grafana.",
    action=p.DATA_STALE,
)

API_ERRORS = Check(
    title="API errors",
    signal=s.API_ERROR_RATIO,
    frequency=DAILY,
    good="No API error alerts in Grafana; broker API errors rare.",
    action="Check the execution gateway logs (`docker logs execution-gateway`) for the failing requests.",
)

DRAWDOWN = Check(
    title="Drawdown (DD)",
    signal=s.DRAWDOWN,
    frequency=DAILY,
    good="No drawdown alert in Grafana; drawdown within the strategy's limits.",
    action=p.TRIP_BREAKER + " " + p.FLATTEN,
)

SERVICE_STATUS = Check(
    title="System Health: service status",
    signal=s.UNHEALTHY_COMPONENTS,
    direction=ABOVE,
    warning=0,  # Green = Healthy for every microservice, Redis and Postgres: none down
    frequency=DAILY,
    good="Every microservice, Redis and Postgres Green (Healthy); the dashboard refreshes every 10 seconds.",
    action=(
        "Yellow (Degraded): monitor closely and investigate latency (execution_gateway_request_duration_seconds, "
        "signal_service_latency_seconds). Red (Unhealthy): investigate immediately. Gray (stale): the dashboard "
        "shows cached data, check connectivity. " + " ".join(p.TROUBLESHOOT_SERVICE)
    ),
)

# --- seeds/001 "Track 7 SLA Targets" -----------------------------------------------------

CB_STALENESS = Check(
    title="Track 7: circuit breaker staleness",
    signal=s.CB_STALENESS,
    direction=ABOVE,
    warning=seconds(5),  # target <= 5s: above 5s is off target
    critical=circuit_breaker.STALENESS_HIGH.critical.threshold,  # > 10s pages (the alert's number)
    frequency=DAILY,
    good="At most 5 s (target); near 0 right after a reset. Pages above 10 s.",
    action="See the CircuitBreakerStalenessHigh alert: check Redis and circuit_breaker:state.",
)

ALERT_DELIVERY = Check(
    title="Track 7: alert delivery P95",
    # Target "< 60s" and alert "> 60s" are the same number: the alert's threshold is the line.
    alert=alert_delivery.LATENCY_HIGH,
    frequency=DAILY,
    good="P95 below 60 s (target); the alert_delivery_latency_seconds histogram is on the Alert Delivery dashboard.",
    action="See the AlertDeliveryLatencyHigh alert: review the per-channel latency and the poison queue.",
)

AUDIT_WRITE = Check(
    title="Track 7: audit write P95",
    # Target "< 1s" and alert "> 1s" are the same number: the alert's threshold is the line.
    alert=audit_log.WRITE_LATENCY_HIGH,
    frequency=DAILY,
    good="P95 below 1 s (target).",
    action="See the AuditWriteLatencyHigh alert: check Postgres.",
)

POISON_QUEUE = Check(
    title="Track 7: poison queue size",
    signal=s.POISON_QUEUE,
    direction=ABOVE,
    warning=0,  # target 0: any poisoned delivery is off target
    critical=alert_delivery.POISON_QUEUE_HIGH.critical.threshold,  # > 10 pages (the alert's number)
    frequency=DAILY,
    good="0 (target). Pages above 10.",
    action=p.CHECK_POISON_QUEUE + " " + p.RETRY_DELIVERY,
)

# --- seeds/001 "Verification Checklist" (after a reset) and "Recovery" -------------------

CB_OPEN = Check(
    title="Circuit breaker state OPEN",
    signal=s.CB_STATE,
    direction=ABOVE,
    warning=0,  # 0 = OPEN; 1 = TRIPPED
    frequency=DAILY,
    good="OPEN (0) unless deliberately tripped; after a reset the audit log shows the reset entry.",
    action=(
        "After a reset or recovery verify: CB state OPEN on the dashboard, no pending orders blocked, "
        "the audit log shows the reset entry, cb_staleness_seconds near 0. "
        "Resets are limited to 1 per minute (global) and need a reason of at least 20 characters."
    ),
)

ORDERS_BLOCKED = Check(
    title="No pending orders blocked",
    signal=s.ORDERS_BLOCKED,
    direction=ABOVE,
    warning=per_second(0),  # checklist: "No pending orders blocked"
    frequency=DAILY,
    good="No orders blocked while the breaker is OPEN.",
    action="If orders stay blocked after a reset, check the breaker state (Redis key circuit_breaker:state) and the execution gateway logs.",
)

CHECKS = (
    POSITIONS,
    DATA_FRESHNESS,
    API_ERRORS,
    DRAWDOWN,
    SERVICE_STATUS,
    CB_STALENESS,
    ALERT_DELIVERY,
    AUDIT_WRITE,
    POISON_QUEUE,
    CB_OPEN,
    ORDERS_BLOCKED,
)
