"""Service level objectives: an SLI, an objective over a period, and burn-rate alert tiers.

Three kinds of SLI say what a bad event is: a ratio of counters (RatioSLI), requests
slower than a histogram bucket (LatencySLI), or time a recorded signal is out of bounds
(TimeSLI). Alerting follows the SRE workbook's multiwindow, multi-burn-rate tiers; a
tier that can never fire is a definition error, not a silent dead alert.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from fractions import Fraction
from typing import TYPE_CHECKING

from .base import CAMEL, Defined
from .directions import Direction, direction_problem
from ..promql import Selector, is_label_name
from ..promql.series import example_labels, parse_selector
from .durations import duration_seconds, prom_duration
from .routing import Priority
from .signals import Signal
from .units import RATIO, TIME, Quantity, as_quantity, days, hours, minutes, seconds



class TierKind(Enum):
    """What a burn-rate tier does: page someone now, or open a ticket."""

    PAGE = "page"
    TICKET = "ticket"

    @property
    def severity(self) -> str:
        return "critical" if self is TierKind.PAGE else "warning"


PAGE = TierKind.PAGE
TICKET = TierKind.TICKET

if TYPE_CHECKING:
    from .system import Service

MINUTE = 60
# Where the workbook's numbers come from: the share of the period's budget a tier lets
# burn within its long window (page: 2% in 1h, 5% in 6h; ticket: 10% in 1d, 10% in 3d).
# For 30 days these are the factors 14.4, 6, 3 and 1. No `for`: the windows already say how
# long a burn must last, and a `for` only delays the page.
WORKBOOK = (
    (PAGE, hours(1), minutes(5), Fraction(2, 100)),
    (PAGE, hours(6), minutes(30), Fraction(5, 100)),
    (TICKET, days(1), hours(2), Fraction(10, 100)),
    (TICKET, days(3), hours(6), Fraction(10, 100)),
)
# The Prometheus client libraries' default histogram buckets, in seconds.
DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10)


def window_name(seconds: int) -> str:
    """A window as record names and labels spell it: the largest whole unit ('30d', not '4w2d')."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    raise ValueError(seconds)


def exact(value: float | int | Fraction) -> Fraction:
    """A decimal number as written (14.4 is 72/5, not the float nearest it)."""
    return value if isinstance(value, Fraction) else Fraction(str(value))


def _minutes(owner: Defined, field_name: str, allow_zero: bool = True) -> int:
    seconds = owner.need_duration(field_name, allow_zero=allow_zero)
    if seconds % MINUTE:
        raise owner.fail(field_name, f"{getattr(owner, field_name)!r} must be whole minutes: SLO rules are evaluated once a minute")
    return seconds


@dataclass(frozen=True, kw_only=True)
class BurnRateTier(Defined):
    """Alert when the error ratio exceeds factor x budget over both the long and the short window."""

    kind: TierKind  # PAGE or TICKET
    long: Quantity  # e.g. hours(1)
    short: Quantity  # e.g. minutes(5)
    factor: float
    for_: Quantity = seconds(0)

    @property
    def label(self) -> str:
        kind = self.kind.value if isinstance(self.kind, TierKind) else self.kind
        return f"BurnRateTier {kind} {prom_duration(self.long)}/{prom_duration(self.short)}"

    def validate(self) -> None:
        if not isinstance(self.kind, TierKind):
            raise self.fail("kind", f"must be PAGE or TICKET, got {self.kind!r}")
        long, short = _minutes(self, "long", False), _minutes(self, "short", False)
        if short < 5 * MINUTE:
            raise self.fail("short", f"{prom_duration(self.short)} is shorter than 5m, the least the SLO rules count events over")
        if short >= long:
            raise self.fail("short", f"{prom_duration(self.short)} must be shorter than the long window {prom_duration(self.long)}")
        if isinstance(self.factor, bool) or not isinstance(self.factor, (int, float, Fraction)) or not self.factor > 0:
            raise self.fail("factor", f"must be a positive number (a burn rate such as 14.4), got {self.factor!r}")
        if _minutes(self, "for_"):
            raise self.fail("for_", f"no `for` on a burn-rate tier ({prom_duration(self.for_)} given): its windows already say how long a burn lasts, a `for` only delays the page")

    @property
    def long_seconds(self) -> int:
        return duration_seconds(self.long)

    @property
    def short_seconds(self) -> int:
        return duration_seconds(self.short)

    @property
    def for_seconds(self) -> int:
        return duration_seconds(self.for_)

    @property
    def severity(self) -> str:
        return self.kind.severity


def workbook_tiers(period: Quantity = days(30)) -> tuple[BurnRateTier, ...]:
    """The workbook's four tiers for a period: the same budget shares, so 14.4x, 6x, 3x, 1x over 30 days."""
    period_seconds = duration_seconds(period)
    return tuple(
        BurnRateTier(kind=kind, long=long, short=short, factor=float(share * period_seconds / duration_seconds(long)))
        for kind, long, short, share in WORKBOOK
    )


def _selector(owner: Defined, field_name: str) -> tuple[Selector, str]:
    """The selector of a field and its metric name (an SLI names its metric)."""
    text = owner.need_text(field_name)
    try:
        selector = parse_selector(text)
    except ValueError as exc:
        raise owner.fail(field_name, str(exc)) from None
    if not selector.name:
        raise owner.fail(field_name, f"{text!r} names no metric: write it as metric_name{{label=\"value\"}}")
    return selector, selector.name


@dataclass(frozen=True, kw_only=True)
class RatioSLI(Defined):
    """Bad events over all events, from counters: errors/total, or 1 - good/total."""

    total: str  # selector of the counter of every event
    errors: str | None = None  # selector of the bad events' counter
    good: str | None = None  # or of the good events' counter

    def validate(self) -> None:
        total, total_name = _selector(self, "total")
        if (self.errors is None) == (self.good is None):
            raise self.fail("errors", "give errors=... (bad events) or good=... (good events), one of them")
        field_name = "errors" if self.errors is not None else "good"
        part, part_name = _selector(self, field_name)
        for name, metric in (("total", total_name), (field_name, part_name)):
            if not metric.endswith("_total"):
                raise self.fail(name, f"{metric!r} is not a counter (counters end in _total)")
        if part.name == total.name:
            missing = [str(m) for m in total.matchers if m not in part.matchers]
            if missing:
                raise self.fail(field_name, f"keeps every matcher of total ({', '.join(missing)} is missing), else it counts events total does not")
            if example_labels(total, avoid=part) is None:
                raise self.fail(field_name, "selects the same series as total: add the matcher that tells them apart, e.g. code=~\"5..\"")
        if example_labels(part) is None:
            raise self.fail(field_name, "no label values match it (the generated tests need one series it selects)")

    @property
    def total_selector(self) -> Selector:
        return parse_selector(self.total)

    @property
    def part_selector(self) -> Selector:
        part = self.errors if self.errors is not None else self.good
        assert part is not None  # validate() requires errors or good
        return parse_selector(part)

    @property
    def counts_good(self) -> bool:
        return self.good is not None


@dataclass(frozen=True, kw_only=True)
class LatencySLI(Defined):
    """Requests slower than a threshold, from a histogram: everything above one bucket boundary."""

    histogram: str  # selector of the histogram by its base name, e.g. 'http_request_duration_seconds{job="api"}'
    threshold: Quantity
    buckets: tuple[float, ...] = DEFAULT_BUCKETS  # the boundaries the histogram is instrumented with, in seconds

    def validate(self) -> None:
        selector, metric = _selector(self, "histogram")
        if metric.endswith(("_bucket", "_count", "_sum")):
            base = metric.rsplit("_", 1)[0]
            raise self.fail("histogram", f"name the histogram without its suffix: {base!r}, not {metric!r}")
        if any(m.name == "le" for m in selector.matchers):
            raise self.fail("histogram", "no le matcher: the threshold picks the bucket")
        try:
            threshold = as_quantity(self.threshold, TIME)
        except TypeError as exc:
            raise self.fail("threshold", str(exc)) from None
        if threshold.unit.dimension is not TIME:
            raise self.fail("threshold", f"{threshold} is {threshold.unit.dimension.name}, a latency threshold is a time")
        buckets = self.need_tuple("buckets", (int, float))
        if not buckets or list(buckets) != sorted(set(buckets)) or buckets[0] <= 0:
            raise self.fail("buckets", "list the histogram's bucket boundaries in seconds, ascending, each once, above 0")
        if threshold.base not in buckets:
            below = [b for b in buckets if b < threshold.base]
            above = [b for b in buckets if b > threshold.base]
            near = " or ".join(f"{b:g} s" for b in (below[-1:] + above[:1]))
            raise self.fail(
                "threshold",
                f"{threshold} is not a bucket boundary of {selector.name} (buckets: {', '.join(f'{b:g}' for b in buckets)} s): "
                f"a histogram only counts requests at or below a boundary. Use {near}, or add {threshold.base:g} to the histogram's buckets",
            )

    @property
    def selector(self) -> Selector:
        return parse_selector(self.histogram)


@dataclass(frozen=True, kw_only=True)
class TimeSLI(Defined):
    """The share of time a recorded signal is bad, sampled once a minute.

    With a threshold: bad while the signal is beyond it (staleness above 5 s). Without:
    the signal is itself the good share, a ratio (the share of instances up).
    """

    signal: Signal
    bad_when: Direction | None = None  # e.g. ABOVE the threshold
    threshold: Quantity | float | None = None

    def validate(self) -> None:
        if not isinstance(self.signal, Signal):
            raise self.fail("signal", f"must be a Signal, got {self.signal!r}")
        dimension = self.signal.unit.dimension
        if self.threshold is None:
            if self.bad_when is not None:
                raise self.fail("threshold", "give the threshold bad_when refers to")
            if dimension is not RATIO:
                raise self.fail("threshold", f"signal {self.signal.record!r} is {dimension.name}: give bad_when and a threshold, or a ratio signal that is the good share")
            return
        problem = direction_problem(self.bad_when)
        if problem is not None:
            raise self.fail("bad_when", problem)
        threshold = self.need_measure("threshold", self.threshold, dimension, self.signal.record)
        bad_when = self.bad_when
        assert bad_when is not None  # direction_problem refuses None
        problem = self.signal.reach_problem(bad_when, threshold)
        if problem is not None:
            never = "never happens" in problem
            raise self.fail("threshold", f"the condition {bad_when.words} {threshold} {'never holds' if never else 'always holds'}: "
                            f"signal {self.signal.record!r} is {self.signal.range_words}, so the SLO would {'never spend' if never else 'always burn'} its budget")

    @property
    def is_condition(self) -> bool:
        return self.threshold is not None

    @property
    def threshold_quantity(self) -> Quantity:
        """The threshold in the signal's unit (a plain number is a count); only for a condition."""
        if self.threshold is None:
            raise ValueError(f"{self.label} has no threshold: it is not a condition")
        return as_quantity(self.threshold, self.signal.unit.dimension)


SLI = (RatioSLI, LatencySLI, TimeSLI)


@dataclass(frozen=True, kw_only=True)
class SLO(Defined):
    """An objective for one SLI over a period, alerting on how fast its error budget burns.

    tiers=None gives the workbook's four tiers for the period; () turns burn alerts off.
    group_by makes one SLO per value (per exchange, per instrument).
    """

    name: str
    title: str
    description: str  # what the objective promises users
    service: Service  # the service that owns it: its name and team label the alerts
    sli: RatioSLI | LatencySLI | TimeSLI
    objective: Quantity  # e.g. percent(99.9)
    page_priority: Priority
    ticket_priority: Priority
    actions: tuple[str, ...]
    period: Quantity = days(30)
    group_by: tuple[str, ...] = ()
    tiers: tuple[BurnRateTier, ...] | None = None  # None: the workbook's tiers for the period (see burn_tiers)
    no_data_for: Quantity | None = None  # alert when the SLI's series are absent this long
    no_traffic_for: Quantity | None = None  # alert when the SLI's counters are there but count no event this long

    def validate(self) -> None:
        from .system import Service  # the System module imports this one

        name = self.need_slug("name")
        if len(name) > 30:
            raise self.fail("name", f"{name!r} is longer than 30 characters (rule groups and alert names are built from it)")
        for field_name in ("title", "description"):
            self.need_text(field_name)
        for field_name in ("page_priority", "ticket_priority"):
            self.need_object(field_name, Priority)
        if not isinstance(self.service, Service):
            raise self.fail("service", f"must be the Service the SLO belongs to, got {self.service!r}")
        if not isinstance(self.sli, SLI):
            raise self.fail("sli", f"must be a RatioSLI, LatencySLI or TimeSLI, got {self.sli!r}")
        if not self.need_tuple("actions", str):
            raise self.fail("actions", "list at least one first action for the operator")
        try:
            objective = as_quantity(self.objective, RATIO)
        except TypeError as exc:
            raise self.fail("objective", str(exc)) from None
        if objective.unit.dimension is not RATIO or not 0 < objective.base < 1:
            raise self.fail("objective", f"must be a share strictly between 0% and 100%, such as percent(99.9), got {objective}")
        period = _minutes(self, "period", allow_zero=False)
        if period % 3600:
            raise self.fail("period", f"{prom_duration(self.period)} is not whole hours: the budget adds up the period hour by hour")
        for label in self.need_tuple("group_by", str):
            if not is_label_name(label) or label in ("le", "slo", "system", "__name__"):
                raise self.fail("group_by", f"{label!r} is not a label an SLO can be grouped by")
        if self.no_data_for is not None:
            _minutes(self, "no_data_for", allow_zero=False)
        if self.no_traffic_for is not None:
            if isinstance(self.sli, TimeSLI):
                raise self.fail("no_traffic_for", "a time-based SLI has no traffic to stop: use no_data_for for its signal")
            if _minutes(self, "no_traffic_for") < 5 * MINUTE:
                raise self.fail("no_traffic_for", f"{prom_duration(self.no_traffic_for)} is shorter than the 5m the events are counted over")
        if self.tiers is not None:
            self.need_tuple("tiers", BurnRateTier)
        tiers = self.burn_tiers
        seen = set()
        for tier in tiers:
            if (tier.long_seconds, tier.short_seconds) in seen:
                raise self.fail("tiers", f"two tiers use the windows {prom_duration(tier.long)}/{prom_duration(tier.short)}")
            seen.add((tier.long_seconds, tier.short_seconds))
            if tier.long_seconds > period:
                raise self.fail("tiers", f"the {tier.kind.value} tier's long window {prom_duration(tier.long)} is longer than the period {prom_duration(self.period)}")
            ratio = exact(tier.factor) * self.budget
            if ratio > 1:
                raise self.fail(
                    "tiers",
                    f"the {tier.kind.value} tier {prom_duration(tier.long)}/{prom_duration(tier.short)} at {tier.factor:g}x can never fire: "
                    f"{tier.factor:g} x (1 - {objective}) = {float(ratio):g}, and an error ratio cannot reach above 100%. "
                    "Lower its factor, raise the objective or drop the tier",
                )
        if isinstance(self.sli, TimeSLI) and self.sli.is_condition:
            self._validate_one_bad_minute(tiers)
        for alert_name in self.alert_names:
            if not CAMEL.match(alert_name) or len(alert_name) > 40:
                raise self.fail("name", f"gives the alert name {alert_name!r}, longer than 40 characters: shorten the name")

    def _validate_one_bad_minute(self, tiers) -> None:
        """A condition is sampled once a minute: one bad sample must not fill a tier on its own."""
        for tier in tiers:
            samples = tier.long_seconds // MINUTE  # a window of n minutes averages its last n samples
            if Fraction(1, samples) >= exact(tier.factor) * self.budget:
                limit = 1 - Fraction(1, samples) / exact(tier.factor)
                raise self.fail(
                    "objective",
                    f"{self.objective} is too tight for a time-based SLI sampled once a minute: one bad minute is "
                    f"{100 / samples:.3g}% of the {prom_duration(tier.long)} window, at or above the {tier.kind.value} tier's {float(exact(tier.factor) * self.budget) * 100:.3g}%, "
                    f"so every single bad minute would {tier.kind.value}. Use an objective of at most {math.floor(float(limit) * 10000) / 100:g}%, "
                    "or a TimeSLI on a ratio signal, or a RatioSLI",
                )

    @cached_property
    def burn_tiers(self) -> tuple[BurnRateTier, ...]:
        """The tiers that alert: the author's, or the workbook's for the period when none are given."""
        return tuple(self.tiers) if self.tiers is not None else workbook_tiers(self.period)

    @property
    def objective_ratio(self) -> float:
        return self.objective.base

    @cached_property
    def budget(self) -> Fraction:
        """The error budget as an exact share: 1 - objective."""
        return 1 - exact(self.objective.value) * self.objective.unit.factor

    def threshold(self, tier: BurnRateTier) -> float:
        """The error ratio a tier compares both windows against: factor x budget."""
        return float(exact(tier.factor) * self.budget)

    @property
    def period_seconds(self) -> int:
        return duration_seconds(self.period)

    @property
    def camel_name(self) -> str:
        return "".join(part.capitalize() for part in self.name.split("-"))

    @property
    def alert_name(self) -> str:
        return f"{self.camel_name}BudgetBurn"

    @property
    def no_data_alert_name(self) -> str:
        return f"{self.camel_name}SLIAbsent"

    @property
    def no_traffic_alert_name(self) -> str:
        return f"{self.camel_name}NoTraffic"

    @property
    def no_traffic_seconds(self) -> int:
        return duration_seconds(self.no_traffic_for) if self.no_traffic_for is not None else 0

    @property
    def missing_alert_name(self) -> str:
        return f"{self.camel_name}SLIMissing"

    @property
    def can_miss_a_series(self) -> bool:
        """A latency SLI's bucket, or a ratio SLI's metric of its own, can go missing while the rest stays."""
        sli = self.sli
        return isinstance(sli, LatencySLI) or (isinstance(sli, RatioSLI) and sli.part_selector.name != sli.total_selector.name)

    @property
    def alert_names(self) -> tuple[str, ...]:
        names: tuple[str, ...] = (self.alert_name,) if self.burn_tiers else ()
        names += (self.missing_alert_name,) if self.can_miss_a_series else ()
        names += (self.no_traffic_alert_name,) if self.no_traffic_for is not None else ()
        return names + ((self.no_data_alert_name,) if self.no_data_for is not None else ())

    @property
    def no_data_seconds(self) -> int:
        return duration_seconds(self.no_data_for) if self.no_data_for is not None else 0

    def priority(self, tier: BurnRateTier) -> Priority:
        return self.page_priority if tier.kind == PAGE else self.ticket_priority

