"""The raw series an SLI reads, what each counts, and how promtool is fed them.

The generated SLO tests and `make bench-slo` both feed counters through the SLO rules:
for a label set, the counters an SLI selects (a ratio's total and part, a latency
histogram's count and threshold bucket), each counting all, good or bad events.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..promql import Selector
from ..promql.series import example_labels
from ..model.slo import SLO, LatencySLI, RatioSLI
from .slo_rules import le_matcher
from .thresholds import prom_number

TOTAL, GOOD, BAD = "total", "good", "bad"


@dataclass(frozen=True)
class Counter:
    metric: str
    labels: tuple[tuple[str, str], ...]
    role: str  # TOTAL, GOOD or BAD: which events it counts

    @property
    def text(self) -> str:
        return self.metric + "{" + ", ".join(f'{k}="{v}"' for k, v in self.labels) + "}"

    def label(self, name: str) -> str:
        return dict(self.labels).get(name, "")


def _counter(metric: str, labels: dict[str, str], role: str) -> Counter:
    return Counter(metric, tuple(sorted(labels.items())), role)


def _example(select: Selector, avoid: Selector | None = None) -> dict[str, str]:
    """Labels of a series the selector matches (the SLI's validation made sure there is one)."""
    return dict(_example_of(select, avoid))


@functools.lru_cache(maxsize=4096)
def _example_of(select: Selector, avoid: Selector | None) -> tuple[tuple[str, str], ...]:
    """Found once per selector: an SLO's scenarios feed its counters a dozen times."""
    labels = example_labels(select, avoid)
    assert labels is not None, f"no series matches {select}"
    return tuple(labels.items())


def _name(select: Selector) -> str:
    assert select.name is not None, f"{select} names no metric"  # an SLI's selectors name theirs
    return select.name


def counters(slo: SLO, labels: dict[str, str], le: str | None = None) -> list[Counter]:
    """The counters of the SLI for one label set; le spells the latency bucket (default: as Go does)."""
    sli = slo.sli
    if isinstance(sli, LatencySLI):
        base = {**_example(sli.selector), **labels}
        bucket = {**base, "le": le or prom_number(sli.threshold.base)}
        return [_counter(f"{sli.selector.name}_count", base, TOTAL), _counter(f"{sli.selector.name}_bucket", bucket, GOOD)]
    assert isinstance(sli, RatioSLI)
    total, part = sli.total_selector, sli.part_selector
    part_role, other_role = (GOOD, BAD) if sli.counts_good else (BAD, GOOD)
    part_counter = _counter(_name(part), {**_example(part), **labels}, part_role)
    if part.name == total.name:
        return [part_counter, _counter(_name(total), {**_example(total, avoid=part), **labels}, other_role)]
    return [_counter(_name(total), {**_example(total), **labels}, TOTAL), part_counter]


def selected(slo: SLO, counter: Counter) -> tuple[bool, bool]:
    """Whether the SLI's total (latency: count) and part (errors, good, bucket) selectors match it."""
    sli = slo.sli
    labels = dict(counter.labels)
    if isinstance(sli, LatencySLI):
        base = sli.selector.name
        return counter.metric == f"{base}_count", counter.metric == f"{base}_bucket" and le_matcher(sli).matches(labels.get("le", ""))
    assert isinstance(sli, RatioSLI)
    named = {**labels, "__name__": counter.metric}
    return sli.total_selector.matches(named), sli.part_selector.matches(named)


def notation(values: tuple[float | None, ...]) -> str:
    """promtool's expanding notation, whole-number steps as 'a+bxn'. A series that stops is
    marked stale there, as Prometheus marks the series of a failed scrape; then '_'."""
    parts, i = [], 0
    while i < len(values):
        v = values[i]
        j = i
        if v is None:
            while j + 1 < len(values) and values[j + 1] is None:
                j += 1
            run = j - i + 1
            if i > 0:
                parts.append("stale")
                run -= 1
            if run:
                parts.append("_" if run == 1 else f"_x{run}")
        else:
            nxt = values[i + 1] if i + 1 < len(values) else None
            step = nxt - v if nxt is not None else 0.0
            whole = float(v).is_integer() and (nxt is None or float(nxt).is_integer())
            while j + 1 < len(values):
                following, current = values[j + 1], values[j]
                if following is None or current is None or following - current != step:
                    break
                if step != 0 and not (whole and float(following).is_integer()):
                    break
                j += 1
            if j == i:
                parts.append(prom_number(v))
            elif step == 0:
                parts.append(f"{prom_number(v)}x{j - i}")
            else:
                parts.append(f"{prom_number(v)}{'+' if step > 0 else '-'}{prom_number(abs(step))}x{j - i}")
        i = j + 1
    return " ".join(parts)
