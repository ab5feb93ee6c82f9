"""What BondX measures: every signal its alerts, checks and dashboards read.

Runbook: the BondX Production Operator Handbook (seed 002). Sections are cited by their
headings: "Ten Things n" is dashboard n of "The Ten Things to Check Dashboard List",
"Alerts" is "Common Alerts and What They Mean", "Playbooks" is "First-Response Playbooks".

The runbook names the Kubernetes namespace `bondx` and the `app` labels of its services
(its kubectl log selectors, "Where to Find Logs"), so selectors keep to those. The
exporters' own names are used for PostgreSQL, Redis, nodes and Kubernetes; everything
else is Prometheus naming (base units, `_total`, `_seconds`) with a `bondx_` prefix for
what the BondX services are expected to export. Windows are in the record names.
"""

from obsgen import UNBOUNDED, Assumed, Signal, count, per_second, percent, ratio, seconds
from obsgen.packs import NodeConfig, node_signals

_OWN_NAMES = Assumed(
    "The runbook names no metric for this: Prometheus naming with a bondx_ prefix for what the BondX services "
    "export, in namespace bondx with the app labels of its kubectl log selectors."
)
_EXPORTER_NAMES = Assumed("The exporters' own metric names (postgres_exporter, redis_exporter, kube-state-metrics, up).")


def sel(*matchers: str) -> str:
    """A label selector inside the production namespace (kubectl logs -n bondx ...)."""
    return "{" + ", ".join(('namespace="bondx"',) + matchers) + "}"


# --- Ten Things 1: Overall System Health (platform-wide) ----------------------------

# "System Status: All services should be GREEN", expected services_healthy 100%.
# GREEN per service: every scrape target of the app is up.
SERVICES_UP = Signal(
    record="app:up:ratio",
    expr="avg by (app) (up" + sel() + ")",
    unit=ratio,
    provenance=_EXPORTER_NAMES,
    description="Share of each BondX service's instances that are up (1 = GREEN)",
)

# "Uptime: >99.9% for all critical services", expected uptime_24h 99.95%.
UPTIME_24H = Signal(
    record="app:up:avg_over_time24h",
    expr="avg by (app) (avg_over_time(up" + sel() + "[24h]))",
    unit=ratio,
    provenance=_EXPORTER_NAMES,
    description="Uptime of each BondX service over the last 24 hours",
)

# "Response Time: <100ms p95 for all APIs", expected 75ms.
API_LATENCY_P95 = Signal(
    record="app:bondx_http_request_duration_seconds:p95_5m",
    expr="histogram_quantile(0.95, sum by (app, le) (rate(bondx_http_request_duration_seconds_bucket" + sel() + "[5m])))",
    unit=seconds,
    provenance=_OWN_NAMES,
    description="API response time p95 per service",
)

# "Error Rate: <0.1% for all services", expected 0.05%. Errors are 5xx answers.
API_ERROR_RATIO = Signal(
    record="app:bondx_http_request_errors:ratio_rate5m",
    expr="sum by (app) (rate(bondx_http_requests_total" + sel('code=~"5.."') + "[5m]))"
    " / sum by (app) (rate(bondx_http_requests_total" + sel() + "[5m]))",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="API error rate (5xx share of requests) per service",
)

# --- Ten Things 2: Trading Performance; Alerts P1/P2 (trading engine) ----------------

# Alerts P1 "Trading Engine Unavailable": "Trading engine service is down", i.e. the core
# trading functionality is COMPLETELY unavailable: no instance up. `or vector(0)` keeps
# the signal at 0 when the targets vanish from service discovery altogether.
TRADING_ENGINE_UP = Signal(
    record="namespace:bondx_trading_engine_instances_up:sum",
    expr="sum(up" + sel('app="trading-engine"') + ") or vector(0)",
    unit=count,
    provenance=_OWN_NAMES,
    description="Trading engine instances up (0 = trading engine unavailable)",
)

# Ten Things 2 "Order Processing: <50ms p95 order accept to execution" (expected 35ms) and
# Alerts P2 "High Order Latency": "Order processing latency >100ms p95". One signal.
ORDER_LATENCY_P95 = Signal(
    record="namespace:bondx_order_accept_to_execution_seconds:p95_5m",
    expr="histogram_quantile(0.95, sum by (le) (rate(bondx_order_accept_to_execution_seconds_bucket" + sel() + "[5m])))",
    unit=seconds,
    provenance=_OWN_NAMES,
    description="Order processing latency p95, order accept to execution",
)

# "Trade Success Rate: >99.9%", expected 99.95%.
TRADE_SUCCESS_RATIO = Signal(
    record="namespace:bondx_trades_success:ratio_rate5m",
    expr="sum(rate(bondx_trades_total" + sel('result="success"') + "[5m]))"
    " / sum(rate(bondx_trades_total" + sel() + "[5m]))",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="Trade success rate",
)

# "Order Book Depth: Sufficient liquidity for all instruments" (expected "Sufficient").
# The runbook gives no number, so "sufficient" is the trading engine's own per-instrument
# verdict, bondx_order_book_liquidity_sufficient{instrument} (1 sufficient, 0 not);
# the signal counts the instruments without sufficient liquidity.
INSUFFICIENT_LIQUIDITY = Signal(
    record="namespace:bondx_order_book_insufficient_liquidity_instruments:count",
    expr="count(bondx_order_book_liquidity_sufficient" + sel() + " == 0) or vector(0)",
    unit=count,
    provenance=_OWN_NAMES,
    description="Instruments whose order book lacks sufficient liquidity",
)

# Expected value "active_orders: 1000-5000" (no threshold given).
ACTIVE_ORDERS = Signal(
    record="namespace:bondx_active_orders:sum",
    expr="sum(bondx_active_orders" + sel() + ")",
    unit=count,
    provenance=_OWN_NAMES,
    description="Active (open) orders",
)

# --- Ten Things 8: Data Provider Health; Ten Things 2 market data; Alerts P2 ----------

# Ten Things 2 "Market Data Freshness: <1 minute stale" (expected 30 seconds) and Alerts P2
# "Data Provider Issues": "Market data stale >2 minutes". Age of the newest update per provider.
MARKET_DATA_STALENESS = Signal(
    record="provider:bondx_market_data_staleness_seconds:max",
    expr="max by (provider) (time() - bondx_market_data_last_update_timestamp_seconds" + sel() + ")",
    unit=seconds,
    provenance=_OWN_NAMES,
    description="Market data staleness per provider (seconds since the last update)",
)

# Ten Things 8 "Data Freshness: <1 minute for critical feeds" (expected 30 seconds).
CRITICAL_FEED_STALENESS = Signal(
    record="provider_feed:bondx_market_data_staleness_seconds:max_critical",
    expr="max by (provider, feed) (time() - bondx_market_data_last_update_timestamp_seconds" + sel('tier="critical"') + ")",
    unit=seconds,
    provenance=_OWN_NAMES,
    description="Staleness of each critical market data feed",
)

# "API Response Time: <500ms p95", expected 200ms.
PROVIDER_LATENCY_P95 = Signal(
    record="provider:bondx_data_provider_request_duration_seconds:p95_5m",
    expr="histogram_quantile(0.95, sum by (provider, le) (rate(bondx_data_provider_request_duration_seconds_bucket" + sel() + "[5m])))",
    unit=seconds,
    provenance=_OWN_NAMES,
    description="Data provider API response time p95 per provider",
)

# "Success Rate: >99.5%", expected 99.8%.
PROVIDER_SUCCESS_RATIO = Signal(
    record="provider:bondx_data_provider_requests_success:ratio_rate5m",
    expr="sum by (provider) (rate(bondx_data_provider_requests_total" + sel('result="success"') + "[5m]))"
    " / sum by (provider) (rate(bondx_data_provider_requests_total" + sel() + "[5m]))",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="Data provider request success rate per provider",
)

# "Fallback Status: Primary providers active", expected fallback_status "Not active",
# active_providers "All primary". bondx_data_provider_fallback_active{feed} is 1 while
# the feed is served by a fallback provider.
FEEDS_ON_FALLBACK = Signal(
    record="namespace:bondx_data_provider_fallback_active:sum",
    expr="sum(bondx_data_provider_fallback_active" + sel() + ") or vector(0)",
    unit=count,
    provenance=_OWN_NAMES,
    description="Market data feeds served by a fallback provider instead of the primary",
)

# --- Ten Things 3: WebSocket Connection; Alerts P1 "WebSocket Service Overloaded" ----

# Ten Things 3 "Active Connections: <80% of capacity" and Alerts P1 "WebSocket service at
# 95% capacity". One signal: connections over the capacity of all WebSocket managers.
WEBSOCKET_CAPACITY_USED = Signal(
    record="namespace:bondx_websocket_connections:capacity_ratio",
    expr="sum(bondx_websocket_active_connections" + sel('app="websocket-manager"') + ")"
    " / sum(bondx_websocket_connection_capacity" + sel('app="websocket-manager"') + ")",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="WebSocket connections as a share of the WebSocket managers' capacity",
)

# Expected value "active_connections: 5000-8000".
WEBSOCKET_CONNECTIONS = Signal(
    record="namespace:bondx_websocket_active_connections:sum",
    expr="sum(bondx_websocket_active_connections" + sel('app="websocket-manager"') + ")",
    unit=count,
    provenance=_OWN_NAMES,
    description="Active WebSocket connections",
)

# "Connection Success Rate: >99.9%", expected 99.95%.
WEBSOCKET_CONNECT_SUCCESS = Signal(
    record="namespace:bondx_websocket_connections_success:ratio_rate5m",
    expr="sum(rate(bondx_websocket_connection_attempts_total" + sel('result="success"') + "[5m]))"
    " / sum(rate(bondx_websocket_connection_attempts_total" + sel() + "[5m]))",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="WebSocket connection success rate",
)

# "Message Delivery Latency: <150ms p95", expected 100ms.
WEBSOCKET_DELIVERY_P95 = Signal(
    record="namespace:bondx_websocket_message_delivery_seconds:p95_5m",
    expr="histogram_quantile(0.95, sum by (le) (rate(bondx_websocket_message_delivery_seconds_bucket" + sel() + "[5m])))",
    unit=seconds,
    provenance=_OWN_NAMES,
    description="WebSocket message delivery latency p95",
)

# "Reconnection Success Rate: >99.5%", expected 99.8%.
WEBSOCKET_RECONNECT_SUCCESS = Signal(
    record="namespace:bondx_websocket_reconnections_success:ratio_rate5m",
    expr="sum(rate(bondx_websocket_reconnections_total" + sel('result="success"') + "[5m]))"
    " / sum(rate(bondx_websocket_reconnections_total" + sel() + "[5m]))",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="WebSocket reconnection success rate",
)

# Expected value "dropped_messages: <0.01%" (no threshold given).
WEBSOCKET_DROPPED = Signal(
    record="namespace:bondx_websocket_messages_dropped:ratio_rate5m",
    expr="sum(rate(bondx_websocket_messages_dropped_total" + sel() + "[5m]))"
    " / sum(rate(bondx_websocket_messages_total" + sel() + "[5m]))",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="Share of WebSocket messages dropped",
)

# --- Ten Things 4: Risk Management; Alerts P2 "Risk Calculation Delays" --------------

# Ten Things 4 "VaR Calculation Time: <1 second p95" (expected 800ms) and Alerts P2 "Risk
# calculation taking >2 seconds"; the playbook "Risk Engine Delays" verifies the alert by
# "VaR calculation <1s p95", so both read this signal. VaR runs with the 5-minute risk
# snapshots, so the window is 10m: two snapshot cycles, never an empty histogram.
VAR_CALCULATION_P95 = Signal(
    record="namespace:bondx_var_calculation_duration_seconds:p95_10m",
    expr="histogram_quantile(0.95, sum by (le) (rate(bondx_var_calculation_duration_seconds_bucket" + sel('app="risk-engine"') + "[10m])))",
    unit=seconds,
    provenance=_OWN_NAMES,
    description="VaR (risk) calculation time p95",
)

# "Risk Snapshot Frequency: Every 5 minutes", expected 5 minutes: age of the last snapshot.
RISK_SNAPSHOT_AGE = Signal(
    record="namespace:bondx_risk_snapshot_age_seconds:max",
    expr="time() - max(bondx_risk_snapshot_last_success_timestamp_seconds" + sel('app="risk-engine"') + ")",
    unit=seconds,
    provenance=_OWN_NAMES,
    description="Seconds since the last successful risk snapshot",
)

# "Limit Breaches: 0 active breaches", expected 0.
LIMIT_BREACHES = Signal(
    record="namespace:bondx_risk_limit_breaches_active:sum",
    expr="sum(bondx_risk_limit_breaches_active" + sel() + ") or vector(0)",
    unit=count,
    provenance=_OWN_NAMES,
    description="Active risk limit breaches",
)

# "Portfolio Risk: Within acceptable ranges", expected portfolio_var_95_1d "Within limits":
# each portfolio's 1-day 95% VaR over its VaR limit (within limits = at most 100%).
PORTFOLIO_VAR_TO_LIMIT = Signal(
    record="portfolio:bondx_portfolio_var_95_1d:limit_ratio",
    expr="max by (portfolio) (bondx_portfolio_var_95_1d" + sel() + " / bondx_portfolio_var_95_1d_limit" + sel() + ")",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="Portfolio 1-day 95% VaR as a share of its limit",
    maximum=UNBOUNDED,  # a breached limit is above 100%
)

# Expected value "concentration_risk: LOW" (no threshold given). The risk engine exports
# bondx_risk_concentration_level: 0 LOW, 1 MEDIUM, 2 HIGH.
CONCENTRATION_RISK = Signal(
    record="namespace:bondx_risk_concentration_level:max",
    expr="max(bondx_risk_concentration_level" + sel() + ")",
    unit=count,
    provenance=_OWN_NAMES,
    description="Concentration risk level (0 LOW, 1 MEDIUM, 2 HIGH)",
)

# --- Ten Things 5: Database Performance; Alerts P1 "Database Connection Pool Exhausted" --

# "Query Response Time: <100ms p95", expected 75ms (as the application sees its queries).
DB_QUERY_P95 = Signal(
    record="namespace:bondx_db_query_duration_seconds:p95_5m",
    expr="histogram_quantile(0.95, sum by (le) (rate(bondx_db_query_duration_seconds_bucket" + sel() + "[5m])))",
    unit=seconds,
    provenance=_OWN_NAMES,
    description="Database query response time p95",
)

# The connections the application can use: max_connections less the superuser reserve.
_PG_USABLE = (
    "(max by (instance) (pg_settings_max_connections" + sel() + ")"
    " - max by (instance) (pg_settings_superuser_reserved_connections" + sel() + "))"
)
_PG_IN_USE = "sum by (instance) (pg_stat_activity_count" + sel() + ")"

# Ten Things 5 "Connection Pool Utilization: <80%" (expected 60-70%).
DB_POOL_UTILIZATION = Signal(
    record="instance:pg_connections:utilization_ratio",
    expr=_PG_IN_USE + " / " + _PG_USABLE,
    unit=ratio,
    provenance=_EXPORTER_NAMES,
    description="Database connection pool utilization per PostgreSQL instance",
)

# Alerts P1 "Database connection pool at 100% utilization": no free connection left.
# A ratio cannot exceed 100%, so the alert reads the free connections (100% = 0 free).
DB_POOL_FREE = Signal(
    record="instance:pg_connections:free",
    expr=_PG_USABLE + " - " + _PG_IN_USE,
    unit=count,
    provenance=_EXPORTER_NAMES,
    description="Free database connections per PostgreSQL instance (0 = pool at 100%)",
)

# Expected value "active_connections: 200-300".
DB_CONNECTIONS = Signal(
    record="instance:pg_stat_activity_count:sum",
    expr=_PG_IN_USE,
    unit=count,
    provenance=_EXPORTER_NAMES,
    description="Database connections in use per PostgreSQL instance",
)

# "Replica Lag: <1 second", expected <500ms.
DB_REPLICA_LAG = Signal(
    record="instance:pg_replication_lag_seconds:max",
    expr="max by (instance) (pg_replication_lag_seconds" + sel() + ")",
    unit=seconds,
    provenance=_EXPORTER_NAMES,
    description="Replica lag per PostgreSQL replica",
)

# "Transaction Throughput: >1000 TPS", expected 1500 TPS (commits and rollbacks).
DB_TPS = Signal(
    record="namespace:pg_stat_database_xact:rate5m",
    expr="sum(rate(pg_stat_database_xact_commit" + sel() + "[5m]))"
    " + sum(rate(pg_stat_database_xact_rollback" + sel() + "[5m]))",
    unit=per_second,
    provenance=_EXPORTER_NAMES,
    description="Database transactions per second",
)

# --- Ten Things 6: Redis Cache ----------------------------------------------------------

# "Cache Hit Rate: >95%", expected 97-99% (keyspace_hits "High").
REDIS_HIT_RATIO = Signal(
    record="namespace:redis_keyspace_hits:ratio_rate5m",
    expr="sum(rate(redis_keyspace_hits_total" + sel() + "[5m]))"
    " / (sum(rate(redis_keyspace_hits_total" + sel() + "[5m]))"
    " + sum(rate(redis_keyspace_misses_total" + sel() + "[5m])))",
    unit=ratio,
    provenance=_EXPORTER_NAMES,
    description="Redis cache hit rate",
)

# "Memory Utilization: <80%", expected 60-70%, of maxmemory (instances without a
# maxmemory are left out rather than shown as infinite).
REDIS_MEMORY_UTILIZATION = Signal(
    record="instance:redis_memory:utilization_ratio",
    expr="max by (instance) (redis_memory_used_bytes" + sel() + " / (redis_memory_max_bytes" + sel() + " > 0))",
    unit=ratio,
    provenance=_EXPORTER_NAMES,
    description="Redis memory used as a share of maxmemory per instance",
)

# "Response Time: <10ms p95", expected 5ms, as the BondX services' Redis clients see it.
REDIS_LATENCY_P95 = Signal(
    record="namespace:bondx_redis_command_duration_seconds:p95_5m",
    expr="histogram_quantile(0.95, sum by (le) (rate(bondx_redis_command_duration_seconds_bucket" + sel() + "[5m])))",
    unit=seconds,
    provenance=_OWN_NAMES,
    description="Redis command response time p95",
)

# "Connection Count: <80% of limit", expected active_connections 100-150.
REDIS_CLIENTS_TO_LIMIT = Signal(
    record="instance:redis_connected_clients:limit_ratio",
    expr="max by (instance) (redis_connected_clients" + sel() + " / redis_config_maxclients" + sel() + ")",
    unit=ratio,
    provenance=_EXPORTER_NAMES,
    description="Redis connected clients as a share of maxclients per instance",
)

REDIS_CLIENTS = Signal(
    record="namespace:redis_connected_clients:sum",
    expr="sum(redis_connected_clients" + sel() + ")",
    unit=count,
    provenance=_EXPORTER_NAMES,
    description="Redis connected clients",
)

# --- Ten Things 7: Infrastructure Resources; Alerts P3 memory and disk ---------------

# node_exporter, measured by obsgen's node pack; its lines are the runbook's.
NODE = node_signals(NodeConfig(
    cpu_high=percent(80),  # Ten Things 7 "CPU Utilization: <80% per node", expected 40-60%
    memory_high=percent(85),  # Ten Things 7 "<85% per node" (expected 50-70%) = Alerts P3 "High Memory Usage" ">85%"
    filesystem_high=percent(80),  # Ten Things 7 "Disk Usage: <80% per volume" (expected 60-70%) = Alerts P3 "Disk Space Warning"
    network_high=percent(70),  # Ten Things 7 "Network I/O: <70% of capacity", expected 30-50%
))
NODE_CPU = NODE.cpu
NODE_MEMORY = NODE.memory
NODE_DISK = NODE.filesystem
NODE_NETWORK = NODE.network  # the busier direction of each interface over its link speed

# Expected value "pod_count: 50-80" (no threshold given).
POD_COUNT = Signal(
    record="namespace:kube_pod_status_running:sum",
    expr="sum(kube_pod_status_phase" + sel('phase="Running"') + ")",
    unit=count,
    provenance=_EXPORTER_NAMES,
    description="Running pods in the bondx namespace",
)

# --- Ten Things 9: Compliance and Reporting ---------------------------------------------

# "Report Generation: 100% on-time" over the last day of reports.
REPORTS_ON_TIME = Signal(
    record="namespace:bondx_compliance_reports_on_time:ratio_increase24h",
    expr="sum(increase(bondx_compliance_reports_total" + sel('on_time="true"') + "[24h]))"
    " / sum(increase(bondx_compliance_reports_total" + sel() + "[24h]))",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="Compliance reports generated on time, last 24 hours",
)

# "Audit Trail Completeness: 100%", from the compliance engine's audit reconciliation.
AUDIT_COMPLETENESS = Signal(
    record="namespace:bondx_audit_trail_completeness:min",
    expr="min(bondx_audit_trail_completeness_ratio" + sel('app="compliance-engine"') + ")",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="Audit trail completeness (audited events over auditable events)",
)

# "Regulatory Submissions: All successful": failed submissions over the last day.
FAILED_SUBMISSIONS = Signal(
    record="namespace:bondx_regulatory_submissions_failed:increase24h",
    expr="sum(increase(bondx_regulatory_submissions_total" + sel('result="failure"') + "[24h])) or vector(0)",
    unit=count,
    provenance=_OWN_NAMES,
    description="Failed regulatory submissions, last 24 hours",
)

# "Data Retention Compliance: 100%".
RETENTION_COMPLIANCE = Signal(
    record="namespace:bondx_data_retention_compliance:min",
    expr="min(bondx_data_retention_compliance_ratio" + sel('app="compliance-engine"') + ")",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="Data retention compliance (data sets within their retention policy)",
)

# Expected value "last_audit: Within 24 hours" (no threshold given).
LAST_AUDIT_AGE = Signal(
    record="namespace:bondx_compliance_last_audit_age_seconds:max",
    expr="time() - max(bondx_compliance_last_audit_timestamp_seconds" + sel('app="compliance-engine"') + ")",
    unit=seconds,
    provenance=_OWN_NAMES,
    description="Time since the last compliance audit",
)

# --- Ten Things 10: Business Metrics ----------------------------------------------------

# "Trading Volume: Within expected ranges" (no number given): notional traded per hour.
TRADING_VOLUME = Signal(
    record="namespace:bondx_trade_notional:increase1h",
    expr="sum(increase(bondx_trade_notional_total" + sel() + "[1h]))",
    unit=count,
    provenance=_OWN_NAMES,
    description="Notional traded in the last hour",
)

# "User Activity: Normal patterns", expected active_users 100-200 during trading hours.
ACTIVE_USERS = Signal(
    record="namespace:bondx_active_users:sum",
    expr="sum(bondx_active_users" + sel() + ")",
    unit=count,
    provenance=_OWN_NAMES,
    description="Active users",
)

# "Revenue Metrics: Meeting targets": revenue so far over the target pro rata (>= 100%).
REVENUE_TO_TARGET = Signal(
    record="namespace:bondx_revenue_target_attainment:min",
    expr="min(bondx_revenue_target_attainment_ratio" + sel() + ")",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="Revenue as a share of its target to date",
)

# "Customer Satisfaction: >95%", expected 96-98%.
CUSTOMER_SATISFACTION = Signal(
    record="namespace:bondx_customer_satisfaction:avg",
    expr="avg(bondx_customer_satisfaction_ratio" + sel() + ")",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="Customer satisfaction score",
)

# Expected value "market_share: Growing" (no threshold given).
MARKET_SHARE = Signal(
    record="namespace:bondx_market_share:max",
    expr="max(bondx_market_share_ratio" + sel() + ")",
    unit=ratio,
    provenance=_OWN_NAMES,
    description="BondX market share",
)
