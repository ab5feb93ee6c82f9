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

from obsgen import Assumed, Escalation, PagerDuty, Priority, Runbook, Slack, hours, minutes, seconds

ESCALATION = Runbook("SLA Monitoring > Alert Escalation")

SLACK_ALERTS_OPS = Slack(
    name="slack-alerts-ops",
    channel="#alerts-ops",
    api_url_file="/etc/alertmanager/secrets/slack-alerts-ops-webhook",
    provenance=ESCALATION.says("**Warning alerts** → #alerts-ops Slack channel"),
)

PAGERDUTY_PLATFORM = PagerDuty(
    name="pagerduty-platform-team",
    service="platform-team",
    routing_key_file="/etc/alertmanager/secrets/pagerduty-platform-team",
    provenance=ESCALATION.says("**Critical alerts** → PagerDuty (platform-team)"),
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
    provenance={
        "meaning": ESCALATION.says("**Critical alerts** → PagerDuty (platform-team)"),
        "response_time": Assumed("The runbook says immediate investigation for Red, no minutes: 5 minutes."),
        "response_note": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Immediate investigation"),
        "receivers": ESCALATION.says("**Critical alerts** → PagerDuty (platform-team)"),
        "group_wait": Assumed("A page should not wait for grouping: 10 s."),
        "repeat_interval": Assumed("Re-page every 30 minutes while unacknowledged and still firing."),
    },
)

P2_SLACK = Priority(
    name="P2",
    meaning="Warning: tell #alerts-ops (Track 7 \"(Slack)\"; System Health Yellow = Degraded).",
    # The runbook gives no response time for warnings, only "monitor closely, investigate latency".
    response_time=hours(1),
    response_note="Monitor closely and investigate (runbook: Yellow / Degraded); acknowledge in Slack.",
    receivers=(SLACK_ALERTS_OPS,),
    provenance={
        "meaning": ESCALATION.says("**Warning alerts** → #alerts-ops Slack channel"),
        "response_time": Assumed("The runbook gives warnings no response time, only monitor closely and investigate: 1 hour."),
        "response_note": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Monitor closely, investigate latency"),
        "receivers": ESCALATION.says("**Warning alerts** → #alerts-ops Slack channel"),
    },
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
        provenance={"steps": ESCALATION.says("1. **Warning alerts** → #alerts-ops Slack channel")},
    ),
    # seeds/001 "SLA Breach Response": acknowledge, check Grafana, review logs, then
    # "apply fix or escalate to engineering". The runbook states no delay before escalating.
    Escalation(
        name="SLA breach response",
        steps=(
            ("On-call (platform-team): acknowledge in PagerDuty/Slack, check Grafana, review logs", seconds(0)),
            ("Engineering, when the on-call cannot apply a fix; document in an incident report", seconds(0)),
        ),
        provenance={"steps": Assumed("The runbook gives the SLA breach response's steps, no delay before escalating: every step at once.")},
    ),
)
