"""Kubernetes infrastructure: pod CPU and memory, OOM kills and restarts, disks.

Thresholds from seeds/003 "Key Metrics to Watch" (CPU > 80%, memory > 85%, disk > 85%) and
"P1: Memory Leak" (OOMKilled pods, pod restarts). The table gives no priority: its rows are
capacity warnings with no user impact yet, P3 in the runbook's severity levels.
"""

from obsgen import ABOVE, Alert, Level, Service, minutes, percent

from . import procedures as p
from . import signals as s
from .routing import P1, P3

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
)

# P1: Memory Leak, symptom "Pod restarts".
POD_RESTARTING = Alert(
    name="PodRestarting",
    signal=s.POD_RESTARTS,
    direction=ABOVE,
    critical=Level(0, P1),
    for_=minutes(1),  # 1m: the 15m increase holds the event; one minute confirms the restart was recorded
    summary="A pod restarted in the last 15 minutes.",
    meaning="P1 memory leak symptom: production containers are restarting (check for OOMKilled and growing memory).",
    actions=p.MEMORY_LEAK,
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
)

SERVICE = Service(
    name="kubernetes",
    title="Kubernetes Infrastructure",
    team="devops",
    description="The production namespace, its pods and autoscalers, nodes and persistent volumes.",
    alerts=(POD_CPU_HIGH, POD_MEMORY_HIGH, POD_OOM_KILLED, POD_RESTARTING, NODE_DISK_HIGH, VOLUME_DISK_HIGH),
    signals=(
        s.POD_MEMORY_GROWTH,
        s.NODE_CPU,
        s.NODE_MEMORY,
        s.DEPLOYMENT_REPLICAS,
        s.PODS_UNHEALTHY,
        s.HPA_AT_MAX,
    ),
)
