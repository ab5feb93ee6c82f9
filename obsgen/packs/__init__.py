"""Signal packs: the infrastructure many systems run, measured one way.

A pack builds the Signals of one exporter (node_exporter, kube-state-metrics and cAdvisor,
postgres_exporter, redis_exporter) from one config value, like a monitoring mixin's
`_config`: the selectors that pick the system's series, and the lines its alerts and
checks draw, each documented where it is declared. A definition writes

    NODE = node_signals(NodeConfig(memory_high=percent(85)))  # runbook: "Memory >85%"

and uses NODE.memory in its alerts, checks and panels, with NODE.config.memory_high as
the one number. Packs build model values only; they know nothing of files.
"""

from .kubernetes import KubernetesConfig, KubernetesSignals, kubernetes_signals
from .node import NodeConfig, NodeSignals, node_signals
from .postgres import PostgresConfig, PostgresSignals, postgres_signals
from .redis import RedisConfig, RedisSignals, redis_signals

__all__ = [
    "KubernetesConfig", "KubernetesSignals", "kubernetes_signals",
    "NodeConfig", "NodeSignals", "node_signals",
    "PostgresConfig", "PostgresSignals", "postgres_signals",
    "RedisConfig", "RedisSignals", "redis_signals",
]
