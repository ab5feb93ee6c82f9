"""Signals: the named, recorded quantities that alerts, checks and panels all read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import Defined
from ..promql import PromQLError, parse
from .units import Unit

RECORD_NAME = re.compile(r"^[a-z_][a-z0-9_]*:[a-z_][a-z0-9_]*:[a-z0-9_]+$")


@dataclass(frozen=True, kw_only=True)
class Signal(Defined):
    """A measured quantity: one recording rule, in base units, shown and alerted on.

    record follows the mixin convention level:metric:operations, window included,
    e.g. 'service:order_latency_seconds:p95_5m'.
    """

    record: str
    expr: str
    unit: Unit
    description: str

    @property
    def label(self) -> str:
        return f"Signal {self.record!r}"

    def validate(self) -> None:
        record = self.need_text("record")
        if not RECORD_NAME.match(record):
            raise self.fail("record", f"{record!r} must be level:metric:operations, e.g. 'service:order_latency_seconds:p95_5m'")
        expr = self.need_text("expr")
        try:
            parse(expr)
        except PromQLError as exc:
            raise self.fail("expr", str(exc)) from None
        if not isinstance(self.unit, Unit):
            raise self.fail("unit", f"must be a unit such as ms, percent or per_second, got {self.unit!r}")
        self.need_text("description")
