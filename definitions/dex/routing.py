"""Who is told, how fast (runbook §2.2, §4.2, §7).

The runbook names priorities (P0 critical, P1 high, P2, P3: §2.2) but no channels, no
response times in numbers and no escalation path: the receivers and durations below are
assumptions (runbook.py), marked as such in the handbook. Secrets are files the
deployment provides.
"""

from obsgen import Assumed, PagerDuty, Priority, Slack, days, minutes, seconds

from . import runbook as rb

ONCALL = PagerDuty(
    name="dex-oncall-pagerduty",
    service="DEX on-call operator",
    routing_key_file="/etc/alertmanager/secrets/dex-pagerduty-routing-key",
    provenance=rb.RECEIVERS,
)
SLACK = Slack(
    name="dex-alerts-slack",
    channel="#dex-alerts",
    api_url_file="/etc/alertmanager/secrets/dex-slack-api-url",
    provenance=rb.RECEIVERS,
)
RECEIVERS = (ONCALL, SLACK)
DEFAULT_RECEIVER = SLACK

_P0_WORDS = rb.ERRORS.says("Matching Engine (Any Error)**: **P0 Incident**. Raise immediately")

P0 = Priority(
    name="P0",
    meaning="Critical: any matching engine error, panic, anomaly or outage; the exchange's consistency is at risk (§4.2).",
    response_time=minutes(5),
    response_note="immediately (runbook §4.2: raise immediately)",
    receivers=(ONCALL,),
    group_wait=seconds(10),  # "raise immediately" (§4.2): shorter than the 30s default
    provenance={
        "meaning": _P0_WORDS,
        "response_time": Assumed("§4.2 says raise immediately: 5 minutes is the definitions' reading of it."),
        "response_note": _P0_WORDS,
        "receivers": rb.RECEIVERS,
        "group_wait": Assumed("§4.2 says raise immediately: a 10 s group wait instead of Alertmanager's 30 s."),
    },
)

P1 = Priority(
    name="P1",
    meaning="High: users are affected (error rate or matching latency beyond the runbook's limits). None may stay active (§2.2).",
    response_time=minutes(15),
    receivers=(ONCALL,),
    provenance={
        "meaning": rb.ALERTS.says("Ensure there are zero active **P0** (critical) or **P1** (high) alerts."),
        "response_time": Assumed("§2.2 allows no active P1 but gives no time: 15 minutes, three times P0's."),
        "receivers": rb.RECEIVERS,
    },
)

_ACK = rb.ALERTS.says("Acknowledge and investigate any active **P2** or **P3** alerts based on standard operating procedures.")
_NEXT_CHECK = Assumed("§2.2 has P2 and P3 acknowledged at the start-of-shift check: at the latest a day later.")

P2 = Priority(
    name="P2",
    meaning="Degraded but contained, such as a circuit breaker trip or 5xx above baseline; investigate per standard operating procedures (§2.2).",
    response_time=days(1),
    response_note="acknowledge and investigate at the latest at the next start-of-shift check (runbook §2.2)",
    receivers=(SLACK,),
    provenance={"meaning": _ACK, "response_time": _NEXT_CHECK, "response_note": _ACK, "receivers": rb.RECEIVERS},
)

P3 = Priority(
    name="P3",
    meaning="Information, such as maintenance mode being on; acknowledge (§2.2).",
    response_time=days(1),
    response_note="acknowledge at the latest at the next start-of-shift check (runbook §2.2)",
    receivers=(SLACK,),
    provenance={"meaning": _ACK, "response_time": _NEXT_CHECK, "response_note": _ACK, "receivers": rb.RECEIVERS},
)

PRIORITIES = (P0, P1, P2, P3)

# The runbook gives no escalation path: none is defined.
