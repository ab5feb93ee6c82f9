"""What is measured: the surveillance pipeline's signals, in base units.

The runbook reads its numbers from Redis keys and SQL tables (health:<exchange>,
alerts:active, zscore:* buffers, data_gaps, metrics). The services export the same
numbers to Prometheus under the `surveillance_` prefix; infrastructure uses the real
exporters (redis_exporter, postgres_exporter, blackbox_exporter). Scrape jobs are named
after the runbook's containers (Health Checks): surveillance-ingestion,
surveillance-metrics, surveillance-anomaly, surveillance-dashboard, surveillance-redis,
surveillance-db.
"""

from fractions import Fraction

from obsgen import Assumed, Signal, Unit, bytes_, count, per_second, seconds

from . import runbook as rb

# The runbook's units for market metrics: basis points of spread, US dollars of depth,
# gaps per hour (counted over the last hour).
bps = Unit("bps", count.dimension, Fraction(1), "bps")
usd = Unit("USD", count.dimension, Fraction(1), "usd")
gaps_per_hour = Unit("gaps/hour", count.dimension, Fraction(1), "gaps_per_hour")

# --- Monitoring > Key Metrics to Watch -------------------------------------------------

# "Message rate (per exchange)": health:<exchange> message_count, as a counter. Over one
# minute, so a feed that stops dead shows within a minute (P1 answers within 5).
MESSAGE_RATE = Signal(
    record="exchange:surveillance_messages_received:rate1m",
    expr="sum by (exchange) (rate(surveillance_messages_received_total[1m]))",
    unit=per_second,
    provenance=rb.METRIC_NAMES,
    description=(
        "Order book messages received from each exchange WebSocket (binance, okx), per second over 1 minute; "
        "the runbook's `redis-cli hget \"health:<exchange>\" message_count`."
    ),
)

# "Processing lag": health:<exchange> lag_ms, exported in seconds.
PROCESSING_LAG = Signal(
    record="exchange:surveillance_processing_lag_seconds:max",
    expr="max by (exchange) (surveillance_processing_lag_seconds)",
    unit=seconds,
    provenance=rb.METRIC_NAMES,
    description=(
        "Processing lag per exchange, from the exchange timestamp to the processed metric "
        "(the `lag_ms` field of `health:<exchange>`)."
    ),
)

# "Gap frequency" in gaps/hour: rows of the data_gaps table, as a counter, counted over the
# last hour. Per exchange, like
# the runbook's gap statistics query (GROUP BY exchange).
GAP_RATE = Signal(
    record="exchange:surveillance_data_gaps:increase1h",
    expr="sum by (exchange) (increase(surveillance_data_gaps_total[1h]))",
    unit=gaps_per_hour,
    provenance=rb.METRIC_NAMES,
    description=(
        "Data gaps detected per exchange in the last hour (rows written to data_gaps), in gaps/hour. "
        "Counters must be initialised at 0 per exchange so the first gap counts."
    ),
)

# "Active P1 alerts": the P1 members of the Redis set alerts:active (scard alerts:active).
ACTIVE_P1_ALERTS = Signal(
    record="system:surveillance_active_p1_alerts:sum",
    expr='sum(surveillance_active_alerts{priority="P1"})',
    unit=count,
    provenance=rb.METRIC_NAMES,
    description="Market surveillance alerts of priority P1 currently active in the Redis set alerts:active.",
)

# "Redis memory": `redis-cli info memory` used_memory.
REDIS_MEMORY = Signal(
    record="surveillance_redis:redis_memory_used_bytes:max",
    expr='max(redis_memory_used_bytes{job="surveillance-redis"})',
    unit=bytes_,
    provenance=rb.EXPORTER_NAMES,
    description="Memory used by Redis (used_memory of `redis-cli info memory`).",
)

# --- Common Issues > Z-Score Alerts Not Firing -----------------------------------------

# `redis-cli llen "zscore:<exchange>:<instrument>:<metric>"`: warmup needs 30 samples.
ZSCORE_SAMPLES = Signal(
    record="exchange_instrument_metric:surveillance_zscore_buffer_samples:min",
    expr="min by (exchange, instrument, metric) (surveillance_zscore_buffer_samples)",
    unit=count,
    provenance=rb.METRIC_NAMES,
    description=(
        "Samples in each z-score buffer (llen zscore:<exchange>:<instrument>:<metric>); "
        "z-score alerts are skipped until it reaches 30."
    ),
)

# --- Quick Start Verification: "SELECT count(*) FROM metrics; Count should be increasing" ---

METRICS_WRITTEN = Signal(
    record="system:surveillance_metrics_written:increase5m",
    expr="sum(increase(surveillance_metrics_written_total[5m]))",
    unit=count,
    provenance=rb.METRIC_NAMES,
    description="Rows the metrics-engine wrote to the PostgreSQL metrics table in the last 5 minutes.",
)

# --- Monitoring > Check Metric Values (dashboard only) ---------------------------------

# "Alert statistics (last hour)": SELECT priority, count(*) FROM alerts ... GROUP BY priority.
ALERTS_TRIGGERED_1H = Signal(
    record="priority:surveillance_alerts_triggered:increase1h",
    expr="sum by (priority) (increase(surveillance_alerts_triggered_total[1h]))",
    unit=count,
    provenance=rb.METRIC_NAMES,
    description="Market surveillance alerts triggered in the last hour, by priority.",
)

# "Gap statistics (last 24 hours)": count(*) and avg(duration_seconds) GROUP BY exchange.
GAPS_24H = Signal(
    record="exchange:surveillance_data_gaps:increase24h",
    expr="sum by (exchange) (increase(surveillance_data_gaps_total[24h]))",
    unit=count,
    provenance=rb.METRIC_NAMES,
    description="Data gaps per exchange in the last 24 hours.",
)

GAP_DURATION_24H = Signal(
    record="exchange:surveillance_data_gap_duration_seconds:avg24h",
    expr=(
        "sum by (exchange) (increase(surveillance_data_gap_duration_seconds_sum[24h]))"
        " / sum by (exchange) (increase(surveillance_data_gap_duration_seconds_count[24h]))"
    ),
    unit=seconds,
    provenance=rb.METRIC_NAMES,
    description="Average data gap duration per exchange over the last 24 hours.",
)

# --- Common Issues > High Message Lag, step 3: active PostgreSQL connections (dashboard only) ---

PG_ACTIVE_CONNECTIONS = Signal(
    record="surveillance_db:pg_stat_activity_active:sum",
    expr='sum(pg_stat_activity_count{job="surveillance-db", state="active"})',
    unit=count,
    provenance=rb.EXPORTER_NAMES,
    description="Active PostgreSQL connections (SELECT count(*) FROM pg_stat_activity WHERE state = 'active').",
)


# --- Adding New Instruments > Step 2: Add Alert Thresholds (config/alerts.yaml) ---------

# The anomaly detector's per-instrument thresholds. The runbook states them for
# ETH-USDT-PERP only: spread warning above 5.0 bps with a z-score above 2.0, critical above
# 10.0 bps with a z-score above 3.0; depth warning below $300K, critical below $100K. A
# z-score counts only after its 30-sample warmup (Common Issues: the system skips z-score
# alerts during warmup), so each spread signal is empty until the buffer is full.
ETH = "ETH-USDT-PERP"
_SPREAD = f'surveillance_metric_value{{metric_name="spread_bps", instrument="{ETH}"}}'
_ZSCORE = f'surveillance_metric_zscore{{metric_name="spread_bps", instrument="{ETH}"}}'
_WARM = f'surveillance_zscore_buffer_samples{{metric="spread_bps", instrument="{ETH}"}} >= 30'


def _spread_beyond(zscore: float) -> str:
    return (
        f"max by (exchange, instrument) ({_SPREAD} and on (exchange, instrument) ({_ZSCORE} > {zscore:g})"
        f" and on (exchange, instrument) ({_WARM}))"
    )


ETH_SPREAD = Signal(
    record="exchange_instrument:surveillance_spread_bps:eth_usdt_perp",
    expr=f"max by (exchange, instrument) ({_SPREAD})",
    unit=bps,
    description="ETH-USDT-PERP bid-ask spread per exchange, in basis points (metric_name spread_bps)",
    provenance=rb.METRIC_NAMES,
)
ETH_SPREAD_ZSCORE = Signal(
    record="exchange_instrument:surveillance_spread_zscore:eth_usdt_perp",
    expr=f"max by (exchange, instrument) ({_ZSCORE})",
    unit=count,
    description="ETH-USDT-PERP spread z-score per exchange: standard deviations from its recent mean (2.0 warns, 3.0 is critical with the spread past its line)",
    provenance=rb.METRIC_NAMES,
)
ETH_SPREAD_Z2 = Signal(
    record="exchange_instrument:surveillance_spread_bps:eth_usdt_perp_zscore_above_2",
    expr=_spread_beyond(2.0),
    unit=bps,
    description="ETH-USDT-PERP spread while its z-score is above 2.0 (warmup complete)",
    provenance=rb.THRESHOLDS.says("zscore: 2.0"),
)
ETH_SPREAD_Z3 = Signal(
    record="exchange_instrument:surveillance_spread_bps:eth_usdt_perp_zscore_above_3",
    expr=_spread_beyond(3.0),
    unit=bps,
    description="ETH-USDT-PERP spread while its z-score is above 3.0 (warmup complete)",
    provenance=rb.THRESHOLDS.says("zscore: 3.0"),
)
ETH_DEPTH = Signal(
    record="exchange_instrument:surveillance_depth_usd:eth_usdt_perp",
    expr=f'min by (exchange, instrument) (surveillance_metric_value{{metric_name="depth_usd", instrument="{ETH}"}})',
    unit=usd,
    description="ETH-USDT-PERP order book depth per exchange, in US dollars",
    provenance=rb.METRIC_NAMES,
)
