"""The API server (deployment trading-engine-api): availability, errors and latency."""

from obsgen import ABOVE, Alert, BELOW, Level, Service, minutes, ms, percent, seconds

from . import procedures as p
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
)

# seeds/003 "P0: Complete Service Outage", symptom "All API requests returning errors".
ALL_REQUESTS_FAILING = Alert(
    name="ApiAllRequestsFailing",
    signal=s.API_ANY_SUCCESS,
    direction=BELOW,
    critical=Level(1, P0),
    for_=minutes(2),  # 2m: every request of two minutes failed, not a single bad scrape
    summary="Every API request is returning an error.",
    meaning="P0 complete service outage: all API requests are returning errors (no request succeeded).",
    actions=p.OUTAGE,
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
)

SERVICE = Service(
    name="api",
    title="API Server",
    team="backend",
    description=(
        "REST API for trading operations (https://api.trading-engine.com), deployment trading-engine-api "
        "in namespace production; executes orders against the liquidity providers."
    ),
    alerts=(HEALTH_CHECK_FAILING, ALL_REQUESTS_FAILING, HIGH_ERROR_RATE, HIGH_LATENCY),
    signals=(s.ORDER_EXECUTION_P95, s.API_THROUGHPUT, s.API_TIMEOUTS),
)
