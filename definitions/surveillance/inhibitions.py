"""What silences what: while a cause fires, the symptoms it explains stay quiet."""

from obsgen import Inhibition

from . import health, infrastructure, ingestion, processing

# A down service explains its symptoms; page once for the cause.
INHIBITIONS = (
    Inhibition(
        name="ingestion-down-silences-feed-symptoms",
        source=health.DATA_INGESTION_DOWN,
        targets=(ingestion.EXCHANGE_MESSAGE_RATE_LOW, ingestion.DATA_GAPS_FREQUENT, processing.PROCESSING_LAG_HIGH, processing.ZSCORE_WARMUP_STUCK),
        reason="With data-ingestion down no messages arrive: low rates, gaps, lag and stalled warmup follow from it.",
    ),
    Inhibition(
        name="metrics-engine-down-silences-lag",
        source=health.METRICS_ENGINE_DOWN,
        targets=(processing.PROCESSING_LAG_HIGH, processing.ZSCORE_WARMUP_STUCK),
        reason="With the metrics-engine down nothing is processed: lag and stalled z-score buffers follow from it.",
    ),
    Inhibition(
        name="redis-down-silences-pipeline",
        source=health.REDIS_DOWN,
        targets=(processing.PROCESSING_LAG_HIGH, processing.ZSCORE_WARMUP_STUCK, infrastructure.REDIS_MEMORY_HIGH, health.DASHBOARD_DOWN),
        reason="Redis carries the order books and z-score buffers: the pipeline stalls behind it.",
    ),
)
