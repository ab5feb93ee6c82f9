"""Kubernetes infrastructure: pod CPU and memory, OOM kills and restarts, disks.

Thresholds from seeds/003 "Key Metrics to Watch" (CPU > 80%, memory > 85%, disk > 85%) and
"P1: Memory Leak" (OOMKilled pods, pod restarts). The table gives no priority: its rows are
capacity warnings with no user impact yet, P3 in the runbook's severity levels.
"""

from obsgen import ABOVE, Alert, Assumed, BELOW, Level, Service, days, minutes, percent

from . import procedures as p
from . import runbook as rb
from . import signals as s
from .routing import P1, P2, P3

# Key Metrics to Watch: CPU usage > 80% -> Scale horizontally.
POD_CPU_HIGH = Alert(
    name="PodCPUHigh",
    signal=s.POD_CPU,
    direction=ABOVE,
    warning=Level(s.KUBERNETES.config.pod_cpu_high, P3),
    for_=minutes(10),  # 10m: the HPA reacts within minutes; alert only when it has not absorbed the load
    summary="A pod uses more than {threshold} of its CPU limit.",
    meaning="A production pod runs above 80% of its CPU limit (Key Metrics to Watch): scale horizontally.",
    actions=("Scale horizontally (Key Metrics to Watch: CPU usage > 80%).", *p.SCALE_UP),
    provenance={
        "threshold": rb.KEY_METRICS.says("| CPU usage | > 80% | Scale horizontally |"), "direction": rb.KEY_METRICS.says("> 80%"),
        "priority": rb.KEY_METRICS_P3, "for_": Assumed("Ten minutes: the HPA reacts within minutes; alert only when it has not absorbed the load."),
    },
)

# Key Metrics to Watch: Memory usage > 85% -> Check for leaks, scale vertically.
POD_MEMORY_HIGH = Alert(
    name="PodMemoryHigh",
    signal=s.POD_MEMORY,
    direction=ABOVE,
    warning=Level(s.KUBERNETES.config.pod_memory_high, P3),
    for_=minutes(10),  # 10m: garbage collection swings memory; a sustained level matters
    summary="A pod uses more than {threshold} of its memory limit.",
    meaning=(
        "A production pod uses more than 85% of its memory limit (Key Metrics to Watch): check for leaks, "
        "scale vertically before it is OOMKilled."
    ),
    actions=("Check for leaks, scale vertically (Key Metrics to Watch: memory usage > 85%).", *p.MEMORY_LEAK),
    provenance={
        "threshold": rb.KEY_METRICS.says("| Memory usage | > 85% | Check for leaks, scale vertically |"), "direction": rb.KEY_METRICS.says("> 85%"),
        "priority": rb.KEY_METRICS_P3, "for_": Assumed("Ten minutes: garbage collection swings memory; a sustained level matters."),
    },
)

# P1: Memory Leak, symptom "OOMKilled pods".
POD_OOM_KILLED = Alert(
    name="PodOOMKilled",
    signal=s.POD_OOM_KILLS,
    direction=ABOVE,
    critical=Level(0, P1),
    for_=minutes(1),  # 1m: the 15m increase holds the event; one minute confirms the restart was recorded
    summary="A pod was OOMKilled.",
    meaning="P1 memory leak: a production container ran out of memory and was killed (OOMKilled).",
    actions=p.MEMORY_LEAK,
    provenance={
        "threshold": rb.MEMORY_LEAK.says("OOMKilled pods"), "direction": rb.MEMORY_LEAK.says("OOMKilled pods"),
        "priority": rb.MEMORY_LEAK.says("### P1: Memory Leak"),
        "for_": Assumed("The 15-minute count holds the event; one minute confirms the restart was recorded."),
    },
)

# P1: Memory Leak, symptom "Pod restarts" (plural, beside "Increasing memory usage over time"):
# a single restart is no leak and pages nobody; it is a P3 to look at. Restarts that repeat
# (3 or more in 15 minutes, a crash loop) are the P1 symptom.
POD_RESTARTING = Alert(
    name="PodRestarting",
    signal=s.POD_RESTARTS,
    direction=ABOVE,
    warning=Level(0, P3),
    critical=Level(2, P1),
    for_=minutes(1),  # 1m: the 15m increase holds the event; one minute confirms the restart was recorded
    summary="A pod restarted in the last 15 minutes.",
    meaning=(
        "A production container restarted (P3: check why). Three or more restarts in 15 minutes are the P1 memory "
        "leak symptom \"pod restarts\": check for OOMKilled and growing memory."
    ),
    actions=p.MEMORY_LEAK,
    provenance={
        "warning.threshold": Assumed("Any restart is worth a look, but one restart is no memory leak: P3, no page."),
        "critical.threshold": Assumed("The runbook lists pod restarts, plural, as a P1 symptom: 3 or more in 15 minutes (a crash loop)."),
        "direction": rb.MEMORY_LEAK.says("Pod restarts"),
        "warning.priority": Assumed("A single restart has no user impact: P3 (minor issues)."),
        "critical.priority": rb.MEMORY_LEAK.says("### P1: Memory Leak"),
        "for_": Assumed("The 15-minute count holds the event; one minute confirms the restart was recorded."),
    },
)

# Key Metrics to Watch: Disk usage > 85% -> Clean logs, expand storage (node filesystems).
NODE_DISK_HIGH = Alert(
    name="NodeDiskUsageHigh",
    signal=s.NODE_DISK,
    direction=ABOVE,
    warning=Level(percent(85), P3),
    for_=minutes(10),  # 10m: disks fill slowly; log rotation can briefly push usage up
    summary="A node filesystem is more than {threshold} full.",
    meaning="A Kubernetes node filesystem is above 85% used (Key Metrics to Watch): clean logs, expand storage.",
    actions=(
        "Clean logs, expand storage (Key Metrics to Watch: disk usage > 85%).",
        "Find the node and mount point from the alert labels; `kubectl get nodes`, `kubectl top nodes`.",
    ),
    provenance={
        "threshold": rb.KEY_METRICS.says("| Disk usage | > 85% | Clean logs, expand storage |"), "direction": rb.KEY_METRICS.says("> 85%"),
        "priority": rb.KEY_METRICS_P3, "for_": Assumed("Ten minutes: disks fill slowly; log rotation can briefly push usage up."),
    },
)

# Key Metrics to Watch: Disk usage > 85% -> Clean logs, expand storage (persistent volumes:
# the PostgreSQL and Redis data).
VOLUME_DISK_HIGH = Alert(
    name="VolumeDiskUsageHigh",
    signal=s.VOLUME_DISK,
    direction=ABOVE,
    warning=Level(percent(85), P3),
    for_=minutes(10),  # 10m: disks fill slowly; a VACUUM can briefly push usage up
    summary="A persistent volume is more than {threshold} full.",
    meaning="A production persistent volume (database or cache data) is above 85% used (Key Metrics to Watch).",
    actions=(
        "Clean logs, expand storage (Key Metrics to Watch: disk usage > 85%): grow the PVC named in the alert.",
        "For the database volume, reclaim space first: weekly `VACUUM ANALYZE` (see PostgreSQL actions).",
    ),
    provenance={
        "threshold": rb.KEY_METRICS.says("| Disk usage | > 85% | Clean logs, expand storage |"), "direction": rb.KEY_METRICS.says("> 85%"),
        "priority": rb.KEY_METRICS_P3, "for_": Assumed("Ten minutes: disks fill slowly; a VACUUM can briefly push usage up."),
    },
)

# Weekly Tasks "Check certificate expiry" (`kubectl get certificates -n production`).
CERTIFICATE_EXPIRY = Alert(
    name="CertificateExpiringSoon",
    signal=s.CERT_EXPIRY,
    direction=BELOW,
    warning=Level(days(21), P3),
    critical=Level(days(7), P2),
    for_=minutes(10),
    summary="A production certificate expires soon.",
    meaning=(
        "A cert-manager certificate in production expires within 21 days (7 days: P2): cert-manager renews 30 days "
        "before expiry, so it is not renewing. An expired certificate takes the API or WebSocket down."
    ),
    actions=(
        "`kubectl get certificates -n production` and `kubectl describe certificate <name> -n production`.",
        "Check cert-manager's logs and the issuer for why it does not renew.",
    ),
    provenance={
        "threshold": Assumed("The runbook checks certificate expiry weekly without a line: 21 days (cert-manager renews at 30) and 7 days."),
        "direction": rb.WEEKLY.says("Check certificate expiry"),
        "warning.priority": Assumed("A week or more left: P3, next business day."),
        "critical.priority": Assumed("Less than a week left: P2, before it takes a service down."),
        "for_": Assumed("Ten minutes: expiry moves slowly; a single scrape does not notify."),
    },
)

SERVICE = Service(
    name="kubernetes",
    title="Kubernetes Infrastructure",
    team="devops",
    description="The production namespace, its pods and autoscalers, nodes and persistent volumes.",
    alerts=(POD_CPU_HIGH, POD_MEMORY_HIGH, POD_OOM_KILLED, POD_RESTARTING, NODE_DISK_HIGH, VOLUME_DISK_HIGH, CERTIFICATE_EXPIRY),
    signals=(
        s.POD_MEMORY_GROWTH,
        s.NODE_CPU,
        s.NODE_MEMORY,
        s.DEPLOYMENT_REPLICAS,
        s.PODS_UNHEALTHY,
        s.HPA_AT_MAX,
    ),
)
