"""Execution gateway: availability, latency trend, broker API errors, positions, P&L, DD."""

from obsgen import Alert, Assumed, BELOW, Level, Runbook, Service, minutes

from . import procedures as p
from . import signals as s
from .routing import P1_PAGE

# seeds/001 "Interpreting Status Indicators": Red = Unhealthy -> immediate investigation (page).
DOWN = Alert(
    name="ExecutionGatewayDown",
    signal=s.UP["execution-gateway"],
    direction=BELOW,
    critical=Level(1, P1_PAGE),
    for_=minutes(1),  # 1m: several 10-15 s scrapes in a row failed, not a single blip
    summary="Execution gateway is down.",
    meaning="System Health shows the execution gateway Red (Unhealthy): orders cannot be placed or managed.",
    actions=(*p.TROUBLESHOOT_SERVICE, p.TRIP_BREAKER, p.FLATTEN, p.RECOVERY),
    provenance={
        "threshold": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "| Red | Unhealthy | Immediate investigation |"),
        "direction": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Red"),
        "priority": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Immediate investigation"),
        "for_": Assumed("The runbook gives no duration: one minute, several scrapes in a row failed, not a single blip."),
    },
)

SERVICE = Service(
    name="execution-gateway",
    title="Execution Gateway",
    team="platform",
    description=(
        "Places and tracks orders at the broker, holds positions and P&L (`make status`), "
        "and honours the circuit breaker and DRY_RUN mode."
    ),
    alerts=(DOWN,),
    # No thresholds in the runbook for these: they are watched by the daily checks (checks.py).
    signals=(s.GATEWAY_P95, s.API_ERROR_RATIO, s.OPEN_POSITIONS, s.PNL, s.DRAWDOWN, s.DRY_RUN),
)
