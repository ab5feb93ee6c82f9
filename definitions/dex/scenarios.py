"""Operator scenarios: situations the DEX Operator Manual (seed 000) describes, and what must happen.

Receivers after the priority policy (routing.py): P0 and P1 page the DEX on-call
(dex-oncall-pagerduty); P2 and P3 go to #dex-alerts (dex-alerts-slack). Sections are "§n".
"""

from obsgen import Fires, Holds, Scenario, minutes, per_second, percent, us

from . import exchange, matching_engine
from . import signals as s
from .routing import ONCALL, P0, P1, P2, P3, SLACK

SCENARIOS = (
    # §4.2 "Matching Engine (Any Error): P0 Incident. Raise immediately". The error shows up as
    # slow matching and failing requests too; the P0 silences those symptoms (routing.py).
    Scenario(
        name="matching-engine-error",
        situation="The matching engine logs errors while p99 reads 800 µs and 0.05% of requests fail, for 10 minutes",
        holds=(
            Holds(s.ENGINE_ERRORS, 3),
            Holds(s.ENGINE_P99, us(800)),
            Holds(s.ERROR_RATIO, percent(0.05)),
        ),
        lasting=minutes(10),
        fires=(
            Fires(matching_engine.ERRORS, P0),
            Fires(matching_engine.LATENCY, P1),
            Fires(exchange.ERROR_RATE, P1),
        ),
        reaches=(ONCALL,),
        pages=True,
    ),
    # §4.2 "Raise immediately": a single error pages within the first evaluation (for: 0s).
    Scenario(
        name="single-matching-engine-error",
        situation="One matching engine error in the last 5 minutes, seen for 1 minute",
        holds=(Holds(s.ENGINE_ERRORS, 1),),
        lasting=minutes(1),
        fires=(Fires(matching_engine.ERRORS, P0),),
        reaches=(ONCALL,),
        pages=True,
    ),
    # §2.1 "Confirm zero unhandled panics or matching anomalies" (engine errors, §4.2: P0).
    Scenario(
        name="matching-engine-panic-and-anomaly",
        situation="An unhandled panic and a crossed book detected in the matching engine, for 2 minutes",
        holds=(Holds(s.ENGINE_PANICS, 1), Holds(s.ENGINE_ANOMALIES, 1)),
        lasting=minutes(2),
        fires=(Fires(matching_engine.PANICS, P0), Fires(matching_engine.ANOMALIES, P0)),
        reaches=(ONCALL,),
        pages=True,
    ),
    # §7 Emergency Maintenance: FLAG_MAINTENANCE_MODE halts the exchange on purpose; the engine is
    # stopped and requests fail, yet only the maintenance notice reaches anyone (routing.py
    # "maintenance-mode" inhibition silences every other DEX alert, P0 included).
    Scenario(
        name="maintenance-mode-silences-everything",
        situation="Maintenance mode on, matching engine down and 5% of requests failing, for 15 minutes",
        holds=(
            Holds(s.MAINTENANCE_MODE, 1),
            Holds(s.ENGINE_UP, 0),
            Holds(s.ERROR_RATIO, percent(5)),
        ),
        lasting=minutes(15),
        fires=(
            Fires(exchange.MAINTENANCE, P3),
            Fires(matching_engine.DOWN, P0),
            Fires(exchange.ERROR_RATE, P1),
        ),
        reaches=(SLACK,),
        pages=False,
    ),
    # The same outage without maintenance mode: the engine down is a P0 (§4.2) and pages; the
    # failing requests are its symptom (routing.py "matching-engine-down").
    Scenario(
        name="matching-engine-down",
        situation="A matching engine target down and 1% of requests failing, for 10 minutes",
        holds=(Holds(s.ENGINE_UP, 0), Holds(s.ERROR_RATIO, percent(1))),
        lasting=minutes(10),
        fires=(Fires(matching_engine.DOWN, P0), Fires(exchange.ERROR_RATE, P1)),
        reaches=(ONCALL,),
        pages=True,
    ),
    # §5 Circuit Breakers: a breaker that keeps re-opening after its 30-second half-open test;
    # "Identify the failing dependency", investigate (P2, Slack).
    Scenario(
        name="circuit-breaker-stays-open",
        situation="A circuit breaker towards its dependency open for 5 minutes",
        holds=(Holds(s.CIRCUIT_BREAKER_OPEN, 1),),
        lasting=minutes(5),
        fires=(Fires(exchange.CIRCUIT_BREAKER, P2),),
        reaches=(SLACK,),
        pages=False,
    ),
    # §2.1 "Check p99 latency is strictly under 500µs".
    Scenario(
        name="matching-latency-high",
        situation="Matching engine p99 at 650 µs for 10 minutes",
        holds=(Holds(s.ENGINE_P99, us(650)),),
        lasting=minutes(10),
        fires=(Fires(matching_engine.LATENCY, P1),),
        reaches=(ONCALL,),
        pages=True,
    ),
    # §2.1 limits, just inside: p99 under 500 µs, aggregate error rate under 0.01%, while the
    # gateway answers HTTP 429 under high load (§4.2: "Expected during high load").
    Scenario(
        name="busy-but-healthy",
        situation="p99 at 480 µs, 0.008% of requests failing and the gateway rate-limiting 200 requests/s, for 30 minutes",
        holds=(
            Holds(s.ENGINE_P99, us(480)),
            Holds(s.ERROR_RATIO, percent(0.008)),
            Holds(s.GATEWAY_429, per_second(200)),
        ),
        lasting=minutes(30),
        fires=(),
        reaches=(),
        pages=False,
    ),
)
