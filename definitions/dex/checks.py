"""The start-of-shift health verification (runbook §2: "each morning or start of a shift")."""

from obsgen import ABOVE, Check, days

from . import exchange, matching_engine
from . import signals as s

_DAILY = days(1)
_WHEN = "each morning or at the start of a shift"

CHECKS = (
    # §2.1 DEX Overview Dashboard
    Check(
        title="Aggregate error rate",
        alert=exchange.ERROR_RATE,
        good="under 0.01% of requests",
        action="Treat as DexErrorRateHigh: find the app whose 5xx rose and read its logs.",
        frequency=_DAILY,
        when=_WHEN,
    ),
    Check(
        title="API gateway HTTP 5xx",
        signal=s.GATEWAY_5XX,
        good="at baseline: no rise above the usual level for this time of day",
        action="Read the gateway's errors: logcli query '{app=\"api-gateway\", namespace=\"dex-production\"} |~ \"ERROR\"' --since=1h",
        frequency=_DAILY,
        when=_WHEN,
    ),
    Check(
        title="Active connections",
        signal=s.GATEWAY_CONNECTIONS,
        good="following the expected diurnal pattern (compare with the same time on previous days)",
        action="A sudden drop: check the gateway pods and 5xx. A sudden rise: check HTTP 429s for abusive or malicious IPs.",
        frequency=_DAILY,
        when=_WHEN,
    ),
    # §2.1 Matching Engine Dashboard
    Check(
        title="Matching engine p99 latency",
        alert=matching_engine.LATENCY,
        good="strictly under 500 µs",
        action="Treat as MatchingEngineLatencyHigh.",
        frequency=_DAILY,
        when=_WHEN,
    ),
    Check(
        title="Matching engine unhandled panics",
        alert=matching_engine.PANICS,
        good="zero",
        action="Any panic is a P0 incident (runbook §4.2): raise it immediately.",
        frequency=_DAILY,
        when=_WHEN,
    ),
    Check(
        title="Matching anomalies",
        alert=matching_engine.ANOMALIES,
        good="zero",
        action="Any anomaly is a P0 incident (runbook §4.2): raise it immediately.",
        frequency=_DAILY,
        when=_WHEN,
    ),
    Check(
        title="Matching engine order throughput",
        signal=s.ENGINE_THROUGHPUT,
        good="keeping up with current market volume (no backlog against orders submitted to the order service)",
        action="Compare with order-service submissions and check p99 latency; raise P1 if the engine falls behind.",
        frequency=_DAILY,
        when=_WHEN,
    ),
    # §2.2 Prometheus alerts
    Check(
        title="Active P0 and P1 alerts",
        signal=s.ACTIVE_P0_P1_ALERTS,
        direction=ABOVE,
        critical=0,
        good="zero",
        action="Work each one from its handbook section; P0s first.",
        frequency=_DAILY,
        when=_WHEN,
    ),
    Check(
        title="Active P2 and P3 alerts",
        signal=s.ACTIVE_P2_P3_ALERTS,
        good="none left unacknowledged",
        action="Acknowledge and investigate each one following standard operating procedures.",
        frequency=_DAILY,
        when=_WHEN,
    ),
)
