"""The distributed exchange (DEX): API gateway, order service, risk engine, matching engine.

Runbook: the DEX Operator Manual (shared/seeds/000_1513bae255a16944.txt), "Launch &
Operational Docs". Modules: signals (what is measured), exchange (overview: error rate,
circuit breakers, maintenance mode), api_gateway, order_flow (order service, risk
engine), matching_engine, routing (receivers, priorities, inhibitions), checks.
"""

from obsgen import System

from . import api_gateway, exchange, inhibitions, matching_engine, order_flow, routing
from . import runbook as rb
from .checks import CHECKS
from .scenarios import SCENARIOS
from .slos import SLOS

SYSTEM = System(
    name="dex",
    title="Distributed exchange (DEX)",
    description=(
        "A distributed exchange in the dex-production namespace: the API gateway takes client "
        "orders, the order service checks them with the risk engine and the matching engine "
        "matches them. Services protect their dependencies with circuit breakers; maintenance "
        "mode halts the exchange."
    ),
    services=(
        exchange.SERVICE,
        api_gateway.SERVICE,
        order_flow.ORDER_SERVICE,
        order_flow.RISK_ENGINE,
        matching_engine.SERVICE,
    ),
    priorities=routing.PRIORITIES,
    receivers=routing.RECEIVERS,
    default_receiver=routing.DEFAULT_RECEIVER,
    checks=CHECKS,
    inhibitions=inhibitions.INHIBITIONS,
    scenarios=SCENARIOS,  # operator scenarios from the manual (scenarios.py)
    slos=SLOS,  # service level objectives and their burn-rate alerts (slos.py)
    # Assumed: the manual names no URLs for the handbook or Grafana.
    runbook_base_url="https://runbooks.dex.example.com/dex/",
    grafana_base_url="https://grafana.dex.example.com",
    runbook=rb.TITLE,
    alertmanager_url="https://alertmanager.dex.example.com",  # §2.2: "Access the Alertmanager interface"
    provenance={"alertmanager_url": rb.URLS},
)
