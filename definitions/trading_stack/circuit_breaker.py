"""The circuit breaker: Track 7 staleness SLA, availability, state and trip history."""

from obsgen import ABOVE, Alert, Assumed, BELOW, Level, Runbook, Service, minutes, seconds

from . import procedures as p
from . import signals as s
from .routing import P1_PAGE

# seeds/001 "Track 7 SLA Targets": CB staleness target <= 5s, alert threshold > 10s (page).
# The 5s target is the warning line of the Track 7 check (checks.py); only > 10s pages.
STALENESS_HIGH = Alert(
    name="CircuitBreakerStalenessHigh",
    signal=s.CB_STALENESS,
    direction=ABOVE,
    critical=Level(seconds(10), P1_PAGE),
    # 1m: staleness is already twice the 5s target at the threshold; one minute rides out a
    # single missed scrape or a Redis reconnect without delaying a real page much.
    for_=minutes(1),
    summary="Circuit breaker state has not been verified for more than {threshold}.",
    meaning=(
        "Track 7 SLA breach: the circuit breaker state in Redis (circuit_breaker:state) is stale, "
        "target <= 5 s, page above 10 s. Trading may run on a breaker state nobody can confirm."
    ),
    actions=(
        "Check the breaker state: Redis key circuit_breaker:state; history in the circuit_breaker:history sorted set.",
        *p.TROUBLESHOOT_SERVICE[2:],
        p.TRIP_BREAKER,
        *p.SLA_BREACH_RESPONSE,
    ),
    provenance={
        "threshold": Runbook("SLA Monitoring > Track 7 SLA Targets", "| CB staleness | ≤ 5s | > 10s (page) |"),
        "direction": Runbook("SLA Monitoring > Track 7 SLA Targets", "> 10s (page)"),
        "priority": Runbook("SLA Monitoring > Track 7 SLA Targets", "> 10s (page)"),
        "for_": Assumed("The runbook gives no duration: one minute rides out a missed scrape or a Redis reconnect."),
    },
)

# seeds/001 "Interpreting Status Indicators": Red = Unhealthy -> immediate investigation (page).
DOWN = Alert(
    name="CircuitBreakerDown",
    signal=s.UP["circuit-breaker"],
    direction=BELOW,
    critical=Level(1, P1_PAGE),
    for_=minutes(1),  # 1m: several 10-15 s scrapes in a row failed, not a single blip
    summary="Circuit breaker service is down.",
    meaning=(
        "System Health shows the circuit breaker Red (Unhealthy): immediate investigation. "
        "Trips and resets cannot be made through the Web Console while it is down."
    ),
    actions=(*p.TROUBLESHOOT_SERVICE, p.TRIP_BREAKER, p.RECOVERY),
    provenance={
        "threshold": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "| Red | Unhealthy | Immediate investigation |"),
        "direction": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Red"),
        "priority": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Immediate investigation"),
        "for_": Assumed("The runbook gives no duration: one minute, several scrapes in a row failed, not a single blip."),
    },
)

SERVICE = Service(
    name="circuit-breaker",
    title="Circuit Breaker",
    team="platform",
    description=(
        "Trading kill switch kept in Redis (circuit_breaker:state). OPEN is normal (trading allowed); "
        "TRIPPED blocks all new orders. Resets are rate limited to 1 per minute (global)."
    ),
    alerts=(STALENESS_HIGH, DOWN),
    signals=(s.CB_STATE, s.ORDERS_BLOCKED, s.CB_TRIPS, s.CB_RESETS),
)
