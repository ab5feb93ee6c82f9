"""Who is told: receivers, priorities, inhibitions and escalation paths.

seeds/001 "SLA Monitoring" -> "Alert Escalation":
  1. Warning alerts -> #alerts-ops Slack channel
  2. Critical alerts -> PagerDuty (platform-team)
The Track 7 table marks each alert "(page)" or "(Slack)" accordingly.

The runbook's other channels (Email via SMTP/SendGrid, Slack webhook, SMS via Twilio,
"Alert Routing Configuration") are the channels of the platform's own alert-delivery
service, not of the operators' Alertmanager routing; they are monitored in
alert_delivery.py (per-channel latency and rate limits), not used as receivers here.
"""

from obsgen import Escalation, Inhibition, PagerDuty, Priority, Slack, hours, minutes, seconds

from .priorities import PAGE, SLACK

SLACK_ALERTS_OPS = Slack(
    name="slack-alerts-ops",
    channel="#alerts-ops",
    api_url_file="/etc/alertmanager/secrets/slack-alerts-ops-webhook",
)

PAGERDUTY_PLATFORM = PagerDuty(
    name="pagerduty-platform-team",
    service="platform-team",
    routing_key_file="/etc/alertmanager/secrets/pagerduty-platform-team",
)

RECEIVERS = (SLACK_ALERTS_OPS, PAGERDUTY_PLATFORM)
DEFAULT_RECEIVER = SLACK_ALERTS_OPS.name

PRIORITIES = (
    Priority(
        name=PAGE,
        meaning="Critical: page the on-call (Track 7 \"(page)\"; System Health Red = Unhealthy).",
        # The runbook gives no minutes, only "Immediate investigation" for Red; 5m stands for it.
        response_time=minutes(5),
        response_note="Immediate investigation (runbook: Red / Unhealthy); acknowledge in PagerDuty.",
        receivers=(PAGERDUTY_PLATFORM.name,),
        group_wait=seconds(10),  # a page should not wait for grouping
        repeat_interval=minutes(30),  # re-page while unacknowledged and still firing
    ),
    Priority(
        name=SLACK,
        meaning="Warning: tell #alerts-ops (Track 7 \"(Slack)\"; System Health Yellow = Degraded).",
        # The runbook gives no response time for warnings, only "monitor closely, investigate latency".
        response_time=hours(1),
        response_note="Monitor closely and investigate (runbook: Yellow / Degraded); acknowledge in Slack.",
        receivers=(SLACK_ALERTS_OPS.name,),
    ),
)

# While a service or datastore is down, the SLA symptoms it causes stay quiet: the operator
# fixes the cause named by the Down alert (runbook: "Verify Redis/Postgres connectivity").
INHIBITIONS = (
    Inhibition(
        name="redis-down-silences-cb-staleness",
        source="RedisDown",
        targets=("CircuitBreakerStalenessHigh",),
        reason="The breaker state is read from Redis; staleness is a symptom of Redis being down.",
    ),
    Inhibition(
        name="postgres-down-silences-writers",
        source="PostgresDown",
        targets=("AuditWriteLatencyHigh", "AlertDeliveryLatencyHigh"),
        reason="Audit writes and alert delivery records go to Postgres.",
    ),
    Inhibition(
        name="cb-down-silences-cb-staleness",
        source="CircuitBreakerDown",
        targets=("CircuitBreakerStalenessHigh",),
        reason="A stopped circuit breaker service cannot refresh the state it reports.",
    ),
    Inhibition(
        name="delivery-down-silences-latency",
        source="AlertDeliveryDown",
        targets=("AlertDeliveryLatencyHigh",),
        reason="Deliveries are late because the delivery service is down.",
    ),
    Inhibition(
        name="audit-down-silences-latency",
        source="AuditLogDown",
        targets=("AuditWriteLatencyHigh",),
        reason="Audit writes are slow or failing because the audit log service is down.",
    ),
)

ESCALATIONS = (
    # seeds/001 "Alert Escalation": by severity, both at once (no delays stated).
    Escalation(
        name="Alert escalation",
        steps=(
            ("Warning alerts: #alerts-ops Slack channel", seconds(0)),
            ("Critical alerts: PagerDuty (platform-team)", seconds(0)),
        ),
    ),
    # seeds/001 "SLA Breach Response": acknowledge, check Grafana, review logs, then
    # "apply fix or escalate to engineering". The runbook states no delay before escalating.
    Escalation(
        name="SLA breach response",
        steps=(
            ("On-call (platform-team): acknowledge in PagerDuty/Slack, check Grafana, review logs", seconds(0)),
            ("Engineering, when the on-call cannot apply a fix; document in an incident report", seconds(0)),
        ),
    ),
)
