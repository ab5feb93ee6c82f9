"""Kubernetes workloads (kube-state-metrics and the kubelet's cAdvisor): pods against their
limits, restarts and OOM kills, deployments' replicas, pods that are not healthy."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Signal, count, minutes, percent, ratio
from ..model.durations import human_duration, prom_duration
from ..model.units import Quantity
from .series import series

_CONTAINERS = 'container!="", container!="POD"'  # cAdvisor's per-container series, not the pod's sums


@dataclass(frozen=True)
class KubernetesConfig:
    """Selectors, window and lines of the Kubernetes pack (kubernetes-mixin's `_config`, for obsgen)."""

    # Matchers inserted in every selector, usually the namespace: 'namespace="production"'.
    selector: str = ""
    # How far back restarts and OOM kills are counted: a restart counts this long.
    restart_window: Quantity = minutes(15)
    # Where a pod's use is high, as shares of its limits: throttling starts at the CPU limit
    # and the OOM killer at the memory limit, so these sit below them.
    pod_cpu_high: Quantity = percent(80)
    pod_memory_high: Quantity = percent(85)


@dataclass(frozen=True)
class KubernetesSignals:
    """The Kubernetes pack's signals, and the config whose lines go with them."""

    config: KubernetesConfig
    pod_cpu: Signal
    pod_memory: Signal
    restarts: Signal
    oom_kills: Signal
    deployment_replicas: Signal
    pods_unhealthy: Signal


def kubernetes_signals(config: KubernetesConfig = KubernetesConfig()) -> KubernetesSignals:
    sel = config.selector
    window, words = prom_duration(config.restart_window), human_duration(int(config.restart_window.base))
    cpu_used = series("container_cpu_usage_seconds_total", sel, _CONTAINERS)
    cpu_limit = series("kube_pod_container_resource_limits", sel, 'resource="cpu"')
    memory_used = series("container_memory_working_set_bytes", sel, _CONTAINERS)
    memory_limit = series("kube_pod_container_resource_limits", sel, 'resource="memory"')
    restarts = series("kube_pod_container_status_restarts_total", sel)
    oom = series("kube_pod_container_status_last_terminated_reason", sel, 'reason="OOMKilled"')
    replicas = series("kube_deployment_status_replicas_available", sel)
    failing = series("kube_pod_status_phase", sel, 'phase=~"Pending|Failed|Unknown"')
    not_ready = series("kube_pod_status_ready", sel, 'condition!="true"')
    running = series("kube_pod_status_phase", sel, 'phase="Running"')
    return KubernetesSignals(
        config=config,
        pod_cpu=Signal(
            record="pod:container_cpu_usage:ratio_rate5m",
            expr=f"sum by (pod) (rate({cpu_used}[5m])) / sum by (pod) ({cpu_limit})",
            unit=ratio,
            description="The CPU use of the pod as a share of its CPU limit",
        ),
        pod_memory=Signal(
            record="pod:container_memory_working_set_bytes:ratio",
            expr=f"sum by (pod) ({memory_used}) / sum by (pod) ({memory_limit})",
            unit=ratio,
            description="The working-set memory of the pod as a share of its memory limit (what the OOM killer measures)",
        ),
        restarts=Signal(
            record=f"pod:kube_pod_container_status_restarts:increase{window}",
            expr=f"sum by (pod) (increase({restarts}[{window}]))",
            unit=count,
            description=f"The number of container restarts in the last {words}",
        ),
        oom_kills=Signal(
            record=f"pod:kube_pod_container_oomkilled:increase{window}",
            expr=f"sum by (pod) ((increase({restarts}[{window}]) > 0) and on (namespace, pod, container) ({oom} == 1))",
            unit=count,
            description=f"The number of container restarts in the last {words} whose last termination was OOMKilled",
        ),
        deployment_replicas=Signal(
            record="deployment:kube_deployment_status_replicas_available:sum",
            expr=f"sum by (deployment) ({replicas})",
            unit=count,
            description="The number of available replicas of the deployment",
        ),
        pods_unhealthy=Signal(
            record="namespace:kube_pods_unhealthy:count",
            expr=f"(sum({failing}) or vector(0))"
            f" + (sum({not_ready} * on (namespace, pod) group_left () ({running} == 1)) or vector(0))",
            unit=count,
            description="The number of pods pending, failed, unknown, or running but not ready",
        ),
    )
