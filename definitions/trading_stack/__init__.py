"""The automated trading stack (seeds/001_5d170fdb5d734262.txt): execution gateway, signal
service, circuit breaker, alert delivery and audit log, with the "Track 7" SLA table at its core."""

from obsgen import Assumed, System

from . import alert_delivery, audit_log, circuit_breaker, datastores, execution_gateway, inhibitions, routing, signal_service
from .checks import CHECKS
from .scenarios import SCENARIOS
from .slos import SLOS

SYSTEM = System(
    name="trading-stack",
    title="Automated Trading Stack",
    description=(
        "Automated trading platform: the execution gateway places orders from the signal service's "
        "signals behind a Redis-held circuit breaker; the alert delivery service notifies people by "
        "email, Slack and SMS; the audit log records operator actions. Track 7 SLAs: CB staleness, "
        "alert delivery latency, audit write latency, poison queue size."
    ),
    services=(
        circuit_breaker.SERVICE,
        alert_delivery.SERVICE,
        audit_log.SERVICE,
        execution_gateway.SERVICE,
        signal_service.SERVICE,
        datastores.SERVICE,
    ),
    priorities=routing.PRIORITIES,
    receivers=routing.RECEIVERS,
    default_receiver=routing.DEFAULT_RECEIVER,
    checks=CHECKS,
    inhibitions=inhibitions.INHIBITIONS,
    escalations=routing.ESCALATIONS,
    scenarios=SCENARIOS,  # operator scenarios from the runbook (scenarios.py)
    slos=SLOS,  # service level objectives and their burn-rate alerts (slos.py)
    # Assumed: the runbook names no URLs for the handbook or Grafana.
    runbook_base_url="https://runbooks.trading-stack.example.com/trading-stack/",
    grafana_base_url="https://grafana.trading-stack.example.com",
    runbook="Ops Runbook (automated trading stack, Track 7 SLA)",
    alertmanager_url="https://alertmanager.trading-stack.example.com",
    provenance={"alertmanager_url": Assumed("The runbook reviews alerts in Grafana and the Web Console; it gives no Alertmanager URL.")},
)
