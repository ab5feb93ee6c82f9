"""The DEX's service level objectives (runbook §2.1), over 30 days.

§2.1 "Ensure the aggregate error rate is <0.01%" is the objective 99.99% of requests
without a 5xx; "Check p99 latency is strictly under 500µs" is 99% of matches within
500 µs. Burn-rate pages are P1 (the on-call: users are affected); tickets are P2 (Slack,
looked at by the next start-of-shift check at the latest, §2.2).
"""

from obsgen import LatencySLI, RatioSLI, SLO, minutes, percent, us

from . import exchange, matching_engine
from .signals import ENGINE, sel
from .routing import P1, P2

ERROR_RATE = SLO(
    name="request-success",
    title="Request success",
    description="Requests to DEX services are answered without a 5xx (HTTP 429 rate limiting is not an error, §4.2).",
    service=exchange.SERVICE,
    sli=RatioSLI(total="http_requests_total" + sel(), errors="http_requests_total" + sel('code=~"5.."')),
    objective=percent(99.99),  # 14.4 x 0.01% = 0.144%: every tier can fire
    page_priority=P1,
    ticket_priority=P2,
    no_data_for=minutes(10),  # no request counted in dex-production for 10 minutes
    actions=(
        "Open the DEX Overview dashboard and find which app's 5xx rate rose first.",
        "Check whether a circuit breaker is open (CircuitBreakerOpen) and which dependency it protects.",
        "Read that app's errors: logcli query '{app=\"<app>\", namespace=\"dex-production\"} |~ \"ERROR\"' --since=1h",
    ),
)

# The engine exports its match latency with sub-millisecond buckets; 500 µs is one of them.
MATCH_LATENCY = SLO(
    name="match-latency",
    title="Matching latency",
    description="99% of matches complete within 500 µs.",
    service=matching_engine.SERVICE,
    sli=LatencySLI(
        histogram="dex_matching_engine_match_duration_seconds" + sel(ENGINE),
        threshold=us(500),
        buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1),
    ),
    objective=percent(99),
    page_priority=P1,
    ticket_priority=P2,
    actions=(
        "Check the order throughput against market volume on the matching engine dashboard.",
        "Check the engine's CPU and memory: kubectl top pods -n dex-production -l app=matching-engine.",
    ),
)

SLOS = (ERROR_RATE, MATCH_LATENCY)
