"""Emergency Procedures > Emergency Contact Escalation: who is told, how fast.

Warning levels route as P2, critical levels as P1. Secrets stay in files the deployment
provides under /etc/alertmanager/secrets/.
"""

from obsgen import Escalation, Inhibition, PagerDuty, Priority, Route, Slack, minutes, seconds

SECRETS = "/etc/alertmanager/secrets"

RECEIVERS = (
    # "P1 Alerts (Critical): Slack channel: #market-ops-critical; PagerDuty: On-call rotation"
    Slack(name="slack-market-ops-critical", channel="#market-ops-critical", api_url_file=f"{SECRETS}/slack-market-ops-critical"),
    PagerDuty(name="pagerduty-market-ops", service="market-ops on-call rotation", routing_key_file=f"{SECRETS}/pagerduty-market-ops"),
    # "P2 Alerts (Warning): Slack channel: #market-ops"
    Slack(name="slack-market-ops", channel="#market-ops", api_url_file=f"{SECRETS}/slack-market-ops"),
    # "Infrastructure Issues: ... Contact: #infrastructure-ops"
    Slack(name="slack-infrastructure-ops", channel="#infrastructure-ops", api_url_file=f"{SECRETS}/slack-infrastructure-ops"),
)

DEFAULT_RECEIVER = "slack-market-ops"

PRIORITIES = (
    Priority(
        name="P1",
        meaning="Critical: a critical threshold of the Key Metrics table is crossed, or a service is down.",
        response_time=minutes(5),  # "Response time: < 5 minutes"
        receivers=("pagerduty-market-ops", "slack-market-ops-critical"),
        repeat_interval=minutes(30),  # not in the runbook: re-notify well within a shift while unacknowledged
    ),
    Priority(
        name="P2",
        meaning="Warning: a warning threshold of the Key Metrics table is crossed.",
        response_time=minutes(30),  # "Response time: < 30 minutes"
        receivers=("slack-market-ops",),
    ),
)

# Infrastructure issues also reach #infrastructure-ops; also_default keeps the P1/P2 routing.
ROUTES = (
    Route(name="infrastructure-ops", team="infrastructure", receivers=("slack-infrastructure-ops",), also_default=True),
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

# A down service explains its symptoms; page once for the cause.
INHIBITIONS = (
    Inhibition(
        name="ingestion-down-silences-feed-symptoms",
        source="DataIngestionDown",
        targets=("ExchangeMessageRateLow", "DataGapsFrequent", "ProcessingLagHigh", "ZScoreWarmupStuck"),
        reason="With data-ingestion down no messages arrive: low rates, gaps, lag and stalled warmup follow from it.",
    ),
    Inhibition(
        name="metrics-engine-down-silences-lag",
        source="MetricsEngineDown",
        targets=("ProcessingLagHigh", "ZScoreWarmupStuck"),
        reason="With the metrics-engine down nothing is processed: lag and stalled z-score buffers follow from it.",
    ),
    Inhibition(
        name="redis-down-silences-pipeline",
        source="RedisDown",
        targets=("ProcessingLagHigh", "ZScoreWarmupStuck", "RedisMemoryHigh", "DashboardDown"),
        reason="Redis carries the order books and z-score buffers: the pipeline stalls behind it.",
    ),
)
