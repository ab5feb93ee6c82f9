"""What silences what: while a cause fires, the symptoms it explains stay quiet."""

from obsgen import Assumed, Inhibition

from . import health, infrastructure, ingestion, market, processing

_CAUSE = Assumed("The runbook does not say; a down service explains these symptoms: one notification per cause.")

# A down service explains its symptoms; page once for the cause.
INHIBITIONS = (
    Inhibition(
        name="ingestion-down-silences-feed-symptoms",
        source=health.DATA_INGESTION_DOWN,
        targets=(ingestion.EXCHANGE_MESSAGE_RATE_LOW, ingestion.DATA_GAPS_FREQUENT, processing.PROCESSING_LAG_HIGH, processing.ZSCORE_WARMUP_STUCK),
        reason="With data-ingestion down no messages arrive: low rates, gaps, lag and stalled warmup follow from it.",
        provenance=_CAUSE,
    ),
    Inhibition(
        name="metrics-engine-down-silences-lag",
        source=health.METRICS_ENGINE_DOWN,
        targets=(processing.PROCESSING_LAG_HIGH, processing.ZSCORE_WARMUP_STUCK),
        reason="With the metrics-engine down nothing is processed: lag and stalled z-score buffers follow from it.",
        provenance=_CAUSE,
    ),
    Inhibition(
        name="redis-down-silences-pipeline",
        source=health.REDIS_DOWN,
        targets=(processing.PROCESSING_LAG_HIGH, processing.ZSCORE_WARMUP_STUCK, infrastructure.REDIS_MEMORY_HIGH, health.DASHBOARD_DOWN),
        reason="Redis carries the order books and z-score buffers: the pipeline stalls behind it.",
        provenance=_CAUSE,
    ),
    Inhibition(
        name="spread-critical-silences-warning",
        source=market.ETH_SPREAD_CRITICAL,
        targets=(market.ETH_SPREAD_WARNING,),
        reason="The critical spread threshold (10.0 bps, z-score 3.0) includes the warning one (5.0 bps, z-score 2.0).",
        provenance=Assumed("As a critical level silences its own warning: one notification per spread anomaly."),
    ),
)
