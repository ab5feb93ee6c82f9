"""The trading engine on Kubernetes (seeds/003_4f4cce8341292edf.txt): API, WebSocket, FIX gateway,
PostgreSQL, Redis and the production namespace, with the runbook's P0-P3 routing."""

from obsgen import External, System

from . import api, fix_gateway, inhibitions, kubernetes, postgresql, redis, routing, security, websocket
from . import runbook as rb
from .checks import CHECKS
from .scenarios import SCENARIOS
from .slos import SLOS

SYSTEM = System(
    name="trading-engine",
    title="Trading Engine",
    description=(
        "A trading engine on Kubernetes (namespace production): REST API, WebSocket market data, "
        "FIX 4.4 gateway, PostgreSQL and Redis, deployed with helm chart trading-engine."
    ),
    services=(
        api.SERVICE,
        websocket.SERVICE,
        fix_gateway.SERVICE,
        postgresql.SERVICE,
        redis.SERVICE,
        kubernetes.SERVICE,
        security.SERVICE,
    ),
    priorities=routing.PRIORITIES,
    receivers=routing.RECEIVERS,
    default_receiver=routing.DEFAULT_RECEIVER,
    checks=CHECKS,
    routes=routing.ROUTES,
    time_intervals=routing.TIME_INTERVALS,
    inhibitions=inhibitions.INHIBITIONS,
    escalations=routing.ESCALATIONS,
    scenarios=SCENARIOS,  # operator scenarios from the runbook (scenarios.py)
    slos=SLOS,  # service level objectives and their burn-rate alerts (slos.py)
    runbook_base_url="https://runbooks.trading-engine.com/trading-engine/",  # assumed: the runbook names no handbook URL
    grafana_base_url="https://grafana.trading-engine.com",
    alertmanager_url="https://alertmanager.trading-engine.com",
    externals=(
        External(title="API", url="https://api.trading-engine.com", provenance=rb.URLS.says("API: https://api.trading-engine.com")),
        External(title="WebSocket", url="wss://ws.trading-engine.com", provenance=rb.URLS.says("WebSocket: wss://ws.trading-engine.com")),
        External(title="Prometheus (internal)", url="https://prometheus.trading-engine.com", provenance=rb.URLS.says("Prometheus: https://prometheus.trading-engine.com (Internal)")),
        External(title="Jaeger (internal)", url="https://jaeger.trading-engine.com", provenance=rb.URLS.says("Jaeger: https://jaeger.trading-engine.com (Internal)")),
        External(title="Admin Panel", url="https://admin.trading-engine.com", provenance=rb.URLS.says("Admin Panel: https://admin.trading-engine.com")),
    ),
    runbook=rb.TITLE,
    provenance={
        "grafana_base_url": rb.URLS.says("Grafana: https://grafana.trading-engine.com"),
        "alertmanager_url": rb.ALERTMANAGER_URL,
    },
)
