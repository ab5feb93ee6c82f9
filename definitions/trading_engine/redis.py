"""Redis (statefulset trading-engine-redis): caching and pub/sub.

seeds/003 states no Redis threshold (only "Clear Redis cache if stale" and "Pre-warm cache"): the
signals are on the dashboard and the pod-level CPU and memory alerts (kubernetes.py) cover the pods.
"""

from obsgen import Service

from . import signals as s

SERVICE = Service(
    name="redis",
    title="Redis",
    team="devops",
    description="Cache and pub/sub of the trading engine, statefulset trading-engine-redis in production.",
    signals=(s.REDIS_UP, s.REDIS_MEMORY, s.REDIS_HIT_RATIO, s.REDIS_CLIENTS),
)
