"""Signal service: availability, latency trend and the market data it depends on."""

from obsgen import Alert, Assumed, BELOW, Level, Runbook, Service, minutes

from . import procedures as p
from . import signals as s
from .routing import P1_PAGE

# seeds/001 "Interpreting Status Indicators": Red = Unhealthy -> immediate investigation (page).
DOWN = Alert(
    name="SignalServiceDown",
    signal=s.UP["signal-service"],
    direction=BELOW,
    critical=Level(1, P1_PAGE),
    for_=minutes(1),  # 1m: several scrapes in a row failed
    summary="Signal service is down.",
    meaning="System Health shows the signal service Red (Unhealthy): no new trading signals are produced.",
    actions=(*p.TROUBLESHOOT_SERVICE, p.DATA_STALE, p.RECOVERY),
    provenance={
        "threshold": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "| Red | Unhealthy | Immediate investigation |"),
        "direction": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Red"),
        "priority": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Immediate investigation"),
        "for_": Assumed("The runbook gives no duration: one minute, several scrapes in a row failed, not a single blip."),
    },
)

SERVICE = Service(
    name="signal-service",
    title="Signal Service",
    team="platform",
    description="Turns market data into trading signals for the execution gateway.",
    alerts=(DOWN,),
    # No thresholds in the runbook for these: watched by the daily checks (checks.py).
    signals=(s.SIGNAL_P95, s.MARKET_DATA_RATE),
)
