"""Which PromQL functions and aggregations a Prometheus version knows, and which need
`--enable-feature=promql-experimental-functions`.

promql-parser knows the newest set (less holt_winters, registered in tree.py); whether a
function exists in the Prometheus that will load the rules is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass

Version = tuple[int, int]
EXPERIMENTAL_FEATURE = "promql-experimental-functions"


@dataclass(frozen=True)
class Availability:
    since: Version = (2, 0)
    until: Version | None = None  # removed in this version
    experimental: bool = False  # needs EXPERIMENTAL_FEATURE
    replacement: str = ""


_SINCE = {
    (2, 16): ("absent_over_time",),
    (2, 26): ("clamp", "last_over_time", "sgn", "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh",
              "sin", "sinh", "tan", "tanh", "deg", "rad", "pi"),
    (2, 29): ("present_over_time",),
    (2, 40): ("histogram_count", "histogram_sum", "histogram_fraction"),
    (2, 49): ("histogram_stddev", "histogram_stdvar"),
    (2, 50): ("histogram_avg",),
}
_EXPERIMENTAL_SINCE = {
    (2, 49): ("sort_by_label", "sort_by_label_desc"),
    (2, 53): ("mad_over_time",),
    (2, 54): ("limitk", "limit_ratio"),
    (3, 0): ("double_exponential_smoothing", "info"),
    (3, 5): ("ts_of_min_over_time", "ts_of_max_over_time", "ts_of_last_over_time"),
    (3, 7): ("first_over_time", "ts_of_first_over_time", "start", "end", "range", "step", "histogram_quantiles", "integral"),
}

AVAILABILITY: dict[str, Availability] = {
    **{name: Availability(since) for since, names in _SINCE.items() for name in names},
    **{name: Availability(since, experimental=True) for since, names in _EXPERIMENTAL_SINCE.items() for name in names},
    "holt_winters": Availability(until=(3, 0), replacement="double_exponential_smoothing"),
}

# Functions the parser must accept for older Prometheus versions: (name, argument types, return type).
EXTRA_FUNCTIONS = (("holt_winters", ("matrix", "scalar", "scalar"), "vector"),)


def version_text(version: Version) -> str:
    return f"{version[0]}.{version[1]}"


def parse_version(text: str) -> Version:
    """'2.42.0+ds', 'v3.5' or '3' as (major, minor); ValueError otherwise."""
    parts = text.strip().lstrip("v").split("+")[0].split("-")[0].split(".")
    try:
        return (int(parts[0]), int(parts[1]) if len(parts) > 1 else 0)
    except (ValueError, IndexError):
        raise ValueError(f"{text!r} is not a version like 2.42 or 3.5") from None


def problem(name: str, version: Version, features: frozenset[str] = frozenset()) -> str | None:
    """Why `name` (a function or aggregation) cannot be used with this Prometheus, or None."""
    known = AVAILABILITY.get(name)
    if known is None:
        return None
    if version < known.since:
        return f"{name}() needs Prometheus {version_text(known.since)} or later (checking for {version_text(version)})"
    if known.until is not None and version >= known.until:
        instead = f"; use {known.replacement}()" if known.replacement else ""
        return f"{name}() was removed in Prometheus {version_text(known.until)} (checking for {version_text(version)}){instead}"
    if known.experimental and EXPERIMENTAL_FEATURE not in features:
        return f"{name}() is experimental: Prometheus rejects it unless started with --enable-feature={EXPERIMENTAL_FEATURE}"
    return None
