"""Redis and Postgres, whose status the System Health dashboard shows next to the services."""

from obsgen import Alert, Assumed, BELOW, Level, Runbook, Service, minutes

from . import procedures as p
from . import signals as s
from .routing import P1_PAGE

# seeds/001 "Accessing System Health Dashboard" 2 (Redis and Postgres status) and
# "Interpreting Status Indicators": Red = Unhealthy -> immediate investigation (page).
REDIS_DOWN = Alert(
    name="RedisDown",
    signal=s.REDIS_UP,
    direction=BELOW,
    critical=Level(1, P1_PAGE),
    for_=minutes(1),  # 1m: several scrapes in a row failed
    summary="Redis is down.",
    meaning=(
        "System Health shows Redis Red (Unhealthy). The circuit breaker state (circuit_breaker:state) "
        "cannot be verified, configuration changes do not propagate (Redis pub/sub) and queue depth "
        "metrics are missing."
    ),
    actions=(
        "Verify Redis connectivity on the System Health dashboard and check `docker logs redis`.",
        "The breaker state lives in Redis, so `make circuit-trip` cannot take effect until Redis is back; "
        "if positions must be closed, flatten with `make kill-switch`.",
        p.RECOVERY,
    ),
    provenance={
        "threshold": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "| Red | Unhealthy | Immediate investigation |"),
        "direction": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Red"),
        "priority": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Immediate investigation"),
        "for_": Assumed("The runbook gives no duration: one minute, several scrapes in a row failed, not a single blip."),
    },
)

POSTGRES_DOWN = Alert(
    name="PostgresDown",
    signal=s.POSTGRES_UP,
    direction=BELOW,
    critical=Level(1, P1_PAGE),
    for_=minutes(1),  # 1m: several scrapes in a row failed
    summary="Postgres is down.",
    meaning=(
        "System Health shows Postgres Red (Unhealthy): audit log writes and alert delivery records "
        "(alert_deliveries) fail."
    ),
    actions=(
        "Verify Postgres connectivity on the System Health dashboard and check `docker logs postgres`.",
        p.RECOVERY,
    ),
    provenance={
        "threshold": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "| Red | Unhealthy | Immediate investigation |"),
        "direction": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Red"),
        "priority": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Immediate investigation"),
        "for_": Assumed("The runbook gives no duration: one minute, several scrapes in a row failed, not a single blip."),
    },
)

SERVICE = Service(
    name="datastores",
    title="Redis and Postgres",
    team="platform",
    description=(
        "Redis holds the circuit breaker state, rate limits, queues and configuration pub/sub; "
        "Postgres holds the audit log and alert deliveries."
    ),
    alerts=(REDIS_DOWN, POSTGRES_DOWN),
)
