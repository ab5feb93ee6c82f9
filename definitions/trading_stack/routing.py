"""Who is told: receivers, priorities and escalation paths.

seeds/001 "SLA Monitoring" -> "Alert Escalation":
  1. Warning alerts -> #alerts-ops Slack channel
  2. Critical alerts -> PagerDuty (platform-team)
The Track 7 table marks each alert "(page)" or "(Slack)" accordingly.

The runbook's other channels (Email via SMTP/SendGrid, Slack webhook, SMS via Twilio,
"Alert Routing Configuration") are the channels of the platform's own alert-delivery
service, not of the operators' Alertmanager routing; they are monitored in
alert_delivery.py (per-channel latency and rate limits), not used as receivers here.
"""

from obsgen import Escalation, PagerDuty, Priority, Slack, hours, minutes, seconds

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
DEFAULT_RECEIVER = SLACK_ALERTS_OPS

# The runbook has no P-numbers: it says "(page)" / "Critical alerts -> PagerDuty" and
# "(Slack)" / "Warning alerts -> #alerts-ops". These two priorities carry exactly that.
P1_PAGE = Priority(
    name="P1",
    meaning="Critical: page the on-call (Track 7 \"(page)\"; System Health Red = Unhealthy).",
    # The runbook gives no minutes, only "Immediate investigation" for Red; 5m stands for it.
    response_time=minutes(5),
    response_note="Immediate investigation (runbook: Red / Unhealthy); acknowledge in PagerDuty.",
    receivers=(PAGERDUTY_PLATFORM,),
    group_wait=seconds(10),  # a page should not wait for grouping
    repeat_interval=minutes(30),  # re-page while unacknowledged and still firing
)

P2_SLACK = Priority(
    name="P2",
    meaning="Warning: tell #alerts-ops (Track 7 \"(Slack)\"; System Health Yellow = Degraded).",
    # The runbook gives no response time for warnings, only "monitor closely, investigate latency".
    response_time=hours(1),
    response_note="Monitor closely and investigate (runbook: Yellow / Degraded); acknowledge in Slack.",
    receivers=(SLACK_ALERTS_OPS,),
)

PRIORITIES = (P1_PAGE, P2_SLACK)


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
