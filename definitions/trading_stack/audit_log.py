"""Audit log: Track 7 write latency SLA and availability."""

from obsgen import ABOVE, Alert, Assumed, BELOW, Level, Runbook, Service, minutes, seconds

from . import procedures as p
from . import signals as s
from .routing import P1_PAGE, P2_SLACK

# seeds/001 "Track 7 SLA Targets": audit write P95 target < 1s, alert > 1s (Slack).
WRITE_LATENCY_HIGH = Alert(
    name="AuditWriteLatencyHigh",
    signal=s.AUDIT_WRITE_P95,
    direction=ABOVE,
    warning=Level(seconds(1), P2_SLACK),
    for_=minutes(5),  # 5m: the P95 already spans 5m; warn on a sustained breach only
    summary="Audit log write P95 latency is {direction} {threshold}.",
    meaning="Track 7 SLA breach: audit log writes to Postgres are slow (target P95 < 1 s).",
    actions=(
        "Verify Postgres connectivity and health on the System Health dashboard.",
        "Check the audit log service logs: `docker logs audit-log`.",
        *p.SLA_BREACH_RESPONSE,
    ),
    provenance={
        "threshold": Runbook("SLA Monitoring > Track 7 SLA Targets", "| Audit write P95 | < 1s | > 1s (Slack) |"),
        "direction": Runbook("SLA Monitoring > Track 7 SLA Targets", "> 1s (Slack)"),
        "priority": Runbook("SLA Monitoring > Track 7 SLA Targets", "> 1s (Slack)"),
        "for_": Assumed("The runbook gives no duration: the P95 spans 5 minutes already; warn on a sustained breach only."),
    },
)

DOWN = Alert(
    name="AuditLogDown",
    signal=s.UP["audit-log"],
    direction=BELOW,
    critical=Level(1, P1_PAGE),  # System Health Red = Unhealthy: immediate investigation
    for_=minutes(1),  # 1m: several scrapes in a row failed
    summary="Audit log service is down.",
    meaning=(
        "System Health shows the audit log Red (Unhealthy): operator actions such as breaker trips "
        "and resets may not be recorded."
    ),
    actions=(*p.TROUBLESHOOT_SERVICE, p.RECOVERY),
    provenance={
        "threshold": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "| Red | Unhealthy | Immediate investigation |"),
        "direction": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Red"),
        "priority": Runbook("System Health Monitor Operations > Interpreting Status Indicators", "Immediate investigation"),
        "for_": Assumed("The runbook gives no duration: one minute, several scrapes in a row failed, not a single blip."),
    },
)

SERVICE = Service(
    name="audit-log",
    title="Audit Log",
    team="platform",
    description=(
        "Records operator and admin actions (breaker trips and resets, configuration changes, API keys) "
        "in Postgres; reviewed in Web Console -> Admin Dashboard -> Audit Log."
    ),
    alerts=(WRITE_LATENCY_HIGH, DOWN),
)
