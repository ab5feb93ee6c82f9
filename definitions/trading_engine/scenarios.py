"""Operator scenarios: situations the trading engine's Operations Runbook (seed 003) describes.

Receivers after the priority policy (routing.py): P0 pages the on-call and tells #incidents
and the DevOps Lead; P1 pages the on-call and tells #incidents; P2 and P3 go to #incidents,
P3 only in business hours (Monday-Friday 09:00-17:00 UTC, "P3: Next business day"). Each
team's lead is emailed about its own alerts at any hour (Emergency Contacts): backend (API,
WebSocket), database (PostgreSQL), devops (Redis, Kubernetes), security.
"""

from obsgen import Fires, Holds, Scenario, minutes, ms, percent, seconds

from . import signals as s

PAGER = "pagerduty-oncall"
INCIDENTS = "slack-incidents"
DEVOPS = "email-devops-lead"
BACKEND = "email-backend-lead"
DBA = "email-dba"
SECURITY = "email-security"

SCENARIOS = (
    # "P0: Complete Service Outage", its four symptoms at once: health check failing, all API
    # requests returning errors, database unreachable, zero WebSocket connections. Immediate
    # Actions 6: "Post to #incidents Slack channel", "Page on-call engineer".
    Scenario(
        name="complete-service-outage",
        situation="Health check failing, every request failing, database unreachable, no WebSocket client, for 5 minutes",
        holds=(
            Holds(s.API_HEALTH, 0),
            Holds(s.API_ANY_SUCCESS, 0),
            Holds(s.API_ERROR_RATIO, percent(100)),
            Holds(s.PG_UP, 0),
            Holds(s.WEBSOCKET_CONNECTIONS, 0),
        ),
        lasting=minutes(5),
        fires=(
            Fires("ApiHealthCheckFailing", "P0"),
            Fires("ApiAllRequestsFailing", "P0"),
            Fires("ApiHighErrorRate", "P2"),
            Fires("ApiHighErrorRate", "P1"),
            Fires("PostgresDown", "P0"),
            Fires("WebSocketNoConnections", "P0"),
        ),
        reaches=(PAGER, INCIDENTS, DEVOPS, BACKEND, DBA),
        pages=True,
    ),
    # "P1: High Error Rate": error rate > 5%, slow response times (p95 > 1s). Both two-level
    # alerts are past both levels; each critical silences its own warning.
    Scenario(
        name="high-error-rate",
        situation="7% of API requests failing and API p95 at 1.5 seconds, for 10 minutes",
        holds=(Holds(s.API_ERROR_RATIO, percent(7)), Holds(s.API_LATENCY_P95, seconds(1.5))),
        lasting=minutes(10),
        fires=(
            Fires("ApiHighErrorRate", "P2"),
            Fires("ApiHighErrorRate", "P1"),
            Fires("ApiHighLatency", "P2"),
            Fires("ApiHighLatency", "P1"),
        ),
        reaches=(PAGER, INCIDENTS, BACKEND),
        pages=True,
    ),
    # "P1: Database Performance Issues": connection pool exhausted, high CPU on database; the
    # "Key Metrics to Watch" row "Database connections > 80% of max" is past too.
    Scenario(
        name="database-performance",
        situation="No free PostgreSQL connection (100% of max used) and database CPU at 95%, for 15 minutes",
        holds=(
            Holds(s.PG_CONNECTIONS_FREE, 0),
            Holds(s.PG_CONNECTIONS_USED, percent(100)),
            Holds(s.PG_CPU, percent(95)),
        ),
        lasting=minutes(15),
        fires=(
            Fires("PostgresConnectionsExhausted", "P1"),
            Fires("PostgresConnectionsHigh", "P3"),
            Fires("PostgresHighCPU", "P1"),
        ),
        reaches=(PAGER, INCIDENTS, DBA),
        pages=True,
    ),
    # "P1: Memory Leak": increasing memory usage, OOMKilled pods, pod restarts ("Key Metrics to
    # Watch": memory usage > 85%).
    Scenario(
        name="memory-leak",
        situation="A pod at 92% of its memory limit, OOMKilled once and restarted twice, for 15 minutes",
        holds=(
            Holds(s.POD_MEMORY, percent(92)),
            Holds(s.POD_OOM_KILLS, 1),
            Holds(s.POD_RESTARTS, 2),
        ),
        lasting=minutes(15),
        fires=(
            Fires("PodMemoryHigh", "P3"),
            Fires("PodOOMKilled", "P1"),
            Fires("PodRestarting", "P1"),
        ),
        reaches=(PAGER, INCIDENTS, DEVOPS),
        pages=True,
    ),
    # "P0: Security Breach": unauthorized access detected; step 4 NOTIFY the security team
    # (Emergency Contacts: security@trading-engine.com, 24/7).
    Scenario(
        name="security-breach",
        situation="An unauthorized access detection, held for 5 minutes",
        holds=(Holds(s.SECURITY_DETECTIONS, 1),),
        lasting=minutes(5),
        fires=(Fires("SecurityBreachDetected", "P0"),),
        reaches=(PAGER, INCIDENTS, DEVOPS, SECURITY),
        pages=True,
    ),
    # "Alert Response Times": "P3: Next business day". A pod above 80% CPU ("Key Metrics to
    # Watch": scale horizontally) on a Saturday: #incidents is muted, only the DevOps Lead's
    # mailbox (Emergency Contacts, 24/7) receives it.
    Scenario(
        name="p3-cpu-on-saturday",
        situation="A pod at 90% of its CPU limit for 15 minutes on a Saturday at noon",
        holds=(Holds(s.POD_CPU, percent(90)),),
        lasting=minutes(15),
        fires=(Fires("PodCPUHigh", "P3"),),
        reaches=(DEVOPS,),
        pages=False,
        at="2026-01-10T12:00:00+00:00",
    ),
    # The same P3 on a Wednesday morning, in business hours: #incidents is told.
    Scenario(
        name="p3-cpu-in-business-hours",
        situation="A pod at 90% of its CPU limit for 15 minutes on a Wednesday at 10:00",
        holds=(Holds(s.POD_CPU, percent(90)),),
        lasting=minutes(15),
        fires=(Fires("PodCPUHigh", "P3"),),
        reaches=(INCIDENTS, DEVOPS),
        pages=False,
        at="2026-01-07T10:00:00+00:00",
    ),
    # "Key Metrics to Watch" at every line, none past: error rate 1%, p95 500ms, CPU 80%,
    # WebSocket connections 50K. The table fires only beyond them ("> 1%", "> 500ms", ...).
    Scenario(
        name="key-metrics-at-their-lines",
        situation="Error rate 1%, API p95 500 ms, pod CPU 80% and 50K WebSocket connections, for 30 minutes",
        holds=(
            Holds(s.API_ERROR_RATIO, percent(1)),
            Holds(s.API_LATENCY_P95, ms(500)),
            Holds(s.POD_CPU, percent(80)),
            Holds(s.WEBSOCKET_CONNECTIONS, 50_000),
        ),
        lasting=minutes(30),
        fires=(),
        reaches=(),
        pages=False,
    ),
)
