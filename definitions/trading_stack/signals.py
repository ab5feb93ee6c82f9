"""What is measured: one recording rule per signal, in base units.

Metric names are the runbook's own where it names one (cb_staleness_seconds,
alert_delivery_latency_seconds, execution_gateway_request_duration_seconds,
signal_service_latency_seconds) and otherwise the names the platform's services
export (alert_poison_queue_size, audit_write_latency_seconds,
execution_gateway_* gauges and counters) or the standard exporters' (up, redis_up, pg_up).
Every record uses the level `trading_stack` so it cannot collide with another system's rules.
"""

from obsgen import Assumed, Runbook, Signal, count, per_second, ratio, seconds

_OWN_NAMES = Assumed(
    "The runbook names no metric for this: the name the platform's service is expected to export."
)
_EXPORTER_NAMES = Assumed("The exporters' own metric names (up, redis_up, pg_up).")

SERVICE_JOBS = ("execution-gateway", "signal-service", "circuit-breaker", "alert-delivery", "audit-log")


def _up(job: str) -> Signal:
    """Availability of one service: 1 when every scraped instance is up (System Health: Green/Red)."""
    metric = job.replace("-", "_")
    return Signal(
        record=f"trading_stack:{metric}_up:min",
        expr=f'min(up{{job="{job}"}})',
        unit=count,
        description=f"1 when every {job} instance answers its Prometheus scrape, 0 when any is down.",
    )


# --- Track 7 SLA table (seeds/001 "SLA Monitoring") -----------------------------------------

CB_STALENESS = Signal(
    record="trading_stack:cb_staleness_seconds:max",
    expr="max(cb_staleness_seconds)",
    unit=seconds,
    provenance=Runbook("Circuit Breaker Operations (UI) > Verification Checklist", "Grafana shows `cb_staleness_seconds` near 0"),
    description=(
        "Age of the last successful verification of the circuit breaker state in Redis "
        "(key circuit_breaker:state). Near 0 when healthy; a huge value (999999) means the state "
        "could not be read at all."
    ),
)

ALERT_DELIVERY_P95 = Signal(
    record="trading_stack:alert_delivery_latency_seconds:p95_5m",
    expr="histogram_quantile(0.95, sum by (le) (rate(alert_delivery_latency_seconds_bucket[5m])))",
    unit=seconds,
    provenance=Runbook("Alert Operations > Alert Troubleshooting", "Panel: `alert_delivery_latency_seconds` histogram"),
    description="P95 end-to-end alert delivery latency (enqueue to delivered), all channels, over 5 minutes.",
)

AUDIT_WRITE_P95 = Signal(
    record="trading_stack:audit_write_latency_seconds:p95_5m",
    expr="histogram_quantile(0.95, sum by (le) (rate(audit_write_latency_seconds_bucket[5m])))",
    unit=seconds,
    provenance=_OWN_NAMES,
    description="P95 latency of audit log writes to Postgres over 5 minutes.",
)

POISON_QUEUE = Signal(
    record="trading_stack:alert_poison_queue_size:max",
    expr="max(alert_poison_queue_size)",
    unit=count,
    provenance=_OWN_NAMES,
    description="Alert deliveries in status 'poison' (failed after all retries) waiting for manual review.",
)

# --- Alert delivery channels (seeds/001 "Alert Routing Configuration": Email, Slack, SMS) ----

ALERT_DELIVERY_P95_BY_CHANNEL = Signal(
    record="trading_stack:alert_delivery_latency_seconds:p95_by_channel_5m",
    expr="histogram_quantile(0.95, sum by (channel, le) (rate(alert_delivery_latency_seconds_bucket[5m])))",
    unit=seconds,
    provenance=Runbook("Alert Operations > Alert Troubleshooting", "Panel: `alert_delivery_latency_seconds` histogram"),
    description="P95 alert delivery latency per channel: email (SMTP/SendGrid), slack (webhook), sms (Twilio).",
)

ALERT_THROTTLED = Signal(
    record="trading_stack:alert_throttle_total:rate_by_channel_5m",
    expr="sum by (channel, limit_type) (rate(alert_throttle_total[5m]))",
    unit=per_second,
    provenance=_OWN_NAMES,
    description="Deliveries held back by the automatic rate limits, per channel and limit type.",
)

ALERT_QUEUE_DEPTH = Signal(
    record="trading_stack:alert_queue_depth:max",
    expr="max(alert_queue_depth)",
    unit=count,
    provenance=_OWN_NAMES,
    description="Pending alert deliveries. Queue depth metrics require Redis connectivity.",
)

# --- Circuit breaker (seeds/001 "Circuit Breaker Operations (UI)", "Recovery") --------------

CB_STATE = Signal(
    record="trading_stack:execution_gateway_circuit_breaker_status:max",
    expr="max(execution_gateway_circuit_breaker_status)",
    unit=count,
    provenance=_OWN_NAMES,
    description="Circuit breaker state: 0 = OPEN (normal, trading allowed), 1 = TRIPPED (new orders blocked).",
)

CB_TRIPS = Signal(
    record="trading_stack:cb_trip_total:increase_1h",
    expr="sum(increase(cb_trip_total[1h]))",
    unit=count,
    provenance=_OWN_NAMES,
    description="Circuit breaker trips (manual and automatic) in the last hour.",
)

CB_RESETS = Signal(
    record="trading_stack:cb_reset_total:increase_1h",
    expr="sum(increase(cb_reset_total[1h]))",
    unit=count,
    provenance=_OWN_NAMES,
    description="Circuit breaker resets in the last hour (rate limited to 1 per minute, global).",
)

ORDERS_BLOCKED = Signal(
    record="trading_stack:execution_gateway_orders_blocked:rate_5m",
    expr='sum(rate(execution_gateway_orders_total{status="blocked"}[5m])) or vector(0)',
    unit=per_second,
    provenance=_OWN_NAMES,
    description="Orders blocked by the execution gateway (e.g. by a tripped breaker), per second over 5 minutes.",
)

# --- Execution gateway (seeds/001 "Daily", "Troubleshooting Service Issues") ---------------

GATEWAY_P95 = Signal(
    record="trading_stack:execution_gateway_request_duration_seconds:p95_5m",
    expr="histogram_quantile(0.95, sum by (le) (rate(execution_gateway_request_duration_seconds_bucket[5m])))",
    unit=seconds,
    provenance=Runbook("System Health Monitor Operations > Troubleshooting Service Issues", "`execution_gateway_request_duration_seconds`"),
    description="P95 execution gateway request latency over 5 minutes (latency trend for troubleshooting).",
)

API_ERROR_RATIO = Signal(
    record="trading_stack:execution_gateway_alpaca_api_requests:error_ratio_5m",
    expr=(
        'sum(rate(execution_gateway_alpaca_api_requests_total{status="error"}[5m]))'
        " / sum(rate(execution_gateway_alpaca_api_requests_total[5m]))"
    ),
    unit=ratio,
    provenance=_OWN_NAMES,
    description="Share of broker (Alpaca) API requests from the execution gateway that failed, over 5 minutes.",
)

OPEN_POSITIONS = Signal(
    record="trading_stack:execution_gateway_positions_current:open_count",
    expr="count(execution_gateway_positions_current != 0) or vector(0)",
    unit=count,
    provenance=_OWN_NAMES,
    description="Symbols with a non-zero open position (what `make status` lists as positions).",
)

PNL = Signal(
    record="trading_stack:execution_gateway_pnl_dollars:sum_by_type",
    expr="sum by (type) (execution_gateway_pnl_dollars)",
    unit=count,
    provenance=_OWN_NAMES,
    description="P&L in US dollars by type (realized, unrealized, total), as `make status` reports it.",
)

DRAWDOWN = Signal(
    record="trading_stack:execution_gateway_drawdown_ratio:max",
    expr="max(execution_gateway_drawdown_ratio)",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="Drawdown (DD): fall of account equity from its peak, 0..1.",
)

DRY_RUN = Signal(
    record="trading_stack:execution_gateway_dry_run_mode:max",
    expr="max(execution_gateway_dry_run_mode)",
    unit=count,
    provenance=_OWN_NAMES,
    description="1 when the execution gateway runs in DRY_RUN mode (no real orders), 0 when live.",
)

# --- Signal service (seeds/001 "Daily": data freshness; "Troubleshooting Service Issues") ---

SIGNAL_P95 = Signal(
    record="trading_stack:signal_service_latency_seconds:p95_5m",
    expr="histogram_quantile(0.95, sum by (le) (rate(signal_service_latency_seconds_bucket[5m])))",
    unit=seconds,
    provenance=Runbook("System Health Monitor Operations > Troubleshooting Service Issues", "`signal_service_latency_seconds`"),
    description="P95 signal service latency over 5 minutes (latency trend for troubleshooting).",
)

MARKET_DATA_RATE = Signal(
    record="trading_stack:market_data_websocket_messages:rate_5m",
    expr="sum(rate(market_data_websocket_messages_received_total[5m])) or vector(0)",
    unit=per_second,
    provenance=_OWN_NAMES,
    description="Market data messages received per second: data freshness. 0 during market hours means stale data.",
)

# --- System Health (seeds/001 "System Health Monitor Operations") --------------------------

UP = {job: _up(job) for job in SERVICE_JOBS}

REDIS_UP = Signal(
    record="trading_stack:redis_up:min",
    expr="min(redis_up)",
    unit=count,
    provenance=_EXPORTER_NAMES,
    description="1 when Redis answers redis_exporter, 0 when it does not.",
)

POSTGRES_UP = Signal(
    record="trading_stack:pg_up:min",
    expr="min(pg_up)",
    unit=count,
    provenance=_EXPORTER_NAMES,
    description="1 when Postgres answers postgres_exporter, 0 when it does not.",
)

UNHEALTHY_COMPONENTS = Signal(
    record="trading_stack:unhealthy_components:count",
    expr=(
        'count(up{job=~"' + "|".join(SERVICE_JOBS) + '"} == 0 or redis_up == 0 or pg_up == 0) or vector(0)'
    ),
    unit=count,
    provenance=_EXPORTER_NAMES,
    description="Microservices, Redis and Postgres instances that are down (System Health shows them Red).",
)
