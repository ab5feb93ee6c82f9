"""Redis (redis_exporter): reachability, memory, client slots and the cache's hit ratio."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Signal, bytes_, count, percent, ratio
from ..model.units import Quantity
from .series import series


@dataclass(frozen=True)
class RedisConfig:
    """Selectors and lines of the Redis pack (redis-mixin's `_config`, for obsgen)."""

    # Matchers inserted in every redis_exporter selector, e.g. 'namespace="production"'.
    selector: str = ""
    # Where client connections are high, as a share of maxclients (new ones are refused at 100%).
    clients_high: Quantity = percent(80)
    # Where the hit ratio is low: under it the cache no longer saves the database much work.
    hit_ratio_low: Quantity = percent(80)


@dataclass(frozen=True)
class RedisSignals:
    """The Redis pack's signals, and the config whose lines go with them."""

    config: RedisConfig
    up: Signal
    memory_used: Signal
    clients_used: Signal
    hit_ratio: Signal


def redis_signals(config: RedisConfig = RedisConfig()) -> RedisSignals:
    sel = config.selector
    hits = f"sum(rate({series('redis_keyspace_hits_total', sel)}[5m]))"
    misses = f"sum(rate({series('redis_keyspace_misses_total', sel)}[5m]))"
    return RedisSignals(
        config=config,
        up=Signal(
            record="redis:redis_up:min",
            expr=f"min({series('redis_up', sel)})",
            unit=count,
            description="Redis reachability from redis_exporter (1 reachable, 0 unreachable)",
        ),
        memory_used=Signal(
            record="redis:redis_memory_used_bytes:sum",
            expr=f"sum({series('redis_memory_used_bytes', sel)})",
            unit=bytes_,
            description="The memory used by Redis",
        ),
        clients_used=Signal(
            record="redis:redis_connected_clients:ratio",
            expr=f"sum({series('redis_connected_clients', sel)}) / sum({series('redis_config_maxclients', sel)})",
            unit=ratio,
            description="Redis client connections as a share of maxclients",
        ),
        hit_ratio=Signal(
            record="redis:redis_keyspace_hits:ratio_rate5m",
            expr=f"{hits} / ({hits} + {misses})",
            unit=ratio,
            description="The share of Redis key lookups that hit over 5 minutes",
        ),
    )
