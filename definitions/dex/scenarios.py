"""Operator scenarios: situations the DEX Operator Manual (seed 000) describes, and what must happen.

Receivers after the priority policy (routing.py): P0 and P1 page the DEX on-call
(dex-oncall-pagerduty); P2 and P3 go to #dex-alerts (dex-alerts-slack). Sections are "§n".
"""

from obsgen import Fires, Holds, Scenario, minutes, per_second, percent, us

from . import api_gateway, exchange, matching_engine
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
    # §4.2 "Raise immediately": a single error pages within the first evaluation (for: 0s),
    # within P0's 5 minutes.
    Scenario(
        name="single-matching-engine-error",
        situation="One matching engine error in the last 5 minutes, seen for 1 minute",
        holds=(Holds(s.ENGINE_ERRORS, 1),),
        lasting=minutes(1),
        fires=(Fires(matching_engine.ERRORS, P0),),
        reaches=(ONCALL,),
        pages=True,
        within=minutes(5),
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
    # §7 Emergency Maintenance: FLAG_MAINTENANCE_MODE halts the exchange on purpose; requests fail
    # and matching slows, yet only the maintenance notice reaches anyone (inhibitions.py
    # "maintenance-mode" silences every other DEX alert but P0s).
    Scenario(
        name="maintenance-mode-silences-symptoms",
        situation="Maintenance mode on, 5% of requests failing and p99 at 2 ms, for 15 minutes",
        holds=(
            Holds(s.MAINTENANCE_MODE, 1),
            Holds(s.ERROR_RATIO, percent(5)),
            Holds(s.ENGINE_P99, us(2000)),
        ),
        lasting=minutes(15),
        fires=(
            Fires(exchange.MAINTENANCE, P3),
            Fires(exchange.ERROR_RATE, P1),
            Fires(matching_engine.LATENCY, P1),
        ),
        reaches=(SLACK,),
        pages=False,
    ),
    # §4.2 "Matching Engine (Any Error): P0 Incident. Raise immediately": maintenance mode does not
    # hide a P0. An engine error still pages the on-call (the routing tests show the same for
    # MatchingEngineDown, Panic and Anomaly).
    Scenario(
        name="maintenance-mode-spares-p0",
        situation="Maintenance mode on and the matching engine logs errors, for 15 minutes",
        holds=(
            Holds(s.MAINTENANCE_MODE, 1),
            Holds(s.ENGINE_ERRORS, 3),
        ),
        lasting=minutes(15),
        fires=(
            Fires(exchange.MAINTENANCE, P3),
            Fires(matching_engine.ERRORS, P0),
        ),
        reaches=(SLACK, ONCALL),
        pages=True,
        within=minutes(5),
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
    # §5 Circuit Breakers: "If a circuit breaker trip is detected in Prometheus": a single trip
    # (open for 30 seconds, then half-open) shows for a minute and notifies; investigate (P2, Slack).
    Scenario(
        name="single-circuit-breaker-trip",
        situation="A circuit breaker trips once: open in the last minute, seen for 1 minute",
        holds=(Holds(s.CIRCUIT_BREAKER_OPEN, 1),),
        lasting=minutes(1),
        fires=(Fires(exchange.CIRCUIT_BREAKER, P2),),
        reaches=(SLACK,),
        pages=False,
        within=minutes(5),
    ),
    Scenario(
        name="circuit-breaker-stays-open",
        situation="A circuit breaker towards its dependency open for 5 minutes",
        holds=(Holds(s.CIRCUIT_BREAKER_OPEN, 1),),
        lasting=minutes(5),
        fires=(Fires(exchange.CIRCUIT_BREAKER, P2),),
        reaches=(SLACK,),
        pages=False,
    ),
    # §2.1 "Check p99 latency is strictly under 500μs": exactly 500 µs is not under it.
    Scenario(
        name="matching-latency-at-500us",
        situation="Matching engine p99 at exactly 500 µs for 10 minutes",
        holds=(Holds(s.ENGINE_P99, us(500)),),
        lasting=minutes(10),
        fires=(Fires(matching_engine.LATENCY, P1),),
        reaches=(ONCALL,),
        pages=True,
        within=minutes(15),
    ),
    # §2.1 "Ensure the aggregate error rate is <0.01%": exactly 0.01% is not under it.
    Scenario(
        name="error-rate-at-limit",
        situation="Exactly 0.01% of requests failing for 10 minutes",
        holds=(Holds(s.ERROR_RATIO, percent(0.01)),),
        lasting=minutes(10),
        fires=(Fires(exchange.ERROR_RATE, P1),),
        reaches=(ONCALL,),
        pages=True,
    ),
    # §2.1 "Verify HTTP 5xx responses from the API Gateway are at baseline levels": three times
    # the same time last week.
    Scenario(
        name="gateway-5xx-above-baseline",
        situation="API gateway 5xx at three times the rate of the same time last week, for 15 minutes",
        holds=(Holds(s.GATEWAY_5XX_TO_BASELINE, percent(300)),),
        lasting=minutes(15),
        fires=(Fires(api_gateway.ERRORS_ABOVE_BASELINE, P2),),
        reaches=(SLACK,),
        pages=False,
    ),
    # At baseline: nothing.
    Scenario(
        name="gateway-5xx-at-baseline",
        situation="API gateway 5xx at the rate of the same time last week, the aggregate error rate well under 0.01%, for 30 minutes",
        holds=(Holds(s.GATEWAY_5XX_TO_BASELINE, percent(100)), Holds(s.ERROR_RATIO, percent(0.005))),
        lasting=minutes(30),
        fires=(),
        reaches=(),
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
