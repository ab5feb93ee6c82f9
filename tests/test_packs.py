"""Signal packs: every series a pack reads carries the config's selector, and the seeds that
use a pack get from it exactly the signals they had."""

from __future__ import annotations

from dataclasses import fields

import pytest

from obsgen import minutes
from obsgen.packs import (
    KubernetesConfig, NodeConfig, PostgresConfig, RedisConfig, kubernetes_signals, node_signals, postgres_signals, redis_signals,
)
from obsgen.promql import parse, selectors

SELECTOR = 'cluster="eu-1"'
PACKS = {
    "node": lambda sel: node_signals(NodeConfig(selector=sel)),
    "kubernetes": lambda sel: kubernetes_signals(KubernetesConfig(selector=sel)),
    "postgres": lambda sel: postgres_signals(PostgresConfig(selector=sel)),
    "redis": lambda sel: redis_signals(RedisConfig(selector=sel)),
}


def _signals(pack):
    return [getattr(pack, f.name) for f in fields(pack) if f.name != "config"]


@pytest.mark.parametrize("name", list(PACKS))
def test_every_series_a_pack_reads_carries_its_selector(name):
    signals = _signals(PACKS[name](SELECTOR))
    assert signals
    for signal in signals:
        read = list(selectors(parse(signal.expr)))
        assert read, signal.record
        for selector in read:
            assert any(m.name == "cluster" and m.value == "eu-1" for m in selector.matchers), f"{signal.record}: {selector}"


@pytest.mark.parametrize("name", list(PACKS))
def test_without_a_selector_a_pack_reads_every_series(name):
    for signal in _signals(PACKS[name]("")):
        assert "{}" not in signal.expr and "{," not in signal.expr, signal.expr
        parse(signal.expr)


def test_the_restart_window_names_and_describes_the_signals():
    pack = kubernetes_signals(KubernetesConfig(restart_window=minutes(30)))
    assert pack.restarts.record == "pod:kube_pod_container_status_restarts:increase30m"
    assert "[30m]" in pack.restarts.expr and pack.restarts.description.endswith("the last 30 minutes")
    assert pack.oom_kills.record.endswith("increase30m") and "the last 30 minutes" in pack.oom_kills.description


def test_the_seeds_lines_come_from_their_pack_config(systems):
    """BondX's node lines and the trading engine's pod and connection lines are the packs' config values."""
    by_name = {loaded.system.name: loaded.system for loaded in systems}
    bondx = {a.name: a for a in by_name["bondx"].alerts}
    assert bondx["HighMemoryUsage"].signal.record == "instance:node_memory_utilisation:ratio"
    assert bondx["HighMemoryUsage"].level("warning").threshold.base == 0.85
    engine = {a.name: a for a in by_name["trading-engine"].alerts}
    assert engine["PodMemoryHigh"].signal.record == "pod:container_memory_working_set_bytes:ratio"
    assert engine["PostgresConnectionsHigh"].level("warning").threshold.base == 0.8
