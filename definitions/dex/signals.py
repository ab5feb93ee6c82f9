"""What the DEX measures: every signal its alerts, checks and dashboards read.

Runbook: the DEX Operator Manual (seed 000); sections are cited as "§n". The runbook
names two things Prometheus sees: `circuit_breaker_state="open"` (§5) and the feature
flag FLAG_MAINTENANCE_MODE (§3.2). It names the Kubernetes namespace `dex-production`
and the `app` label (its LogCLI query, §4.1), so every selector here keeps to those.
Every other metric name is Prometheus naming (base units, `_total`, `_seconds`) for
what the services are expected to export, prefixed `dex_` (http_requests_total keeps the
instrumentation libraries' name); kube-state-metrics names its own.
"""

from obsgen import UNBOUNDED, Assumed, Signal, count, per_second, ratio, seconds, weeks

from . import runbook as rb


def sel(*matchers: str) -> str:
    """A label selector inside the production namespace (§4.1, §6)."""
    return "{" + ", ".join(('namespace="dex-production"',) + matchers) + "}"


GATEWAY = 'app="api-gateway"'
ORDERS = 'app="order-service"'
RISK = 'app="risk-engine"'
ENGINE = 'app="matching-engine"'


# --- DEX overview (§2.1 "DEX Overview Dashboard", §2.2, §3.2, §5, §6) ----------------

# "Ensure the aggregate error rate is <0.01%" (§2.1). Aggregate: every app of the
# namespace, 5xx answers over all answers. 429 is not an error (§4.2: expected under load).
ERROR_RATIO = Signal(
    record="namespace:http_request_errors:ratio_rate5m",
    expr="sum(rate(http_requests_total" + sel('code=~"5.."') + "[5m]))"
    " / sum(rate(http_requests_total" + sel() + "[5m]))",
    unit=ratio,
    description="Aggregate error rate (5xx share of all requests to DEX services)",
    provenance=Assumed("The manual gives the limit, not the metric: the instrumentation libraries' http_requests_total{code} of every app in dex-production; 5xx are errors, 429 is not (§4.2: expected during high load)."),
)

# §5: a trip is detected in Prometheus as `circuit_breaker_state="open"`, kept as written: an
# OpenMetrics state set, circuit_breaker_state{circuit_breaker_state="open"} is 1 while the
# breaker of `app` towards `dependency` is open. A breaker half-opens by itself after 30 s
# (§5), so the signal is the maximum over 1 minute: a single trip shows for a full minute.
CIRCUIT_BREAKER_OPEN = Signal(
    record="app_dependency:circuit_breaker_open:max1m",
    expr="max by (app, dependency) (max_over_time(circuit_breaker_state" + sel('circuit_breaker_state="open"') + "[1m]))",
    unit=count,
    description="Circuit breaker open (1) or not (0) in the last minute",
    provenance=rb.BREAKERS.says('If a circuit breaker trip is detected in Prometheus (`circuit_breaker_state="open"`)'),
)

# FLAG_MAINTENANCE_MODE (§3.2, §7): the services export the flags they read as
# dex_feature_flag_enabled{flag="..."}, 1 while the flag is true.
MAINTENANCE_MODE = Signal(
    record="namespace:feature_flag_maintenance_mode:max",
    expr="max(dex_feature_flag_enabled" + sel('flag="FLAG_MAINTENANCE_MODE"') + ")",
    unit=count,
    description="Maintenance mode (FLAG_MAINTENANCE_MODE) enabled (1) or not (0)",
    provenance=Assumed("§3.2 names the flag FLAG_MAINTENANCE_MODE, not a metric: the services export the flags they read as dex_feature_flag_enabled{flag}."),
)

# §6: restart by hand only when Kubernetes' auto-remediation fails to clear an error state.
CONTAINER_RESTARTS = Signal(
    record="container:kube_pod_container_status_restarts:increase1h",
    expr="sum by (container) (increase(kube_pod_container_status_restarts_total" + sel() + "[1h]))",
    unit=count,
    description="Container restarts in the last hour",
    provenance=rb.EXPORTER_NAMES,
)

# §2.2: "Ensure there are zero active P0 (critical) or P1 (high) alerts."
ACTIVE_P0_P1_ALERTS = Signal(
    record="system:alerts_p0_p1_firing:count",
    expr='count(ALERTS{alertstate="firing", system="dex", priority=~"P0|P1"}) or vector(0)',
    unit=count,
    description="DEX alerts of priority P0 or P1 firing",
    provenance=rb.EXPORTER_NAMES,
)

# §2.2: "Acknowledge and investigate any active P2 or P3 alerts."
ACTIVE_P2_P3_ALERTS = Signal(
    record="system:alerts_p2_p3_firing:count",
    expr='count(ALERTS{alertstate="firing", system="dex", priority=~"P2|P3"}) or vector(0)',
    unit=count,
    description="DEX alerts of priority P2 or P3 firing",
    provenance=rb.EXPORTER_NAMES,
)


# --- API gateway (§2.1, §3.1, §4.2) ---------------------------------------------------

# §2.1: "Verify HTTP 5xx responses from the API Gateway are at baseline levels."
# Its panel shows the same time last week beside it: the baseline (a week covers the
# diurnal and the weekday pattern).
def _gateway_5xx(offset: str = "") -> str:
    return "sum(rate(http_requests_total" + sel(GATEWAY, 'code=~"5.."') + "[5m]" + offset + "))"


GATEWAY_5XX = Signal(
    record="app:api_gateway_http_5xx:rate5m",
    expr=_gateway_5xx(),
    unit=per_second,
    description="API gateway HTTP 5xx responses",
    baseline=weeks(1),
    provenance=rb.METRIC_NAMES,
)

# "... at baseline levels": the 5xx rate over its baseline, the same time last week. A
# baseline under 0.1 5xx/s counts as 0.1/s, so a quiet week does not make one 5xx infinitely
# above it; no 5xx last week at all reads as that floor too.
BASELINE_FLOOR = 0.1
GATEWAY_5XX_TO_BASELINE = Signal(
    record="app:api_gateway_http_5xx:ratio_to_last_week_rate5m",
    expr=_gateway_5xx() + f" / clamp_min({_gateway_5xx(' offset 1w')} or vector(0), {BASELINE_FLOOR})",
    unit=ratio,
    description="API gateway HTTP 5xx rate as a share of its baseline (the same time last week, at least 0.1/s)",
    maximum=UNBOUNDED,  # a rate many times its baseline is above 100%
    provenance=Assumed(
        "§2.1 says 5xx must be at baseline levels but gives no baseline: the same time last week (a week covers the "
        "diurnal and weekday pattern), floored at 0.1 5xx/s."
    ),
)

# §3.1, §4.2: the gateway rate-limits (token bucket); HTTP 429 is expected under high load.
GATEWAY_429 = Signal(
    record="app:api_gateway_http_429:rate5m",
    expr="sum(rate(http_requests_total" + sel(GATEWAY, 'code="429"') + "[5m]))",
    unit=per_second,
    description="API gateway HTTP 429 (rate-limited) responses",
    provenance=rb.METRIC_NAMES,
)

# §2.1: "Confirm active connections match expected diurnal patterns."
GATEWAY_CONNECTIONS = Signal(
    record="app:api_gateway_active_connections:sum",
    expr="sum(dex_api_gateway_active_connections" + sel(GATEWAY) + ")",
    unit=count,
    description="API gateway active client connections",
    baseline=weeks(1),
    provenance=rb.METRIC_NAMES,
)


# --- Order service and risk engine (§4.2) ---------------------------------------------

ORDERS_SUBMITTED = Signal(
    record="app:order_service_orders:rate5m",
    expr="sum(rate(dex_order_service_orders_total" + sel(ORDERS) + "[5m]))",
    unit=per_second,
    description="Orders submitted to the order service",
    provenance=rb.METRIC_NAMES,
)

# §4.2: margin failures at the order service are normal user behaviour ...
ORDERS_MARGIN_REJECTED = Signal(
    record="app:order_service_margin_rejections:rate5m",
    expr="sum(rate(dex_order_service_orders_rejected_total" + sel(ORDERS, 'reason="margin"') + "[5m]))",
    unit=per_second,
    description="Orders rejected by the order service for insufficient margin",
    provenance=rb.METRIC_NAMES,
)

# ... "verify corresponding Risk Engine logs match" (§4.2).
RISK_MARGIN_FAILED = Signal(
    record="app:risk_engine_margin_check_failures:rate5m",
    expr="sum(rate(dex_risk_engine_margin_checks_total" + sel(RISK, 'result="fail"') + "[5m]))",
    unit=per_second,
    description="Margin checks failed by the risk engine",
    provenance=rb.METRIC_NAMES,
)

# The match itself: order-service margin rejections less risk-engine margin failures;
# around 0 when both sides agree (§4.2).
MARGIN_MISMATCH = Signal(
    record="system:margin_rejections_unmatched:rate5m",
    expr="sum(rate(dex_order_service_orders_rejected_total" + sel(ORDERS, 'reason="margin"') + "[5m]))"
    " - sum(rate(dex_risk_engine_margin_checks_total" + sel(RISK, 'result="fail"') + "[5m]))",
    unit=per_second,
    description="Margin rejections at the order service not matched by risk-engine margin failures",
    provenance=rb.METRIC_NAMES,
)


# --- Matching engine (§2.1 "Matching Engine Dashboard", §4.2) -------------------------

# §2.1: "Check p99 latency is strictly under 500µs."
ENGINE_P99 = Signal(
    record="app:matching_engine_match_duration_seconds:p99_5m",
    expr="histogram_quantile(0.99, sum by (le) (rate(dex_matching_engine_match_duration_seconds_bucket" + sel(ENGINE) + "[5m])))",
    unit=seconds,
    description="Matching engine p99 match latency",
    provenance=rb.METRIC_NAMES,
)

# §4.2: "Matching Engine (Any Error): P0 Incident." The engine counts every error it logs
# (the lines `logcli query '{app="matching-engine", ...} |~ "ERROR"'` finds, §4.1).
# Counters start at 0 so that the first error is an increase.
ENGINE_ERRORS = Signal(
    record="app:matching_engine_errors:increase5m",
    expr="sum(increase(dex_matching_engine_errors_total" + sel(ENGINE) + "[5m]))",
    unit=count,
    description="Matching engine errors in the last 5 minutes",
    provenance=rb.METRIC_NAMES,
)

# §2.1: "Confirm zero unhandled panics ..."
ENGINE_PANICS = Signal(
    record="app:matching_engine_panics:increase5m",
    expr="sum(increase(dex_matching_engine_panics_total" + sel(ENGINE) + "[5m]))",
    unit=count,
    description="Matching engine unhandled panics in the last 5 minutes",
    provenance=rb.METRIC_NAMES,
)

# §2.1: "... or matching anomalies" (crossed book, fill without a counterpart, ...).
ENGINE_ANOMALIES = Signal(
    record="app:matching_engine_anomalies:increase5m",
    expr="sum(increase(dex_matching_engine_anomalies_total" + sel(ENGINE) + "[5m]))",
    unit=count,
    description="Matching anomalies detected by the matching engine in the last 5 minutes",
    provenance=rb.METRIC_NAMES,
)

# Whether every matching engine target is up: one engine (or shard) down halts its
# markets. No `or vector(0)` for "no target at all":
# the recorded series would then exist without input and clash with the generated
# rule tests' input series; a crash-looping pod stays a target with up == 0.
ENGINE_UP = Signal(
    record="app:matching_engine_up:min",
    expr="min(up" + sel(ENGINE) + ")",
    unit=count,
    description="Matching engine targets up (1 when all are, 0 when any is down)",
    provenance=rb.EXPORTER_NAMES,
)

# §2.1: "Verify the order throughput supports current market volume."
ENGINE_THROUGHPUT = Signal(
    record="app:matching_engine_orders_processed:rate5m",
    expr="sum(rate(dex_matching_engine_orders_processed_total" + sel(ENGINE) + "[5m]))",
    unit=per_second,
    description="Orders processed by the matching engine",
    provenance=rb.METRIC_NAMES,
)
