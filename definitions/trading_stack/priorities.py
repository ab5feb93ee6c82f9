"""Priority names shared by the alert modules and routing.

The runbook has no P-numbers: it says "(page)" / "Critical alerts -> PagerDuty" and
"(Slack)" / "Warning alerts -> #alerts-ops". These two names carry exactly that.
"""

PAGE = "P1"  # critical: PagerDuty platform-team (seeds/001 "Alert Escalation" 2)
SLACK = "P2"  # warning: #alerts-ops Slack (seeds/001 "Alert Escalation" 1)
