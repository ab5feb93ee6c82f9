"""Units as values: every threshold carries its unit and converts to base units.

Prometheus stores base units (seconds, bytes, ratios, per-second rates), so that is what
rules and tests compare against; the unit a human wrote is kept for the handbook.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from fractions import Fraction


@dataclass(frozen=True)
class Dimension:
    """What a unit measures, how Grafana shows it and how alert text humanizes it."""

    name: str
    base_symbol: str
    grafana_unit: str
    humanize: str  # Go template pipeline applied to $value in descriptions


TIME = Dimension("time", "s", "s", "humanizeDuration")
RATIO = Dimension("ratio", "", "percentunit", "humanizePercentage")
BYTES = Dimension("bytes", "B", "decbytes", "humanize")
RATE = Dimension("rate", "/s", "cps", "humanize")
COUNT = Dimension("count", "", "short", "humanize")


@dataclass(frozen=True)
class Unit:
    """A unit of a dimension: base value = written value * factor."""

    symbol: str
    dimension: Dimension
    factor: Fraction
    name: str = ""  # what definitions call it, e.g. 'minutes': for messages

    def __call__(self, value: float) -> "Quantity":
        return Quantity(value, self)


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, as an operator wrote it (100 ms, 99.9 %, 5 per hour)."""

    value: float
    unit: Unit

    def __post_init__(self) -> None:
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float)):
            raise TypeError(f"a quantity needs a number, got {self.value!r}")

    @cached_property
    def base(self) -> float:
        """The value in base units, as Prometheus sees it."""
        # Exact decimal arithmetic: percent(99.9) is 0.999, not 0.9990000000000001.
        return float(Fraction(str(self.value)) * self.unit.factor)

    def __repr__(self) -> str:
        return f"{self.unit.name}({self.value:g})" if self.unit.name else f"Quantity({self.value:g}, {self.unit.symbol!r})"

    def __str__(self) -> str:
        number = f"{self.value:g}"
        if not self.unit.symbol:
            return number
        sep = "" if self.unit.symbol in ("%",) else " "
        return f"{number}{sep}{self.unit.symbol}"


us = Unit("µs", TIME, Fraction(1, 10**6), "us")
ms = Unit("ms", TIME, Fraction(1, 1000), "ms")
seconds = Unit("s", TIME, Fraction(1), "seconds")
minutes = Unit("min", TIME, Fraction(60), "minutes")
hours = Unit("h", TIME, Fraction(3600), "hours")
days = Unit("d", TIME, Fraction(86400), "days")
weeks = Unit("w", TIME, Fraction(604800), "weeks")
percent = Unit("%", RATIO, Fraction(1, 100), "percent")
ratio = Unit("", RATIO, Fraction(1), "ratio")
bytes_ = Unit("B", BYTES, Fraction(1), "bytes_")
MB = Unit("MB", BYTES, Fraction(10**6), "MB")
GB = Unit("GB", BYTES, Fraction(10**9), "GB")
per_second = Unit("per second", RATE, Fraction(1), "per_second")
per_minute = Unit("per minute", RATE, Fraction(1, 60), "per_minute")
per_hour = Unit("per hour", RATE, Fraction(1, 3600), "per_hour")
count = Unit("", COUNT, Fraction(1), "count")



def as_quantity(value: "Quantity | float | int", dimension: Dimension) -> "Quantity":
    """A plain number is accepted only where the signal is a count."""
    if isinstance(value, Quantity):
        return value
    if dimension is COUNT and isinstance(value, (int, float)) and not isinstance(value, bool):
        return Quantity(value, count)
    raise TypeError(f"{value!r} has no unit; write it as {dimension.name} (e.g. ms(100), percent(80))")


def quantity_problem(quantity: Quantity, limit: float) -> str | None:
    """Why a quantity cannot be a value obsgen writes, or None: not finite, or so large or
    so small (in base units) that Prometheus and the generated tests cannot tell it apart."""
    if isinstance(quantity.value, float) and not math.isfinite(quantity.value):
        return f"{quantity!r} is not a finite number"
    try:
        base = quantity.base
    except (OverflowError, ValueError, ZeroDivisionError):
        base = math.inf
    symbol = quantity.unit.dimension.base_symbol
    if not math.isfinite(base) or abs(base) > limit:
        return f"{quantity!r} is beyond {limit:g}{' ' + symbol if symbol else ''}, more than obsgen can compare exactly"
    if base and abs(base) < 1e-9:
        return f"{quantity!r} is below 1e-9{' ' + symbol if symbol else ''}, too small to tell from 0"
    return None
