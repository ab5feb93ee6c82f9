"""Emergency Procedures > Emergency Contact Escalation: who is told, how fast.

Warning levels route as P2, critical levels as P1. Secrets stay in files the deployment
provides under /etc/alertmanager/secrets/.
"""

from obsgen import Assumed, Escalation, PagerDuty, Priority, Route, Slack, minutes, seconds

from . import runbook as rb

SECRETS = "/etc/alertmanager/secrets"

# "P1 Alerts (Critical): Slack channel: #market-ops-critical; PagerDuty: On-call rotation"
SLACK_CRITICAL = Slack(
    name="slack-market-ops-critical", channel="#market-ops-critical", api_url_file=f"{SECRETS}/slack-market-ops-critical",
    provenance=rb.ESCALATION.says("Slack channel: #market-ops-critical"),
)

PAGERDUTY = PagerDuty(
    name="pagerduty-market-ops", service="market-ops on-call rotation", routing_key_file=f"{SECRETS}/pagerduty-market-ops",
    provenance=rb.ESCALATION.says("PagerDuty: On-call rotation"),
)

# "P2 Alerts (Warning): Slack channel: #market-ops"
SLACK_OPS = Slack(
    name="slack-market-ops", channel="#market-ops", api_url_file=f"{SECRETS}/slack-market-ops",
    provenance=rb.ESCALATION.says("Slack channel: #market-ops"),
)

# "Infrastructure Issues: ... Contact: #infrastructure-ops"
SLACK_INFRASTRUCTURE = Slack(
    name="slack-infrastructure-ops", channel="#infrastructure-ops", api_url_file=f"{SECRETS}/slack-infrastructure-ops",
    provenance=rb.ESCALATION.says("Contact: #infrastructure-ops"),
)

RECEIVERS = (SLACK_CRITICAL, PAGERDUTY, SLACK_OPS, SLACK_INFRASTRUCTURE)

DEFAULT_RECEIVER = SLACK_OPS

P1 = Priority(
    name="P1",
    meaning="Critical: a critical threshold of the Key Metrics table is crossed, or a service is down.",
    response_time=minutes(5),  # "Response time: < 5 minutes"
    receivers=(PAGERDUTY, SLACK_CRITICAL),
    repeat_interval=minutes(30),  # not in the runbook: re-notify well within a shift while unacknowledged
    provenance={
        "meaning": rb.P1_ALERTS, "response_time": rb.ESCALATION.says("Response time: < 5 minutes"),
        "receivers": rb.ESCALATION.says("Slack channel: #market-ops-critical"),
        "repeat_interval": Assumed("Not in the runbook: re-notify every 30 minutes while unacknowledged."),
    },
)

P2 = Priority(
    name="P2",
    meaning="Warning: a warning threshold of the Key Metrics table is crossed.",
    response_time=minutes(30),  # "Response time: < 30 minutes"
    receivers=(SLACK_OPS,),
    provenance={
        "meaning": rb.P2_ALERTS, "response_time": rb.ESCALATION.says("Response time: < 30 minutes"),
        "receivers": rb.ESCALATION.says("Slack channel: #market-ops"),
    },
)

PRIORITIES = (P1, P2)

# Infrastructure issues also reach #infrastructure-ops; also_default keeps the P1/P2 routing.
ROUTES = (
    Route(
        name="infrastructure-ops", team="infrastructure", receivers=(SLACK_INFRASTRUCTURE,), also_default=True,
        provenance=rb.ESCALATION.says("**Infrastructure Issues:**"),
    ),
)

ESCALATIONS = (
    Escalation(name="P1 alerts (critical), respond within 5 minutes", steps=(
        ("Slack #market-ops-critical", seconds(0)),
        ("PagerDuty on-call rotation", seconds(0)),
    )),
    Escalation(name="P2 alerts (warning), respond within 30 minutes", steps=(
        ("Slack #market-ops", seconds(0)),
    )),
    Escalation(name="Infrastructure issues", steps=(
        ("Operator: check service health (`docker-compose ps`) and logs (`docker-compose logs -f`)", seconds(0)),
        ("#infrastructure-ops", seconds(0)),
    )),
)

