"""What silences what: while a cause fires, the symptoms it explains stay quiet."""

from obsgen import Inhibition

from . import api, postgresql

# Symptoms of an outage the P0 alert already explains. Inhibitions match on the system only
# (one API, one database here), so none is defined between per-pod alerts: an OOMKill of one
# pod must not silence restarts of another.
INHIBITIONS = (
    Inhibition(
        name="api-down-silences-api-symptoms",
        source=api.HEALTH_CHECK_FAILING,
        targets=(api.HIGH_ERROR_RATE, api.HIGH_LATENCY),
        reason="The P0 health check alert already covers errors and latency of an API that is down.",
    ),
    Inhibition(
        name="all-failing-silences-error-rate",
        source=api.ALL_REQUESTS_FAILING,
        targets=(api.HIGH_ERROR_RATE, api.HIGH_LATENCY),
        reason="Every request failing is the P0 outage; the error-rate and latency tiers add nothing.",
    ),
    Inhibition(
        name="postgres-down-silences-db-symptoms",
        source=postgresql.DOWN,
        targets=(postgresql.CONNECTIONS_HIGH, postgresql.CONNECTIONS_EXHAUSTED, postgresql.HIGH_CPU),
        reason="An unreachable database reports no meaningful connection or CPU figures.",
    ),
)
