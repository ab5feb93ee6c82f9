"""Signals: the named, recorded quantities that alerts, checks and panels all read."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property

from .base import Defined
from ..promql import Number, PromQLError, Selector, Subquery, parse, walk
from ..promql.analysis import VECTOR, is_comparison, metric_names, result_type
from .directions import Direction
from .durations import duration_seconds
from .units import COUNT, RATIO, TIME, Dimension, Quantity, Unit, as_quantity

MAX_EXPR = 2000  # characters: the longest seed expression is under 500
RECORD_NAME = re.compile(r"^[a-z_][a-z0-9_]*:[a-z_][a-z0-9_]*:[a-z0-9_]+$")


class Unbounded:
    """No limit on one side: Signal(maximum=UNBOUNDED) for a ratio that can pass 100%."""

    def __repr__(self) -> str:
        return "UNBOUNDED"


UNBOUNDED = Unbounded()


@dataclass(frozen=True, kw_only=True)
class Signal(Defined):
    """A measured quantity: one recording rule, in base units, shown and alerted on.

    record follows the mixin convention level:metric:operations, window included,
    e.g. 'service:order_latency_seconds:p95_5m'.

    minimum and maximum are the values it can take, by default what its unit allows:
    a latency, size, rate or count is never negative, a ratio is between 0 and 1. A
    threshold the signal can never cross, or always crosses, is a definition error;
    a signal that can go lower or higher says so (minimum=seconds(-5) for a clock offset,
    maximum=UNBOUNDED for a share of a limit that can pass 100%).
    """

    record: str
    expr: str
    unit: Unit
    description: str
    minimum: Quantity | float | Unbounded | None = None  # None: 0
    maximum: Quantity | float | Unbounded | None = None  # None: 1 for a ratio, else unbounded
    # A past value its panels show beside it, e.g. weeks(1): the same time last week, for a
    # runbook's "at baseline levels" or "expected diurnal patterns".
    baseline: Quantity | None = None

    @property
    def label(self) -> str:
        return f"Signal {self.record!r}"

    def validate(self) -> None:
        record = self.need_text("record")
        if not RECORD_NAME.match(record) or len(record) > 200:
            raise self.fail("record", f"{record[:200]!r} must be level:metric:operations, e.g. 'service:order_latency_seconds:p95_5m'")
        expr = self.need_text("expr")
        if len(expr) > MAX_EXPR:
            raise self.fail("expr", f"is {len(expr)} characters long; a recording rule of more than {MAX_EXPR} is a mistake (split it into signals)")
        try:
            tree = parse(expr)
        except PromQLError as exc:
            raise self.fail("expr", str(exc)) from None
        except RecursionError:
            raise self.fail("expr", "is nested too deeply to read") from None
        kind = result_type(tree)
        if kind != VECTOR:
            hint = "wrap it in vector(...)" if kind == "scalar" else "a range needs a function over it, e.g. rate(x[5m]) or avg_over_time(x[5m])"
            raise self.fail("expr", f"is a {kind}, not an instant vector: Prometheus fails the recording rule at every evaluation ({hint})")
        if is_comparison(tree):
            raise self.fail("expr", "ends in a comparison that filters: when it fails the series vanishes, so an alert on this signal never sees "
                            "the bad value (record the value and let the alert compare, or compare with `bool`)")
        if record in metric_names(tree):
            raise self.fail("expr", f"reads {record!r}, the series it records: the rule would feed on itself")
        if not isinstance(self.unit, Unit):
            raise self.fail("unit", f"must be a unit such as ms, percent or per_second, got {self.unit!r}")
        self.need_line("description")
        if self.baseline is not None:
            self.need_duration("baseline", allow_zero=False)
        dimension = self.unit.dimension
        for name in ("minimum", "maximum"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), Unbounded):
                self.need_measure(name, getattr(self, name), dimension, record)
        low, high = self.bounds
        if not low < high:
            raise self.fail("maximum", f"must be above the minimum ({self._words(low)})")

    @cached_property
    def bounds(self) -> tuple[float, float]:
        """(lowest, highest) value the signal can take, in base units."""
        dimension = self.unit.dimension
        low = self._bound(self.minimum, 0.0, -math.inf)
        high = self._bound(self.maximum, 1.0 if dimension is RATIO else math.inf, math.inf)
        return low, high

    def _bound(self, value: Quantity | float | Unbounded | None, natural: float, unbounded: float) -> float:
        if value is None:
            return natural
        if isinstance(value, Unbounded):
            return unbounded
        return as_quantity(value, self.unit.dimension).base

    def _words(self, base: float) -> str:
        dimension = self.unit.dimension
        if dimension is RATIO:
            return f"{base * 100:g}%"
        return f"{base:g}{' ' + dimension.base_symbol if dimension.base_symbol else ''}"

    @property
    def range_words(self) -> str:
        low, high = self.bounds
        if not math.isfinite(low):
            return f"at most {self._words(high)}" if math.isfinite(high) else "any number"
        return f"between {self._words(low)} and {self._words(high)}" if math.isfinite(high) else f"at least {self._words(low)}"

    def reach_problem(self, direction: Direction, threshold: Quantity) -> str | None:
        """Why a comparison with threshold never or always holds for this signal, or None."""
        low, high = self.bounds
        t = threshold.base
        if direction.upward:
            never = t > high if direction.inclusive else t >= high
            always = t <= low if direction.inclusive else t < low
        else:
            never = t < low if direction.inclusive else t <= low
            always = t >= high if direction.inclusive else t > high
        if never:
            return (f"{direction.words} {threshold} never happens: signal {self.record!r} is {self.range_words}, so it can never fire "
                    "(if the signal can go further, give Signal(minimum=...) or maximum=...)")
        if always:
            return (f"{direction.words} {threshold} always holds: signal {self.record!r} is {self.range_words}, so it would fire all the time")
        return None

    def value_problem(self, value: Quantity) -> str | None:
        """Why the signal cannot hold this value, or None."""
        low, high = self.bounds
        if not low <= value.base <= high:
            return f"{value} is outside what signal {self.record!r} can be ({self.range_words})"
        return None

    @cached_property
    def numbers(self) -> tuple[tuple[Dimension, float, float], ...]:
        """Windows and numbers written in the expression (dimension, base value, as written):
        an alert's text may state them ('restarted in the last 15 minutes')."""
        found: list[tuple[Dimension, float, float]] = []
        for node, _ in walk(parse(self.expr)):
            if isinstance(node, (Selector, Subquery)):
                found += [(TIME, float(s), float(s)) for s in (node.range, node.offset, getattr(node, "step", None)) if s]
            elif isinstance(node, Number) and math.isfinite(node.value):
                found.append((COUNT, node.value, node.value))
        return tuple(found)

    @property
    def baseline_seconds(self) -> int:
        return duration_seconds(self.baseline) if self.baseline is not None else 0
