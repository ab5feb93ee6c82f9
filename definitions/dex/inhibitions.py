"""What silences what: while a cause fires, the symptoms it explains stay quiet."""

from obsgen import Assumed, Inhibition

from . import exchange, matching_engine
from .routing import P0

_SYMPTOMS = (matching_engine.LATENCY, exchange.ERROR_RATE)

INHIBITIONS = (
    # §3.2, §7: maintenance mode halts the exchange on purpose: the other alerts are noise,
    # except P0s: a matching engine error during maintenance still threatens consistency (§4.2).
    Inhibition(
        name="maintenance-mode",
        source=exchange.MAINTENANCE,
        targets=(),
        spares=(P0,),
        reason=(
            "FLAG_MAINTENANCE_MODE halts the exchange on purpose (runbook §7): every other DEX alert is silenced while "
            "it is on, except P0s (§4.2: any matching engine error is raised immediately)."
        ),
        provenance=Assumed("The manual does not say what maintenance mode does to alerts; halting on purpose makes latency and error alerts noise, never a P0."),
    ),
    # The engine's own failure is the cause; slow matching and failing requests follow from it.
    Inhibition(
        name="matching-engine-down",
        source=matching_engine.DOWN,
        targets=_SYMPTOMS,
        reason="With the matching engine down, high latency and the error rate are symptoms of that P0.",
        provenance=Assumed("Symptoms of a P0 the on-call already has: one page per incident."),
    ),
    Inhibition(
        name="matching-engine-errors",
        source=matching_engine.ERRORS,
        targets=_SYMPTOMS,
        reason="Matching engine errors are a P0 (runbook §4.2); the latency and error-rate alerts they cause add nothing.",
        provenance=Assumed("Symptoms of a P0 the on-call already has: one page per incident."),
    ),
    Inhibition(
        name="matching-engine-panic",
        source=matching_engine.PANICS,
        targets=_SYMPTOMS,
        reason="A matching engine panic is a P0 (runbook §4.2); the latency and error-rate alerts it causes add nothing.",
        provenance=Assumed("Symptoms of a P0 the on-call already has: one page per incident."),
    ),
)
