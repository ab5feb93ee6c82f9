"""Operator scenarios: situations the BondX handbook (seed 002) describes, and what must happen.

Receivers after the priority policy (routing.py): P1 pages the primary on-call and tells
#bondx-ops, #bondx-incidents and incidents@bondx.com; P2 and P3 reach #bondx-ops only.
Sections are cited as in signals.py: "Alerts" is "Common Alerts and What They Mean",
"Playbooks" is "First-Response Playbooks" > "Common Incident Scenarios".
"""

from obsgen import Fires, Holds, Scenario, minutes, ms, percent, seconds

from . import data_providers, datastores, infrastructure, risk_engine, trading_engine, websocket
from . import signals as s
from .routing import EMAIL_INCIDENTS, P1, P2, P3, PAGERDUTY_ONCALL, SLACK_INCIDENTS, SLACK_OPS

P1_RECEIVERS = (EMAIL_INCIDENTS, PAGERDUTY_ONCALL, SLACK_INCIDENTS, SLACK_OPS)

SCENARIOS = (
    # Alerts P2 "High Order Latency": "Order processing latency >100ms p95" (the issue's example).
    Scenario(
        name="slow-orders",
        situation="Order p95 at 120 ms for 10 minutes",
        holds=(Holds(s.ORDER_LATENCY_P95, ms(120)),),
        lasting=minutes(10),
        fires=(Fires(trading_engine.HIGH_ORDER_LATENCY, P2),),
        reaches=(SLACK_OPS,),
        pages=False,
    ),
    # Alerts P2 "High Order Latency" (>100ms) against Ten Things 2 "Order Processing: <50ms p95":
    # 100 ms is past the dashboard target but not past the alert, which compares strictly.
    Scenario(
        name="orders-at-the-alert-line",
        situation="Order p95 at exactly 100 ms for 30 minutes",
        holds=(Holds(s.ORDER_LATENCY_P95, ms(100)),),
        lasting=minutes(30),
        fires=(),
        reaches=(),
        pages=False,
    ),
    # Alerts P1 "Trading Engine Unavailable" ("Escalate to platform team immediately"); the
    # orders still in flight are slow, a symptom the outage silences (inhibitions.py).
    Scenario(
        name="trading-engine-unavailable",
        situation="No trading engine instance up while order p95 reads 250 ms, for 10 minutes",
        holds=(Holds(s.TRADING_ENGINE_UP, 0), Holds(s.ORDER_LATENCY_P95, ms(250))),
        lasting=minutes(10),
        fires=(Fires(trading_engine.TRADING_ENGINE_UNAVAILABLE, P1), Fires(trading_engine.HIGH_ORDER_LATENCY, P2)),
        reaches=P1_RECEIVERS,
        pages=True,
    ),
    # Playbooks "WebSocket Service Overload" and Alerts P1 "WebSocket service at 95% capacity".
    Scenario(
        name="websocket-overload",
        situation="WebSocket managers at 97% of their connection capacity for 5 minutes",
        holds=(Holds(s.WEBSOCKET_CAPACITY_USED, percent(97)),),
        lasting=minutes(5),
        fires=(Fires(websocket.WEBSOCKET_OVERLOADED, P1),),
        reaches=P1_RECEIVERS,
        pages=True,
    ),
    # Ten Things 3 "Active Connections: <80% of capacity" is the dashboard line; the P1 alert
    # is at 95%. Between the two the operator scales out from the dashboard, nobody is told.
    Scenario(
        name="websocket-busy-below-overload",
        situation="WebSocket managers at 90% of their connection capacity for 30 minutes",
        holds=(Holds(s.WEBSOCKET_CAPACITY_USED, percent(90)),),
        lasting=minutes(30),
        fires=(),
        reaches=(),
        pages=False,
    ),
    # Playbooks "Database Performance Issues" (symptom "Connection pool exhaustion") and Alerts P1
    # "Database Connection Pool Exhausted"; queued requests slow orders down (Alerts P2 "High
    # Order Latency": "Verify database performance").
    Scenario(
        name="database-pool-exhausted",
        situation="No free database connection and order p95 at 180 ms, for 10 minutes",
        holds=(Holds(s.DB_POOL_FREE, 0), Holds(s.ORDER_LATENCY_P95, ms(180))),
        lasting=minutes(10),
        fires=(Fires(datastores.DB_POOL_EXHAUSTED, P1), Fires(trading_engine.HIGH_ORDER_LATENCY, P2)),
        reaches=P1_RECEIVERS,
        pages=True,
    ),
    # Playbooks "Risk Engine Delays" and Alerts P2 "Risk Calculation Delays" ("Risk calculation
    # taking >2 seconds"), together with Alerts P2 "Data Provider Issues" ("Market data stale
    # >2 minutes"): the playbook's "Verify data freshness" step.
    Scenario(
        name="risk-engine-delays-stale-data",
        situation="VaR p95 at 3 seconds and market data 4 minutes stale, for 10 minutes",
        holds=(Holds(s.VAR_CALCULATION_P95, seconds(3)), Holds(s.MARKET_DATA_STALENESS, minutes(4))),
        lasting=minutes(10),
        fires=(Fires(risk_engine.RISK_CALCULATION_DELAYS, P2), Fires(data_providers.DATA_PROVIDER_ISSUES, P2)),
        reaches=(SLACK_OPS,),
        pages=False,
    ),
    # Ten Things 2 watches market data "every 5 minutes during trading hours": stale data
    # overnight still fires DataProviderIssues (the history shows it), but nobody is told.
    Scenario(
        name="market-data-stale-overnight",
        situation="Market data 4 minutes stale at 23:00 New York time, for 10 minutes",
        holds=(Holds(s.MARKET_DATA_STALENESS, minutes(4)),),
        lasting=minutes(10),
        fires=(Fires(data_providers.DATA_PROVIDER_ISSUES, P2),),
        reaches=(),
        pages=False,
        at="2026-01-08T04:00:00+00:00",
    ),
    # Alerts P3 "High Memory Usage" (>85%) and "Disk Space Warning" (>80%): low severity,
    # "Document for review", "Plan for expansion".
    Scenario(
        name="node-memory-and-disk-high",
        situation="A node at 90% memory and a volume 85% full, for 15 minutes",
        holds=(Holds(s.NODE_MEMORY, percent(90)), Holds(s.NODE_DISK, percent(85))),
        lasting=minutes(15),
        fires=(Fires(infrastructure.HIGH_MEMORY_USAGE, P3), Fires(infrastructure.DISK_SPACE_WARNING, P3)),
        reaches=(SLACK_OPS,),
        pages=False,
    ),
)
