"""Who is told about BondX alerts, how fast, and who comes next.

Runbook sections: "On-Call Etiquette and Procedures" (primary on-call response times,
incident communication), "Contact Information and Escalation" (escalation matrix,
support channels), "Emergency Procedures" (critical incident escalation path).
"""

from obsgen import Assumed, Email, Escalation, PagerDuty, Priority, Runbook, Slack, TimeInterval, hours, minutes, seconds

SECRETS = "/etc/alertmanager/secrets/bondx"

# --- Receivers ("Support Channels", "Incident Communication") -------------------------

# "Immediate Issues: Slack #bondx-ops".
SUPPORT = Runbook("Contact Information and Escalation > Support Channels")
COMMS = Runbook("On-Call Etiquette and Procedures > Communication Protocols > Incident Communication")
ONCALL = Runbook("On-Call Etiquette and Procedures > Primary On-Call")
MATRIX = Runbook("Contact Information and Escalation > Escalation Matrix")

SLACK_OPS = Slack(name="slack-bondx-ops", channel="#bondx-ops", api_url_file=f"{SECRETS}/slack-bondx-ops",
                  provenance=SUPPORT.says("**Immediate Issues:** Slack #bondx-ops"))

# "Internal notification: Slack channel: #bondx-incidents".
SLACK_INCIDENTS = Slack(
    name="slack-bondx-incidents", channel="#bondx-incidents", api_url_file=f"{SECRETS}/slack-bondx-incidents",
    provenance=COMMS.says('"Slack channel: #bondx-incidents"'),
)

# "Internal notification: Email: incidents@bondx.com".
EMAIL_INCIDENTS = Email(
    name="email-bondx-incidents",
    to="incidents@bondx.com",
    sender="alertmanager@bondx.com",
    smarthost="smtp.bondx.com:587",
    auth_username="alertmanager@bondx.com",
    auth_password_file=f"{SECRETS}/smtp-password",
    provenance={
        "to": COMMS.says('"Email: incidents@bondx.com"'),
        "sender": Assumed("The runbook gives the mailbox, not how mail is sent: alertmanager@bondx.com."),
        "smarthost": Assumed("The runbook gives the mailbox, not how mail is sent: smtp.bondx.com:587."),
        "auth_username": Assumed("The runbook gives the mailbox, not how mail is sent: alertmanager@bondx.com."),
    },
)

# "Phone: Emergency contact list" / "Escalations: Phone calls to primary contacts": the
# primary on-call is "First responder to all alerts"; PagerDuty phones them.
PAGERDUTY_ONCALL = PagerDuty(
    name="pagerduty-bondx-oncall", service="bondx-primary-oncall", routing_key_file=f"{SECRETS}/pagerduty-oncall",
    provenance=Assumed("The runbook says phone: emergency contact list and first responder to all alerts, no pager service: a PagerDuty rotation bondx-primary-oncall phones the primary on-call."),
)

RECEIVERS = (SLACK_OPS, SLACK_INCIDENTS, EMAIL_INCIDENTS, PAGERDUTY_ONCALL)

# "Check Frequency: Every 5 minutes during trading hours" (Ten Things 2): the runbook watches
# trading performance and market data during trading hours without giving them.
TRADING_HOURS = TimeInterval(
    name="bondx-trading-hours", weekdays=("monday:friday",), start="12:00", end="22:00",
    provenance=Assumed(
        "The runbook says trading hours without times: the US bond market's core session, Monday-Friday 08:00-17:00 "
        "New York time, written in UTC as 12:00-22:00 so it covers the session in winter and summer time "
        "(the prometheus-operator's AlertmanagerConfig takes UTC intervals only)."
    ),
)
TIME_INTERVALS = (TRADING_HOURS,)
DEFAULT_RECEIVER = SLACK_OPS

# --- Priorities ("Primary On-Call" response_times; "Common Alerts" severities) ---------
# Repeat intervals are not in the runbook (judgement): a P1 is re-sent every 30 minutes,
# twice its longest expected resolution time (15 minutes); lower priorities less often.
# The secondary on-call ("Secondary On-Call": primary unavailable, complex incident,
# primary's escalation) is reached through the PagerDuty rotation's own escalation.

P1 = Priority(
    name="P1",
    meaning="High severity: core functionality down or at its limit; customer impact now.",
    response_time=minutes(5),  # p1_alerts: "<5 minutes"
    # High severity: page the on-call, and open the incident channels (#bondx-incidents,
    # incidents@bondx.com) that "Incident Communication" names.
    receivers=(PAGERDUTY_ONCALL, SLACK_OPS, SLACK_INCIDENTS, EMAIL_INCIDENTS),
    repeat_interval=minutes(30),
    provenance={
        "meaning": Runbook("Common Alerts and What They Mean > High Severity Alerts (P1)"),
        "response_time": ONCALL.says('p1_alerts: "<5 minutes"'),
        "receivers": Assumed("High severity: page the on-call and open the incident channels that Incident Communication names."),
        "repeat_interval": Assumed("Not in the runbook: a reminder interval chosen from the priority's response and resolution times."),
    },
)

P2 = Priority(
    name="P2",
    meaning="Medium severity: slower than expected, degradation that needs attention.",
    response_time=minutes(15),  # p2_alerts: "<15 minutes"
    # Medium severity is not high severity: it goes to the on-call through Slack, no page.
    # "Support Channels: Immediate Issues: Slack #bondx-ops"; phone calls are for
    # "Escalations" and the initial response says "Notify team lead if high severity"
    # (P1 only). The issue's own example: a P2 HighOrderLatency reaches #bondx-ops,
    # nothing pages.
    receivers=(SLACK_OPS,),
    repeat_interval=hours(1),
    provenance={
        "response_time": ONCALL.says('p2_alerts: "<15 minutes"'),
        "receivers": SUPPORT.says("**Immediate Issues:** Slack #bondx-ops"),
        "repeat_interval": Assumed("Not in the runbook: a reminder interval chosen from the priority's response and resolution times."),
    },
)

P3 = Priority(
    name="P3",
    meaning="Low severity: high but not critical; monitor, investigate and document.",
    response_time=hours(1),  # p3_alerts: "<1 hour"
    receivers=(SLACK_OPS,),
    repeat_interval=hours(4),
    provenance={
        "response_time": ONCALL.says('p3_alerts: "<1 hour"'),
        "receivers": SUPPORT.says("**Immediate Issues:** Slack #bondx-ops"),
        "repeat_interval": Assumed("Not in the runbook: a reminder interval chosen from the priority's response and resolution times."),
    },
)

P4 = Priority(
    name="P4",
    meaning="Lowest severity: informational, handled within the shift.",
    response_time=hours(4),  # p4_alerts: "<4 hours" (no runbook alert is P4 today)
    receivers=(SLACK_OPS,),
    repeat_interval=hours(12),
    provenance={
        "response_time": ONCALL.says('p4_alerts: "<4 hours"'),
        "receivers": SUPPORT.says("**Immediate Issues:** Slack #bondx-ops"),
        "repeat_interval": Assumed("Not in the runbook: a reminder interval chosen from the priority's response and resolution times."),
    },
)

PRIORITIES = (P1, P2, P3, P4)

# --- Escalations ("Escalation Matrix", "Critical Incident Response") -------------------

ESCALATIONS = (
    Escalation(
        name="Technical issues",
        steps=(
            ("Level 1: On-call operator", seconds(0)),
            ("Level 2: Team lead", minutes(15)),
            ("Level 3: Engineering manager", minutes(30)),
            ("Level 4: CTO", hours(1)),
        ),
        provenance={"steps": MATRIX.says('"Level 2: Team lead (15 min)"')},
    ),
    Escalation(
        name="Security incidents",
        steps=(
            ("Level 1: Security team", seconds(0)),
            ("Level 2: CISO", minutes(15)),
            ("Level 3: Legal team", minutes(30)),
            ("Level 4: Executive team", hours(1)),
        ),
        provenance={"steps": MATRIX.says('"Level 2: CISO (15 min)"')},
    ),
    Escalation(
        name="Compliance issues",
        steps=(
            ("Level 1: Compliance team", seconds(0)),
            ("Level 2: Head of Compliance", minutes(15)),
            ("Level 3: Legal team", minutes(30)),
            ("Level 4: Executive team", hours(1)),
        ),
        provenance={"steps": MATRIX.says('"Level 2: Head of Compliance (15 min)"')},
    ),
    # "Critical Incident Response" escalation_path names the same four levels as the
    # technical matrix without times; the technical matrix's times apply.
)
