"""Health Checks: "All 6 services healthy" (docker-compose ps shows Up (healthy)).

One availability signal and one <Service>Down alert per container. The runbook gives no
priority for a service being down; it is the failed health check every other procedure
starts from, and a down pipeline service blinds the surveillance (its own metric alerts
go silent with it), so each is a critical level: P1 (Emergency Contact Escalation: P1 is
Critical). A down exporter counts as down (`x_up or up`), so silence is never "healthy".
"""

from obsgen import Alert, Assumed, BELOW, Level, Signal, count, minutes

from . import runbook as rb
from .routing import P1

# for_: 1m rides out one failed scrape or a container restart, and still leaves most of
# P1's 5-minute response time.
FOR = minutes(1)

_INFRA = "If it does not come back healthy, raise it in #infrastructure-ops (Emergency Procedures: Infrastructure Issues)."


def _up(job: str, what: str, expr: str | None = None) -> Signal:
    return Signal(
        record=f"{job.replace('-', '_')}:up:min",
        expr=expr or f'min(up{{job="{job}"}})',
        unit=count,
        description=f"1 while {what} is up, 0 when it is down or cannot be reached.",
        provenance=rb.EXPORTER_NAMES,
    )


def _down(name: str, container: str, service: str, signal: Signal, meaning: str, actions: tuple[str, ...]) -> Alert:
    return Alert(
        name=name,
        signal=signal,
        direction=BELOW,
        critical=Level(1, P1),
        for_=FOR,
        summary=f"The {service} service is down.",
        meaning=meaning,
        actions=(
            f"Check service health: `docker-compose ps` ({container} should show Up (healthy)).",
            *actions,
            _INFRA,
        ),
        provenance={
            "threshold": rb.HEALTH.says('Expected: All 6 services show "Up (healthy)"'),
            "direction": rb.HEALTH.says("Up (healthy)"),
            "priority": Assumed("The runbook gives a service being down no priority; a down service blinds the surveillance, so P1 (critical)."),
            "for_": rb.ONE_MINUTE,
        },
    )


def _app_actions(service: str) -> tuple[str, ...]:
    """Service Management: logs, then restart the single service."""
    return (
        f"Read its logs: `docker-compose logs --tail=100 {service}`.",
        f"Restart it: `docker-compose restart {service}`.",
    )


INGESTION_UP = _up("surveillance-ingestion", "the data-ingestion service")
METRICS_ENGINE_UP = _up("surveillance-metrics", "the metrics-engine service")
ANOMALY_DETECTOR_UP = _up("surveillance-anomaly", "the anomaly-detector service")
# Check Dashboard: `curl -f http://localhost:8050/`, as a blackbox_exporter http_2xx probe.
DASHBOARD_UP = _up(
    "surveillance-dashboard",
    "the dashboard answers on port 8050 (blackbox probe of `http://dashboard:8050/`)",
    'min(probe_success{job="surveillance-dashboard"} or up{job="surveillance-dashboard"})',
)
# Check Redis: `redis-cli ping` -> PONG, as redis_exporter's redis_up.
REDIS_UP = _up("surveillance-redis", "Redis answers PING", 'min(redis_up{job="surveillance-redis"} or up{job="surveillance-redis"})')
# Check PostgreSQL: `SELECT 1`, as postgres_exporter's pg_up.
TIMESCALEDB_UP = _up("surveillance-db", "TimescaleDB answers queries", 'min(pg_up{job="surveillance-db"} or up{job="surveillance-db"})')

SERVICES_HEALTHY = Signal(
    record="surveillance:services_healthy:sum",
    expr=(
        'sum('
        'min by (job) (up{job=~"surveillance-(ingestion|metrics|anomaly)"})'
        ' or min by (job) (probe_success{job="surveillance-dashboard"} or up{job="surveillance-dashboard"})'
        ' or min by (job) (redis_up{job="surveillance-redis"} or up{job="surveillance-redis"})'
        ' or min by (job) (pg_up{job="surveillance-db"} or up{job="surveillance-db"})'
        ') or vector(0)'
    ),
    unit=count,
    description="How many of the 6 services (ingestion, metrics, anomaly, dashboard, redis, db) are healthy.",
    provenance=rb.EXPORTER_NAMES,
)

DATA_INGESTION_DOWN = _down(
    "DataIngestionDown", "surveillance-ingestion", "data-ingestion", INGESTION_UP,
    "No order book data is received from Binance or OKX: nothing flows WebSocket -> Redis -> Metrics -> PostgreSQL, "
    "and the message rate, gap and lag alerts go silent with it.",
    _app_actions("data-ingestion")
    + ('Confirm the subscriptions after restart: `docker-compose logs data-ingestion | grep -i "subscribed"` '
       '("Successfully subscribed to binance BTC-USDT-PERP", "... okx BTC-USDT-PERP").',),
)

METRICS_ENGINE_DOWN = _down(
    "MetricsEngineDown", "surveillance-metrics", "metrics-engine", METRICS_ENGINE_UP,
    "Spread, depth and z-score metrics are no longer computed or written to PostgreSQL, so no anomaly can be detected.",
    _app_actions("metrics-engine"),
)

ANOMALY_DETECTOR_DOWN = _down(
    "AnomalyDetectorDown", "surveillance-anomaly", "anomaly-detector", ANOMALY_DETECTOR_UP,
    "No market surveillance alert (P1/P2) is raised or auto-resolved while it is down.",
    _app_actions("anomaly-detector"),
)

DASHBOARD_DOWN = _down(
    "DashboardDown", "surveillance-dashboard", "dashboard", DASHBOARD_UP,
    "http://localhost:8050 returns an error or times out (Common Issues: Dashboard Not Loading); "
    "surveillance continues but operators cannot see it.",
    (
        "Check dashboard logs: `docker-compose logs -f dashboard`.",
        "Verify the port is available: `netstat -an | grep 8050`.",
        "Check its dependencies are healthy: `docker-compose ps redis timescaledb`.",
        "Restart the dashboard: `docker-compose restart dashboard`.",
    ),
)

REDIS_DOWN = _down(
    "RedisDown", "surveillance-redis", "redis", REDIS_UP,
    "Redis holds the order books, z-score buffers, health hashes and alerts:active; without it the pipeline stops.",
    (
        "Check Redis answers: `redis-cli ping` (expected: PONG).",
        "Read its logs: `docker-compose logs --tail=100 redis`.",
        "Restart it: `docker-compose restart redis` (z-score warmup restarts: alerts are suppressed for ~30 seconds).",
    ),
)

TIMESCALEDB_DOWN = _down(
    "TimescaleDBDown", "surveillance-db", "timescaledb", TIMESCALEDB_UP,
    "Metrics, alerts, order book snapshots and data gaps can no longer be stored or queried.",
    (
        "Check PostgreSQL answers: `psql -h localhost -U surveillance -d surveillance -c \"SELECT 1\"` "
        "(password from the deployment's .env or ~/.pgpass; never paste it in chat).",
        "Read its logs: `docker-compose logs --tail=100 timescaledb`.",
        "Restart it: `docker-compose restart timescaledb`.",
    ),
)
