"""Nodes and platform-wide health: Ten Things 1 and 7, and the P3 resource alerts.

Runbook: Alerts P3 "High Memory Usage" and "Disk Space Warning", Ten Things 1 (Overall
System Health: every service's status, uptime, API latency and errors) and 7
(Infrastructure Resources). Logs: kubectl logs -n kube-system; the cloud provider console.
"""

from obsgen import ABOVE, Alert, Assumed, Level, Runbook, Service, hours, minutes

from . import signals as s
from .teams import OPERATIONS
from .routing import P3

# Alerts P3 "Memory utilization >85%"; Ten Things 7 checks the same "<85% per node".
HIGH_MEMORY_USAGE = Alert(
    name="HighMemoryUsage",
    signal=s.NODE_MEMORY,
    direction=ABOVE,
    warning=Level(s.NODE.config.memory_high, P3),
    for_=minutes(10),  # low severity: only memory that stays high, not a batch job's peak
    summary="Node memory utilization is {direction} {threshold}.",
    meaning="System memory usage is high but not critical.",
    actions=(
        "Monitor memory trends.",
        "Check for memory leaks.",
        "Verify scaling policies.",
        "Document for review.",
    ),
    resolution=hours(4),  # Expected Resolution Time: <4 hours
    provenance={
        "threshold": Runbook("Common Alerts and What They Mean > Low Severity Alerts (P3) > High Memory Usage", "Memory utilization >85%"),
        "direction": Runbook("Common Alerts and What They Mean > Low Severity Alerts (P3) > High Memory Usage", ">85%"),
        "priority": Runbook("Common Alerts and What They Mean > Low Severity Alerts (P3)"),
        "for_": Assumed("The runbook gives no duration: ten minutes, memory that stays high, not a batch job's peak."),
        "resolution": Runbook("Common Alerts and What They Mean > High Memory Usage", "Expected Resolution Time:** <4 hours"),
    },
)

# Alerts P3 "Disk usage >80%"; Ten Things 7 checks the same "<80% per volume".
DISK_SPACE_WARNING = Alert(
    name="DiskSpaceWarning",
    signal=s.NODE_DISK,
    direction=ABOVE,
    warning=Level(s.NODE.config.filesystem_high, P3),
    for_=minutes(10),  # disk fills slowly; ignore a short-lived temporary file
    summary="Disk usage on a volume is {direction} {threshold}.",
    meaning="Disk space is getting low.",
    actions=(
        "Check log rotation.",
        "Verify backup cleanup.",
        "Monitor growth rate.",
        "Plan for expansion.",
    ),
    resolution=hours(24),  # Expected Resolution Time: <24 hours
    provenance={
        "threshold": Runbook("Common Alerts and What They Mean > Low Severity Alerts (P3) > Disk Space Warning", "Disk usage >80%"),
        "direction": Runbook("Common Alerts and What They Mean > Low Severity Alerts (P3) > Disk Space Warning", ">80%"),
        "priority": Runbook("Common Alerts and What They Mean > Low Severity Alerts (P3)"),
        "for_": Assumed("The runbook gives no duration: ten minutes, disk fills slowly."),
        "resolution": Runbook("Common Alerts and What They Mean > Disk Space Warning", "Expected Resolution Time:** <24 hours"),
    },
)

INFRASTRUCTURE = Service(
    name="infrastructure",
    title="Infrastructure and platform health",
    team=OPERATIONS,
    description="Kubernetes nodes and the platform-wide view of every BondX service's status, uptime, latency and errors.",
    alerts=(HIGH_MEMORY_USAGE, DISK_SPACE_WARNING),
    signals=(
        s.SERVICES_UP,
        s.UPTIME_24H,
        s.API_LATENCY_P95,
        s.API_ERROR_RATIO,
        s.NODE_CPU,
        s.NODE_NETWORK,
        s.POD_COUNT,
    ),
)
