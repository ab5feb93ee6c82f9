"""What is measured for the trading engine: one recording rule per quantity, in base units.

Metric names: the runbook names `http_requests` (P1 High Error Rate, step 2: `curl .../metrics |
grep http_requests`), so the API uses the Go client conventions `http_requests_total{code}` and
`http_request_duration_seconds`. Infrastructure uses the real exporters: blackbox_exporter,
postgres_exporter, redis_exporter, kube-state-metrics, cAdvisor (via the kubelet), node_exporter,
kubelet volume stats and cert-manager. Application metrics the runbook mentions without naming
(order execution latency, WebSocket connections, FIX sessions, security detections) carry the
`trading_engine_` prefix. Everything runs in namespace `production` (every runbook command says
`-n production`).
"""

from obsgen import Assumed, Signal, bytes_, count, minutes, per_second, percent, ratio, seconds
from obsgen.packs import KubernetesConfig, PostgresConfig, RedisConfig, kubernetes_signals, postgres_signals, redis_signals

from . import runbook as rb

_OWN_NAMES = rb.METRIC_NAMES
_EXPORTER_NAMES = rb.EXPORTER_NAMES

API = 'job="trading-engine-api"'
NS = 'namespace="production"'
PG_POD = 'pod=~"trading-engine-postgresql-.*"'

# --- API ------------------------------------------------------------------------------

# P0 Complete Service Outage: "Health check failing" (`curl https://api.trading-engine.com/health`).
API_HEALTH = Signal(
    record="api:probe_success:min",
    expr='min(probe_success{job="blackbox", instance="https://api.trading-engine.com/health"})',
    unit=count,
    provenance=_EXPORTER_NAMES,
    description="The blackbox probe of https://api.trading-engine.com/health (1 succeeds, 0 fails)",
)

# P0 Complete Service Outage: "All API requests returning errors". 1 while at least one request
# succeeds, 0 while requests arrive and every one fails; empty without traffic (the health probe
# covers that case).
API_ANY_SUCCESS = Signal(
    record="api:http_requests_succeeding:bool_rate1m",
    expr=(
        f'((sum(rate(http_requests_total{{{API}, code!~"5.."}}[1m])) or vector(0)) > bool 0)'
        f" and on () (sum(rate(http_requests_total{{{API}}}[1m])) > 0)"
    ),
    unit=count,
    provenance=_OWN_NAMES,
    description="The API success flag (1 while some requests succeed, 0 while every request fails with a 5xx)",
)

# Critical Metrics Dashboard "Error rate (< 0.1%)"; Key Metrics "Error rate > 1%";
# P1 High Error Rate "Error rate > 5%".
API_ERROR_RATIO = Signal(
    record="api:http_requests_errors:ratio_rate5m",
    expr=f'sum(rate(http_requests_total{{{API}, code=~"5.."}}[5m])) / sum(rate(http_requests_total{{{API}}}[5m]))',
    unit=ratio,
    provenance=_OWN_NAMES,
    description="The share of API requests answered with a 5xx error over 5 minutes",
)

# Key Metrics "p95 latency > 500ms"; P1 High Error Rate "Slow response times (p95 > 1s)".
API_LATENCY_P95 = Signal(
    record="api:http_request_duration_seconds:p95_5m",
    expr=f"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{{{API}}}[5m])))",
    unit=seconds,
    provenance=_OWN_NAMES,
    description="The 95th percentile API response time over 5 minutes",
)

# Critical Metrics Dashboard "Order execution latency (p95 < 300ms)".
ORDER_EXECUTION_P95 = Signal(
    record="api:trading_engine_order_execution_duration_seconds:p95_5m",
    expr="histogram_quantile(0.95, sum by (le) (rate(trading_engine_order_execution_duration_seconds_bucket[5m])))",
    unit=seconds,
    provenance=_OWN_NAMES,
    description="The 95th percentile order execution latency (order received to execution reported) over 5 minutes",
)

# Deployment Procedures 5: "Monitor metrics for 30 minutes: error rates, latency, throughput".
API_THROUGHPUT = Signal(
    record="api:http_requests:rate5m",
    expr=f"sum(rate(http_requests_total{{{API}}}[5m]))",
    unit=per_second,
    provenance=_OWN_NAMES,
    description="The API throughput, requests per second over 5 minutes",
)

# P1 High Error Rate: "Increased timeout errors" (no threshold given: dashboard only).
API_TIMEOUTS = Signal(
    record="api:http_requests_timeouts:rate5m",
    expr=f'sum(rate(http_requests_total{{{API}, code=~"408|504"}}[5m]))',
    unit=per_second,
    provenance=_OWN_NAMES,
    description="The rate of API requests ending in a timeout (408 or 504) over 5 minutes",
)

# --- WebSocket ------------------------------------------------------------------------

# Critical Metrics Dashboard "Active WebSocket connections"; P0 "Zero WebSocket connections";
# Key Metrics "WebSocket connections > 50K".
WEBSOCKET_CONNECTIONS = Signal(
    record="websocket:trading_engine_websocket_connections:sum",
    expr='sum(trading_engine_websocket_connections{job="trading-engine-websocket"})',
    unit=count,
    provenance=_OWN_NAMES,
    description="The number of active WebSocket connections across all trading-engine-websocket pods",
)

# --- FIX gateway ----------------------------------------------------------------------

# Critical Metrics Dashboard "FIX session status": sessions not logged on (gauge 1 = logged on).
FIX_SESSIONS_DOWN = Signal(
    record="fix:trading_engine_fix_sessions_down:count",
    expr='count(trading_engine_fix_session_up{job="trading-engine-fix-gateway"} == 0) or vector(0)',
    unit=count,
    provenance=_OWN_NAMES,
    description="The number of FIX sessions of the FIX gateway that are not logged on",
)

FIX_SESSIONS_UP = Signal(
    record="fix:trading_engine_fix_session_up:max",
    expr='max by (session) (trading_engine_fix_session_up{job="trading-engine-fix-gateway"})',
    unit=count,
    provenance=_OWN_NAMES,
    description="The FIX session state (1 logged on, 0 not)",
)

# --- PostgreSQL (postgres_exporter) ---------------------------------------------------

# Reachability and connection slots: obsgen's PostgreSQL pack.
POSTGRES = postgres_signals(PostgresConfig(
    selector=NS,
    # Critical Metrics Dashboard "Database connection pool utilization (< 80%)";
    # Key Metrics "Database connections > 80% of max".
    connections_high=percent(80),
))
PG_UP = POSTGRES.up  # P0 Complete Service Outage: "Database unreachable"
PG_CONNECTIONS_USED = POSTGRES.connections_used
# P1 Database Performance Issues: "Connection pool exhausted": no connection slot left for the
# application (max_connections minus the superuser reserve, minus connections in use).
PG_CONNECTIONS_FREE = POSTGRES.connections_free

# P1 Database Performance Issues: "High CPU on database"; Key Metrics "CPU usage > 80%".
PG_CPU = Signal(
    record="postgresql:container_cpu_usage:ratio_rate5m",
    expr=(
        f'sum by (pod) (rate(container_cpu_usage_seconds_total{{{NS}, {PG_POD}, container!="", container!="POD"}}[5m]))'
        f' / sum by (pod) (kube_pod_container_resource_limits{{{NS}, {PG_POD}, resource="cpu"}})'
    ),
    unit=ratio,
    provenance=_EXPORTER_NAMES,
    description="The CPU use of the PostgreSQL pod as a share of its CPU limit",
)

# P1 Database Performance Issues: "Slow query execution"; Weekly Tasks "Review slow queries"
# (pg_stat_statements mean_exec_time). postgres_exporter stat_statements collector.
PG_QUERY_MEAN = Signal(
    record="postgresql:pg_stat_statements_seconds:mean_rate1h",
    expr=(
        f"sum(rate(pg_stat_statements_seconds_total{{{NS}}}[1h]))"
        f" / sum(rate(pg_stat_statements_calls_total{{{NS}}}[1h]))"
    ),
    unit=seconds,
    provenance=_EXPORTER_NAMES,
    description="The mean statement execution time over the last hour (pg_stat_statements)",
)

# P1 Database Performance Issues, mitigation: queries active for more than 5 minutes are the
# ones the runbook kills. Dashboard only (the 5 minutes is a mitigation criterion, not an alert).
PG_LONGEST_TRANSACTION = Signal(
    record="postgresql:pg_stat_activity_max_tx_duration:max",
    expr=f'max(pg_stat_activity_max_tx_duration{{{NS}, datname="trading_engine"}})',
    unit=seconds,
    provenance=_EXPORTER_NAMES,
    description="The age of the oldest open transaction in the trading_engine database",
)

# Weekly Tasks "Database maintenance: VACUUM ANALYZE".
PG_VACUUM_AGE = Signal(
    record="postgresql:pg_stat_user_tables_last_vacuum_age:max",
    expr=f'time() - min(pg_stat_user_tables_last_vacuum{{{NS}, datname="trading_engine"}})',
    unit=seconds,
    provenance=_EXPORTER_NAMES,
    description="The time since the least recently vacuumed table was last vacuumed manually (VACUUM ANALYZE)",
)

# --- Redis (redis_exporter) -----------------------------------------------------------
# The runbook states no Redis threshold ("Clear Redis cache if stale", "Pre-warm cache"):
# dashboard only.

REDIS = redis_signals(RedisConfig(selector=NS))  # obsgen's Redis pack
REDIS_UP = REDIS.up
REDIS_MEMORY = REDIS.memory_used
REDIS_CLIENTS = REDIS.clients_used


REDIS_HIT_RATIO = Signal(
    record="redis:redis_keyspace_hits:ratio_rate5m",
    expr=(
        f"sum(rate(redis_keyspace_hits_total{{{NS}}}[5m])) / "
        f"(sum(rate(redis_keyspace_hits_total{{{NS}}}[5m])) + sum(rate(redis_keyspace_misses_total{{{NS}}}[5m])))"
    ),
    unit=ratio,
    provenance=_EXPORTER_NAMES,
    description="The share of Redis key lookups that hit over 5 minutes (low after a FLUSHALL until the cache is pre-warmed)",
)


# --- Kubernetes infrastructure --------------------------------------------------------

# Pods against their limits, restarts, OOM kills, replicas: obsgen's Kubernetes pack.
KUBERNETES = kubernetes_signals(KubernetesConfig(
    selector=NS,
    restart_window=minutes(15),
    pod_cpu_high=percent(80),  # Key Metrics "CPU usage > 80%"
    pod_memory_high=percent(85),  # Key Metrics "Memory usage > 85%"
))
# Critical Metrics Dashboard "CPU/Memory usage per pod"; Key Metrics "Memory usage > 85%".
POD_MEMORY = KUBERNETES.pod_memory
POD_OOM_KILLS = KUBERNETES.oom_kills  # P1 Memory Leak: "OOMKilled pods"
POD_RESTARTS = KUBERNETES.restarts  # P1 Memory Leak: "Pod restarts"
# Scaling Operations: replicas of trading-engine-api and trading-engine-websocket (dashboard only).
DEPLOYMENT_REPLICAS = KUBERNETES.deployment_replicas

# Critical Metrics Dashboard "CPU/Memory usage per pod"; Key Metrics "CPU usage > 80%".
# PostgreSQL pods have their own P1 signal (PG_CPU) and are left out here.
POD_CPU = Signal(
    record="pod:container_cpu_usage:ratio_rate5m",
    expr=(
        f'sum by (pod) (rate(container_cpu_usage_seconds_total{{{NS}, pod!~"trading-engine-postgresql-.*", container!="", container!="POD"}}[5m]))'
        f' / sum by (pod) (kube_pod_container_resource_limits{{{NS}, pod!~"trading-engine-postgresql-.*", resource="cpu"}})'
    ),
    unit=ratio,
    provenance=_EXPORTER_NAMES,
    description="The CPU use of the pod (PostgreSQL aside) as a share of its CPU limit",
)


# P1 Memory Leak: "Increasing memory usage over time" (no threshold given: dashboard only).
POD_MEMORY_GROWTH = Signal(
    record="pod:container_memory_working_set_bytes:delta1h",
    expr=f'sum by (pod) (delta(container_memory_working_set_bytes{{{NS}, container!="", container!="POD"}}[1h]))',
    unit=bytes_,
    provenance=_EXPORTER_NAMES,
    description="The change of the pod's working-set memory over the last hour (steady growth suggests a leak)",
)


# Key Metrics "Disk usage > 85%": node filesystems (node_exporter).
NODE_DISK = Signal(
    record="node:node_filesystem_used:ratio",
    expr=(
        'max by (instance, mountpoint) (1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs", mountpoint!=""}'
        ' / node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs", mountpoint!=""})'
    ),
    unit=ratio,
    provenance=_EXPORTER_NAMES,
    description="The used share of the node filesystem",
)

# Key Metrics "Disk usage > 85%": persistent volumes (PostgreSQL and Redis data).
VOLUME_DISK = Signal(
    record="pvc:kubelet_volume_stats_used:ratio",
    expr=(
        f"max by (persistentvolumeclaim) (kubelet_volume_stats_used_bytes{{{NS}}}"
        f" / kubelet_volume_stats_capacity_bytes{{{NS}}})"
    ),
    unit=ratio,
    provenance=_EXPORTER_NAMES,
    description="The used share of the persistent volume claim",
)

# P0 Immediate Actions 4: `kubectl top nodes` (dashboard only).
NODE_CPU = Signal(
    record="node:node_cpu_utilisation:ratio_rate5m",
    expr='1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))',
    unit=ratio,
    provenance=_EXPORTER_NAMES,
    description="The busy share of the node's CPUs over 5 minutes",
)

NODE_MEMORY = Signal(
    record="node:node_memory_utilisation:ratio",
    expr="max by (instance) (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)",
    unit=ratio,
    provenance=_EXPORTER_NAMES,
    description="The used share of the node's memory",
)


# Daily Checks "Check pod health" / Standard Deployment 1 "All healthy": pods that are pending,
# failed or unknown, plus running pods that are not ready.
PODS_UNHEALTHY = Signal(
    record="namespace:kube_pods_unhealthy:count",
    expr=(
        f'(sum(kube_pod_status_phase{{{NS}, phase=~"Pending|Failed|Unknown"}}) or vector(0))'
        f' + (sum(kube_pod_status_ready{{{NS}, condition!="true"}}'
        f' * on (namespace, pod) group_left () (kube_pod_status_phase{{{NS}, phase="Running"}} == 1)) or vector(0))'
    ),
    unit=count,
    provenance=_EXPORTER_NAMES,
    description="The number of production pods pending, failed, unknown, or running but not ready",
)

# Daily Checks "Check HPA status": autoscalers pinned at their maximum replicas.
HPA_AT_MAX = Signal(
    record="namespace:kube_hpa_at_max_replicas:count",
    expr=(
        f"count(kube_horizontalpodautoscaler_status_current_replicas{{{NS}}}"
        f" >= on (namespace, horizontalpodautoscaler) kube_horizontalpodautoscaler_spec_max_replicas{{{NS}}}) or vector(0)"
    ),
    unit=count,
    provenance=_EXPORTER_NAMES,
    description="The number of production autoscalers running at their maximum replicas",
)

# Weekly Tasks "Check certificate expiry" (`kubectl get certificates`: cert-manager).
CERT_EXPIRY = Signal(
    record="namespace:certmanager_certificate_expiration:min_seconds",
    expr=f"min(certmanager_certificate_expiration_timestamp_seconds{{{NS}}}) - time()",
    unit=seconds,
    provenance=_EXPORTER_NAMES,
    description="The time until the first production certificate expires",
)

# Weekly Tasks "Backup verification" (s3://trading-engine-backups/): age of the last successful
# backup CronJob run.
BACKUP_AGE = Signal(
    record="namespace:kube_cronjob_backup_last_success_age:max_seconds",
    expr=f'time() - max(kube_cronjob_status_last_successful_time{{{NS}, cronjob=~".*backup.*"}})',
    unit=seconds,
    provenance=_EXPORTER_NAMES,
    description="The time since the last successful database backup job",
)

# Daily Checks "Check alerts: Prometheus alerts, PagerDuty incidents".
ALERTS_FIRING = Signal(
    record="system:alerts_firing:count",
    expr='count(ALERTS{alertstate="firing", system="trading-engine"}) or vector(0)',
    unit=count,
    provenance=_EXPORTER_NAMES,
    description="The number of trading-engine alerts firing",
)

# --- Security -------------------------------------------------------------------------

# P0 Security Breach: "Unauthorized access detected", "Data exfiltration alerts". The runbook
# names no metric: detections are counted by type (unauthorized_access, data_exfiltration, ...).
SECURITY_DETECTIONS = Signal(
    record="security:trading_engine_security_detections:increase5m",
    expr=f"sum by (type) (increase(trading_engine_security_detections_total{{{NS}}}[5m]))",
    unit=count,
    provenance=_OWN_NAMES,
    description="The number of security detections (unauthorized access, data exfiltration) in the last 5 minutes",
)

# P0 Security Breach: "Unusual API activity"; Immediate Actions 2 greps for 401|403.
# No threshold given: dashboard only.
API_DENIED = Signal(
    record="security:http_requests_denied:rate5m",
    expr=f'sum by (code) (rate(http_requests_total{{{API}, code=~"401|403"}}[5m]))',
    unit=per_second,
    provenance=_OWN_NAMES,
    description="The rate of API requests rejected as unauthenticated (401) or forbidden (403)",
)
