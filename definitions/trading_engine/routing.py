"""Who is told, how fast: contacts, P0-P3, team routes, business hours, escalations.

Sources in seeds/003: "Emergency Contacts", "Severity Levels", "Alert Response Times",
"P0: Complete Service Outage" step 6 (#incidents Slack, page on-call) and "P0: Security Breach".
"""

from obsgen import (
    Assumed, Email, Escalation, PagerDuty, Priority, Route, Slack, TimeInterval, hours, minutes, seconds,
)

from . import runbook as rb

SECRETS = "/etc/alertmanager/secrets"
SENDER = "alertmanager@trading-engine.com"
SMTP = "smtp.trading-engine.com:587"


def _email(name: str, to: str) -> Email:
    return Email(
        name=name,
        to=to,
        sender=SENDER,
        smarthost=SMTP,
        auth_username=SENDER,
        auth_password_file=f"{SECRETS}/smtp-trading-engine",
        provenance={"to": rb.CONTACTS.says(to), "sender": rb.SMTP, "smarthost": rb.SMTP, "auth_username": rb.SMTP},
    )


# P0 Immediate Actions 6 "Emergency notification": "Post to #incidents Slack channel",
# "Page on-call engineer" (Daily Checks: "PagerDuty incidents").
PAGE_ONCALL = PagerDuty(
    name="pagerduty-oncall",
    service="trading-engine on-call engineer",
    routing_key_file=f"{SECRETS}/pagerduty-trading-engine-oncall",
    provenance={"service": rb.PAGER},
)
SLACK_INCIDENTS = Slack(
    name="slack-incidents",
    channel="#incidents",
    api_url_file=f"{SECRETS}/slack-trading-engine-incidents",
    provenance=rb.OUTAGE.says("Post to #incidents Slack channel"),
)

# Emergency Contacts table.
EMAIL_DEVOPS = _email("email-devops-lead", "devops@trading-engine.com")  # DevOps Lead, 24/7
EMAIL_BACKEND = _email("email-backend-lead", "backend@trading-engine.com")  # Backend Lead, business hours
EMAIL_DBA = _email("email-dba", "dba@trading-engine.com")  # DBA, 24/7
EMAIL_SECURITY = _email("email-security", "security@trading-engine.com")  # Security, 24/7

RECEIVERS = (PAGE_ONCALL, SLACK_INCIDENTS, EMAIL_DEVOPS, EMAIL_BACKEND, EMAIL_DBA, EMAIL_SECURITY)
DEFAULT_RECEIVER = SLACK_INCIDENTS

# "P3: Next business day". The runbook does not define business hours or their time zone:
# Monday-Friday 09:00-17:00 UTC (judgement call). P3 notifications are muted during the three
# out-of-hours intervals below and delivered when business hours start.
BEFORE_HOURS = TimeInterval(name="weekday-before-business-hours", weekdays=("monday:friday",), start="00:00", end="09:00", provenance=rb.BUSINESS_HOURS)
AFTER_HOURS = TimeInterval(name="weekday-after-business-hours", weekdays=("monday:friday",), start="17:00", end="24:00", provenance=rb.BUSINESS_HOURS)
WEEKEND = TimeInterval(name="weekend", weekdays=("saturday", "sunday"), start="00:00", end="24:00", provenance=rb.BUSINESS_HOURS)
TIME_INTERVALS = (BEFORE_HOURS, AFTER_HOURS, WEEKEND)

REPEAT = Assumed("Not in the runbook: an unacknowledged alert is re-sent well within the next response window.")

# Severity Levels (meaning) and Alert Response Times (response_time). Repeat intervals and
# group waits are not in the runbook: chosen so an unacknowledged alert is re-sent well within
# the next response window.
P0 = Priority(
    name="P0",
    meaning="Critical: complete service outage, data loss, security breach.",
    response_time=minutes(5),
    response_note="Immediate (< 5 minutes)",
    # P0 Immediate Actions 6: #incidents and page on-call; DevOps Lead is the 24/7 contact.
    receivers=(PAGE_ONCALL, SLACK_INCIDENTS, EMAIL_DEVOPS),
    group_wait=seconds(10),  # immediate: do not hold the first notification
    repeat_interval=minutes(15),
    provenance={
        "meaning": rb.SEVERITY.says("**P0 (Critical)**: Complete service outage, data loss, security breach"),
        "response_time": rb.RESPONSE.says("**P0**: Immediate (< 5 minutes)"), "response_note": rb.RESPONSE.says("Immediate (< 5 minutes)"),
        "receivers": rb.OUTAGE.says("# Post to #incidents Slack channel"),
        "group_wait": Assumed("Immediate: a 10 s group wait instead of Alertmanager's 30 s."), "repeat_interval": REPEAT,
    },
)

P1 = Priority(
    name="P1",
    meaning="High: significant functionality impaired, affects > 50% users.",
    response_time=minutes(15),
    # A 15-minute response around the clock needs a page (the runbook pages on-call for P0;
    # paging P1 too is a judgement call).
    receivers=(PAGE_ONCALL, SLACK_INCIDENTS),
    repeat_interval=hours(1),
    provenance={
        "meaning": rb.SEVERITY.says("**P1 (High)**: Significant functionality impaired, affects > 50% users"),
        "response_time": rb.RESPONSE.says("**P1**: 15 minutes"),
        "receivers": Assumed("The runbook pages the on-call for P0; a 15-minute response around the clock needs a page for P1 too."),
        "repeat_interval": REPEAT,
    },
)

P2 = Priority(
    name="P2",
    meaning="Medium: partial functionality impaired, affects < 50% users.",
    response_time=hours(1),
    receivers=(SLACK_INCIDENTS,),
    repeat_interval=hours(4),
    provenance={
        "meaning": rb.SEVERITY.says("**P2 (Medium)**: Partial functionality impaired, affects < 50% users"),
        "response_time": rb.RESPONSE.says("**P2**: 1 hour"),
        "receivers": Assumed("The runbook's incident channel, #incidents, without a page."), "repeat_interval": REPEAT,
    },
)

P3 = Priority(
    name="P3",
    meaning="Low: minor issues, no user impact.",
    response_time=hours(24),  # a duration is required: one day; the runbook's words are in response_note
    response_note="Next business day",
    receivers=(SLACK_INCIDENTS,),
    repeat_interval=hours(24),
    mute_time_intervals=(BEFORE_HOURS, AFTER_HOURS, WEEKEND),
    provenance={
        "meaning": rb.SEVERITY.says("**P3 (Low)**: Minor issues, no user impact"),
        "response_time": Assumed("Next business day is at most a day: 24 hours as the duration; muted outside business hours."),
        "response_note": rb.RESPONSE.says("**P3**: Next business day"),
        "receivers": Assumed("The runbook's incident channel, #incidents, without a page."), "repeat_interval": REPEAT,
        "mute_time_intervals": rb.RESPONSE.says("Next business day"),
    },
)

PRIORITIES = (P0, P1, P2, P3)

# Emergency Contacts: each team's lead is told about its own alerts, in addition to the
# priority routing (also_default). Security: "P0: Security Breach" step 4 NOTIFY security team.
ROUTES = (
    Route(name="security-team", team="security", receivers=(EMAIL_SECURITY,), also_default=True,
          provenance=rb.BREACH.says("# - Security team")),
    Route(name="dba", team="database", receivers=(EMAIL_DBA,), also_default=True,
          provenance=rb.CONTACTS.says("| DBA | dba@trading-engine.com | 24/7 |")),
    Route(name="devops-lead", team="devops", receivers=(EMAIL_DEVOPS,), also_default=True,
          provenance=rb.CONTACTS.says("| DevOps Lead | devops@trading-engine.com | 24/7 |")),
    # "Backend Lead ... Business hours" (Emergency Contacts): emailed only then; outside
    # business hours the on-call receivers of the priority still get the alert.
    Route(
        name="backend-lead", team="backend", receivers=(EMAIL_BACKEND,), also_default=True,
        mute_time_intervals=(BEFORE_HOURS, AFTER_HOURS, WEEKEND),
        provenance=rb.CONTACTS.says("| Backend Lead | backend@trading-engine.com | Business hours |"),
    ),
)


# The runbook names who to involve, not after how long: every step is immediate ("0s").
AT_ONCE = Assumed("The runbook names who to involve, not after how long: every step at once.")
ESCALATIONS = (
    Escalation(
        name="P0 complete service outage",
        steps=(
            ("On-call engineer (PagerDuty page) and #incidents Slack", seconds(0)),
            ("DevOps Lead, devops@trading-engine.com (24/7)", seconds(0)),
            ("DBA, dba@trading-engine.com (24/7), when the database is unreachable", seconds(0)),
        ),
        provenance={"steps": AT_ONCE},
    ),
    Escalation(
        name="P1 database performance",
        steps=(
            ("On-call engineer (PagerDuty page) and #incidents Slack", seconds(0)),
            ("DBA, dba@trading-engine.com (24/7)", seconds(0)),
        ),
        provenance={"steps": AT_ONCE},
    ),
    Escalation(
        name="P1 high error rate and memory leak",
        steps=(
            ("On-call engineer (PagerDuty page) and #incidents Slack", seconds(0)),
            ("DevOps Lead, devops@trading-engine.com (24/7)", seconds(0)),
            ("Backend Lead, backend@trading-engine.com (business hours)", seconds(0)),
        ),
        provenance={"steps": AT_ONCE},
    ),
    Escalation(
        name="P0 security breach",
        steps=(
            ("On-call engineer (PagerDuty page) and #incidents Slack", seconds(0)),
            ("Security team, security@trading-engine.com (24/7)", seconds(0)),
            ("Management", seconds(0)),
            ("Legal (if data breach)", seconds(0)),
        ),
        provenance={"steps": AT_ONCE},
    ),
)
