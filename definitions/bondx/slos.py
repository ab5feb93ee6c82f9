"""BondX's service level objectives: the targets of the Ten Things to Check, over 30 days.

Runbook: "The Ten Things to Check Dashboard List". Its "Critical Thresholds" are stated
as targets ("Uptime: >99.9%", "Trade Success Rate: >99.9%", "<100ms p95"); each becomes
an objective with an error budget and burn-rate alerts. A "<X p95" target is the
objective "95% of requests within X".

The runbook states these targets but no alert on them, so none pages: an SLO's fast-burn
tiers notify as P3 (#bondx-ops, within the hour) and its slow-burn tiers as P4 (within 4
hours), both added by the definitions and marked so in the handbook. A 95% objective's
slow-burn tier needs more than 4 hours to notify even a total outage (a day's window at
3x its 5% budget), so those SLOs keep their fast-burn tiers only.
"""

from obsgen import PAGE, Assumed, LatencySLI, RatioSLI, SLO, TimeSLI, minutes, ms, percent, workbook_tiers

from . import signals as s
from .data_providers import DATA_PROVIDERS
from .infrastructure import INFRASTRUCTURE
from .routing import P3, P4
from .trading_engine import TRADING_ENGINE
from .websocket import WEBSOCKET


def sel(*matchers: str) -> str:
    return s.sel(*matchers)


FAST_BURN_ONLY = tuple(t for t in workbook_tiers() if t.kind is PAGE)
ADDED = {
    "objective": Assumed("The Ten Things target over a 30-day period: the runbook gives the target, not a period or budget."),
    "page_priority": Assumed("Added by the definitions: the runbook states the target but no alert on it, so a fast burn tickets as P3 (Slack), never a page."),
    "ticket_priority": Assumed("Added by the definitions: a slow burn of a target the runbook alerts nowhere tickets as P4 (within 4 hours)."),
    "tiers": Assumed("The SRE workbook's burn-rate tiers."),
}


# Ten Things 1 "Uptime: >99.9% for all critical services" (expected uptime_24h 99.95%):
# the share of each service's instances up, as the uptime signal measures it.
UPTIME = SLO(
    name="service-uptime",
    title="Service uptime",
    description="Every BondX service's instances are up (the GREEN of System Status).",
    service=INFRASTRUCTURE,
    sli=TimeSLI(signal=s.SERVICES_UP),
    objective=percent(99.9),
    group_by=("app",),
    page_priority=P3,
    ticket_priority=P4,
    provenance=ADDED,
    actions=(
        "Find the service whose instances are down: kubectl get pods -n bondx -l app=<app>.",
        "Describe the failing pod and read its logs: kubectl logs -n bondx -l app=<app>.",
        "Roll back the last deployment if it started then.",
    ),
)

# Ten Things 1 "Error Rate: <0.1% for all services" (expected 0.05%): 5xx answers.
API_AVAILABILITY = SLO(
    name="api-availability",
    title="API availability",
    description="API requests to every BondX service are answered without a server error (5xx).",
    service=INFRASTRUCTURE,
    sli=RatioSLI(total="bondx_http_requests_total" + sel(), errors="bondx_http_requests_total" + sel('code=~"5.."')),
    objective=percent(99.9),
    group_by=("app",),
    page_priority=P3,
    ticket_priority=P4,
    provenance=ADDED,
    no_data_for=minutes(15),  # no request counted anywhere for 15 minutes: the services are not scraped
    actions=(
        "Find the service whose 5xx rose on the API error rate panel.",
        "Read its errors: kubectl logs -n bondx -l app=<app>.",
        "Check its dependencies (PostgreSQL, Redis, data providers) on their dashboards.",
    ),
)

# Ten Things 1 "Response Time: <100ms p95 for all APIs" (expected 75ms).
API_LATENCY = SLO(
    name="api-latency",
    title="API response time",
    description="95% of API requests to every BondX service are answered within 100 ms.",
    service=INFRASTRUCTURE,
    sli=LatencySLI(histogram="bondx_http_request_duration_seconds" + sel(), threshold=ms(100)),
    objective=percent(95),
    group_by=("app",),
    page_priority=P3,
    ticket_priority=P4,
    tiers=FAST_BURN_ONLY,
    provenance=ADDED,
    actions=(
        "Find the slow service on the API response time panel.",
        "Check system resources (CPU, memory) of its pods and nodes.",
        "Check database query time and Redis response time.",
    ),
)

# Ten Things 2 "Order Processing: <50ms p95 order accept to execution" (expected 35ms).
ORDER_LATENCY = SLO(
    name="order-processing",
    title="Order processing time",
    description="95% of orders go from accept to execution within 50 ms.",
    service=TRADING_ENGINE,
    sli=LatencySLI(histogram="bondx_order_accept_to_execution_seconds" + sel(), threshold=ms(50)),
    objective=percent(95),
    page_priority=P3,
    ticket_priority=P4,
    tiers=FAST_BURN_ONLY,
    provenance=ADDED,
    actions=(
        "Check system resources of the trading engine (kubectl top pods -n bondx -l app=trading-engine).",
        "Verify database performance.",
        "Review recent changes to the trading engine.",
    ),
)

# Ten Things 2 "Trade Success Rate: >99.9%" (expected 99.95%).
TRADE_SUCCESS = SLO(
    name="trade-success",
    title="Trade success",
    description="Trades complete successfully.",
    service=TRADING_ENGINE,
    sli=RatioSLI(total="bondx_trades_total" + sel(), good="bondx_trades_total" + sel('result="success"')),
    objective=percent(99.9),
    page_priority=P3,
    ticket_priority=P4,
    provenance=ADDED,
    actions=(
        "Read the trading engine's failed trades: kubectl logs -n bondx -l app=trading-engine.",
        "Check the risk engine and the database, which every trade passes through.",
    ),
)

# Ten Things 3 "Connection Success Rate: >99.9%" (expected 99.95%).
WEBSOCKET_CONNECTIONS = SLO(
    name="websocket-connections",
    title="WebSocket connection success",
    description="Client WebSocket connection attempts succeed.",
    service=WEBSOCKET,
    sli=RatioSLI(
        total="bondx_websocket_connection_attempts_total" + sel(),
        good="bondx_websocket_connection_attempts_total" + sel('result="success"'),
    ),
    objective=percent(99.9),
    page_priority=P3,
    ticket_priority=P4,
    provenance=ADDED,
    actions=(
        "Check WebSocket capacity (WebSocketServiceOverloaded) and the load balancer's health.",
        "Read the managers' logs: kubectl logs -n bondx -l app=websocket-manager.",
    ),
)

# Ten Things 3 "Reconnection Success Rate: >99.5%" (expected 99.8%).
WEBSOCKET_RECONNECTIONS = SLO(
    name="websocket-reconnections",
    title="WebSocket reconnection success",
    description="Clients that lose their WebSocket connection reconnect successfully.",
    service=WEBSOCKET,
    sli=RatioSLI(
        total="bondx_websocket_reconnections_total" + sel(),
        good="bondx_websocket_reconnections_total" + sel('result="success"'),
    ),
    objective=percent(99.5),
    page_priority=P3,
    ticket_priority=P4,
    provenance=ADDED,
    actions=(
        "Check WebSocket capacity and connection leaks (kubectl logs -n bondx -l app=websocket-manager).",
        "Verify client behaviour: a reconnect storm after a deployment settles within minutes.",
    ),
)

# Ten Things 3 "Message Delivery Latency: <150ms p95" (expected 100ms). 150 ms must be a
# bucket boundary: the managers export these buckets (the client default has no 0.15).
WEBSOCKET_DELIVERY = SLO(
    name="websocket-delivery",
    title="WebSocket message delivery time",
    description="95% of WebSocket messages reach the client within 150 ms.",
    service=WEBSOCKET,
    sli=LatencySLI(
        histogram="bondx_websocket_message_delivery_seconds" + sel(),
        threshold=ms(150),
        buckets=(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5),
    ),
    objective=percent(95),
    page_priority=P3,
    ticket_priority=P4,
    tiers=FAST_BURN_ONLY,
    provenance=ADDED,
    actions=(
        "Check WebSocket capacity and compression (WebSocket Service Overload playbook).",
        "Check the managers' CPU and network on the infrastructure dashboard.",
    ),
)

# Ten Things 8 "Success Rate: >99.5%" (expected 99.8%), per provider.
PROVIDER_SUCCESS = SLO(
    name="provider-success",
    title="Data provider success",
    description="Requests to each market data provider succeed.",
    service=DATA_PROVIDERS,
    sli=RatioSLI(
        total="bondx_data_provider_requests_total" + sel(),
        good="bondx_data_provider_requests_total" + sel('result="success"'),
    ),
    objective=percent(99.5),
    group_by=("provider",),
    page_priority=P3,
    ticket_priority=P4,
    provenance=ADDED,
    no_data_for=minutes(15),  # no request to any provider for 15 minutes: market data has stopped
    actions=(
        "Check the provider's status page and the fallback status panel.",
        "Switch the feed to its fallback provider if the primary keeps failing.",
    ),
)

# Ten Things 8 "API Response Time: <500ms p95" (expected 200ms), per provider.
PROVIDER_LATENCY = SLO(
    name="provider-latency",
    title="Data provider response time",
    description="95% of requests to each market data provider are answered within 500 ms.",
    service=DATA_PROVIDERS,
    sli=LatencySLI(histogram="bondx_data_provider_request_duration_seconds" + sel(), threshold=ms(500)),
    objective=percent(95),
    group_by=("provider",),
    page_priority=P3,
    ticket_priority=P4,
    tiers=FAST_BURN_ONLY,
    provenance=ADDED,
    actions=(
        "Check the provider's status page.",
        "Switch the feed to its fallback provider if the primary stays slow.",
    ),
)

SLOS = (
    UPTIME,
    API_AVAILABILITY,
    API_LATENCY,
    ORDER_LATENCY,
    TRADE_SUCCESS,
    WEBSOCKET_CONNECTIONS,
    WEBSOCKET_RECONNECTIONS,
    WEBSOCKET_DELIVERY,
    PROVIDER_SUCCESS,
    PROVIDER_LATENCY,
)
