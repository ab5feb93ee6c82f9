"""PostgreSQL and Redis: Ten Things 5 and 6, and the P1 connection pool alert.

Runbook: Alerts P1 "Database Connection Pool Exhausted", Playbooks "Database Performance
Issues", Ten Things 5 (Database Performance) and 6 (Redis Cache). Logs: kubectl logs -n
bondx -l app=postgresql, and -l app=redis.
"""

from obsgen import Alert, Assumed, BELOW, Level, Runbook, Service, minutes

from . import signals as s
from .teams import OPERATIONS
from .routing import P1

# Alerts P1 "Database connection pool at 100% utilization": no free connection left.
# The Database Performance check asks for <80% utilization (Ten Things 5, and the
# playbook's recovery line "Connection pool <80%"); it reads the utilization signal.
DB_POOL_EXHAUSTED = Alert(
    name="DatabaseConnectionPoolExhausted",
    signal=s.DB_POOL_FREE,
    direction=BELOW,
    critical=Level(1, P1),  # fewer than 1 free connection = 100% utilization
    for_=minutes(1),  # a full pool for a minute already queues requests; resolution target is 10 minutes
    summary="The database connection pool has no free connection left.",
    meaning="All database connections are in use, new requests are being queued.",
    actions=(
        "Check for long-running queries.",
        "Verify database health and replica health (kubectl logs -n bondx -l app=postgresql).",
        "Check application logs for connection leaks; verify connection pool settings.",
        "Review recent changes.",
        "Consider scaling database connections.",
        "Verify recovery: query latency <100ms p95, connection pool <80%, replica lag <1s, no timeout errors.",
    ),
    resolution=minutes(10),  # Expected Resolution Time: <10 minutes
    provenance={
        "threshold": Runbook("Common Alerts and What They Mean > High Severity Alerts (P1) > Database Connection Pool Exhausted", "Database connection pool at 100% utilization"),
        "direction": Runbook("Common Alerts and What They Mean > High Severity Alerts (P1) > Database Connection Pool Exhausted", "All database connections are in use"),
        "priority": Runbook("Common Alerts and What They Mean > High Severity Alerts (P1)"),
        "for_": Assumed("The runbook gives no duration: a full pool for a minute already queues requests."),
        "resolution": Runbook("Common Alerts and What They Mean > Database Connection Pool Exhausted", "Expected Resolution Time:** <10 minutes"),
    },
)

DATABASE = Service(
    name="database",
    title="PostgreSQL database",
    team=OPERATIONS,
    description="The BondX PostgreSQL primary and replicas: orders, trades, positions and the audit trail.",
    alerts=(DB_POOL_EXHAUSTED,),
    signals=(s.DB_QUERY_P95, s.DB_POOL_UTILIZATION, s.DB_CONNECTIONS, s.DB_REPLICA_LAG, s.DB_TPS),
)

REDIS_CACHE = Service(
    name="redis-cache",
    title="Redis cache",
    team=OPERATIONS,
    description="The Redis cache in front of the database and market data (kubectl logs -n bondx -l app=redis).",
    signals=(s.REDIS_HIT_RATIO, s.REDIS_MEMORY_UTILIZATION, s.REDIS_LATENCY_P95, s.REDIS_CLIENTS_TO_LIMIT, s.REDIS_CLIENTS),
)
