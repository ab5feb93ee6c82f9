"""Numbers in an alert's words: placeholders filled from its levels, and literal numbers
that must be the alert's own.

A summary that says "above {threshold}" follows the threshold when it moves; one that
says "above 100ms" does not, so a literal number that is none of the alert's values (a
threshold, `for`, `resolution`, a window or number of its signal) is a definition error.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .units import BYTES, RATE, RATIO, TIME, Dimension

# {name} alone, outside `code`; Go templates ({{ $value }}) and PromQL ({job="x"}) are not placeholders.
PLACEHOLDER = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")
_CODE = re.compile(r"`[^`]*`|\{\{.*?\}\}", re.S)
PLACEHOLDERS = {
    "threshold": "this level's threshold (in the handbook: every level's)",
    "warning": "the warning threshold",
    "critical": "the critical threshold",
    "for": "how long the condition holds before it fires, in words",
    "direction": "above, below, at or above, at or below",
    "priority": "this level's priority (in the handbook: every level's)",
    "resolution": "the expected time to resolve, in words",
}

_SCALE_UNITS: tuple[tuple[str, Dimension | None, float], ...] = (
    ("microseconds", TIME, 1e-6), ("microsecond", TIME, 1e-6), ("µs", TIME, 1e-6), ("us", TIME, 1e-6),
    ("milliseconds", TIME, 1e-3), ("millisecond", TIME, 1e-3), ("ms", TIME, 1e-3),
    ("seconds", TIME, 1), ("second", TIME, 1), ("secs", TIME, 1), ("sec", TIME, 1), ("s", TIME, 1),
    ("minutes", TIME, 60), ("minute", TIME, 60), ("mins", TIME, 60), ("min", TIME, 60), ("m", TIME, 60),
    ("hours", TIME, 3600), ("hour", TIME, 3600), ("hrs", TIME, 3600), ("hr", TIME, 3600), ("h", TIME, 3600),
    ("days", TIME, 86400), ("day", TIME, 86400), ("d", TIME, 86400), ("weeks", TIME, 604800), ("week", TIME, 604800), ("w", TIME, 604800),
    ("percent", RATIO, 0.01), ("%", RATIO, 0.01),
    ("bytes", BYTES, 1), ("B", BYTES, 1), ("KiB", BYTES, 1024), ("MiB", BYTES, 1024**2), ("GiB", BYTES, 1024**3), ("TiB", BYTES, 1024**4),
    ("KB", BYTES, 1e3), ("kB", BYTES, 1e3), ("MB", BYTES, 1e6), ("GB", BYTES, 1e9), ("TB", BYTES, 1e12),
    ("K", None, 1e3), ("k", None, 1e3), ("M", None, 1e6),
)
_RATE = r"(?:[a-z]+)?\s?(?:/|per\s)(?P<per>s|sec|second|min|minute|h|hr|hour)\b"
_PER = {"s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hr": 3600, "hour": 3600}
_NUMBER = re.compile(r"(?<![\w.$#§:/\\])(?<![A-Za-z]-)(?P<n>\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")
_UNIT = re.compile(
    r"\s?(?:" + _RATE + "|(?P<unit>" + "|".join(re.escape(u) for u, _, _ in sorted(_SCALE_UNITS, key=lambda u: -len(u[0]))) + r")(?![A-Za-z0-9]))"
)
_SCALES = {u: (d, f) for u, d, f in _SCALE_UNITS}
_SKIPPED = re.compile(r"\{\{.*?\}\}|`[^`]*`|" + PLACEHOLDER.pattern, re.S)


@dataclass(frozen=True)
class Number:
    """A number written in text, in base units (100ms -> 0.1 s)."""

    text: str
    base: float
    dimension: Dimension | None  # None: no unit, or a bare multiplier such as 50K


def _prose(text: str) -> list[tuple[bool, str]]:
    """(is prose, segment) pieces of text: code spans and Go templates are not prose."""
    pieces, at = [], 0
    for match in _CODE.finditer(text):
        pieces += [(True, text[at : match.start()]), (False, match.group(0))]
        at = match.end()
    return pieces + [(True, text[at:])]


def placeholders(text: str) -> list[str]:
    return [name for prose, piece in _prose(text) if prose for name in PLACEHOLDER.findall(piece)]


def render(text: str, values: dict[str, str]) -> str:
    """text with each {name} replaced by values[name] (validated names only)."""
    return "".join(PLACEHOLDER.sub(lambda m: values[m.group(1)], piece) if prose else piece for prose, piece in _prose(text))


def literal_numbers(text: str) -> list[Number]:
    """Every number written in text outside placeholders, templates and `code`; identifiers
    such as p95, P1, 5xx or HTTP/2 are not numbers."""
    found = []
    plain = _SKIPPED.sub(" ", text)
    for match in _NUMBER.finditer(plain):
        value = float(match.group("n").replace(",", ""))
        unit = _UNIT.match(plain, match.end())
        if unit is None:
            following = plain[match.end() : match.end() + 1]
            if following and (following.isalnum() or following == "_"):
                continue  # 5xx, 2nd, v2a: part of a word
            found.append(Number(match.group(0), value, None))
        elif unit.group("per"):
            found.append(Number(plain[match.start() : unit.end()], value / _PER[unit.group("per")], RATE))
        else:
            dimension, factor = _SCALES[unit.group("unit")]
            found.append(Number(plain[match.start() : unit.end()].strip(), value * factor, dimension))
    return found


def is_own(number: Number, own: list[tuple[Dimension, float, float]]) -> bool:
    """Whether a number in text is one of the values (dimension, base, as written) given."""
    for dimension, base, written in own:
        if number.dimension is None:
            if math.isclose(number.base, base, rel_tol=1e-9, abs_tol=1e-12) or math.isclose(number.base, written, rel_tol=1e-9, abs_tol=1e-12):
                return True
        elif number.dimension is dimension and math.isclose(number.base, base, rel_tol=1e-9, abs_tol=1e-12):
            return True
    return False
