"""The "Ten Things to Check" dashboard list, in the runbook's order.

Runbook: "The Ten Things to Check Dashboard List". Each dashboard states a check
frequency, critical thresholds and expected values. Every critical threshold is one
Check (its number is the check's `critical`), every expected value is in the `good` of
its check, and an expected value without a threshold of its own (active orders, dropped
messages, concentration risk, pod count, last audit, trading volume, user activity,
market share) is a Check without thresholds, so the operator still sees it. Titles carry
the dashboard's number so the ten groups stay in order.

"During Shift: Check dashboards every 15 minutes" is the floor; the dashboards' own,
more frequent, check frequencies below win where they are shorter.
Where an alert watches the same signal with the same number (memory, disk), the check
names the alert: one source for the number. Where the runbook's check and alert numbers
differ (order latency 50 vs 100ms, WebSocket 80 vs 95%, VaR 1 vs 2 s, market data 1 vs
2 min, connection pool 80 vs 100%), the check keeps its own number and says so.
"""

from obsgen import ABOVE, BELOW, Check, minutes, ms, per_second, percent, seconds

from . import signals as s
from .infrastructure import DISK_SPACE_WARNING, HIGH_MEMORY_USAGE

GRAFANA = "https://grafana.bondx.com/d"
RESPOND = "follow the incident response template (acknowledge, assess impact, gather information)"

# --- 1. Overall System Health: every 15 minutes ---------------------------------------
G1 = "1. Overall System Health Dashboard"  # the runbook's dashboard: a row on the overview
D1 = f"{GRAFANA}/system-health"
SYSTEM_HEALTH = (
    Check(
        title="Service status",
        group=G1,
        signal=s.SERVICES_UP, direction=BELOW, critical=percent(100),  # "All services should be GREEN"
        frequency=minutes(15),
        good="All services GREEN: overall status HEALTHY, services healthy 100%.",
        action=f"Open {D1}; for a service that is not GREEN check its pods (kubectl get pods -n bondx) and {RESPOND}.",
    ),
    Check(
        title="Uptime",
        group=G1,
        signal=s.UPTIME_24H, direction=BELOW, critical=percent(99.9),  # "Uptime: >99.9%"
        frequency=minutes(15),
        good="Above 99.9% for all critical services; expected 24-hour uptime 99.95%.",
        action=f"Open {D1}; find the service and the outage window, check for recent changes and {RESPOND}.",
    ),
    Check(
        title="API response time",
        group=G1,
        signal=s.API_LATENCY_P95, direction=ABOVE, critical=ms(100),  # "Response Time: <100ms p95"
        frequency=minutes(15),
        good="Below 100ms p95 for all APIs; expected 75ms.",
        action=f"Open {D1}; trace slow requests in Jaeger (https://jaeger.bondx.com) and check the database and cache dashboards.",
    ),
    Check(
        title="Error rate",
        group=G1,
        signal=s.API_ERROR_RATIO, direction=ABOVE, critical=percent(0.1),  # "Error Rate: <0.1%"
        frequency=minutes(15),
        good="Below 0.1% for all services; expected 0.05%.",
        action=f"Open {D1}; review the service's error logs (kubectl logs -n bondx -l app=<service>) and {RESPOND}.",
    ),
)

# --- 2. Trading Performance: every 5 minutes during trading hours ---------------------
G2 = "2. Trading Performance Dashboard"  # the runbook's dashboard: a row on the overview
D2 = f"{GRAFANA}/trading-performance"
TRADING = "during trading hours"
TRADING_PERFORMANCE = (
    Check(
        title="Order processing latency",
        group=G2,
        # "Order Processing: <50ms p95 order accept to execution"; HighOrderLatency fires P2 (#bondx-ops) above 100ms.
        signal=s.ORDER_LATENCY_P95, direction=ABOVE, critical=ms(50),
        frequency=minutes(5), when=TRADING,
        good="Below 50ms p95 from order accept to execution; expected 35ms. Above 100ms HighOrderLatency fires (P2, #bondx-ops).",
        action=f"Open {D2}; check system resources, database performance and load (the HighOrderLatency actions).",
    ),
    Check(
        title="Trade success rate",
        group=G2,
        signal=s.TRADE_SUCCESS_RATIO, direction=BELOW, critical=percent(99.9),  # "Trade Success Rate: >99.9%"
        frequency=minutes(5), when=TRADING,
        good="Above 99.9%; expected 99.95%.",
        action=f"Open {D2}; read the failed trades in kubectl logs -n bondx -l app=trading-engine and {RESPOND}.",
    ),
    Check(
        title="Order book depth",
        group=G2,
        # "Order Book Depth: Sufficient liquidity for all instruments": no instrument short.
        signal=s.INSUFFICIENT_LIQUIDITY, direction=ABOVE, critical=0,
        frequency=minutes(5), when=TRADING,
        good="Sufficient liquidity for all instruments (0 instruments short).",
        action=f"Open {D2}; list the instruments short of liquidity and tell the business teams.",
    ),
    Check(
        title="Market data freshness",
        group=G2,
        # "Market Data Freshness: <1 minute stale"; DataProviderIssues fires P2 (#bondx-ops) above 2 minutes.
        signal=s.MARKET_DATA_STALENESS, direction=ABOVE, critical=minutes(1),
        frequency=minutes(5), when=TRADING,
        good="Less than 1 minute stale; expected 30 seconds. Above 2 minutes DataProviderIssues fires (P2, #bondx-ops).",
        action=f"Open {GRAFANA}/data-providers; check provider API status and the fallback mechanisms.",
    ),
    Check(
        title="Active orders",
        group=G2,
        signal=s.ACTIVE_ORDERS,  # expected value only: "active_orders: 1000-5000"
        frequency=minutes(5), when=TRADING,
        good="1000-5000 active orders.",
        action=f"Open {D2}; far outside the range, check order intake and client behavior, and note it for the shift handover.",
    ),
)

# --- 3. WebSocket Connection: every 2 minutes -----------------------------------------
G3 = "3. WebSocket Connection Dashboard"  # the runbook's dashboard: a row on the overview
D3 = f"{GRAFANA}/websocket-health"
WEBSOCKET = (
    Check(
        title="Active connections",
        group=G3,
        # "Active Connections: <80% of capacity"; WebSocketServiceOverloaded pages P1 at 95%.
        signal=s.WEBSOCKET_CAPACITY_USED, direction=ABOVE, critical=percent(80),
        frequency=minutes(2),
        good="Below 80% of capacity; expected 5000-8000 active connections. At 95% WebSocketServiceOverloaded pages (P1).",
        action=f"Open {D3}; scale out WebSocket managers, check for connection leaks, verify load balancer health.",
    ),
    Check(
        title="Connection success rate",
        group=G3,
        signal=s.WEBSOCKET_CONNECT_SUCCESS, direction=BELOW, critical=percent(99.9),  # ">99.9%"
        frequency=minutes(2),
        good="Above 99.9%; expected 99.95%.",
        action=f"Open {D3}; check load balancer health and kubectl logs -n bondx -l app=websocket-manager.",
    ),
    Check(
        title="Message delivery latency",
        group=G3,
        signal=s.WEBSOCKET_DELIVERY_P95, direction=ABOVE, critical=ms(150),  # "<150ms p95"
        frequency=minutes(2),
        good="Below 150ms p95; expected 100ms.",
        action=f"Open {D3}; scale out WebSocket managers and enable compression (WebSocket Service Overload playbook).",
    ),
    Check(
        title="Reconnection success rate",
        group=G3,
        signal=s.WEBSOCKET_RECONNECT_SUCCESS, direction=BELOW, critical=percent(99.5),  # ">99.5%"
        frequency=minutes(2),
        good="Above 99.5%; expected 99.8%.",
        action=f"Open {D3}; verify client behavior and load balancer health.",
    ),
    Check(
        title="Dropped messages",
        group=G3,
        signal=s.WEBSOCKET_DROPPED,  # expected value only: "dropped_messages: <0.01%"
        frequency=minutes(2),
        good="Below 0.01% of messages dropped.",
        action=f"Open {D3}; check the WebSocket managers' load and message delivery latency.",
    ),
)

# --- 4. Risk Management: every 10 minutes ---------------------------------------------
G4 = "4. Risk Management Dashboard"  # the runbook's dashboard: a row on the overview
D4 = f"{GRAFANA}/risk-management"
RISK = (
    Check(
        title="VaR calculation time",
        group=G4,
        # "VaR Calculation Time: <1 second p95"; RiskCalculationDelays fires P2 (#bondx-ops) above 2 seconds.
        signal=s.VAR_CALCULATION_P95, direction=ABOVE, critical=seconds(1),
        frequency=minutes(10),
        good="Below 1 second p95; expected 800ms. Above 2 seconds RiskCalculationDelays fires (P2, #bondx-ops).",
        action=f"Open {D4}; check risk engine resources and data freshness, scale the risk engine if needed.",
    ),
    Check(
        title="Risk snapshot frequency",
        group=G4,
        # "Risk Snapshot Frequency: Every 5 minutes": the age of the last snapshot touches 5 minutes
        # just before each new one, so staying above the line means a snapshot is late or failed.
        signal=s.RISK_SNAPSHOT_AGE, direction=ABOVE, critical=minutes(5),
        frequency=minutes(10),
        good="A risk snapshot every 5 minutes.",
        action=f"Open {D4}; read kubectl logs -n bondx -l app=risk-engine for the failed or late snapshot.",
    ),
    Check(
        title="Limit breaches",
        group=G4,
        signal=s.LIMIT_BREACHES, direction=ABOVE, critical=0,  # "0 active breaches"
        frequency=minutes(10),
        good="0 active limit breaches.",
        action=f"Open {D4}; report each breach to the risk owners and the compliance team (Compliance issues escalation).",
    ),
    Check(
        title="Portfolio risk",
        group=G4,
        # "Portfolio Risk: Within acceptable ranges", "portfolio_var_95_1d: Within limits".
        signal=s.PORTFOLIO_VAR_TO_LIMIT, direction=ABOVE, critical=percent(100),
        frequency=minutes(10),
        good="Every portfolio's 1-day 95% VaR within its limit.",
        action=f"Open {D4}; report the portfolio over its limit to the risk owners.",
    ),
    Check(
        title="Concentration risk",
        group=G4,
        signal=s.CONCENTRATION_RISK,  # expected value only: "concentration_risk: LOW"
        frequency=minutes(10),
        good="LOW (level 0).",
        action=f"Open {D4}; above LOW, tell the risk owners.",
    ),
)

# --- 5. Database Performance: every 5 minutes -----------------------------------------
G5 = "5. Database Performance Dashboard"  # the runbook's dashboard: a row on the overview
D5 = f"{GRAFANA}/database-performance"
DATABASE = (
    Check(
        title="Query response time",
        group=G5,
        signal=s.DB_QUERY_P95, direction=ABOVE, critical=ms(100),  # "Query Response Time: <100ms p95"
        frequency=minutes(5),
        good="Below 100ms p95; expected 75ms.",
        action=f"Open {D5}; check for long-running queries and review recent changes (Database Performance Issues playbook).",
    ),
    Check(
        title="Connection pool utilization",
        group=G5,
        # "Connection Pool Utilization: <80%"; DatabaseConnectionPoolExhausted pages P1 at 100%.
        signal=s.DB_POOL_UTILIZATION, direction=ABOVE, critical=percent(80),
        frequency=minutes(5),
        good="Below 80%; expected 60-70% (200-300 active connections). At 100% DatabaseConnectionPoolExhausted pages (P1).",
        action=f"Open {D5}; check for long-running queries, connection leaks and the connection pool settings.",
    ),
    Check(
        title="Replica lag",
        group=G5,
        signal=s.DB_REPLICA_LAG, direction=ABOVE, critical=seconds(1),  # "Replica Lag: <1 second"
        frequency=minutes(5),
        good="Below 1 second; expected below 500ms.",
        action=f"Open {D5}; check replica health (kubectl logs -n bondx -l app=postgresql).",
    ),
    Check(
        title="Transaction throughput",
        group=G5,
        signal=s.DB_TPS, direction=BELOW, critical=per_second(1000),  # "Transaction Throughput: >1000 TPS"
        frequency=minutes(5),
        good="Above 1000 TPS; expected 1500 TPS.",
        action=f"Open {D5}; check for lock waits, timeout errors and long-running queries.",
    ),
)

# --- 6. Redis Cache: every 3 minutes --------------------------------------------------
G6 = "6. Redis Cache Dashboard"  # the runbook's dashboard: a row on the overview
D6 = f"{GRAFANA}/redis-cache"
REDIS = (
    Check(
        title="Cache hit rate",
        group=G6,
        signal=s.REDIS_HIT_RATIO, direction=BELOW, critical=percent(95),  # "Cache Hit Rate: >95%"
        frequency=minutes(3),
        good="Above 95%; expected 97-99%, keyspace hits high.",
        action=f"Open {D6}; check for evictions and recent deployments that changed cache keys.",
    ),
    Check(
        title="Memory utilization",
        group=G6,
        signal=s.REDIS_MEMORY_UTILIZATION, direction=ABOVE, critical=percent(80),  # "Memory Utilization: <80%"
        frequency=minutes(3),
        good="Below 80%; expected 60-70%.",
        action=f"Open {D6}; check the largest keyspaces and TTLs (kubectl logs -n bondx -l app=redis).",
    ),
    Check(
        title="Response time",
        group=G6,
        signal=s.REDIS_LATENCY_P95, direction=ABOVE, critical=ms(10),  # "Response Time: <10ms p95"
        frequency=minutes(3),
        good="Below 10ms p95; expected 5ms.",
        action=f"Open {D6}; check Redis CPU, slow commands and network.",
    ),
    Check(
        title="Connection count",
        group=G6,
        signal=s.REDIS_CLIENTS_TO_LIMIT, direction=ABOVE, critical=percent(80),  # "Connection Count: <80% of limit"
        frequency=minutes(3),
        good="Below 80% of the limit; expected 100-150 active connections.",
        action=f"Open {D6}; check the clients for connection leaks.",
    ),
)

# --- 7. Infrastructure Resources: every 5 minutes -------------------------------------
G7 = "7. Infrastructure Resources Dashboard"  # the runbook's dashboard: a row on the overview
D7 = f"{GRAFANA}/infrastructure"
INFRASTRUCTURE = (
    Check(
        title="CPU utilization",
        group=G7,
        signal=s.NODE_CPU, direction=ABOVE, critical=percent(80),  # "CPU Utilization: <80% per node"
        frequency=minutes(5),
        good="Below 80% per node; expected 40-60%.",
        action=f"Open {D7}; find the busy pods on the node and verify scaling policies.",
    ),
    Check(
        title="Memory utilization",
        group=G7,
        alert=HIGH_MEMORY_USAGE,  # "Memory Utilization: <85% per node" = the P3 alert's 85%
        frequency=minutes(5),
        good="Below 85% per node; expected 50-70%.",
        action=f"Open {D7}; monitor memory trends and check for memory leaks (HighMemoryUsage actions).",
    ),
    Check(
        title="Disk usage",
        group=G7,
        alert=DISK_SPACE_WARNING,  # "Disk Usage: <80% per volume" = the P3 alert's 80%
        frequency=minutes(5),
        good="Below 80% per volume; expected 60-70%.",
        action=f"Open {D7}; check log rotation and backup cleanup (DiskSpaceWarning actions).",
    ),
    Check(
        title="Network I/O",
        group=G7,
        signal=s.NODE_NETWORK, direction=ABOVE, critical=percent(70),  # "Network I/O: <70% of capacity"
        frequency=minutes(5),
        good="Below 70% of capacity; expected 30-50%.",
        action=f"Open {D7}; find the traffic source (WebSocket connections, market data, replication).",
    ),
    Check(
        title="Pod count",
        group=G7,
        signal=s.POD_COUNT,  # expected value only: "pod_count: 50-80"
        frequency=minutes(5),
        good="50-80 running pods.",
        action=f"Open {D7}; outside the range, check deployments and autoscaling (kubectl get pods -n bondx).",
    ),
)

# --- 8. Data Provider Health: every 2 minutes -----------------------------------------
G8 = "8. Data Provider Health Dashboard"  # the runbook's dashboard: a row on the overview
D8 = f"{GRAFANA}/data-providers"
DATA_PROVIDERS = (
    Check(
        title="Critical feed freshness",
        group=G8,
        # "Data Freshness: <1 minute for critical feeds"; DataProviderIssues fires P2 (#bondx-ops) above 2 minutes.
        signal=s.CRITICAL_FEED_STALENESS, direction=ABOVE, critical=minutes(1),
        frequency=minutes(2),
        good="Critical feeds less than 1 minute old; expected 30 seconds.",
        action=f"Open {D8}; check provider API status, network connectivity and the fallback mechanisms.",
    ),
    Check(
        title="API response time",
        group=G8,
        signal=s.PROVIDER_LATENCY_P95, direction=ABOVE, critical=ms(500),  # "API Response Time: <500ms p95"
        frequency=minutes(2),
        good="Below 500ms p95; expected 200ms.",
        action=f"Open {D8}; check the provider's status page and network connectivity.",
    ),
    Check(
        title="Success rate",
        group=G8,
        signal=s.PROVIDER_SUCCESS_RATIO, direction=BELOW, critical=percent(99.5),  # "Success Rate: >99.5%"
        frequency=minutes(2),
        good="Above 99.5%; expected 99.8%.",
        action=f"Open {D8}; check provider API status and whether fallback has taken over.",
    ),
    Check(
        title="Fallback status",
        group=G8,
        signal=s.FEEDS_ON_FALLBACK, direction=ABOVE, critical=0,  # "Fallback Status: Primary providers active"
        frequency=minutes(2),
        good="Fallback not active: all feeds on their primary providers.",
        action=f"Open {D8}; find why the primary failed and monitor data quality on the fallback.",
    ),
)

# --- 9. Compliance and Reporting: every 15 minutes ------------------------------------
G9 = "9. Compliance and Reporting Dashboard"  # the runbook's dashboard: a row on the overview
D9 = f"{GRAFANA}/compliance"
ESCALATE = "escalate along Compliance issues (Compliance team, Head of Compliance after 15 minutes)"
COMPLIANCE = (
    Check(
        title="Report generation",
        group=G9,
        signal=s.REPORTS_ON_TIME, direction=BELOW, critical=percent(100),  # "Report Generation: 100% on-time"
        frequency=minutes(15),
        good="100% of reports on time.",
        action=f"Open {D9}; read kubectl logs -n bondx -l app=compliance-engine and {ESCALATE}.",
    ),
    Check(
        title="Audit trail completeness",
        group=G9,
        signal=s.AUDIT_COMPLETENESS, direction=BELOW, critical=percent(100),  # "Audit Trail Completeness: 100%"
        frequency=minutes(15),
        good="100% complete.",
        action=f"Open {D9}; find the missing audit records and {ESCALATE}.",
    ),
    Check(
        title="Regulatory submissions",
        group=G9,
        signal=s.FAILED_SUBMISSIONS, direction=ABOVE, critical=0,  # "Regulatory Submissions: All successful"
        frequency=minutes(15),
        good="All submissions successful (0 failed in the last 24 hours).",
        action=f"Open {D9}; resubmit once the cause is fixed and {ESCALATE}.",
    ),
    Check(
        title="Data retention",
        group=G9,
        signal=s.RETENTION_COMPLIANCE, direction=BELOW, critical=percent(100),  # "Data Retention Compliance: 100%"
        frequency=minutes(15),
        good="100% compliant.",
        action=f"Open {D9}; {ESCALATE}.",
    ),
    Check(
        title="Last audit",
        group=G9,
        signal=s.LAST_AUDIT_AGE,  # expected value only: "last_audit: Within 24 hours"
        frequency=minutes(15),
        good="Last audit within 24 hours.",
        action=f"Open {D9}; an older audit goes to the compliance team.",
    ),
)

# --- 10. Business Metrics: every 30 minutes -------------------------------------------
G10 = "10. Business Metrics Dashboard"  # the runbook's dashboard: a row on the overview
D10 = f"{GRAFANA}/business-metrics"
BUSINESS = (
    Check(
        title="Trading volume",
        group=G10,
        signal=s.TRADING_VOLUME,  # "Trading Volume: Within expected ranges" (no range given)
        frequency=minutes(30),
        good="Within the expected range for the time of day.",
        action=f"Open {D10}; an unusual volume goes to the business teams; check the trading performance dashboard.",
    ),
    Check(
        title="User activity",
        group=G10,
        signal=s.ACTIVE_USERS,  # "User Activity: Normal patterns", "active_users: 100-200 during trading hours"
        frequency=minutes(30),
        good="Normal patterns: 100-200 active users during trading hours.",
        action=f"Open {D10}; few users in trading hours may mean a login or WebSocket problem: check dashboards 1 and 3.",
    ),
    Check(
        title="Revenue metrics",
        group=G10,
        signal=s.REVENUE_TO_TARGET, direction=BELOW, critical=percent(100),  # "Revenue Metrics: Meeting targets"
        frequency=minutes(30),
        good="Meeting targets (at least 100% of the target to date).",
        action=f"Open {D10}; report to the business teams.",
    ),
    Check(
        title="Customer satisfaction",
        group=G10,
        signal=s.CUSTOMER_SATISFACTION, direction=BELOW, critical=percent(95),  # "Customer Satisfaction: >95%"
        frequency=minutes(30),
        good="Above 95%; expected 96-98%.",
        action=f"Open {D10}; report to the business teams and look for recent incidents with customer impact.",
    ),
    Check(
        title="Market share",
        group=G10,
        signal=s.MARKET_SHARE,  # expected value only: "market_share: Growing"
        frequency=minutes(30),
        good="Growing.",
        action=f"Open {D10}; a falling share goes to the business teams.",
    ),
)

CHECKS = (
    SYSTEM_HEALTH + TRADING_PERFORMANCE + WEBSOCKET + RISK + DATABASE
    + REDIS + INFRASTRUCTURE + DATA_PROVIDERS + COMPLIANCE + BUSINESS
)
