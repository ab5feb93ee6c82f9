"""The FIX gateway: FIX 4.4 sessions to counterparties.

seeds/003 lists "FIX session status" among the key metrics to watch, with no threshold and no
priority: a session not logged on is an alert of its own (FixSessionDown), P2.
"""

from obsgen import ABOVE, Alert, Assumed, Level, Service, minutes

from . import runbook as rb
from . import signals as s
from .routing import P2

SESSION_DOWN = Alert(
    name="FixSessionDown",
    signal=s.FIX_SESSIONS_DOWN,
    direction=ABOVE,
    warning=Level(0, P2),
    for_=minutes(2),
    summary="A FIX session is not logged on.",
    meaning="A FIX 4.4 session of the FIX gateway is down: orders routed through its counterparty cannot be sent.",
    actions=(
        "Find the session on the FIX gateway dashboard (FIX session state per session).",
        "Check the FIX gateway logs: `kubectl logs -n production deployment/trading-engine-fix-gateway --tail=500`.",
        "Check the counterparty's status and the network path to it.",
    ),
    provenance={
        "threshold": rb.CRITICAL_METRICS.says("FIX session status"),
        "direction": Assumed("The runbook gives the status, not a line: any session not logged on is down."),
        "priority": Assumed("The runbook gives no priority; one counterparty's orders fail, not the platform's: P2 (< 50% users)."),
        "for_": Assumed("Two minutes: a FIX session's own reconnect (logon after a heartbeat timeout) takes seconds."),
    },
)

SERVICE = Service(
    name="fix-gateway",
    title="FIX Gateway",
    team="backend",
    description="FIX 4.4 protocol connectivity (FIX sessions) for the trading engine.",
    alerts=(SESSION_DOWN,),
    signals=(s.FIX_SESSIONS_UP,),
)
