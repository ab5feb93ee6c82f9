"""The trading engine's service level objectives (Quick Reference, Critical Metrics Dashboard).

"Error rate (< 0.1%)" is the objective 99.9% of API requests without a 5xx; "Order
execution latency (p95 < 300ms)" is 95% of orders executed within 300 ms. The runbook
states the targets without an alert on their budget, so the burn-rate alerts ticket as P3
(next business day), added by the definitions; the targets themselves alert as P2
(ApiErrorRateAboveTarget, OrderExecutionLatencyHigh) and the runbook's P1 thresholds page.
"""

from obsgen import Assumed, LatencySLI, RatioSLI, SLO, minutes, ms, percent

from . import api
from . import runbook as rb
from .signals import API
from .routing import P3

ADDED = {
    "page_priority": Assumed("Added by the definitions: the runbook states the target, no alert on its error budget; a fast burn tickets as P3."),
    "ticket_priority": Assumed("Added by the definitions: a slow burn tickets as P3 (next business day)."),
    "tiers": Assumed("The SRE workbook's burn-rate tiers over 30 days."),
}

API_AVAILABILITY = SLO(
    name="api-availability",
    title="API availability",
    description="API requests are answered without a 5xx error.",
    service=api.SERVICE,
    sli=RatioSLI(total=f"http_requests_total{{{API}}}", errors=f'http_requests_total{{{API}, code=~"5.."}}'),
    objective=percent(99.9),
    provenance={**ADDED, "objective": rb.CRITICAL_METRICS.says("Error rate (< 0.1%)")},
    page_priority=P3,
    ticket_priority=P3,
    no_data_for=minutes(10),  # the API is not scraped: the health probe says whether it is up
    actions=(
        "Check the API pods: kubectl get pods -n production and kubectl logs -n production deployment/trading-engine-api.",
        "Check PostgreSQL and Redis, which every request reads.",
        "Roll back the last deployment if the errors started with it: helm rollback trading-engine -n production.",
    ),
)

# The engine exports order execution latency with a 300 ms bucket (the SLO's threshold).
ORDER_EXECUTION = SLO(
    name="order-execution",
    title="Order execution time",
    description="95% of orders are executed within 300 ms of being received.",
    service=api.SERVICE,
    sli=LatencySLI(
        histogram="trading_engine_order_execution_duration_seconds",
        threshold=ms(300),
        buckets=(0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5),
    ),
    objective=percent(95),
    provenance={**ADDED, "objective": rb.CRITICAL_METRICS.says("Order execution latency (p95 < 300ms)")},
    page_priority=P3,
    ticket_priority=P3,
    actions=(
        "Check database connection pool utilization and slow queries.",
        "Check the FIX sessions and the exchange APIs the orders go to.",
        "Scale the API horizontally if CPU is above 80%.",
    ),
)

SLOS = (API_AVAILABILITY, ORDER_EXECUTION)
