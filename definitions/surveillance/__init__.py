"""The Crypto Market Microstructure Surveillance System (runbook: shared/seeds/004_668dfd8eae18abe0.txt)."""

from obsgen import External, System

from . import inhibitions, routing
from .checks import CHECKS
from .scenarios import SCENARIOS
from .slos import SLOS
from .dashboard import DASHBOARD
from .infrastructure import REDIS, TIMESCALEDB
from .ingestion import DATA_INGESTION
from .market import MARKET
from .processing import ANOMALY_DETECTOR, METRICS_ENGINE
from .runbook import QUICK_START, TITLE, URLS

SYSTEM = System(
    name="surveillance",
    title="Crypto Market Microstructure Surveillance",
    description=(
        "Surveils Binance and OKX perpetual order books (BTC-USDT-PERP): data-ingestion receives WebSocket "
        "order books into Redis, the metrics-engine computes spreads, depth and z-scores into TimescaleDB, "
        "the anomaly-detector raises P1/P2 market alerts, and the dashboard shows them on port 8050."
    ),
    services=(MARKET, DATA_INGESTION, METRICS_ENGINE, ANOMALY_DETECTOR, DASHBOARD, REDIS, TIMESCALEDB),
    priorities=routing.PRIORITIES,
    receivers=routing.RECEIVERS,
    default_receiver=routing.DEFAULT_RECEIVER,
    checks=CHECKS,
    routes=routing.ROUTES,
    inhibitions=inhibitions.INHIBITIONS,
    escalations=routing.ESCALATIONS,
    scenarios=SCENARIOS,  # operator scenarios from the runbook (scenarios.py)
    slos=SLOS,  # service level objectives and their burn-rate alerts (slos.py)
    # Assumed: the runbook's dashboard is the Dash app on localhost:8050, which no notification can open.
    runbook_base_url="https://runbooks.surveillance.example.com/surveillance/",
    grafana_base_url="https://grafana.surveillance.example.com",
    runbook=TITLE,
    externals=(
        External(title="Surveillance dashboard (Dash UI)", url="http://localhost:8050",
                 provenance=QUICK_START.says("open http://localhost:8050")),
    ),
    alertmanager_url="https://alertmanager.surveillance.example.com",
    provenance={"alertmanager_url": URLS},
)
