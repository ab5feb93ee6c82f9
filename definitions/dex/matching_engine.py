"""The matching engine (runbook §2.1 "Matching Engine Dashboard", §4.2).

§4.2: "Matching Engine (Any Error): P0 Incident. Raise immediately; ME errors indicate
severe consistency issues." So every error-like signal of the engine (errors, unhandled
panics, matching anomalies, the engine being down) is P0 and fires at once.
"""

from obsgen import ABOVE, AT_OR_ABOVE, Alert, Assumed, BELOW, Level, Service, minutes, seconds, us

from . import runbook as rb
from . import signals as s
from .teams import TEAM
from .routing import P0, P1

_RAISE = "Raise a P0 incident immediately (runbook §4.2): matching engine errors indicate severe consistency issues."
_LOGS = "Read the errors: logcli query '{app=\"matching-engine\", namespace=\"dex-production\"} |~ \"ERROR\"' --since=1h"
_HALT = (
    "If the order book may be inconsistent, halt the exchange: ./infra/scripts/toggle-maintenance.sh --enable, "
    "then if required dex-admin orders cancel-all --reason \"Emergency Maintenance\", and notify users via the status page."
)

_ANY_ERROR = rb.ERRORS.says("Matching Engine (Any Error)**: **P0 Incident**. Raise immediately")
# Any error is P0 and is raised at once (for 0s); counted by increase(), it stays firing 30
# minutes after the last error unless silenced, so it does not resolve before anyone acts.
_P0_EVENT = {
    "threshold": _ANY_ERROR, "direction": _ANY_ERROR, "priority": _ANY_ERROR,
    "for_": rb.ERRORS.says("Raise immediately"), "keep_firing_for": rb.KEEP_P0,
}
_CLEARS = "It clears 30 minutes after the last one unless silenced: silence it in the Alertmanager once the incident is raised."

# §4.2: any error is P0; `for: 0s` because the runbook says raise immediately.
ERRORS = Alert(
    name="MatchingEngineErrors",
    signal=s.ENGINE_ERRORS,
    direction=ABOVE,
    critical=Level(0, P0),
    for_=seconds(0),
    keep_firing_for=minutes(30),
    summary="The matching engine logged an error.",
    meaning=(
        "Any matching engine error is a P0 incident: it indicates a severe consistency issue "
        "in order matching. The engine must log no errors at all."
    ),
    actions=(_RAISE, _LOGS, _HALT, _CLEARS),
    provenance=_P0_EVENT,
)

# §2.1: "Confirm zero unhandled panics"; a panic is an engine error, so P0 (§4.2).
PANICS = Alert(
    name="MatchingEnginePanic",
    signal=s.ENGINE_PANICS,
    direction=ABOVE,
    critical=Level(0, P0),
    for_=seconds(0),
    keep_firing_for=minutes(30),
    summary="The matching engine had an unhandled panic.",
    meaning=(
        "An unhandled panic crashed a matching engine process. Orders in flight may be lost or "
        "matched inconsistently; the runbook expects zero."
    ),
    actions=(
        _RAISE,
        _LOGS,
        "Check that Kubernetes restarted the pod; restart by hand only if it did not: "
        "kubectl rollout restart deployment/matching-engine -n dex-production",
        _HALT,
        _CLEARS,
    ),
    provenance={**_P0_EVENT, "threshold": rb.DASHBOARDS.says("Confirm zero unhandled panics or matching anomalies.")},
)

# §2.1: "Confirm zero ... matching anomalies"; an anomaly is a consistency issue, P0 (§4.2).
ANOMALIES = Alert(
    name="MatchingEngineAnomaly",
    signal=s.ENGINE_ANOMALIES,
    direction=ABOVE,
    critical=Level(0, P0),
    for_=seconds(0),
    keep_firing_for=minutes(30),
    summary="The matching engine detected a matching anomaly.",
    meaning=(
        "The engine found a result that breaks matching rules (for example a crossed book). "
        "The runbook expects zero anomalies: the book may be inconsistent."
    ),
    actions=(_RAISE, _LOGS, _HALT, _CLEARS),
    provenance={**_P0_EVENT, "threshold": rb.DASHBOARDS.says("Confirm zero unhandled panics or matching anomalies.")},
)

# Down: a matching engine target down means its markets are not matched, the engine's
# worst error (§4.2: P0).
# The runbook gives no delay; 1m lets Kubernetes' own restart (§6) finish before paging.
DOWN = Alert(
    name="MatchingEngineDown",
    signal=s.ENGINE_UP,
    direction=BELOW,
    critical=Level(1, P0),
    for_=minutes(1),
    summary="A matching engine is down: its orders are not being matched.",
    meaning=(
        "A matching engine target in dex-production is down (up == 0). Its orders are not matched; "
        "latency and error-rate alerts that follow from it are silenced while this fires."
    ),
    actions=(
        _RAISE,
        "Check the pods: kubectl get pods -n dex-production -l app=matching-engine, and their last logs.",
        "If Kubernetes' auto-remediation does not bring it back, restart it: "
        "kubectl rollout restart deployment/matching-engine -n dex-production",
        _HALT,
    ),
    provenance={
        "threshold": Assumed("Any target of the engine down: its markets are not matched."),
        "direction": Assumed("up is 1 while a target answers its scrape."),
        "priority": _ANY_ERROR,
        "for_": rb.ONE_MINUTE_DOWN,
    },
)

# §2.1: "Check p99 latency is strictly under 500µs": 500 µs itself is not strictly under,
# so the alert fires at or above 500 µs. The runbook gives no priority for latency (it is
# no error): P1, paged. `for` keeps the model's default 5m.
LATENCY = Alert(
    name="MatchingEngineLatencyHigh",
    signal=s.ENGINE_P99,
    direction=AT_OR_ABOVE,
    critical=Level(us(500), P1),
    summary="Matching engine p99 latency is {direction} {threshold}.",
    meaning=(
        "The slowest 1% of matches take 500 µs or longer; the runbook requires p99 strictly "
        "under 500 µs. Order throughput may fall behind market volume."
    ),
    actions=(
        "Compare order throughput with market volume on the Matching Engine dashboard.",
        "Check for panics, anomalies or errors in the engine's logs: "
        "logcli query '{app=\"matching-engine\", namespace=\"dex-production\"} |~ \"ERROR\"' --since=1h",
        "Check the engine pods' CPU and memory, and whether Kubernetes restarted them.",
    ),
    provenance={
        "threshold": rb.DASHBOARDS.says("Check p99 latency is strictly under 500"),
        "direction": rb.DASHBOARDS.says("strictly under"),
        "priority": rb.NO_PRIORITY_USERS,
        "for_": rb.NO_DURATION,
    },
)

SERVICE = Service(
    name="matching-engine",
    title="Matching engine",
    team=TEAM,
    description="Matches orders into trades. Any error is a P0 incident; p99 latency must stay strictly under 500 µs.",
    alerts=(ERRORS, PANICS, ANOMALIES, DOWN, LATENCY),
    signals=(s.ENGINE_THROUGHPUT,),
)
