"""BondX, a bond trading platform (seed 002: BondX Production Operator Handbook)."""

from obsgen import External, Runbook, System

from .checks import CHECKS
from .data_providers import DATA_PROVIDERS
from .datastores import DATABASE, REDIS_CACHE
from .infrastructure import INFRASTRUCTURE
from .reporting import BUSINESS_SERVICE, COMPLIANCE_SERVICE
from .risk_engine import RISK_ENGINE
from .inhibitions import INHIBITIONS
from .routing import DEFAULT_RECEIVER, ESCALATIONS, PRIORITIES, RECEIVERS, TIME_INTERVALS
from .scenarios import SCENARIOS
from .slos import SLOS
from .trading_engine import TRADING_ENGINE
from .websocket import WEBSOCKET

SYSTEM = System(
    name="bondx",
    title="BondX",
    description=(
        "BondX bond trading platform: trading engine, WebSocket managers, risk engine, market data "
        "providers, PostgreSQL, Redis and the compliance engine, in the Kubernetes namespace bondx. "
        "Incident response: acknowledge and assess within 0-5 minutes, investigate within 5-15 "
        "minutes, resolve and recover from 15 minutes; report in #bondx-incidents and incidents@bondx.com."
    ),
    # Areas in the order of the Ten Things to Check.
    services=(
        TRADING_ENGINE,
        WEBSOCKET,
        RISK_ENGINE,
        DATABASE,
        REDIS_CACHE,
        INFRASTRUCTURE,
        DATA_PROVIDERS,
        COMPLIANCE_SERVICE,
        BUSINESS_SERVICE,
    ),
    priorities=PRIORITIES,
    receivers=RECEIVERS,
    default_receiver=DEFAULT_RECEIVER,
    checks=CHECKS,
    inhibitions=INHIBITIONS,
    time_intervals=TIME_INTERVALS,
    escalations=ESCALATIONS,
    scenarios=SCENARIOS,  # operator scenarios from the handbook (scenarios.py)
    slos=SLOS,  # service level objectives and their burn-rate alerts (slos.py)
    runbook_base_url="https://runbooks.bondx.com/bondx/",  # assumed: the handbook names no URL for itself
    externals=(
        External(title="Jaeger", url="https://jaeger.bondx.com", provenance=Runbook("Where to Find Logs, Traces, and Dashboards > Distributed Tracing", 'url: "https://jaeger.bondx.com"')),
        External(title="Prometheus", url="https://prometheus.bondx.com", provenance=Runbook("Where to Find Logs, Traces, and Dashboards > Monitoring Dashboards", 'url: "https://prometheus.bondx.com"')),
    ),
    grafana_base_url="https://grafana.bondx.com",  # "Monitoring Dashboards"
    alertmanager_url="https://alertmanager.bondx.com",  # "Monitoring Dashboards"
    runbook="BondX Production Operator Handbook (Day-1/Week-1 Operational Guide)",
    provenance={
        "grafana_base_url": Runbook("Where to Find Logs, Traces, and Dashboards > Monitoring Dashboards", 'url: "https://grafana.bondx.com"'),
        "alertmanager_url": Runbook("Where to Find Logs, Traces, and Dashboards > Monitoring Dashboards", 'url: "https://alertmanager.bondx.com"'),
    },
)
