"""What operators look at: the Critical Metrics Dashboard, Daily Checks and Weekly Tasks (seeds/003).

The runbook gives no cadence for the "Key metrics to watch" list: every 15 minutes during a shift.
Daily Checks run once a day ("1d"), Weekly Tasks once a week ("7d").
"""

from obsgen import ABOVE, Check, days, minutes, ms, percent

from . import api, kubernetes, postgresql, websocket
from . import signals as s

# --- Critical Metrics Dashboard: "Key metrics to watch" (grafana d/trading-engine-overview) ---

WATCH = (
    # "Order execution latency (p95 < 300ms)": a target, no alert or priority given.
    Check(
        title="Order execution latency",
        signal=s.ORDER_EXECUTION_P95,
        direction=ABOVE,
        warning=ms(300),
        frequency=minutes(15),
        good="p95 order execution latency below 300 ms.",
        action="Check the database and the API pods (Key Metrics: check database, scale up); see ApiHighLatency actions.",
    ),
    # "Error rate (< 0.1%)": the dashboard target. The runbook's alerts on the same rate are
    # > 1% (Key Metrics to Watch) and > 5% (P1 High Error Rate): ApiHighErrorRate.
    Check(
        title="Error rate",
        signal=s.API_ERROR_RATIO,
        direction=ABOVE,
        warning=percent(0.1),
        frequency=minutes(15),
        good="API 5xx error rate below 0.1% (alerts at 1% and, as P1, at 5%).",
        action="Investigate logs: `kubectl logs -n production deployment/trading-engine-api --tail=1000 | grep -i error`.",
    ),
    # "Active WebSocket connections": alerting at zero (P0) and above 50K (Key Metrics).
    Check(
        title="Active WebSocket connections",
        alert=websocket.CONNECTIONS_HIGH,
        frequency=minutes(15),
        good="Connections above zero and below 50K.",
        action="Above 50K scale WebSocket pods; at zero follow the P0 Complete Service Outage procedure.",
    ),
    # "Database connection pool utilization (< 80%)" = Key Metrics "Database connections > 80% of max".
    Check(
        title="Database connection pool utilization",
        alert=postgresql.CONNECTIONS_HIGH,
        frequency=minutes(15),
        good="Below 80% of max_connections.",
        action="Investigate connection leaks (`SELECT count(*) FROM pg_stat_activity;`).",
    ),
    # "CPU/Memory usage per pod" with the Key Metrics thresholds (CPU > 80%, memory > 85%).
    Check(
        title="CPU usage per pod",
        alert=kubernetes.POD_CPU_HIGH,
        frequency=minutes(15),
        good="Every pod below 80% of its CPU limit.",
        action="Scale horizontally: `kubectl get hpa -n production`, raise replicas.",
    ),
    Check(
        title="Memory usage per pod",
        alert=kubernetes.POD_MEMORY_HIGH,
        frequency=minutes(15),
        good="Every pod below 85% of its memory limit, and flat over time.",
        action="Check for leaks, scale vertically (see the P1 Memory Leak procedure).",
    ),
    # "FIX session status": no threshold given; good is every session logged on.
    Check(
        title="FIX session status",
        signal=s.FIX_SESSIONS_DOWN,
        direction=ABOVE,
        warning=0,
        frequency=minutes(15),
        good="Every FIX session logged on (0 sessions down).",
        action="Check the FIX gateway logs and the counterparty connection for the session that is down.",
    ),
)

# --- Daily Checks ------------------------------------------------------------------------

DAILY = (
    # "Health check: curl https://api.trading-engine.com/health".
    Check(
        title="API health check",
        alert=api.HEALTH_CHECK_FAILING,
        frequency=days(1),
        good="`curl https://api.trading-engine.com/health` succeeds.",
        action="Follow the P0 Complete Service Outage procedure.",
    ),
    # "Check pod health: kubectl get pods -n production".
    Check(
        title="Pod health",
        signal=s.PODS_UNHEALTHY,
        direction=ABOVE,
        warning=0,
        frequency=days(1),
        good="`kubectl get pods -n production`: all pods Running and ready.",
        action="`kubectl describe pod -n production <pod>` and its logs; see PodRestarting and PodOOMKilled actions.",
    ),
    # "Check HPA status: kubectl get hpa -n production".
    Check(
        title="HPA status",
        signal=s.HPA_AT_MAX,
        direction=ABOVE,
        warning=0,
        frequency=days(1),
        good="`kubectl get hpa -n production`: no autoscaler pinned at its maximum replicas.",
        action=(
            "Raise the autoscaler's limits with helm (HPA overrides manual scaling), e.g. "
            "`--set api.autoscaling.minReplicas=3` off-peak; review HPA settings monthly."
        ),
    ),
    # "Check alerts: Prometheus alerts, PagerDuty incidents"; "Review Grafana dashboards".
    Check(
        title="Firing alerts",
        signal=s.ALERTS_FIRING,
        direction=ABOVE,
        warning=0,
        frequency=days(1),
        good="No trading-engine alert firing and no open PagerDuty incident.",
        action="Work each firing alert from its handbook section; review the system overview, trading metrics and error-rate dashboards.",
    ),
)

# --- Weekly Tasks (no thresholds given: the operator reads the value) ---------------------

WEEKLY = (
    Check(
        title="Slow queries",
        signal=s.PG_QUERY_MEAN,
        frequency=days(7),
        good="No query whose mean_exec_time stands out in pg_stat_statements.",
        action=(
            "`SELECT query, calls, mean_exec_time FROM pg_stat_statements ORDER BY mean_exec_time DESC LIMIT 20;` "
            "and review indexes."
        ),
    ),
    Check(
        title="Database maintenance (VACUUM ANALYZE)",
        signal=s.PG_VACUUM_AGE,
        frequency=days(7),
        good="Every table vacuumed within the last week.",
        action="Run `VACUUM ANALYZE;` on trading_engine.",
    ),
    Check(
        title="Certificate expiry",
        signal=s.CERT_EXPIRY,
        frequency=days(7),
        good="`kubectl get certificates -n production`: all Ready, none close to expiry.",
        action="Check cert-manager for the certificate that is not renewing.",
    ),
    Check(
        title="Backup verification",
        signal=s.BACKUP_AGE,
        frequency=days(7),
        good="`aws s3 ls s3://trading-engine-backups/` lists a recent backup.",
        action=(
            "Run a manual backup: `pg_dump -U trading -Fc trading_engine` and upload it to "
            "s3://trading-engine-backups/manual/."
        ),
    ),
)

CHECKS = WATCH + DAILY + WEEKLY
