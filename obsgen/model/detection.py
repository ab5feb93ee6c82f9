"""Detection time: how long after a condition starts its notification goes out.

For a threshold alert: the signal's window (how long its value takes to show the
change) + `for` + the rule evaluation interval + the group wait of the priority's route.
A signal's window is the longest range its expression reads, except a count of events in
a window compared upward (increase, max_over_time, ...): the event that crosses the line
shows at the next evaluation. For an SLO tier: the time a total outage takes to fill the
tier's long window to its threshold + `for` + evaluation + group wait; a tier kind is as
fast as its fastest tier. Each must be at most the response time of its priority.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..promql import parse
from ..promql.analysis import windows
from .directions import Direction
from .durations import duration_seconds, human_duration
from .routing import Priority
from .signals import Signal
from .slo import SLO, TierKind, exact

# Functions whose value rises at once when one new sample in their range is high or an event is counted.
EVENT_COUNTS = frozenset({
    "increase", "changes", "resets", "count_over_time", "sum_over_time", "max_over_time", "last_over_time", "present_over_time",
})


def window_seconds(signal: Signal, direction: Direction) -> int:
    """How long the signal's value can take to show that the condition started."""
    longest = 0.0
    for seconds, reader in windows(parse(signal.expr)):
        if direction.upward and reader in EVENT_COUNTS:
            continue
        longest = max(longest, seconds)
    return int(longest)


@dataclass(frozen=True)
class Detection:
    """The parts of a detection time, in seconds, and the promise it is held to."""

    window: int  # the signal's window, or the outage time of an SLO tier
    for_: int
    evaluation: int
    group_wait: int
    priority: Priority
    window_words: str = "window"

    @property
    def total(self) -> int:
        return self.window + self.for_ + self.evaluation + self.group_wait

    @property
    def fits(self) -> bool:
        return self.total <= self.priority.response_seconds

    @property
    def words(self) -> str:
        """'5m window + 2m for + 1m evaluation + 30s group wait = 8m30s'."""
        parts = [(self.window, self.window_words), (self.for_, "for"), (self.evaluation, "evaluation"), (self.group_wait, "group wait")]
        return " + ".join(f"{short(s)} {what}" for s, what in parts) + f" = {short(self.total)}"


def short(seconds: float) -> str:
    """43200 -> '12h', 510 -> '8m30s', 51.8 -> '52s'."""
    whole = round(seconds)
    if whole == 0:
        return "0s"
    parts = [(whole // 86400, "d"), (whole % 86400 // 3600, "h"), (whole % 3600 // 60, "m"), (whole % 60, "s")]
    return "".join(f"{n}{u}" for n, u in parts if n)


def alert_detection(alert, priority: Priority, evaluation: int) -> Detection:
    return Detection(
        window=window_seconds(alert.signal, alert.direction), for_=alert.for_seconds, evaluation=evaluation,
        group_wait=duration_seconds(priority.group_wait), priority=priority,
    )


def tier_detection(slo: SLO, tier, evaluation: int) -> Detection:
    priority = slo.priority(tier)
    outage = float(exact(tier.factor) * slo.budget * tier.long_seconds)
    return Detection(
        window=int(-(-outage // 1)), for_=tier.for_seconds, evaluation=evaluation,
        group_wait=duration_seconds(priority.group_wait), priority=priority, window_words="outage fills the window",
    )


def slo_detections(slo: SLO, evaluation: int) -> dict[TierKind, Detection]:
    """Per tier kind, the fastest tier's detection of a total outage."""
    fastest: dict[TierKind, Detection] = {}
    for tier in slo.burn_tiers:
        found = tier_detection(slo, tier, evaluation)
        if tier.kind not in fastest or found.total < fastest[tier.kind].total:
            fastest[tier.kind] = found
    return fastest


def promise_words(detection: Detection) -> str:
    priority = detection.priority
    return f"{priority.name} promises a response within {human_duration(priority.response_seconds)}"
