"""What is measured: the surveillance pipeline's signals, in base units.

The runbook reads its numbers from Redis keys and SQL tables (health:<exchange>,
alerts:active, zscore:* buffers, data_gaps, metrics). The services export the same
numbers to Prometheus under the `surveillance_` prefix; infrastructure uses the real
exporters (redis_exporter, postgres_exporter, blackbox_exporter). Scrape jobs are named
after the runbook's containers (Health Checks): surveillance-ingestion,
surveillance-metrics, surveillance-anomaly, surveillance-dashboard, surveillance-redis,
surveillance-db.
"""

from obsgen import Signal, bytes_, count, per_second, seconds

# --- Monitoring > Key Metrics to Watch -------------------------------------------------

# "Message rate (per exchange)": health:<exchange> message_count, as a counter.
MESSAGE_RATE = Signal(
    record="exchange:surveillance_messages_received:rate5m",
    expr="sum by (exchange) (rate(surveillance_messages_received_total[5m]))",
    unit=per_second,
    description=(
        "Order book messages received from each exchange WebSocket (binance, okx), per second over 5 minutes; "
        "the runbook's `redis-cli hget \"health:<exchange>\" message_count`."
    ),
)

# "Processing lag": health:<exchange> lag_ms, exported in seconds.
PROCESSING_LAG = Signal(
    record="exchange:surveillance_processing_lag_seconds:max",
    expr="max by (exchange) (surveillance_processing_lag_seconds)",
    unit=seconds,
    description=(
        "Processing lag per exchange, from the exchange timestamp to the processed metric "
        "(the `lag_ms` field of `health:<exchange>`)."
    ),
)

# "Gap frequency" in gaps/hour: rows of the data_gaps table, as a counter. Per exchange, like
# the runbook's gap statistics query (GROUP BY exchange).
GAP_RATE = Signal(
    record="exchange:surveillance_data_gaps:rate1h",
    expr="sum by (exchange) (rate(surveillance_data_gaps_total[1h]))",
    unit=per_second,
    description=(
        "Data gaps detected per exchange over the last hour (rows written to data_gaps). "
        "Counters must be initialised at 0 per exchange so the first gap counts."
    ),
)

# "Active P1 alerts": the P1 members of the Redis set alerts:active (scard alerts:active).
ACTIVE_P1_ALERTS = Signal(
    record="system:surveillance_active_p1_alerts:sum",
    expr='sum(surveillance_active_alerts{priority="P1"})',
    unit=count,
    description="Market surveillance alerts of priority P1 currently active in the Redis set alerts:active.",
)

# "Redis memory": `redis-cli info memory` used_memory.
REDIS_MEMORY = Signal(
    record="surveillance_redis:redis_memory_used_bytes:max",
    expr='max(redis_memory_used_bytes{job="surveillance-redis"})',
    unit=bytes_,
    description="Memory used by Redis (used_memory of `redis-cli info memory`).",
)

# --- Common Issues > Z-Score Alerts Not Firing -----------------------------------------

# `redis-cli llen "zscore:<exchange>:<instrument>:<metric>"`: warmup needs 30 samples.
ZSCORE_SAMPLES = Signal(
    record="exchange_instrument_metric:surveillance_zscore_buffer_samples:min",
    expr="min by (exchange, instrument, metric) (surveillance_zscore_buffer_samples)",
    unit=count,
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
    description="Rows the metrics-engine wrote to the PostgreSQL metrics table in the last 5 minutes.",
)

# --- Monitoring > Check Metric Values (dashboard only) ---------------------------------

# "Alert statistics (last hour)": SELECT priority, count(*) FROM alerts ... GROUP BY priority.
ALERTS_TRIGGERED_1H = Signal(
    record="priority:surveillance_alerts_triggered:increase1h",
    expr="sum by (priority) (increase(surveillance_alerts_triggered_total[1h]))",
    unit=count,
    description="Market surveillance alerts triggered in the last hour, by priority.",
)

# "Gap statistics (last 24 hours)": count(*) and avg(duration_seconds) GROUP BY exchange.
GAPS_24H = Signal(
    record="exchange:surveillance_data_gaps:increase24h",
    expr="sum by (exchange) (increase(surveillance_data_gaps_total[24h]))",
    unit=count,
    description="Data gaps per exchange in the last 24 hours.",
)

GAP_DURATION_24H = Signal(
    record="exchange:surveillance_data_gap_duration_seconds:avg24h",
    expr=(
        "sum by (exchange) (increase(surveillance_data_gap_duration_seconds_sum[24h]))"
        " / sum by (exchange) (increase(surveillance_data_gap_duration_seconds_count[24h]))"
    ),
    unit=seconds,
    description="Average data gap duration per exchange over the last 24 hours.",
)

# --- Common Issues > High Message Lag, step 3: active PostgreSQL connections (dashboard only) ---

PG_ACTIVE_CONNECTIONS = Signal(
    record="surveillance_db:pg_stat_activity_active:sum",
    expr='sum(pg_stat_activity_count{job="surveillance-db", state="active"})',
    unit=count,
    description="Active PostgreSQL connections (SELECT count(*) FROM pg_stat_activity WHERE state = 'active').",
)
