"""Market surveillance thresholds per instrument (Adding New Instruments > Step 2).

config/alerts.yaml gives the anomaly detector's thresholds per instrument; the runbook
states ETH-USDT-PERP's. Warnings route as P2 (#market-ops), criticals as P1
(#market-ops-critical and PagerDuty, within 5 minutes): Emergency Contact Escalation.
Other instruments' thresholds live in config/alerts.yaml only; their P1 alerts count in
ActiveP1SurveillanceAlerts.
"""

from obsgen import ABOVE, Alert, Assumed, BELOW, Level, Service, minutes

from . import runbook as rb
from . import signals as s
from .routing import P1, P2

_ONE_MINUTE = Assumed("The runbook gives no duration: one minute at the line, past a single order book update.")
_ACTIONS = (
    "Look at the instrument on the dashboard (http://localhost:8050, instrument dropdown) and in the metrics table: "
    "`SELECT timestamp, value, zscore FROM metrics WHERE metric_name = 'spread_bps' AND instrument = 'ETH-USDT-PERP' "
    "ORDER BY timestamp DESC LIMIT 10;`.",
    "Compare the two exchanges: a move on one only may be a feed problem (check the message rate and data gaps).",
    'List the anomaly detector\'s active alerts: `redis-cli smembers "alerts:active"`.',
)

ETH_SPREAD_WARNING = Alert(
    name="SpreadWarningEthUsdtPerp",
    signal=s.ETH_SPREAD_Z2,
    direction=ABOVE,
    warning=Level(s.bps(5.0), P2),
    for_=minutes(1),
    summary="The ETH-USDT-PERP spread is wide: above its warning threshold with a z-score above 2.",
    meaning="ETH-USDT-PERP's bid-ask spread on an exchange is above 5.0 bps and 2 standard deviations above its recent mean.",
    actions=_ACTIONS,
    provenance={
        "threshold": rb.THRESHOLDS.says("threshold: 5.0    # ETH typically has wider spreads"),
        "direction": rb.THRESHOLDS.says("spread_warning:"),
        "priority": rb.P2_ALERTS,
        "for_": _ONE_MINUTE,
    },
)

ETH_SPREAD_CRITICAL = Alert(
    name="SpreadCriticalEthUsdtPerp",
    signal=s.ETH_SPREAD_Z3,
    direction=ABOVE,
    critical=Level(s.bps(10.0), P1),
    for_=minutes(1),
    summary="The ETH-USDT-PERP spread is critically wide: above its critical threshold with a z-score above 3.",
    meaning="ETH-USDT-PERP's bid-ask spread on an exchange is above 10.0 bps and 3 standard deviations above its recent mean.",
    actions=_ACTIONS,
    provenance={
        "threshold": rb.THRESHOLDS.says("threshold: 10.0"),
        "direction": rb.THRESHOLDS.says("spread_critical:"),
        "priority": rb.P1_ALERTS,
        "for_": _ONE_MINUTE,
    },
)

ETH_DEPTH_LOW = Alert(
    name="DepthLowEthUsdtPerp",
    signal=s.ETH_DEPTH,
    direction=BELOW,
    warning=Level(s.usd(300000), P2),
    critical=Level(s.usd(100000), P1),
    for_=minutes(1),
    summary="The ETH-USDT-PERP order book is thin.",
    meaning="ETH-USDT-PERP's order book depth on an exchange is below $300K (warning) or $100K (critical): less liquidity than usual.",
    actions=_ACTIONS[1:] + ("Check the depth history in the metrics table for the instrument and exchange.",),
    provenance={
        "warning.threshold": rb.THRESHOLDS.says("threshold: 300000  # $300K (less liquidity than BTC)"),
        "critical.threshold": rb.THRESHOLDS.says("threshold: 100000"),
        "direction": rb.THRESHOLDS.says("depth_warning:"),
        "warning.priority": rb.P2_ALERTS,
        "critical.priority": rb.P1_ALERTS,
        "for_": _ONE_MINUTE,
    },
)

MARKET = Service(
    name="market",
    title="Market surveillance",
    team="market-ops",
    description=(
        "Spread and order book depth per exchange and instrument, against the per-instrument thresholds of "
        "config/alerts.yaml (the runbook states ETH-USDT-PERP's)."
    ),
    alerts=(ETH_SPREAD_WARNING, ETH_SPREAD_CRITICAL, ETH_DEPTH_LOW),
    signals=(s.ETH_SPREAD, s.ETH_SPREAD_ZSCORE),
)
