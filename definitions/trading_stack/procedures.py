"""The runbook's procedures, in its own words, shared by the alerts that need them.

Each tuple is a list of operator actions; alerts append the ones that apply.
Source: seeds/001 "Incidents", "Recovery", "SLA Breach Response", "Circuit Breaker
Operations (UI)" and "System Health Monitor Operations".
"""

# "Circuit Breaker Operations (UI)" -> "Trip Circuit Breaker via UI" and "Incidents: Trip breaker".
TRIP_BREAKER = (
    "If trading safety is in doubt, trip the circuit breaker: `make circuit-trip`, or Web Console -> "
    "Circuit Breaker -> Trip Circuit Breaker (reason of at least 20 characters, tick the acknowledgment "
    "box, confirm). All new trading orders are blocked immediately."
)

# "Incidents: Flatten".
FLATTEN = "If positions must be closed, flatten with `make kill-switch`."

# "Incidents: Data stale".
DATA_STALE = "Data stale: run the replay test; switch to DRY_RUN if needed."

# "Recovery".
RECOVERY = (
    "Recovery: restart the services, ensure the reconciler completes, and verify the breaker state is OPEN."
)

# "System Health Monitor Operations" -> "Troubleshooting Service Issues".
TROUBLESHOOT_SERVICE = (
    "Check the service status and its error messages on Web Console -> System Health "
    "(Red = Unhealthy: immediate investigation; Gray = cached data, check connectivity).",
    "Check the service logs: `docker logs <service_name>`.",
    "Verify Redis and Postgres connectivity on the System Health dashboard.",
)

# "SLA Monitoring" -> "SLA Breach Response", steps 1-5.
SLA_BREACH_RESPONSE = (
    "Acknowledge the alert in PagerDuty or Slack.",
    "Check Grafana for context: the alert's dashboard link, and the SLO dashboard (the runbook's Track7 SLO dashboard).",
    "Review the logs for the root cause.",
    "Apply a fix or escalate to engineering.",
    "Document it in an incident report.",
)

# "Alert Operations" -> "Alert Troubleshooting", steps 1, 3 and 4.
CHECK_POISON_QUEUE = (
    "Check the poison queue: SELECT id, channel, recipient, error_message, retry_count FROM alert_deliveries "
    "WHERE status = 'poison' ORDER BY failed_at DESC;"
)
RETRY_DELIVERY = (
    "Retry a failed delivery once its cause is fixed: UPDATE alert_deliveries SET status = 'pending', "
    "retry_count = 0 WHERE id = :delivery_id AND status = 'poison';"
)
COMMON_DELIVERY_FAILURES = (
    "Common failure causes: invalid recipient (email/phone format), Slack webhook URL unreachable, "
    "rate limit exceeded at the provider, network timeout."
)
