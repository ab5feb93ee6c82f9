"""The WebSocket managers: Ten Things 3 (WebSocket Connection) and their P1 alert.

Runbook: Alerts P1 "WebSocket Service Overloaded", Playbooks "WebSocket Service
Overload", Ten Things 3. Logs: kubectl logs -n bondx -l app=websocket-manager.
"""

from obsgen import ABOVE, Alert, Assumed, Level, Runbook, Service, minutes, percent

from . import signals as s
from .teams import PLATFORM
from .routing import P1

# Alerts P1 "WebSocket service at 95% capacity". The WebSocket check on the same signal
# asks for <80% of capacity (Ten Things 3), which is also the playbook's recovery line.
WEBSOCKET_OVERLOADED = Alert(
    name="WebSocketServiceOverloaded",
    signal=s.WEBSOCKET_CAPACITY_USED,
    direction=ABOVE,
    critical=Level(percent(95), P1),
    for_=minutes(2),  # 2m: a sustained load, not a reconnect burst; the 5-minute resolution calls for acting fast
    summary="The WebSocket service is {direction} {threshold} of its capacity.",
    meaning="WebSocket service is approaching maximum capacity.",
    actions=(
        "Scale out WebSocket managers.",
        "Enable compression.",
        "Check for connection leaks (kubectl logs -n bondx -l app=websocket-manager).",
        "Verify client behavior and load balancer health.",
        "Monitor connection growth.",
        "Verify recovery: connection count <80% capacity, latency <150ms p95, success rate >99.9%, no client complaints.",
    ),
    resolution=minutes(5),  # Expected Resolution Time: <5 minutes
    provenance={
        "threshold": Runbook("Common Alerts and What They Mean > High Severity Alerts (P1) > WebSocket Service Overloaded", "WebSocket service at 95% capacity"),
        "direction": Runbook("Common Alerts and What They Mean > High Severity Alerts (P1) > WebSocket Service Overloaded", "approaching maximum capacity"),
        "priority": Runbook("Common Alerts and What They Mean > High Severity Alerts (P1)"),
        "for_": Assumed("The runbook gives no duration: two minutes of sustained load, not a reconnect burst."),
        "resolution": Runbook("Common Alerts and What They Mean > WebSocket Service Overloaded", "Expected Resolution Time:** <5 minutes"),
    },
)

WEBSOCKET = Service(
    name="websocket",
    title="WebSocket managers",
    team=PLATFORM,
    description="Streams market data, orders and trades to clients over WebSocket connections.",
    alerts=(WEBSOCKET_OVERLOADED,),
    signals=(
        s.WEBSOCKET_CONNECTIONS,
        s.WEBSOCKET_CONNECT_SUCCESS,
        s.WEBSOCKET_DELIVERY_P95,
        s.WEBSOCKET_RECONNECT_SUCCESS,
        s.WEBSOCKET_DROPPED,
    ),
)
