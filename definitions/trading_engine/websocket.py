"""The WebSocket server (deployment trading-engine-websocket): real-time market data streaming."""

from obsgen import Assumed, ABOVE, Alert, BELOW, Level, Service, minutes

from . import procedures as p
from . import runbook as rb
from . import signals as s
from .routing import P0, P3

# seeds/003 "P0: Complete Service Outage", symptom "Zero WebSocket connections".
NO_CONNECTIONS = Alert(
    name="WebSocketNoConnections",
    signal=s.WEBSOCKET_CONNECTIONS,
    direction=BELOW,
    critical=Level(1, P0),
    # 2m: clients reconnect within seconds after a pod restart; two minutes at zero is an outage.
    for_=minutes(2),
    summary="There are zero WebSocket connections.",
    meaning="P0 complete service outage: no client is connected to wss://ws.trading-engine.com, no market data is streamed.",
    actions=(
        "Check the WebSocket server logs: `kubectl logs -n production deployment/trading-engine-websocket --tail=500`.",
        *p.OUTAGE,
    ),
    provenance={
        "threshold": rb.OUTAGE.says("Zero WebSocket connections"), "direction": rb.OUTAGE.says("Zero WebSocket connections"),
        "priority": rb.OUTAGE.says("### P0: Complete Service Outage"),
        "for_": Assumed("Clients reconnect within seconds after a pod restart; two minutes at zero is an outage."),
    },
)

# seeds/003 "Key Metrics to Watch": WebSocket connections > 50K -> Scale WebSocket pods.
# The runbook gives no priority: P3 (no user impact yet; a capacity warning).
CONNECTIONS_HIGH = Alert(
    name="WebSocketConnectionsHigh",
    signal=s.WEBSOCKET_CONNECTIONS,
    direction=ABOVE,
    warning=Level(50_000, P3),
    for_=minutes(5),  # 5m: a sustained level, not a reconnect storm
    summary="More than {threshold} WebSocket connections are open.",
    meaning="WebSocket connections exceed 50K (Key Metrics to Watch): the WebSocket pods need more replicas.",
    actions=(
        "Scale WebSocket pods (Key Metrics to Watch: WebSocket connections > 50K): "
        "`kubectl scale deployment trading-engine-websocket -n production --replicas=30` (the runbook's scale-up size).",
        p.SCALE_UP[2],
    ),
    provenance={
        "threshold": rb.KEY_METRICS.says("| WebSocket connections | > 50K | Scale WebSocket pods |"),
        "direction": rb.KEY_METRICS.says("> 50K"), "priority": rb.KEY_METRICS_P3, "for_": rb.NO_DURATION,
    },
)

SERVICE = Service(
    name="websocket",
    title="WebSocket Server",
    team="backend",
    description="Real-time market data streaming at wss://ws.trading-engine.com, deployment trading-engine-websocket.",
    alerts=(NO_CONNECTIONS, CONNECTIONS_HIGH),
)
