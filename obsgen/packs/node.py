"""node_exporter: each node's CPU, memory, filesystems and network, as utilisation ratios."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Signal, percent, ratio
from ..model.units import Quantity
from .series import series


@dataclass(frozen=True)
class NodeConfig:
    """Selectors and lines of the node pack (node-mixin's `_config`, for obsgen)."""

    # Matchers inserted in every node_exporter selector, e.g. 'job="node"'; empty: all of them.
    selector: str = ""
    # Filesystems that are not disks: in-memory, container overlays, squashfs images, namespaces.
    fs_selector: str = 'fstype!~"tmpfs|overlay|squashfs|nsfs"'
    # Virtual interfaces: loopback, container veths and CNI bridges.
    nic_selector: str = 'device!~"lo|veth.+|cali.+|docker.+|cni.+|flannel.+"'
    # Where utilisation is high (which level an alert or check gives it is the definition's):
    # node-mixin's NodeCPUHighUsage and NodeMemoryHighUtilization (90%), its
    # NodeFilesystemAlmostOutOfSpace warning (20% left, so 80% used), and 80% of a link's speed.
    cpu_high: Quantity = percent(90)
    memory_high: Quantity = percent(90)
    filesystem_high: Quantity = percent(80)
    network_high: Quantity = percent(80)


@dataclass(frozen=True)
class NodeSignals:
    """The node pack's signals, and the config whose lines go with them."""

    config: NodeConfig
    cpu: Signal
    memory: Signal
    filesystem: Signal
    network: Signal


def node_signals(config: NodeConfig = NodeConfig()) -> NodeSignals:
    sel, fs, nic = config.selector, config.fs_selector, config.nic_selector
    idle = series("node_cpu_seconds_total", sel, 'mode="idle"')
    received = series("node_network_receive_bytes_total", sel, nic)
    sent = series("node_network_transmit_bytes_total", sel, nic)
    return NodeSignals(
        config=config,
        cpu=Signal(
            record="instance:node_cpu_utilisation:ratio_rate5m",
            expr=f"1 - avg by (instance) (rate({idle}[5m]))",
            unit=ratio,
            description="CPU utilization per node",
        ),
        memory=Signal(
            record="instance:node_memory_utilisation:ratio",
            expr=f"1 - max by (instance) ({series('node_memory_MemAvailable_bytes', sel)})"
            f" / max by (instance) ({series('node_memory_MemTotal_bytes', sel)})",
            unit=ratio,
            description="Memory utilization per node",
        ),
        filesystem=Signal(
            record="instance_mountpoint:node_filesystem_utilisation:ratio",
            expr=f"1 - max by (instance, mountpoint) ({series('node_filesystem_avail_bytes', sel, fs)})"
            f" / max by (instance, mountpoint) ({series('node_filesystem_size_bytes', sel, fs)})",
            unit=ratio,
            description="Disk usage per volume",
        ),
        # The busier direction of each interface over its link speed; interfaces without a
        # known speed are left out.
        network=Signal(
            record="instance_device:node_network_utilisation:ratio_rate5m",
            expr="max by (instance, device) ("
            f'label_replace(rate({received}[5m]), "direction", "receive", "", "")'
            f' or label_replace(rate({sent}[5m]), "direction", "transmit", "", "")'
            f") / on (instance, device) (max by (instance, device) ({series('node_network_speed_bytes', sel, nic)}) > 0)",
            unit=ratio,
            description="Network I/O per interface as a share of its link speed",
        ),
    )
