"""redis and timescaledb: the state store and the database (team infrastructure)."""

from obsgen import ABOVE, Alert, Assumed, Level, MB, Service, minutes

from . import health, signals
from . import runbook as rb
from .routing import P1, P2

# Monitoring > Key Metrics to Watch: "Redis memory | > 400MB | > 480MB".
# MB is decimal here (10^6 bytes), the unit the runbook writes; `used_memory_human` prints MiB,
# so the alert fires slightly before the human figure reads 400M/480M.
REDIS_MEMORY_HIGH = Alert(
    name="RedisMemoryHigh",
    signal=signals.REDIS_MEMORY,
    direction=ABOVE,
    warning=Level(MB(400), P2),
    critical=Level(MB(480), P1),
    # for_: memory moves slowly; 3m ignores short spikes while snapshots are rewritten and fits
    # P1's 5 minutes (3m + 1m evaluation + 30s group wait).
    for_=minutes(3),
    summary="Redis memory use is high.",
    meaning=(
        "Redis, which holds the order books, z-score buffers, health hashes and alerts:active, is using more "
        "memory than the runbook allows (warning above 400MB, critical above 480MB)."
    ),
    actions=(
        "Check memory: `redis-cli info memory | grep used_memory_human`.",
        'See what holds it: `redis-cli keys "orderbook:*"` and the z-score buffer lengths '
        '(`redis-cli llen "zscore:<exchange>:<instrument>:<metric>"`).',
        "Raise it in #infrastructure-ops (Emergency Procedures: Infrastructure Issues).",
        "Last resort (loses current state, z-score warmup restarts): Emergency Procedures > Full System Restart "
        "(`docker-compose down`, `docker-compose up -d redis`, `docker-compose exec redis redis-cli flushdb`, "
        "`docker-compose down`, `docker-compose up -d`).",
    ),
    provenance={
        "warning.threshold": rb.KEY_METRICS.says("| Redis memory | > 400MB | > 480MB |"),
        "critical.threshold": rb.KEY_METRICS.says("| Redis memory | > 400MB | > 480MB |"),
        "direction": rb.KEY_METRICS.says("> 400MB"),
        "warning.priority": rb.P2_ALERTS,
        "critical.priority": rb.P1_ALERTS,
        "for_": Assumed("The runbook gives no duration: three minutes ignore a snapshot rewrite's spike and fit P1's 5 minutes."),
    },
)

REDIS = Service(
    name="redis",
    title="Redis",
    team="infrastructure",
    description="State store on port 6379: order books, z-score buffers, health:<exchange> hashes and the alerts:active set.",
    alerts=(REDIS_MEMORY_HIGH, health.REDIS_DOWN),
)

TIMESCALEDB = Service(
    name="timescaledb",
    title="TimescaleDB",
    team="infrastructure",
    description=(
        "PostgreSQL with TimescaleDB on port 5432 (database surveillance): metrics, alerts, "
        "order_book_snapshots and data_gaps. Retention by hand: snapshots 30 days, metrics 90 days "
        "(Database Operations: Manual Data Cleanup)."
    ),
    alerts=(health.TIMESCALEDB_DOWN,),
    signals=(signals.PG_ACTIVE_CONNECTIONS,),
)
