"""What silences what: while a cause fires, the symptoms it explains stay quiet."""

from obsgen import Inhibition

from . import alert_delivery, audit_log, circuit_breaker, datastores

# While a service or datastore is down, the SLA symptoms it causes stay quiet: the operator
# fixes the cause named by the Down alert (runbook: "Verify Redis/Postgres connectivity").
INHIBITIONS = (
    Inhibition(
        name="redis-down-silences-cb-staleness",
        source=datastores.REDIS_DOWN,
        targets=(circuit_breaker.STALENESS_HIGH,),
        reason="The breaker state is read from Redis; staleness is a symptom of Redis being down.",
    ),
    Inhibition(
        name="postgres-down-silences-writers",
        source=datastores.POSTGRES_DOWN,
        targets=(audit_log.WRITE_LATENCY_HIGH, alert_delivery.LATENCY_HIGH),
        reason="Audit writes and alert delivery records go to Postgres.",
    ),
    Inhibition(
        name="cb-down-silences-cb-staleness",
        source=circuit_breaker.DOWN,
        targets=(circuit_breaker.STALENESS_HIGH,),
        reason="A stopped circuit breaker service cannot refresh the state it reports.",
    ),
    Inhibition(
        name="delivery-down-silences-latency",
        source=alert_delivery.DOWN,
        targets=(alert_delivery.LATENCY_HIGH,),
        reason="Deliveries are late because the delivery service is down.",
    ),
    Inhibition(
        name="audit-down-silences-latency",
        source=audit_log.DOWN,
        targets=(audit_log.WRITE_LATENCY_HIGH,),
        reason="Audit writes are slow or failing because the audit log service is down.",
    ),
)
