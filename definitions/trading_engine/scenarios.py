"""Operator scenarios: situations the trading engine's Operations Runbook (seed 003) describes.

Receivers after the priority policy (routing.py): P0 pages the on-call and tells #incidents
and the DevOps Lead; P1 pages the on-call and tells #incidents; P2 and P3 go to #incidents,
P3 only in business hours (Monday-Friday 09:00-17:00 UTC, "P3: Next business day"). Each
team's lead is emailed about its own alerts at any hour (Emergency Contacts): backend (API,
WebSocket), database (PostgreSQL), devops (Redis, Kubernetes), security.
"""

from obsgen import Fires, Holds, Scenario, days, hours, minutes, ms, percent, seconds

from . import api, fix_gateway, kubernetes, postgresql, security, websocket
from . import signals as s
from .routing import EMAIL_BACKEND, EMAIL_DBA, EMAIL_DEVOPS, EMAIL_SECURITY, P0, P1, P2, P3, PAGE_ONCALL, SLACK_INCIDENTS

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
            Fires(api.HEALTH_CHECK_FAILING, P0),
            Fires(api.ALL_REQUESTS_FAILING, P0),
            Fires(api.ERROR_RATE_ABOVE_TARGET, P2),
            Fires(api.HIGH_ERROR_RATE, P2),
            Fires(api.HIGH_ERROR_RATE, P1),
            Fires(postgresql.DOWN, P0),
            Fires(websocket.NO_CONNECTIONS, P0),
        ),
        reaches=(PAGE_ONCALL, SLACK_INCIDENTS, EMAIL_DEVOPS, EMAIL_BACKEND, EMAIL_DBA),
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
            Fires(api.ERROR_RATE_ABOVE_TARGET, P2),
            Fires(api.HIGH_ERROR_RATE, P2),
            Fires(api.HIGH_ERROR_RATE, P1),
            Fires(api.HIGH_LATENCY, P2),
            Fires(api.HIGH_LATENCY, P1),
        ),
        reaches=(PAGE_ONCALL, SLACK_INCIDENTS, EMAIL_BACKEND),
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
            Fires(postgresql.CONNECTIONS_EXHAUSTED, P1),
            Fires(postgresql.CONNECTIONS_HIGH, P3),
            Fires(postgresql.HIGH_CPU, P1),
        ),
        reaches=(PAGE_ONCALL, SLACK_INCIDENTS, EMAIL_DBA),
        pages=True,
    ),
    # "P1: Memory Leak": increasing memory usage, OOMKilled pods, pod restarts ("Key Metrics to
    # Watch": memory usage > 85%).
    Scenario(
        name="memory-leak",
        situation="A pod at 92% of its memory limit, restarted three times in 15 minutes, last terminated OOMKilled, for 15 minutes",
        holds=(
            Holds(s.POD_MEMORY, percent(92)),
            Holds(s.POD_OOM_KILLS, 3),  # the restarts of containers whose last termination was OOMKilled
            Holds(s.POD_RESTARTS, 3),
        ),
        lasting=minutes(15),
        fires=(
            Fires(kubernetes.POD_MEMORY_HIGH, P3),
            Fires(kubernetes.POD_OOM_KILLED, P1),
            Fires(kubernetes.POD_RESTARTING, P3),
            Fires(kubernetes.POD_RESTARTING, P1),
        ),
        reaches=(PAGE_ONCALL, SLACK_INCIDENTS, EMAIL_DEVOPS),
        pages=True,
    ),
    # "P0: Security Breach": unauthorized access detected; step 4 NOTIFY the security team
    # (Emergency Contacts: security@trading-engine.com, 24/7).
    Scenario(
        name="security-breach",
        situation="An unauthorized access detection, held for 5 minutes",
        holds=(Holds(s.SECURITY_DETECTIONS, 1),),
        lasting=minutes(5),
        fires=(Fires(security.BREACH_DETECTED, P0),),
        reaches=(PAGE_ONCALL, SLACK_INCIDENTS, EMAIL_DEVOPS, EMAIL_SECURITY),
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
        fires=(Fires(kubernetes.POD_CPU_HIGH, P3),),
        reaches=(EMAIL_DEVOPS,),
        pages=False,
        at="2026-01-10T12:00:00+00:00",
    ),
    # The same P3 on a Wednesday morning, in business hours: #incidents is told.
    Scenario(
        name="p3-cpu-in-business-hours",
        situation="A pod at 90% of its CPU limit for 15 minutes on a Wednesday at 10:00",
        holds=(Holds(s.POD_CPU, percent(90)),),
        lasting=minutes(15),
        fires=(Fires(kubernetes.POD_CPU_HIGH, P3),),
        reaches=(SLACK_INCIDENTS, EMAIL_DEVOPS),
        pages=False,
        at="2026-01-07T10:00:00+00:00",
    ),
    # "Key Metrics to Watch" at every line, none past: error rate 1%, p95 500ms, CPU 80%,
    # WebSocket connections 50K. The table fires only beyond them ("> 1%", "> 500ms", ...); 1% of
    # errors is past the Critical Metrics Dashboard's "< 0.1%" though: that P2 alone is told.
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
        fires=(Fires(api.ERROR_RATE_ABOVE_TARGET, P2),),
        reaches=(SLACK_INCIDENTS, EMAIL_BACKEND),
        pages=False,
    ),
    # Critical Metrics Dashboard "Order execution latency (p95 < 300ms)" and "Error rate (< 0.1%)":
    # after healthy days, six hours at p95 417 ms and 0.5% errors (five times the limit) is told
    # to #incidents as P2 within P2's hour; nothing pages (both under the P1 lines).
    Scenario(
        name="key-targets-missed-for-hours",
        situation="Order execution p95 at 417 ms and 0.5% of API requests failing, for 6 hours",
        holds=(Holds(s.ORDER_EXECUTION_P95, ms(417)), Holds(s.API_ERROR_RATIO, percent(0.5))),
        lasting=hours(6),
        fires=(Fires(api.ORDER_EXECUTION_SLOW, P2), Fires(api.ERROR_RATE_ABOVE_TARGET, P2)),
        reaches=(SLACK_INCIDENTS, EMAIL_BACKEND),
        pages=False,
        within=hours(1),
    ),
    # p95 of exactly 300 ms is not "< 300ms": it fires.
    Scenario(
        name="order-execution-at-300ms",
        situation="Order execution p95 at exactly 300 ms for 10 minutes",
        holds=(Holds(s.ORDER_EXECUTION_P95, ms(300)),),
        lasting=minutes(10),
        fires=(Fires(api.ORDER_EXECUTION_SLOW, P2),),
        reaches=(SLACK_INCIDENTS, EMAIL_BACKEND),
        pages=False,
    ),
    # Critical Metrics Dashboard "FIX session status": a session not logged on.
    Scenario(
        name="fix-session-down",
        situation="One FIX session not logged on for 5 minutes",
        holds=(Holds(s.FIX_SESSIONS_DOWN, 1),),
        lasting=minutes(5),
        fires=(Fires(fix_gateway.SESSION_DOWN, P2),),
        reaches=(SLACK_INCIDENTS, EMAIL_BACKEND),
        pages=False,
        within=hours(1),
    ),
    # Weekly Tasks "Check certificate expiry": five days left.
    Scenario(
        name="certificate-expiring",
        situation="A production certificate expiring in 5 days, for 30 minutes",
        holds=(Holds(s.CERT_EXPIRY, days(5)),),
        lasting=minutes(30),
        fires=(Fires(kubernetes.CERTIFICATE_EXPIRY, P3), Fires(kubernetes.CERTIFICATE_EXPIRY, P2)),
        reaches=(SLACK_INCIDENTS, EMAIL_DEVOPS),
        pages=False,
    ),
    # "P1: Memory Leak" lists pod restarts among its symptoms; a single restart is no leak: it is
    # a P3 for the next business day, nobody is paged.
    Scenario(
        name="single-pod-restart",
        situation="One container restart in the last 15 minutes, not an OOM kill, seen for 5 minutes",
        holds=(Holds(s.POD_RESTARTS, 1), Holds(s.POD_OOM_KILLS, 0)),
        lasting=minutes(5),
        fires=(Fires(kubernetes.POD_RESTARTING, P3),),
        reaches=(SLACK_INCIDENTS, EMAIL_DEVOPS),
        pages=False,
    ),
)
