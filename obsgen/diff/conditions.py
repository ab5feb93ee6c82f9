"""When an alert fires, read from its PromQL tree: thresholds, windows and `for`.

A threshold is a comparison with a number; its window is the longest range the compared
side reads, through the recording rules it selects (`slo:sli_error:ratio_rate1h` reads a
1h range). Between two versions of an alert, each moved threshold, window and `for` says
whether the alert now fires earlier or later; anything else that changed in the
expression is a different condition, said as such.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..model.durations import parse_duration
from ..promql import Binary, Number, PromQLError, Selector, Subquery, parse, walk
from ..promql.rewrite import transform
from ..promql.tree import COMPARISONS, duration
from .result import Timing

EARLIER, LATER, CHANGED = "earlier", "later", "changed"
_FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}
_UPWARD = (">", ">=")  # fires when the value rises past the threshold
_DOWNWARD = ("<", "<=")

WindowOf = Callable[[Selector], "float | None"]  # a recorded series' window, on the side that records it


@dataclass(frozen=True)
class Comparison:
    """`something OP number`, written the number's way round."""

    side: str  # the compared expression, as PromQL
    op: str
    value: float
    window: float | None  # seconds: the longest range the compared side reads

    @property
    def threshold(self) -> str:
        return f"{self.op} {self.value:g}"


@dataclass(frozen=True)
class Condition:
    comparisons: tuple[Comparison, ...]
    shape: str  # the expression with thresholds and ranges blanked: equal shapes, same condition
    parsed: bool = True


def longest_range(node, window_of: WindowOf) -> float | None:
    found = []
    for n, _ in walk(node):
        if isinstance(n, Selector):
            if n.range is not None:
                found.append(n.range)
            elif n.name:
                recorded = window_of(n)
                if recorded:
                    found.append(recorded)
        elif isinstance(n, Subquery):
            found.append(n.range)
    return max(found) if found else None


def _blank(node):
    def one(n):
        if isinstance(n, Binary) and n.op in COMPARISONS and not n.bool_:
            if isinstance(n.rhs, Number):
                return replace(n, rhs=Number(0.0))
            if isinstance(n.lhs, Number):
                return replace(n, lhs=Number(0.0))
        if isinstance(n, Selector) and n.range is not None:
            return replace(n, range=1.0)
        if isinstance(n, Subquery):
            return replace(n, range=1.0)
        return n

    return transform(node, one)


def condition(expr: str, window_of: WindowOf) -> Condition:
    try:
        node = parse(expr)
    except PromQLError:
        return Condition((), expr, parsed=False)
    comparisons = []
    for n, _ in walk(node):
        if not isinstance(n, Binary) or n.op not in COMPARISONS or n.bool_:
            continue
        if isinstance(n.rhs, Number) and not isinstance(n.lhs, Number):
            comparisons.append(Comparison(str(n.lhs), n.op, n.rhs.value, longest_range(n.lhs, window_of)))
        elif isinstance(n.lhs, Number) and not isinstance(n.rhs, Number):
            comparisons.append(Comparison(str(n.rhs), _FLIP[n.op], n.lhs.value, longest_range(n.rhs, window_of)))
    return Condition(tuple(comparisons), str(_blank(node)))


def only_ranges_moved(old_expr: str, new_expr: str) -> bool:
    """Whether two expressions differ in their range windows alone (a recording rule whose
    window moved reads the same series over another span)."""
    no_window: WindowOf = lambda _: None  # noqa: E731
    old, new = condition(old_expr, no_window), condition(new_expr, no_window)
    return old.parsed and new.parsed and old.shape == new.shape and [
        (c.op, c.value) for c in old.comparisons] == [(c.op, c.value) for c in new.comparisons]


def _threshold_verdict(old: Comparison, new: Comparison) -> str:
    if old.op in _UPWARD and new.op in _UPWARD:
        if new.value != old.value:
            return EARLIER if new.value < old.value else LATER
        return EARLIER if new.op == ">=" else LATER  # the line itself now breaches, or no longer does
    if old.op in _DOWNWARD and new.op in _DOWNWARD:
        if new.value != old.value:
            return EARLIER if new.value > old.value else LATER
        return EARLIER if new.op == "<=" else LATER
    return CHANGED


def _seconds(text: str) -> float:
    try:
        return float(parse_duration(text)) if text and text != "0" else 0.0
    except ValueError:
        return -1.0


def timing(old_expr: str, new_expr: str, old_for: str, new_for: str, old_window: WindowOf, new_window: WindowOf) -> list[Timing]:
    """What moved between two versions of an alert, each with when it now fires."""
    found: list[Timing] = []
    if old_expr != new_expr:
        old, new = condition(old_expr, old_window), condition(new_expr, new_window)
        if old.shape != new.shape or len(old.comparisons) != len(new.comparisons):
            found.append(Timing("expression", old_expr, new_expr, CHANGED))
        if len(old.comparisons) == len(new.comparisons):
            for a, b in zip(old.comparisons, new.comparisons):
                if (a.op, a.value) != (b.op, b.value):
                    found.append(Timing("threshold", a.threshold, b.threshold, _threshold_verdict(a, b)))
                if a.window != b.window and a.window is not None and b.window is not None:
                    found.append(Timing("window", duration(a.window), duration(b.window), EARLIER if b.window < a.window else LATER))
    else:
        # Same text; a recording rule it reads may now cover another window.
        old, new = condition(old_expr, old_window), condition(new_expr, new_window)
        for a, b in zip(old.comparisons, new.comparisons):
            if a.window != b.window and a.window is not None and b.window is not None:
                found.append(Timing("window", duration(a.window), duration(b.window), EARLIER if b.window < a.window else LATER))
    if old_for != new_for:
        was, now = _seconds(old_for), _seconds(new_for)
        found.append(Timing("for", old_for, new_for, CHANGED if min(was, now) < 0 else EARLIER if now < was else LATER))
    return dedupe(found)


def dedupe(items: list[Timing]) -> list[Timing]:
    """One line per distinct change (an SLO alert's two windows often move together)."""
    return list(dict.fromkeys(items))


def verdict(timings: list[Timing]) -> str | None:
    """EARLIER or LATER when every moved part agrees; CHANGED when they do not or the condition itself changed."""
    verdicts = {t.verdict for t in timings}
    if not verdicts:
        return None
    return verdicts.pop() if len(verdicts) == 1 else CHANGED
