"""metrics-engine and anomaly-detector: from order books to metrics, z-scores and alerts."""

from obsgen import ABOVE, Alert, Assumed, BELOW, Level, Service, minutes, ms

from . import health, signals
from . import runbook as rb
from .routing import P1, P2

# Monitoring > Key Metrics to Watch: "Processing lag | > 100ms | > 500ms".
# Common Issues > High Message Lag: its steps are the actions.
PROCESSING_LAG_HIGH = Alert(
    name="ProcessingLagHigh",
    signal=signals.PROCESSING_LAG,
    direction=ABOVE,
    warning=Level(ms(100), P2),
    critical=Level(ms(500), P1),
    # for_: 2m ignores a single slow batch or GC pause, and leaves time within P1's 5 minutes.
    for_=minutes(2),
    summary="Market data processing lag is high.",
    meaning=(
        "Processing bottleneck in metrics-engine or data-ingestion (Common Issues: High Message Lag): "
        "the dashboard shows stale data and alerts fire late."
    ),
    actions=(
        'Check metrics-engine logs: `docker-compose logs -f metrics-engine | grep -i "slow\\|lag\\|timeout"`.',
        "Check Redis memory: `redis-cli info memory | grep used_memory_human`.",
        "Check the PostgreSQL connection pool: `SELECT count(*) FROM pg_stat_activity WHERE state = 'active';`.",
        "Consider restarting the metrics-engine: `docker-compose restart metrics-engine`.",
    ),
    provenance={
        "warning.threshold": rb.KEY_METRICS.says("| Processing lag | > 100ms | > 500ms |"),
        "critical.threshold": rb.KEY_METRICS.says("| Processing lag | > 100ms | > 500ms |"),
        "direction": rb.LAG.says("Health status shows high lag_ms (> 100ms)"),
        "warning.priority": rb.P2_ALERTS,
        "critical.priority": rb.P1_ALERTS,
        "for_": Assumed("The runbook gives no duration: two minutes ignore a single slow batch or GC pause and fit P1's 5 minutes."),
    },
)

# Common Issues > Z-Score Alerts Not Firing: warmup needs 30 samples (~30 seconds of data);
# "If buffer is stuck, check data-ingestion logs". The runbook gives the 30 samples but no
# priority: a stuck buffer silently skips alerts, a warning-level problem, so P2.
ZSCORE_WARMUP_STUCK = Alert(
    name="ZScoreWarmupStuck",
    signal=signals.ZSCORE_SAMPLES,
    direction=BELOW,
    warning=Level(30, P2),
    # for_: warmup takes ~30 seconds; still below 30 samples after 5m means the buffer is stuck.
    for_=minutes(5),
    summary="A z-score buffer is stuck in warmup.",
    meaning=(
        "The z-score buffer holds fewer than 30 samples long after the ~30 second warmup: the system skips "
        "z-score alerts for this exchange, instrument and metric, so spread anomalies go unreported."
    ),
    actions=(
        'Check the buffer length: `redis-cli llen "zscore:<exchange>:<instrument>:<metric>"` (should reach 30).',
        'If it is stuck, check data-ingestion logs: `docker-compose logs -f data-ingestion | grep -i "error\\|warning"`.',
        "Check for frequent data gaps (DataGapsFrequent): every gap resets the buffers.",
    ),
    provenance={
        "threshold": rb.ZSCORE.says("Z-score is in warmup period (less than 30 samples collected)."),
        "direction": rb.ZSCORE.says("less than 30 samples collected"),
        "priority": Assumed("The runbook gives a stuck buffer no priority; z-score alerts are silently skipped, a warning-level problem: P2."),
        "for_": Assumed("Warmup takes ~30 seconds (Fresh Start); still below 30 samples after 5 minutes means the buffer is stuck."),
    },
)

METRICS_ENGINE = Service(
    name="metrics-engine",
    title="Metrics Engine",
    team="market-ops",
    description=(
        "Computes spread, depth and basis metrics and their z-scores from the Redis order books and writes "
        "them to the PostgreSQL metrics table."
    ),
    alerts=(PROCESSING_LAG_HIGH, ZSCORE_WARMUP_STUCK, health.METRICS_ENGINE_DOWN),
    signals=(signals.METRICS_WRITTEN,),
)

# Monitoring > Key Metrics to Watch: "Active P1 alerts | > 0 | > 5". Both levels are P1: each
# market P1 alert reaches #market-ops-critical and PagerDuty within 5 minutes (Emergency
# Contact Escalation), whether one is active or an alert storm is.
ACTIVE_P1_SURVEILLANCE_ALERTS = Alert(
    name="ActiveP1SurveillanceAlerts",
    signal=signals.ACTIVE_P1_ALERTS,
    direction=ABOVE,
    warning=Level(0, P1),
    critical=Level(5, P1),
    # for_: 1m lets a momentary alert auto-resolve before anyone is told.
    for_=minutes(1),
    summary="Market surveillance P1 alerts are active.",
    meaning=(
        "The anomaly detector holds active P1 (critical) market surveillance alerts in alerts:active: "
        "each one reaches the on-call within 5 minutes (P1), more than 5 at once is critical. Alerts that do not clear may be stuck "
        "(Common Issues: Alerts Stuck in Active State)."
    ),
    actions=(
        "List the active alerts: `redis-cli smembers \"alerts:active\"` and review each in the dashboard.",
        "Review the last hour: `SELECT priority, count(*) FROM alerts WHERE triggered_at > NOW() - INTERVAL '1 hour' GROUP BY priority;`.",
        "For an alert that should have cleared, check whether its condition still holds (metric still elevated).",
        'Check auto-resolve: `docker-compose logs anomaly-detector | grep -i "resolve"`.',
        'Resolve a stuck alert manually: `redis-cli srem "alerts:active" "<alert_id>"`.',
        "Only in an alert storm: disable alerts (config/features.yaml `alerts: enabled: false`) and "
        "`docker-compose restart anomaly-detector` (Emergency Procedures: Disable Alerts Temporarily).",
    ),
    provenance={
        "warning.threshold": rb.KEY_METRICS.says("| Active P1 alerts | > 0 | > 5 |"),
        "critical.threshold": rb.KEY_METRICS.says("| Active P1 alerts | > 0 | > 5 |"),
        "direction": rb.KEY_METRICS.says("> 0"),
        "priority": rb.P1_ALERTS,
        "for_": Assumed("One minute lets a momentary market alert auto-resolve before anyone is told."),
    },
)

ANOMALY_DETECTOR = Service(
    name="anomaly-detector",
    title="Anomaly Detector",
    team="market-ops",
    description=(
        "Raises and auto-resolves market surveillance alerts (P1 critical, P2 warning) from spread, depth "
        "and z-score thresholds in config/alerts.yaml; skips z-score alerts during the 30-sample warmup."
    ),
    alerts=(ACTIVE_P1_SURVEILLANCE_ALERTS, health.ANOMALY_DETECTOR_DOWN),
    signals=(signals.ALERTS_TRIGGERED_1H,),
)
