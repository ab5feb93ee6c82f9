"""The "Ten Things to Check" dashboard list, in the runbook's order.

Runbook: "The Ten Things to Check Dashboard List". Each dashboard states a check
frequency, critical thresholds and expected values. Every critical threshold is one
Check (its number is the check's `critical`), every expected value is in the `good` of
its check, and an expected value without a threshold of its own (active orders, dropped
messages, concentration risk, pod count, last audit, trading volume, user activity,
market share) is a Check without thresholds, so the operator still sees it. Each
dashboard is a CheckGroup (a row on the overview, a section of the checklist) with its
check frequency; titles carry the dashboard's number so the ten groups stay in order.
The runbook's dashboard locations (https://grafana.bondx.com/d/system-health, ...) are
dashboards obsgen does not build: the overview's rows are those dashboards, each check's
panel links to its service's dashboard, so no action sends the operator to them.

Comparisons are the runbook's: a healthy state written "<100ms" or ">99.9%" makes the line
itself a breach (AT_OR_ABOVE, AT_OR_BELOW); "0 active breaches", "100%", "all successful"
and "every 5 minutes" are met at the line (ABOVE, BELOW).

"During Shift: Check dashboards every 15 minutes" is the floor; the dashboards' own,
more frequent, check frequencies below win where they are shorter.
Where an alert watches the same signal with the same number (memory, disk), the check
names the alert: one source for the number. Where the runbook's check and alert numbers
differ (order latency 50 vs 100ms, WebSocket 80 vs 95%, VaR 1 vs 2 s, market data 1 vs
2 min, connection pool 80 vs 100%), the check keeps its own number and says so.
"""

from obsgen import ABOVE, AT_OR_ABOVE, AT_OR_BELOW, BELOW, Check, CheckGroup, minutes, ms, per_second, percent, seconds

from . import signals as s
from .infrastructure import DISK_SPACE_WARNING, HIGH_MEMORY_USAGE

RESPOND = "follow the incident response template (acknowledge, assess impact, gather information)"

# --- 1. Overall System Health: every 15 minutes ---------------------------------------
SYSTEM_HEALTH = CheckGroup(
    "1. Overall System Health Dashboard",
    every=minutes(15),
    checks=(
        Check(
            title="Service status",
            signal=s.SERVICES_UP, direction=BELOW, critical=percent(100),  # "All services should be GREEN"
            good="All services GREEN: overall status HEALTHY, services healthy 100%.",
            action=f"For a service that is not GREEN check its pods (kubectl get pods -n bondx) and {RESPOND}.",
        ),
        Check(
            title="Uptime",
            signal=s.UPTIME_24H, direction=AT_OR_BELOW, critical=percent(99.9),  # "Uptime: >99.9%"
            good="Above 99.9% for all critical services; expected 24-hour uptime 99.95%.",
            action=f"Find the service and the outage window, check for recent changes and {RESPOND}.",
        ),
        Check(
            title="API response time",
            signal=s.API_LATENCY_P95, direction=AT_OR_ABOVE, critical=ms(100),  # "Response Time: <100ms p95"
            good="Below 100ms p95 for all APIs; expected 75ms.",
            action="Trace slow requests in Jaeger (https://jaeger.bondx.com) and check the database and cache dashboards.",
        ),
        Check(
            title="Error rate",
            signal=s.API_ERROR_RATIO, direction=AT_OR_ABOVE, critical=percent(0.1),  # "Error Rate: <0.1%"
            good="Below 0.1% for all services; expected 0.05%.",
            action=f"Review the service's error logs (kubectl logs -n bondx -l app=<service>) and {RESPOND}.",
        ),
    ),
)

# --- 2. Trading Performance: every 5 minutes during trading hours ---------------------
TRADING = "during trading hours"
TRADING_PERFORMANCE = CheckGroup(
    "2. Trading Performance Dashboard",
    every=minutes(5),
    when=TRADING,
    checks=(
        Check(
            title="Order processing latency",
            # "Order Processing: <50ms p95 order accept to execution"; HighOrderLatency fires P2 (#bondx-ops) above 100ms.
            signal=s.ORDER_LATENCY_P95, direction=AT_OR_ABOVE, critical=ms(50),
            good="Below 50ms p95 from order accept to execution; expected 35ms. Above 100ms HighOrderLatency fires (P2, #bondx-ops).",
            action="Check system resources, database performance and load (the HighOrderLatency actions).",
        ),
        Check(
            title="Trade success rate",
            signal=s.TRADE_SUCCESS_RATIO, direction=AT_OR_BELOW, critical=percent(99.9),  # "Trade Success Rate: >99.9%"
            good="Above 99.9%; expected 99.95%.",
            action=f"Read the failed trades in kubectl logs -n bondx -l app=trading-engine and {RESPOND}.",
        ),
        Check(
            title="Order book depth",
            # "Order Book Depth: Sufficient liquidity for all instruments": no instrument short.
            signal=s.INSUFFICIENT_LIQUIDITY, direction=ABOVE, critical=0,
            good="Sufficient liquidity for all instruments (0 instruments short).",
            action="List the instruments short of liquidity and tell the business teams.",
        ),
        Check(
            title="Market data freshness",
            # "Market Data Freshness: <1 minute stale"; DataProviderIssues fires P2 (#bondx-ops) above 2 minutes.
            signal=s.MARKET_DATA_STALENESS, direction=AT_OR_ABOVE, critical=minutes(1),
            good="Less than 1 minute stale; expected 30 seconds. Above 2 minutes DataProviderIssues fires (P2, #bondx-ops).",
            action="Check provider API status and the fallback mechanisms.",
        ),
        Check(
            title="Active orders",
            signal=s.ACTIVE_ORDERS,  # expected value only: "active_orders: 1000-5000"
            good="1000-5000 active orders.",
            action="Far outside the range, check order intake and client behavior, and note it for the shift handover.",
        ),
    ),
)

# --- 3. WebSocket Connection: every 2 minutes -----------------------------------------
WEBSOCKET = CheckGroup(
    "3. WebSocket Connection Dashboard",
    every=minutes(2),
    checks=(
        Check(
            title="Active connections",
            # "Active Connections: <80% of capacity"; WebSocketServiceOverloaded pages P1 at 95%.
            signal=s.WEBSOCKET_CAPACITY_USED, direction=AT_OR_ABOVE, critical=percent(80),
            good="Below 80% of capacity; expected 5000-8000 active connections. At 95% WebSocketServiceOverloaded pages (P1).",
            action="Scale out WebSocket managers, check for connection leaks, verify load balancer health.",
        ),
        Check(
            title="Connection success rate",
            signal=s.WEBSOCKET_CONNECT_SUCCESS, direction=AT_OR_BELOW, critical=percent(99.9),  # ">99.9%"
            good="Above 99.9%; expected 99.95%.",
            action="Check load balancer health and kubectl logs -n bondx -l app=websocket-manager.",
        ),
        Check(
            title="Message delivery latency",
            signal=s.WEBSOCKET_DELIVERY_P95, direction=AT_OR_ABOVE, critical=ms(150),  # "<150ms p95"
            good="Below 150ms p95; expected 100ms.",
            action="Scale out WebSocket managers and enable compression (WebSocket Service Overload playbook).",
        ),
        Check(
            title="Reconnection success rate",
            signal=s.WEBSOCKET_RECONNECT_SUCCESS, direction=AT_OR_BELOW, critical=percent(99.5),  # ">99.5%"
            good="Above 99.5%; expected 99.8%.",
            action="Verify client behavior and load balancer health.",
        ),
        Check(
            title="Dropped messages",
            signal=s.WEBSOCKET_DROPPED,  # expected value only: "dropped_messages: <0.01%"
            good="Below 0.01% of messages dropped.",
            action="Check the WebSocket managers' load and message delivery latency.",
        ),
    ),
)

# --- 4. Risk Management: every 10 minutes ---------------------------------------------
RISK = CheckGroup(
    "4. Risk Management Dashboard",
    every=minutes(10),
    checks=(
        Check(
            title="VaR calculation time",
            # "VaR Calculation Time: <1 second p95"; RiskCalculationDelays fires P2 (#bondx-ops) above 2 seconds.
            signal=s.VAR_CALCULATION_P95, direction=AT_OR_ABOVE, critical=seconds(1),
            good="Below 1 second p95; expected 800ms. Above 2 seconds RiskCalculationDelays fires (P2, #bondx-ops).",
            action="Check risk engine resources and data freshness, scale the risk engine if needed.",
        ),
        Check(
            title="Risk snapshot frequency",
            # "Risk Snapshot Frequency: Every 5 minutes": the age of the last snapshot touches 5 minutes
            # just before each new one, so staying above the line means a snapshot is late or failed.
            signal=s.RISK_SNAPSHOT_AGE, direction=ABOVE, critical=minutes(5),
            good="A risk snapshot every 5 minutes.",
            action="Read kubectl logs -n bondx -l app=risk-engine for the failed or late snapshot.",
        ),
        Check(
            title="Limit breaches",
            signal=s.LIMIT_BREACHES, direction=ABOVE, critical=0,  # "0 active breaches"
            good="0 active limit breaches.",
            action="Report each breach to the risk owners and the compliance team (Compliance issues escalation).",
        ),
        Check(
            title="Portfolio risk",
            # "Portfolio Risk: Within acceptable ranges", "portfolio_var_95_1d: Within limits".
            signal=s.PORTFOLIO_VAR_TO_LIMIT, direction=ABOVE, critical=percent(100),
            good="Every portfolio's 1-day 95% VaR within its limit.",
            action="Report the portfolio over its limit to the risk owners.",
        ),
        Check(
            title="Concentration risk",
            signal=s.CONCENTRATION_RISK,  # expected value only: "concentration_risk: LOW"
            good="LOW (level 0).",
            action="Above LOW, tell the risk owners.",
        ),
    ),
)

# --- 5. Database Performance: every 5 minutes -----------------------------------------
DATABASE = CheckGroup(
    "5. Database Performance Dashboard",
    every=minutes(5),
    checks=(
        Check(
            title="Query response time",
            signal=s.DB_QUERY_P95, direction=AT_OR_ABOVE, critical=ms(100),  # "Query Response Time: <100ms p95"
            good="Below 100ms p95; expected 75ms.",
            action="Check for long-running queries and review recent changes (Database Performance Issues playbook).",
        ),
        Check(
            title="Connection pool utilization",
            # "Connection Pool Utilization: <80%"; DatabaseConnectionPoolExhausted pages P1 at 100%.
            signal=s.DB_POOL_UTILIZATION, direction=AT_OR_ABOVE, critical=percent(80),
            good="Below 80%; expected 60-70% (200-300 active connections). At 100% DatabaseConnectionPoolExhausted pages (P1).",
            action="Check for long-running queries, connection leaks and the connection pool settings.",
        ),
        Check(
            title="Replica lag",
            signal=s.DB_REPLICA_LAG, direction=AT_OR_ABOVE, critical=seconds(1),  # "Replica Lag: <1 second"
            good="Below 1 second; expected below 500ms.",
            action="Check replica health (kubectl logs -n bondx -l app=postgresql).",
        ),
        Check(
            title="Transaction throughput",
            signal=s.DB_TPS, direction=AT_OR_BELOW, critical=per_second(1000),  # "Transaction Throughput: >1000 TPS"
            good="Above 1000 TPS; expected 1500 TPS.",
            action="Check for lock waits, timeout errors and long-running queries.",
        ),
    ),
)

# --- 6. Redis Cache: every 3 minutes --------------------------------------------------
REDIS = CheckGroup(
    "6. Redis Cache Dashboard",
    every=minutes(3),
    checks=(
        Check(
            title="Cache hit rate",
            signal=s.REDIS_HIT_RATIO, direction=AT_OR_BELOW, critical=percent(95),  # "Cache Hit Rate: >95%"
            good="Above 95%; expected 97-99%, keyspace hits high.",
            action="Check for evictions and recent deployments that changed cache keys.",
        ),
        Check(
            title="Memory utilization",
            signal=s.REDIS_MEMORY_UTILIZATION, direction=AT_OR_ABOVE, critical=percent(80),  # "Memory Utilization: <80%"
            good="Below 80%; expected 60-70%.",
            action="Check the largest keyspaces and TTLs (kubectl logs -n bondx -l app=redis).",
        ),
        Check(
            title="Response time",
            signal=s.REDIS_LATENCY_P95, direction=AT_OR_ABOVE, critical=ms(10),  # "Response Time: <10ms p95"
            good="Below 10ms p95; expected 5ms.",
            action="Check Redis CPU, slow commands and network.",
        ),
        Check(
            title="Connection count",
            signal=s.REDIS_CLIENTS_TO_LIMIT, direction=AT_OR_ABOVE, critical=percent(80),  # "Connection Count: <80% of limit"
            good="Below 80% of the limit; expected 100-150 active connections.",
            action="Check the clients for connection leaks.",
        ),
    ),
)

# --- 7. Infrastructure Resources: every 5 minutes -------------------------------------
INFRASTRUCTURE = CheckGroup(
    "7. Infrastructure Resources Dashboard",
    every=minutes(5),
    checks=(
        Check(
            title="CPU utilization",
            signal=s.NODE_CPU, direction=AT_OR_ABOVE, critical=s.NODE.config.cpu_high,  # "CPU Utilization: <80% per node"
            good="Below 80% per node; expected 40-60%.",
            action="Find the busy pods on the node and verify scaling policies.",
        ),
        Check(
            title="Memory utilization",
            alert=HIGH_MEMORY_USAGE,  # "Memory Utilization: <85% per node" = the P3 alert's 85%
            good="Below 85% per node; expected 50-70%.",
            action="Monitor memory trends and check for memory leaks (HighMemoryUsage actions).",
        ),
        Check(
            title="Disk usage",
            alert=DISK_SPACE_WARNING,  # "Disk Usage: <80% per volume" = the P3 alert's 80%
            good="Below 80% per volume; expected 60-70%.",
            action="Check log rotation and backup cleanup (DiskSpaceWarning actions).",
        ),
        Check(
            title="Network I/O",
            signal=s.NODE_NETWORK, direction=AT_OR_ABOVE, critical=s.NODE.config.network_high,  # "Network I/O: <70% of capacity"
            good="Below 70% of capacity; expected 30-50%.",
            action="Find the traffic source (WebSocket connections, market data, replication).",
        ),
        Check(
            title="Pod count",
            signal=s.POD_COUNT,  # expected value only: "pod_count: 50-80"
            good="50-80 running pods.",
            action="Outside the range, check deployments and autoscaling (kubectl get pods -n bondx).",
        ),
    ),
)

# --- 8. Data Provider Health: every 2 minutes -----------------------------------------
DATA_PROVIDERS = CheckGroup(
    "8. Data Provider Health Dashboard",
    every=minutes(2),
    checks=(
        Check(
            title="Critical feed freshness",
            # "Data Freshness: <1 minute for critical feeds"; DataProviderIssues fires P2 (#bondx-ops) above 2 minutes.
            signal=s.CRITICAL_FEED_STALENESS, direction=AT_OR_ABOVE, critical=minutes(1),
            good="Critical feeds less than 1 minute old; expected 30 seconds.",
            action="Check provider API status, network connectivity and the fallback mechanisms.",
        ),
        Check(
            title="API response time",
            signal=s.PROVIDER_LATENCY_P95, direction=AT_OR_ABOVE, critical=ms(500),  # "API Response Time: <500ms p95"
            good="Below 500ms p95; expected 200ms.",
            action="Check the provider's status page and network connectivity.",
        ),
        Check(
            title="Success rate",
            signal=s.PROVIDER_SUCCESS_RATIO, direction=AT_OR_BELOW, critical=percent(99.5),  # "Success Rate: >99.5%"
            good="Above 99.5%; expected 99.8%.",
            action="Check provider API status and whether fallback has taken over.",
        ),
        Check(
            title="Fallback status",
            signal=s.FEEDS_ON_FALLBACK, direction=ABOVE, critical=0,  # "Fallback Status: Primary providers active"
            good="Fallback not active: all feeds on their primary providers.",
            action="Find why the primary failed and monitor data quality on the fallback.",
        ),
    ),
)

# --- 9. Compliance and Reporting: every 15 minutes ------------------------------------
ESCALATE = "escalate along Compliance issues (Compliance team, Head of Compliance after 15 minutes)"
COMPLIANCE = CheckGroup(
    "9. Compliance and Reporting Dashboard",
    every=minutes(15),
    checks=(
        Check(
            title="Report generation",
            signal=s.REPORTS_ON_TIME, direction=BELOW, critical=percent(100),  # "Report Generation: 100% on-time"
            good="100% of reports on time.",
            action=f"Read kubectl logs -n bondx -l app=compliance-engine and {ESCALATE}.",
        ),
        Check(
            title="Audit trail completeness",
            signal=s.AUDIT_COMPLETENESS, direction=BELOW, critical=percent(100),  # "Audit Trail Completeness: 100%"
            good="100% complete.",
            action=f"Find the missing audit records and {ESCALATE}.",
        ),
        Check(
            title="Regulatory submissions",
            signal=s.FAILED_SUBMISSIONS, direction=ABOVE, critical=0,  # "Regulatory Submissions: All successful"
            good="All submissions successful (0 failed in the last 24 hours).",
            action=f"Resubmit once the cause is fixed and {ESCALATE}.",
        ),
        Check(
            title="Data retention",
            signal=s.RETENTION_COMPLIANCE, direction=BELOW, critical=percent(100),  # "Data Retention Compliance: 100%"
            good="100% compliant.",
            action=f"Find the data out of retention and {ESCALATE}.",
        ),
        Check(
            title="Last audit",
            signal=s.LAST_AUDIT_AGE,  # expected value only: "last_audit: Within 24 hours"
            good="Last audit within 24 hours.",
            action="An older audit goes to the compliance team.",
        ),
    ),
)

# --- 10. Business Metrics: every 30 minutes -------------------------------------------
BUSINESS = CheckGroup(
    "10. Business Metrics Dashboard",
    every=minutes(30),
    checks=(
        Check(
            title="Trading volume",
            signal=s.TRADING_VOLUME,  # "Trading Volume: Within expected ranges" (no range given)
            good="Within the expected range for the time of day.",
            action="An unusual volume goes to the business teams; check the trading performance dashboard.",
        ),
        Check(
            title="User activity",
            signal=s.ACTIVE_USERS,  # "User Activity: Normal patterns", "active_users: 100-200 during trading hours"
            good="Normal patterns: 100-200 active users during trading hours.",
            action="Few users in trading hours may mean a login or WebSocket problem: check dashboards 1 and 3.",
        ),
        Check(
            title="Revenue metrics",
            signal=s.REVENUE_TO_TARGET, direction=BELOW, critical=percent(100),  # "Revenue Metrics: Meeting targets"
            good="Meeting targets (at least 100% of the target to date).",
            action="Report to the business teams.",
        ),
        Check(
            title="Customer satisfaction",
            signal=s.CUSTOMER_SATISFACTION, direction=AT_OR_BELOW, critical=percent(95),  # "Customer Satisfaction: >95%"
            good="Above 95%; expected 96-98%.",
            action="Report to the business teams and look for recent incidents with customer impact.",
        ),
        Check(
            title="Market share",
            signal=s.MARKET_SHARE,  # expected value only: "market_share: Growing"
            good="Growing.",
            action="A falling share goes to the business teams.",
        ),
    ),
)

CHECKS = (
    SYSTEM_HEALTH, TRADING_PERFORMANCE, WEBSOCKET, RISK, DATABASE,
    REDIS, INFRASTRUCTURE, DATA_PROVIDERS, COMPLIANCE, BUSINESS,
)
