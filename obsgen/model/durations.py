"""Durations: time quantities in definitions, Prometheus's spelling in generated files.

Definitions write every duration as a time quantity (seconds(30), minutes(5), hours(1),
days(30)); generated files spell it as Prometheus does ("30s", "5m", "1h", "30d"), in the
unit the author chose. Prometheus text ("5m") is parsed only where obsgen reads files.
"""

from __future__ import annotations

import math
import re

from .units import TIME, Quantity, quantity_problem

_UNITS = (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
_PART = re.compile(r"(\d+)(ms|w|d|h|m|s)")
_WHOLE = re.compile(r"^(\d+(ms|w|d|h|m|s))+$")
# Prometheus's suffix for each time unit obsgen has, by the unit's definition name.
_SUFFIX = {"ms": "ms", "seconds": "s", "minutes": "m", "hours": "h", "days": "d", "weeks": "w"}
_UNIT_OF_SUFFIX = {suffix: name for name, suffix in _SUFFIX.items()}
EXAMPLES = "seconds(30), minutes(5), hours(1) or days(30)"


def parse_duration(text: str) -> int:
    """Seconds in a Prometheus duration; ValueError when it is not one."""
    if not isinstance(text, str) or not _WHOLE.match(text):
        raise ValueError(f"{text!r} is not a duration like '30s', '5m' or '1h30m'")
    total_ms = 0
    for number, unit in _PART.findall(text):
        total_ms += int(number) * (1 if unit == "ms" else dict(_UNITS)[unit] * 1000)
    if total_ms % 1000:
        raise ValueError(f"{text!r}: durations here are whole seconds")
    return total_ms // 1000


def format_duration(seconds: int) -> str:
    """The canonical Prometheus spelling of a number of seconds (0 -> '0s')."""
    if seconds == 0:
        return "0s"
    parts = []
    for unit, size in _UNITS:
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts)


def human_duration(seconds: int) -> str:
    """Words for the handbook: 300 -> '5 minutes'."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        if seconds >= size and seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return format_duration(seconds)


def _as_quantity_text(text: str) -> str:
    """How to write a Prometheus duration as a time quantity: '5m' -> 'minutes(5)'."""
    parts = _PART.findall(text) if _WHOLE.match(text) else []
    if len(parts) == 1 and parts[0][1] != "ms":
        number, suffix = parts[0]
        return f"{_UNIT_OF_SUFFIX[suffix]}({number})"
    try:
        seconds = parse_duration(text)
    except ValueError:
        return f"a time quantity such as {EXAMPLES}"
    for name, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds and seconds % size == 0:
            return f"{name}({seconds // size})"
    return f"seconds({seconds})"


LONGEST = 366 * 86400  # a year: the longest duration any field takes unless it says otherwise


def duration_problem(value: object, allow_zero: bool = True, longest: Quantity | None = None) -> str | None:
    """Why value is not a duration a definition may give, or None when it is one."""
    if isinstance(value, str):
        return f"{value!r} is text: write durations as time quantities, here {_as_quantity_text(value)}"
    if not isinstance(value, Quantity) or value.unit.dimension is not TIME:
        return f"must be a time quantity such as {EXAMPLES}, got {value!r}"
    problem = quantity_problem(value, math.inf)
    if problem is not None:
        return problem
    if value.base != int(value.base):
        return f"{value!r} is not a whole number of seconds"
    if value.base < 0:
        return f"{value!r} is negative"
    if not allow_zero and value.base == 0:
        return "must be longer than 0 seconds"
    limit = longest.base if longest is not None else LONGEST
    if value.base > limit:
        return f"{value!r} is longer than {longest!r}, the longest this field takes" if longest is not None else f"{value!r} is longer than a year"
    return None


def duration_seconds(duration: Quantity) -> int:
    """Whole seconds of a validated time quantity."""
    return int(duration.base)


def prom_duration(duration: Quantity) -> str:
    """Prometheus's spelling, in the unit it was written in: minutes(90) -> '90m', days(30) -> '30d'."""
    suffix = _SUFFIX.get(duration.unit.name)
    if suffix is not None and float(duration.value).is_integer():
        return f"{int(duration.value)}{suffix}"
    return format_duration(duration_seconds(duration))
