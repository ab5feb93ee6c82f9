"""Who is told, how fast (runbook §2.2, §4.2, §7).

The runbook names priorities (P0 critical, P1 high, P2, P3: §2.2) but no channels, no
response times in numbers and no escalation path. The receivers below are this
definition's choice, not the runbook's: P0 and P1 page the DEX on-call through
PagerDuty, P2 and P3 go to a Slack channel. Secrets are files the deployment provides.
"""

from obsgen import PagerDuty, Priority, Slack, days, minutes, seconds

# The runbook names no channels: these two are sensible defaults for its on-call operator.
ONCALL = PagerDuty(
    name="dex-oncall-pagerduty",
    service="DEX on-call operator",
    routing_key_file="/etc/alertmanager/secrets/dex-pagerduty-routing-key",
)
SLACK = Slack(
    name="dex-alerts-slack",
    channel="#dex-alerts",
    api_url_file="/etc/alertmanager/secrets/dex-slack-api-url",
)
RECEIVERS = (ONCALL, SLACK)
DEFAULT_RECEIVER = SLACK

# Response times: the runbook states them only in words (P0 "raise immediately", §4.2;
# P2/P3 "acknowledge and investigate" at the start-of-shift check, §2.2). The durations
# are this definition's reading of those words; response_note keeps the runbook's.
P0 = Priority(
    name="P0",
    meaning="Critical: any matching engine error, panic, anomaly or outage; the exchange's consistency is at risk (§4.2).",
    response_time=minutes(5),
    response_note="immediately (runbook §4.2: raise immediately)",
    receivers=(ONCALL,),
    group_wait=seconds(10),  # "raise immediately" (§4.2): shorter than the 30s default
)

P1 = Priority(
    name="P1",
    meaning="High: users are affected (error rate or matching latency beyond the runbook's limits). None may stay active (§2.2).",
    response_time=minutes(15),
    receivers=(ONCALL,),
)

P2 = Priority(
    name="P2",
    meaning="Degraded but contained, such as a circuit breaker that keeps re-opening; investigate per standard operating procedures (§2.2).",
    response_time=days(1),
    response_note="acknowledge and investigate at the latest at the next start-of-shift check (runbook §2.2)",
    receivers=(SLACK,),
)

P3 = Priority(
    name="P3",
    meaning="Information, such as maintenance mode being on; acknowledge (§2.2).",
    response_time=days(1),
    response_note="acknowledge at the latest at the next start-of-shift check (runbook §2.2)",
    receivers=(SLACK,),
)

PRIORITIES = (P0, P1, P2, P3)


# The runbook gives no escalation path: none is defined.
