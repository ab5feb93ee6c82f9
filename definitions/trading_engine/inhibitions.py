"""What silences what: while a cause fires, the symptoms it explains stay quiet."""

from obsgen import Assumed, Inhibition

from . import api, postgresql

_SYMPTOMS = Assumed("The runbook does not say; the P0 outage explains these symptoms: one page per incident.")

# Symptoms of an outage the P0 alert already explains. Inhibitions match on the system only
# (one API, one database here), so none is defined between per-pod alerts: an OOMKill of one
# pod must not silence restarts of another.
INHIBITIONS = (
    Inhibition(
        name="api-down-silences-api-symptoms",
        source=api.HEALTH_CHECK_FAILING,
        targets=(api.ERROR_RATE_ABOVE_TARGET, api.HIGH_ERROR_RATE, api.HIGH_LATENCY, api.ORDER_EXECUTION_SLOW),
        reason="The P0 health check alert already covers errors and latency of an API that is down.",
        provenance=_SYMPTOMS,
    ),
    Inhibition(
        name="all-failing-silences-error-rate",
        source=api.ALL_REQUESTS_FAILING,
        targets=(api.ERROR_RATE_ABOVE_TARGET, api.HIGH_ERROR_RATE, api.HIGH_LATENCY, api.ORDER_EXECUTION_SLOW),
        reason="Every request failing is the P0 outage; the error-rate and latency tiers add nothing.",
        provenance=_SYMPTOMS,
    ),
    Inhibition(
        name="postgres-down-silences-db-symptoms",
        source=postgresql.DOWN,
        targets=(postgresql.CONNECTIONS_HIGH, postgresql.CONNECTIONS_EXHAUSTED, postgresql.HIGH_CPU),
        reason="An unreachable database reports no meaningful connection or CPU figures.",
        provenance=_SYMPTOMS,
    ),
    Inhibition(
        name="high-error-rate-silences-target",
        source=api.HIGH_ERROR_RATE,
        targets=(api.ERROR_RATE_ABOVE_TARGET,),
        reason="Past 1% (Key Metrics) the error rate is past the 0.1% target too: one notification for one error rate.",
        provenance=Assumed("The runbook states three lines on one error rate (0.1%, 1%, 5%): the highest one crossed speaks."),
    ),
)
