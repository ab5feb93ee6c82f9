"""PostgreSQL (statefulset trading-engine-postgresql): the primary database."""

from obsgen import Assumed, ABOVE, Alert, BELOW, Level, Service, minutes, percent

from . import procedures as p
from . import runbook as rb
from . import signals as s
from .routing import P0, P1, P3

# seeds/003 "P0: Complete Service Outage", symptom "Database unreachable".
DOWN = Alert(
    name="PostgresDown",
    signal=s.PG_UP,
    direction=BELOW,
    critical=Level(1, P0),
    for_=minutes(2),  # 2m: several scrapes in a row failed, not a single timeout
    summary="The trading_engine PostgreSQL database is unreachable.",
    meaning="P0 complete service outage: the database is unreachable, orders cannot be stored or executed.",
    actions=(
        "Involve the DBA (dba@trading-engine.com, 24/7) alongside the outage steps below.",
        *p.OUTAGE,
    ),
    provenance={
        "threshold": rb.OUTAGE.says("Database unreachable"), "direction": rb.OUTAGE.says("Database unreachable"),
        "priority": rb.OUTAGE.says("### P0: Complete Service Outage"),
        "for_": Assumed("Two minutes: several scrapes in a row failed, within P0's 5 minutes."),
    },
)

# seeds/003 Critical Metrics Dashboard "Database connection pool utilization (< 80%)" and
# "Key Metrics to Watch": Database connections > 80% of max -> Investigate connection leaks.
# The runbook gives no priority: P3 (no user impact yet); exhaustion pages P1 below.
CONNECTIONS_HIGH = Alert(
    name="PostgresConnectionsHigh",
    signal=s.PG_CONNECTIONS_USED,
    direction=ABOVE,
    warning=Level(s.POSTGRES.config.connections_high, P3),
    for_=minutes(5),  # 5m: a sustained level, not a burst of short-lived connections
    summary="PostgreSQL connections are {direction} {threshold} of max_connections.",
    meaning="The database connection pool is filling up (more than 80% of max): a connection leak is likely.",
    actions=("Investigate connection leaks (Key Metrics to Watch: database connections > 80% of max).", p.DB_PERFORMANCE[0]),
    provenance={
        "threshold": rb.KEY_METRICS.says("| Database connections | > 80% of max | Investigate connection leaks |"),
        "direction": rb.KEY_METRICS.says("> 80% of max"), "priority": rb.KEY_METRICS_P3, "for_": rb.NO_DURATION,
    },
)

# seeds/003 "P1: Database Performance Issues", symptom "Connection pool exhausted".
CONNECTIONS_EXHAUSTED = Alert(
    name="PostgresConnectionsExhausted",
    signal=s.PG_CONNECTIONS_FREE,
    direction=BELOW,
    critical=Level(1, P1),
    for_=minutes(1),  # 1m: no slot left for a minute means requests are failing to get a connection
    summary="The PostgreSQL connection pool is exhausted.",
    meaning="P1 database performance issue: no connection slot is left for the application (connection pool exhausted).",
    actions=p.DB_PERFORMANCE,
    provenance={
        "threshold": rb.DATABASE.says("Connection pool exhausted"), "direction": rb.DATABASE.says("Connection pool exhausted"),
        "priority": rb.DATABASE.says("### P1: Database Performance Issues"),
        "for_": Assumed("No slot left for a minute means requests fail to get a connection."),
    },
)

# seeds/003 "P1: Database Performance Issues", symptom "High CPU on database", at the
# "Key Metrics to Watch" CPU threshold (> 80%), the only CPU number the runbook gives.
HIGH_CPU = Alert(
    name="PostgresHighCPU",
    signal=s.PG_CPU,
    direction=ABOVE,
    critical=Level(percent(80), P1),
    for_=minutes(5),  # 5m: VACUUM and checkpoints spike CPU briefly; 5m rate + 5m + 1m + 30s fits P1's 15 minutes
    summary="PostgreSQL CPU usage is {direction} {threshold} of its limit.",
    meaning="P1 database performance issue: high CPU on the database, queries slow down.",
    actions=p.DB_PERFORMANCE,
    provenance={
        "threshold": rb.KEY_METRICS.says("| CPU usage | > 80% | Scale horizontally |"),
        "direction": rb.DATABASE.says("High CPU on database"),
        "priority": rb.DATABASE.says("### P1: Database Performance Issues"),
        "for_": Assumed("Five minutes: VACUUM and checkpoints spike CPU briefly; within P1's 15 minutes with the 5-minute rate."),
    },
)

SERVICE = Service(
    name="postgresql",
    title="PostgreSQL",
    team="database",
    description="Primary database trading_engine, statefulset trading-engine-postgresql in production.",
    alerts=(DOWN, CONNECTIONS_HIGH, CONNECTIONS_EXHAUSTED, HIGH_CPU),
    signals=(s.PG_QUERY_MEAN, s.PG_LONGEST_TRANSACTION, s.PG_VACUUM_AGE),
)
