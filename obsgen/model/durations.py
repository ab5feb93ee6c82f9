"""Prometheus durations ("90s", "5m", "1h30m") as whole seconds, and back."""

from __future__ import annotations

import re

_UNITS = (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
_PART = re.compile(r"(\d+)(ms|w|d|h|m|s)")
_WHOLE = re.compile(r"^(\d+(ms|w|d|h|m|s))+$")


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
