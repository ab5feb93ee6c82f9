"""The API server (deployment trading-engine-api): availability, errors and latency."""

from obsgen import Assumed, ABOVE, AT_OR_ABOVE, Alert, BELOW, Level, Service, minutes, ms, percent, seconds

from . import procedures as p
from . import runbook as rb
from . import signals as s
from .routing import P0, P1, P2

# seeds/003 "P0: Complete Service Outage", symptom "Health check failing".
HEALTH_CHECK_FAILING = Alert(
    name="ApiHealthCheckFailing",
    signal=s.API_HEALTH,
    direction=BELOW,
    critical=Level(1, P0),
    # 2m: several probes in a row fail; leaves 3 minutes of the P0 "< 5 minutes" response time.
    for_=minutes(2),
    summary="The API health check at https://api.trading-engine.com/health is failing.",
    meaning="P0 complete service outage: the API health check is failing, traders cannot use the platform.",
    actions=p.OUTAGE,
    provenance={
        "threshold": rb.OUTAGE.says("Health check failing"), "direction": rb.OUTAGE.says("Health check failing"),
        "priority": rb.OUTAGE.says("### P0: Complete Service Outage"),
        "for_": Assumed("Two minutes: several probes in a row fail, within P0's 5 minutes."),
    },
)

# seeds/003 "P0: Complete Service Outage", symptom "All API requests returning errors".
ALL_REQUESTS_FAILING = Alert(
    name="ApiAllRequestsFailing",
    signal=s.API_ANY_SUCCESS,
    direction=BELOW,
    critical=Level(1, P0),
    for_=minutes(1),  # 1m past the 1-minute window: every request failed, not a single bad scrape
    summary="Every API request is returning an error.",
    meaning="P0 complete service outage: all API requests are returning errors (no request succeeded).",
    actions=p.OUTAGE,
    provenance={
        "threshold": rb.OUTAGE.says("All API requests returning errors"), "direction": rb.OUTAGE.says("All API requests returning errors"),
        "priority": rb.OUTAGE.says("### P0: Complete Service Outage"),
        "for_": Assumed("One minute past the 1-minute window: every request failed, not a single bad scrape, within P0's 5 minutes."),
    },
)

# Two tiers of one error rate (the runbook's table and its P1 section line up):
# seeds/003 "Key Metrics to Watch": Error rate > 1% -> Investigate logs (no priority given: P2,
#   partial functionality impaired, "affects < 50% users");
# seeds/003 "P1: High Error Rate": Error rate > 5% -> P1.
# The Critical Metrics Dashboard target "< 0.1%" is a check (checks.py), not an alert.
HIGH_ERROR_RATE = Alert(
    name="ApiHighErrorRate",
    signal=s.API_ERROR_RATIO,
    direction=ABOVE,
    warning=Level(percent(1), P2),
    critical=Level(percent(5), P1),
    for_=minutes(5),  # 5m: the ratio spans 5m already; a sustained breach, not a burst
    summary="The API error rate is above its threshold.",
    meaning=(
        "More than 1% of API requests fail with a 5xx error (Key Metrics: investigate logs); above 5% this is "
        "the P1 High Error Rate incident: significant functionality impaired."
    ),
    actions=("Investigate logs (Key Metrics to Watch: error rate > 1%).", *p.HIGH_ERROR_RATE),
    provenance={
        "warning.threshold": rb.KEY_METRICS.says("| Error rate | > 1% | Investigate logs |"),
        "critical.threshold": rb.HIGH_ERRORS.says("Error rate > 5%"),
        "direction": rb.KEY_METRICS.says("> 1%"),
        "warning.priority": rb.KEY_METRICS_P2,
        "critical.priority": rb.HIGH_ERRORS.says("### P1: High Error Rate"),
        "for_": rb.NO_DURATION,
    },
)

# Two tiers of one latency:
# seeds/003 "Key Metrics to Watch": p95 latency > 500ms -> Check database, scale up (P2, as above);
# seeds/003 "P1: High Error Rate": Slow response times (p95 > 1s) -> P1.
HIGH_LATENCY = Alert(
    name="ApiHighLatency",
    signal=s.API_LATENCY_P95,
    direction=ABOVE,
    warning=Level(ms(500), P2),
    critical=Level(seconds(1), P1),
    for_=minutes(5),  # 5m: the p95 spans 5m already; a sustained breach, not a burst
    summary="The API p95 response time is {direction} {threshold}.",
    meaning=(
        "API responses are slow: p95 above 500 ms (Key Metrics: check database, scale up); above 1 s this is "
        "the P1 High Error Rate incident (slow response times)."
    ),
    actions=(
        "Check the database, scale up (Key Metrics to Watch: p95 latency > 500ms): PostgreSQL connections, "
        "CPU and slow queries on the PostgreSQL dashboard, then the steps below.",
        *p.HIGH_ERROR_RATE,
    ),
    provenance={
        "warning.threshold": rb.KEY_METRICS.says("| p95 latency | > 500ms | Check database, scale up |"),
        "critical.threshold": rb.HIGH_ERRORS.says("Slow response times (p95 > 1s)"),
        "direction": rb.KEY_METRICS.says("> 500ms"),
        "warning.priority": rb.KEY_METRICS_P2,
        "critical.priority": rb.HIGH_ERRORS.says("### P1: High Error Rate"),
        "for_": rb.NO_DURATION,
    },
)

# Quick Reference > Critical Metrics Dashboard: "Order execution latency (p95 < 300ms)" and
# "Error rate (< 0.1%)": the runbook's key targets, alerts of their own beside the SLOs (a
# p95 of 300 ms or an error rate of 0.1% is not under them). Each is P2: users' orders are
# slower or fail, not the whole platform.
ORDER_EXECUTION_SLOW = Alert(
    name="OrderExecutionLatencyHigh",
    signal=s.ORDER_EXECUTION_P95,
    direction=AT_OR_ABOVE,
    warning=Level(ms(300), P2),
    for_=minutes(5),
    summary="Order execution p95 latency is not under 300 ms.",
    meaning="The 95th percentile order execution latency is at or above 300 ms; the runbook's key metric is p95 < 300ms.",
    actions=(
        "Check database connection pool utilization and slow queries (PostgreSQL dashboard).",
        "Check the FIX sessions and the exchange APIs the orders go to.",
        "Check the database, scale up (Key Metrics to Watch) if the API pods are busy.",
        p.ROLLBACK_AFTER_DEPLOY,
    ),
    provenance={
        "threshold": rb.CRITICAL_METRICS.says("Order execution latency (p95 < 300ms)"),
        "direction": rb.CRITICAL_METRICS.says("p95 < 300ms"),
        "priority": rb.NO_PRIORITY_TARGET,
        "for_": rb.NO_DURATION,
    },
)

ERROR_RATE_ABOVE_TARGET = Alert(
    name="ApiErrorRateAboveTarget",
    signal=s.API_ERROR_RATIO,
    direction=AT_OR_ABOVE,
    warning=Level(percent(0.1), P2),
    for_=minutes(5),
    summary="The API error rate is not under 0.1%.",
    meaning="At least 0.1% of API requests fail with a 5xx error; the runbook's key metric is an error rate < 0.1%.",
    actions=("Investigate logs: `kubectl logs -n production deployment/trading-engine-api --tail=1000 | grep -i error`.", *p.HIGH_ERROR_RATE[1:]),
    provenance={
        "threshold": rb.CRITICAL_METRICS.says("Error rate (< 0.1%)"),
        "direction": rb.CRITICAL_METRICS.says("< 0.1%"),
        "priority": rb.NO_PRIORITY_TARGET,
        "for_": rb.NO_DURATION,
    },
)

SERVICE = Service(
    name="api",
    title="API Server",
    team="backend",
    description=(
        "REST API for trading operations (https://api.trading-engine.com), deployment trading-engine-api "
        "in namespace production; executes orders against the liquidity providers."
    ),
    alerts=(HEALTH_CHECK_FAILING, ALL_REQUESTS_FAILING, ORDER_EXECUTION_SLOW, ERROR_RATE_ABOVE_TARGET, HIGH_ERROR_RATE, HIGH_LATENCY),
    signals=(s.ORDER_EXECUTION_P95, s.API_THROUGHPUT, s.API_TIMEOUTS),
)
