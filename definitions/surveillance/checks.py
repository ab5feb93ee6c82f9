"""The things to check: Health Checks and Monitoring > Key Metrics to Watch.

The runbook gives no cadence (its `watch -n 1`/`watch -n 5` are terminal refresh rates the
dashboard replaces): the key metrics every 15 minutes, service health every hour.
"""

from obsgen import BELOW, Check, hours, minutes

from . import health, signals
from .infrastructure import REDIS_MEMORY_HIGH
from .ingestion import DATA_GAPS_FREQUENT, EXCHANGE_MESSAGE_RATE_LOW
from .processing import ACTIVE_P1_SURVEILLANCE_ALERTS, PROCESSING_LAG_HIGH, ZSCORE_WARMUP_STUCK

KEY_METRICS = minutes(15)

CHECKS = (
    # Health Checks / Quick Start: "All 6 services healthy".
    Check(
        title="All 6 services healthy",
        signal=health.SERVICES_HEALTHY,
        direction=BELOW,
        critical=6,
        frequency=hours(1),
        good='6: `docker-compose ps` shows surveillance-redis, -db, -ingestion, -metrics, -anomaly and -dashboard "Up (healthy)".',
        action="Find the unhealthy service with `docker-compose ps` and follow its Down alert; infrastructure issues go to #infrastructure-ops.",
    ),
    # Quick Start / System Status Summary: "Exchange subscriptions: Binance + OKX active", and
    # Key Metrics: "Message rate (per exchange)".
    Check(
        title="Message rate per exchange (Binance + OKX subscriptions active)",
        alert=EXCHANGE_MESSAGE_RATE_LOW,
        frequency=KEY_METRICS,
        good="Both binance and okx above 10 msg/s; logs show \"Successfully subscribed to <exchange> BTC-USDT-PERP\".",
        action="Follow ExchangeMessageRateLow: check subscriptions and disconnections in the data-ingestion logs.",
    ),
    Check(
        title="Processing lag",
        alert=PROCESSING_LAG_HIGH,
        frequency=KEY_METRICS,
        good="Below 100ms for every exchange (health:<exchange> lag_ms).",
        action="Follow ProcessingLagHigh: metrics-engine logs, Redis memory, PostgreSQL connection pool.",
    ),
    Check(
        title="Gap frequency",
        alert=DATA_GAPS_FREQUENT,
        frequency=KEY_METRICS,
        good="At most 5 gaps/hour per exchange.",
        action="Follow DataGapsFrequent: review data_gaps for the last hour and the data-ingestion disconnections.",
    ),
    Check(
        title="Active P1 alerts",
        alert=ACTIVE_P1_SURVEILLANCE_ALERTS,
        frequency=KEY_METRICS,
        good='0 P1 alerts in alerts:active (`redis-cli scard "alerts:active"`), no stale alerts in the alerts panel.',
        action="Work each P1 alert; resolve stuck ones as in ActiveP1SurveillanceAlerts.",
    ),
    Check(
        title="Redis memory",
        alert=REDIS_MEMORY_HIGH,
        frequency=KEY_METRICS,
        good="At most 400MB used (`redis-cli info memory`).",
        action="Follow RedisMemoryHigh; raise it in #infrastructure-ops.",
    ),
    # Fresh Start / Common Issues: warmup to 30 samples over ~30 seconds.
    Check(
        title="Z-score warmup complete",
        alert=ZSCORE_WARMUP_STUCK,
        frequency=KEY_METRICS,
        good="Every z-score buffer at 30 samples; after a restart \"warming up (X/30)\" for ~30 seconds only.",
        action="Follow ZScoreWarmupStuck: check the buffer with llen and the data-ingestion logs.",
    ),
    # Quick Start Verification: "SELECT count(*) FROM metrics; -- Expected: Count should be increasing".
    Check(
        title="Data flowing into PostgreSQL",
        signal=signals.METRICS_WRITTEN,
        direction=BELOW,
        warning=1,
        frequency=hours(1),
        good="Rows keep arriving: `SELECT count(*) FROM metrics;` increases (WebSocket -> Redis -> Metrics -> PostgreSQL).",
        action="Check metrics-engine and timescaledb health (`docker-compose ps`) and the metrics-engine logs.",
    ),
)
