"""PostgreSQL (postgres_exporter): reachability and connection slots."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Signal, count, percent, ratio
from ..model.units import Quantity
from .series import series


@dataclass(frozen=True)
class PostgresConfig:
    """Selectors and lines of the PostgreSQL pack (postgres-mixin's `_config`, for obsgen)."""

    # Matchers inserted in every postgres_exporter selector, e.g. 'namespace="production"'.
    selector: str = ""
    # Where connections in use are high, as a share of max_connections (new ones fail at 100%).
    connections_high: Quantity = percent(80)


@dataclass(frozen=True)
class PostgresSignals:
    """The PostgreSQL pack's signals, and the config whose lines go with them."""

    config: PostgresConfig
    up: Signal
    connections_used: Signal
    connections_free: Signal


def postgres_signals(config: PostgresConfig = PostgresConfig()) -> PostgresSignals:
    sel = config.selector
    in_use = f"sum({series('pg_stat_activity_count', sel)})"
    limit = f"max({series('pg_settings_max_connections', sel)})"
    reserved = f"max({series('pg_settings_superuser_reserved_connections', sel)})"
    return PostgresSignals(
        config=config,
        up=Signal(
            record="postgresql:pg_up:min",
            expr=f"min({series('pg_up', sel)})",
            unit=count,
            description="PostgreSQL reachability from postgres_exporter (1 reachable, 0 unreachable)",
        ),
        connections_used=Signal(
            record="postgresql:pg_connections_used:ratio",
            expr=f"{in_use} / {limit}",
            unit=ratio,
            description="PostgreSQL connections in use as a share of max_connections",
        ),
        # What the application can still open: max_connections less the superuser reserve
        # and the connections in use.
        connections_free=Signal(
            record="postgresql:pg_connections_free:count",
            expr=f"{limit} - {reserved} - {in_use}",
            unit=count,
            description="The number of PostgreSQL connection slots still free for the application (non-superuser)",
        ),
    )
