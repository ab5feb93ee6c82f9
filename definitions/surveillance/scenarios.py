"""Operator scenarios: situations the surveillance Operations Runbook (seed 004) describes.

Receivers after the priority policy (routing.py, "Emergency Contact Escalation"): P1
(critical) pages the on-call rotation and tells #market-ops-critical; P2 (warning) goes to
#market-ops. Infrastructure (Redis, TimescaleDB) also reaches #infrastructure-ops.
Warning levels are P2, critical levels P1 ("Key Metrics to Watch").
"""

from obsgen import Fires, Holds, MB, Scenario, minutes, ms, per_second

from . import health, infrastructure, ingestion, market, processing, signals
from .routing import P1, P2, PAGERDUTY, SLACK_CRITICAL, SLACK_INFRASTRUCTURE, SLACK_OPS

SCENARIOS = (
    # Key Metrics to Watch: "Message rate (per exchange) | < 10 msg/s | < 1 msg/s". One exchange
    # thins out below the warning line.
    Scenario(
        name="exchange-feed-thin",
        situation="One exchange's order book messages at 5 msg/s for 10 minutes",
        holds=(Holds(signals.MESSAGE_RATE, per_second(5)),),
        lasting=minutes(10),
        fires=(Fires(ingestion.EXCHANGE_MESSAGE_RATE_LOW, P2),),
        reaches=(SLACK_OPS,),
        pages=False,
    ),
    # Common Issues "Data Gaps Detected Frequently" (cause: WebSocket disconnections): the feed is
    # nearly stalled (< 1 msg/s) and gaps exceed 20/hour; both alerts are past both levels.
    Scenario(
        name="exchange-feed-disconnecting",
        situation="One exchange at 0.5 msg/s with 25 data gaps an hour, for 10 minutes",
        holds=(Holds(signals.MESSAGE_RATE, per_second(0.5)), Holds(signals.GAP_RATE, signals.gaps_per_hour(25))),
        lasting=minutes(10),
        fires=(
            Fires(ingestion.EXCHANGE_MESSAGE_RATE_LOW, P2),
            Fires(ingestion.EXCHANGE_MESSAGE_RATE_LOW, P1),
            Fires(ingestion.DATA_GAPS_FREQUENT, P2),
            Fires(ingestion.DATA_GAPS_FREQUENT, P1),
        ),
        reaches=(PAGERDUTY, SLACK_CRITICAL),
        pages=True,
    ),
    # Common Issues "High Message Lag" ("Health status shows high lag_ms (> 100ms)") and Key
    # Metrics "Processing lag | > 100ms | > 500ms": the warning tier.
    Scenario(
        name="processing-lag-warning",
        situation="Processing lag at 200 ms for 5 minutes",
        holds=(Holds(signals.PROCESSING_LAG, ms(200)),),
        lasting=minutes(5),
        fires=(Fires(processing.PROCESSING_LAG_HIGH, P2),),
        reaches=(SLACK_OPS,),
        pages=False,
    ),
    # The same, past the critical tier: the critical silences its own warning, P1 pages.
    Scenario(
        name="processing-lag-critical",
        situation="Processing lag at 700 ms for 5 minutes",
        holds=(Holds(signals.PROCESSING_LAG, ms(700)),),
        lasting=minutes(5),
        fires=(Fires(processing.PROCESSING_LAG_HIGH, P2), Fires(processing.PROCESSING_LAG_HIGH, P1)),
        reaches=(PAGERDUTY, SLACK_CRITICAL),
        pages=True,
    ),
    # Key Metrics "Redis memory | > 400MB | > 480MB", warning tier; Redis is an infrastructure
    # issue, so #infrastructure-ops is told too (Emergency Contact Escalation 3).
    Scenario(
        name="redis-memory-warning",
        situation="Redis using 420 MB for 10 minutes",
        holds=(Holds(signals.REDIS_MEMORY, MB(420)),),
        lasting=minutes(10),
        fires=(Fires(infrastructure.REDIS_MEMORY_HIGH, P2),),
        reaches=(SLACK_OPS, SLACK_INFRASTRUCTURE),
        pages=False,
    ),
    # Key Metrics "Redis memory", critical tier: pages, and #infrastructure-ops is told.
    Scenario(
        name="redis-memory-critical",
        situation="Redis using 490 MB for 10 minutes",
        holds=(Holds(signals.REDIS_MEMORY, MB(490)),),
        lasting=minutes(10),
        fires=(Fires(infrastructure.REDIS_MEMORY_HIGH, P2), Fires(infrastructure.REDIS_MEMORY_HIGH, P1)),
        reaches=(PAGERDUTY, SLACK_CRITICAL, SLACK_INFRASTRUCTURE),
        pages=True,
    ),
    # Key Metrics "Active P1 alerts | > 0 | > 5" and Common Issues "Alerts Stuck in Active State":
    # seven market P1 alerts active at once.
    Scenario(
        name="market-alert-storm",
        situation="Seven P1 market surveillance alerts active for 5 minutes",
        holds=(Holds(signals.ACTIVE_P1_ALERTS, 7),),
        lasting=minutes(5),
        fires=(Fires(processing.ACTIVE_P1_SURVEILLANCE_ALERTS, P1), Fires(processing.ACTIVE_P1_SURVEILLANCE_ALERTS, P1)),
        reaches=(PAGERDUTY, SLACK_CRITICAL),
        pages=True,
        within=minutes(5),
    ),
    # Emergency Contact Escalation: "P1 Alerts (Critical): Slack channel: #market-ops-critical,
    # PagerDuty: On-call rotation, Response time: < 5 minutes". A single market P1 alert
    # active (Key Metrics "Active P1 alerts > 0") reaches both within 5 minutes.
    Scenario(
        name="one-market-p1-alert",
        situation="One P1 market surveillance alert active for 3 minutes",
        holds=(Holds(signals.ACTIVE_P1_ALERTS, 1),),
        lasting=minutes(3),
        fires=(Fires(processing.ACTIVE_P1_SURVEILLANCE_ALERTS, P1),),
        reaches=(PAGERDUTY, SLACK_CRITICAL),
        pages=True,
        within=minutes(5),
    ),
    # Key Metrics "Message rate (per exchange) | < 10 msg/s | < 1 msg/s": a feed that stops dead
    # is a critical, P1: it reaches the on-call within P1's 5 minutes.
    Scenario(
        name="exchange-feed-stops-dead",
        situation="One exchange's order book messages stop entirely (0 msg/s), for 3 minutes",
        holds=(Holds(signals.MESSAGE_RATE, per_second(0)),),
        lasting=minutes(3),
        fires=(Fires(ingestion.EXCHANGE_MESSAGE_RATE_LOW, P2), Fires(ingestion.EXCHANGE_MESSAGE_RATE_LOW, P1)),
        reaches=(PAGERDUTY, SLACK_CRITICAL),
        pages=True,
        within=minutes(5),
    ),
    # Adding New Instruments, Step 2: ETH-USDT-PERP spread_warning (5.0 bps, z-score 2.0): P2.
    Scenario(
        name="eth-spread-warning",
        situation="ETH-USDT-PERP spread at 7 bps with a z-score above 2 but not 3, for 5 minutes",
        holds=(Holds(signals.ETH_SPREAD_ZSCORE, 2.5), Holds(signals.ETH_SPREAD_Z2, signals.bps(7))),
        lasting=minutes(5),
        fires=(Fires(market.ETH_SPREAD_WARNING, P2),),
        reaches=(SLACK_OPS,),
        pages=False,
        within=minutes(30),
    ),
    # spread_critical (10.0 bps, z-score 3.0): P1; it silences the warning of the same spread.
    Scenario(
        name="eth-spread-critical",
        situation="ETH-USDT-PERP spread at 12 bps with a z-score above 3, for 5 minutes",
        holds=(Holds(signals.ETH_SPREAD_ZSCORE, 3.5), Holds(signals.ETH_SPREAD_Z2, signals.bps(12)), Holds(signals.ETH_SPREAD_Z3, signals.bps(12))),
        lasting=minutes(5),
        fires=(Fires(market.ETH_SPREAD_WARNING, P2), Fires(market.ETH_SPREAD_CRITICAL, P1)),
        reaches=(PAGERDUTY, SLACK_CRITICAL),
        pages=True,
        within=minutes(5),
    ),
    # A spread of 12 bps is no anomaly when its z-score is not above 2 (the spread signals are
    # empty then): nothing fires.
    Scenario(
        name="eth-spread-wide-but-usual",
        situation="ETH-USDT-PERP spread at 12 bps with a z-score below 2, for 30 minutes",
        holds=(Holds(signals.ETH_SPREAD, signals.bps(12)),),
        lasting=minutes(30),
        fires=(),
        reaches=(),
        pages=False,
    ),
    # depth_warning ($300K) and depth_critical ($100K).
    Scenario(
        name="eth-depth-thin",
        situation="ETH-USDT-PERP order book depth at $250K for 5 minutes",
        holds=(Holds(signals.ETH_DEPTH, signals.usd(250000)),),
        lasting=minutes(5),
        fires=(Fires(market.ETH_DEPTH_LOW, P2),),
        reaches=(SLACK_OPS,),
        pages=False,
        within=minutes(30),
    ),
    Scenario(
        name="eth-depth-critical",
        situation="ETH-USDT-PERP order book depth at $80K for 5 minutes",
        holds=(Holds(signals.ETH_DEPTH, signals.usd(80000)),),
        lasting=minutes(5),
        fires=(Fires(market.ETH_DEPTH_LOW, P2), Fires(market.ETH_DEPTH_LOW, P1)),
        reaches=(PAGERDUTY, SLACK_CRITICAL),
        pages=True,
        within=minutes(5),
    ),
    # Health Checks: data-ingestion down (surveillance-ingestion not "Up (healthy)"); no messages
    # arrive, a symptom the ingestion outage silences (inhibitions.py).
    Scenario(
        name="data-ingestion-down",
        situation="data-ingestion down and no messages from the exchange, for 5 minutes",
        holds=(Holds(health.INGESTION_UP, 0), Holds(signals.MESSAGE_RATE, per_second(0))),
        lasting=minutes(5),
        fires=(
            Fires(health.DATA_INGESTION_DOWN, P1),
            Fires(ingestion.EXCHANGE_MESSAGE_RATE_LOW, P2),
            Fires(ingestion.EXCHANGE_MESSAGE_RATE_LOW, P1),
        ),
        reaches=(PAGERDUTY, SLACK_CRITICAL),
        pages=True,
    ),
    # Key Metrics to Watch at every warning line, none past: 10 msg/s, 100 ms lag, 5 gaps/hour,
    # 0 active P1 alerts, 400 MB of Redis memory. Warnings fire only beyond them.
    Scenario(
        name="key-metrics-at-warning-lines",
        situation="10 msg/s, 100 ms lag, 5 gaps an hour, no active P1 alert and Redis at 400 MB, for 30 minutes",
        holds=(
            Holds(signals.MESSAGE_RATE, per_second(10)),
            Holds(signals.PROCESSING_LAG, ms(100)),
            Holds(signals.GAP_RATE, signals.gaps_per_hour(5)),
            Holds(signals.ACTIVE_P1_ALERTS, 0),
            Holds(signals.REDIS_MEMORY, MB(400)),
        ),
        lasting=minutes(30),
        fires=(),
        reaches=(),
        pages=False,
    ),
)
