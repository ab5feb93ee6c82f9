"""Operator scenarios: situations the trading stack's Ops Runbook (seed 001) describes, and what must happen.

Receivers after the priority policy (routing.py, "Alert Escalation"): critical alerts (P1,
"(page)") page PagerDuty platform-team; warnings (P2, "(Slack)") go to #alerts-ops.
"""

from obsgen import Fires, Holds, Scenario, minutes, seconds

from . import alert_delivery, audit_log, circuit_breaker, datastores
from . import signals as s
from .routing import P1_PAGE, P2_SLACK, PAGERDUTY_PLATFORM, SLACK_ALERTS_OPS

SCENARIOS = (
    # "Track 7 SLA Targets": CB staleness target <= 5s, alert > 10s (page); "Verification
    # Checklist": Grafana shows cb_staleness_seconds near 0.
    Scenario(
        name="cb-state-stale",
        situation="Circuit breaker state last verified 30 seconds ago, for 5 minutes",
        holds=(Holds(s.CB_STALENESS, seconds(30)),),
        lasting=minutes(5),
        fires=(Fires(circuit_breaker.STALENESS_HIGH, P1_PAGE),),
        reaches=(PAGERDUTY_PLATFORM,),
        pages=True,
    ),
    # "Track 7 SLA Targets": CB staleness 8 s misses the <= 5s target but is not past the
    # > 10s page line: the Track 7 check shows it, nobody is told.
    Scenario(
        name="cb-staleness-over-target-under-page",
        situation="Circuit breaker state 8 seconds stale for 30 minutes",
        holds=(Holds(s.CB_STALENESS, seconds(8)),),
        lasting=minutes(30),
        fires=(),
        reaches=(),
        pages=False,
    ),
    # "Track 7 SLA Targets" at every alert line at once: alerts fire only past them
    # (> 10s, > 60s, > 1s, > 10).
    Scenario(
        name="track7-at-alert-lines",
        situation="CB staleness 10 s, alert delivery p95 60 s, audit write p95 1 s, 10 poison deliveries, for 30 minutes",
        holds=(
            Holds(s.CB_STALENESS, seconds(10)),
            Holds(s.ALERT_DELIVERY_P95, seconds(60)),
            Holds(s.AUDIT_WRITE_P95, seconds(1)),
            Holds(s.POISON_QUEUE, 10),
        ),
        lasting=minutes(30),
        fires=(),
        reaches=(),
        pages=False,
    ),
    # "Alert Troubleshooting" 2: AlertDeliveryLatencyHigh (P95 > 60s); Track 7 "Alert delivery
    # P95 > 60s (Slack)": a warning for #alerts-ops, no page.
    Scenario(
        name="alert-delivery-slow",
        situation="Alert delivery p95 at 90 seconds for 10 minutes",
        holds=(Holds(s.ALERT_DELIVERY_P95, seconds(90)),),
        lasting=minutes(10),
        fires=(Fires(alert_delivery.LATENCY_HIGH, P2_SLACK),),
        reaches=(SLACK_ALERTS_OPS,),
        pages=False,
    ),
    # "Alert Troubleshooting" 1 and 4 (webhook URL unreachable, rate limit at provider):
    # deliveries pile up in the poison queue; Track 7 "Poison queue size > 10 (page)".
    Scenario(
        name="deliveries-poisoned",
        situation="15 deliveries in the poison queue and delivery p95 at 2 minutes, for 10 minutes",
        holds=(Holds(s.POISON_QUEUE, 15), Holds(s.ALERT_DELIVERY_P95, seconds(120))),
        lasting=minutes(10),
        fires=(Fires(alert_delivery.POISON_QUEUE_HIGH, P1_PAGE), Fires(alert_delivery.LATENCY_HIGH, P2_SLACK)),
        reaches=(PAGERDUTY_PLATFORM, SLACK_ALERTS_OPS),
        pages=True,
    ),
    # Track 7 "Audit write P95 > 1s (Slack)".
    Scenario(
        name="audit-writes-slow",
        situation="Audit log write p95 at 1.5 seconds for 10 minutes",
        holds=(Holds(s.AUDIT_WRITE_P95, seconds(1.5)),),
        lasting=minutes(10),
        fires=(Fires(audit_log.WRITE_LATENCY_HIGH, P2_SLACK),),
        reaches=(SLACK_ALERTS_OPS,),
        pages=False,
    ),
    # "Troubleshooting Service Issues" 4 "Verify Redis/Postgres connectivity": the breaker state
    # lives in Redis (CLI "Status: Check Redis key circuit_breaker:state"); with Redis down the
    # state cannot be read (staleness 999999) and RedisDown silences the staleness page.
    Scenario(
        name="redis-down",
        situation="Redis down and the circuit breaker state unreadable, for 5 minutes",
        holds=(Holds(s.REDIS_UP, 0), Holds(s.CB_STALENESS, seconds(999999))),
        lasting=minutes(5),
        fires=(Fires(datastores.REDIS_DOWN, P1_PAGE), Fires(circuit_breaker.STALENESS_HIGH, P1_PAGE)),
        reaches=(PAGERDUTY_PLATFORM,),
        pages=True,
    ),
    # "Verify Redis/Postgres connectivity": audit writes and alert delivery records go to
    # Postgres; its outage pages and silences their Slack warnings (routing.py).
    Scenario(
        name="postgres-down",
        situation="Postgres down, audit write p95 at 3 seconds and delivery p95 at 90 seconds, for 10 minutes",
        holds=(
            Holds(s.POSTGRES_UP, 0),
            Holds(s.AUDIT_WRITE_P95, seconds(3)),
            Holds(s.ALERT_DELIVERY_P95, seconds(90)),
        ),
        lasting=minutes(10),
        fires=(
            Fires(datastores.POSTGRES_DOWN, P1_PAGE),
            Fires(audit_log.WRITE_LATENCY_HIGH, P2_SLACK),
            Fires(alert_delivery.LATENCY_HIGH, P2_SLACK),
        ),
        reaches=(PAGERDUTY_PLATFORM,),
        pages=True,
    ),
)
