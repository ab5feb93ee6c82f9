"""Raw knobs and the series they produce: the simulator's state, as values and lines.

Every series has one or two knobs: a gauge its value, a timestamp its offset from now,
a counter its rate, a histogram its rate and the quantile it shows, a summary its
rate and mean; every scrape job is up (1) or down (0). From knob values the world
derives lines (a value now and a slope), which the evaluator reads to predict signals
and the exporter turns into samples.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property

from prometheus_client.utils import floatToGoString

from .evaluate import Point
from .inverse import GRID_BOUNDS, Domain, histogram_shares
from .layout import Layout, Series
from .metrics import COUNTDOWN, COUNTER, GAUGE, HISTOGRAM, SUMMARY
from ..promql import Selector

UP = "up"
# Counters of bad events (by name or label value) start rare, so dashboard-only ratios
# such as dropped/total read like a healthy system before any solving.
BAD_EVENT = re.compile(r"(drop|error|fail|reject|timeout|panic|anomal|restart|breach|detect|denied|throttl|poison|oom|crash)", re.I)
BAD_LABEL = re.compile(r"^(5\d\d|4\d\d|fail\w*|errors?|blocked|rejected|timeout|denied)$", re.I)
HISTORY = 10 * 86400.0  # how long counters have been counting (they start well above 0)


@dataclass(frozen=True)
class Knob:
    """One raw setting: series index and knob name, or a job's up/down."""

    series: int  # -1 for a scrape job
    name: str  # value, offset, rate, quantile, mean, up
    job: str = ""

    def describe(self, world: "World") -> str:
        if self.series < 0:
            return f"scrape job {self.job} (up or down)"
        s = world.layout.series[self.series]
        labels = ", ".join(f'{k}="{v}"' for k, v in s.labels)
        return f"{s.family}{{{labels}}} {self.name}"


@dataclass(frozen=True)
class Line:
    name: str
    labels: tuple[tuple[str, str], ...]
    value: float
    slope: float
    counter: bool  # counters keep counting through changes; other lines jump


class World:
    """The layout plus how knob values become series (pure: no clock, no I/O)."""

    def __init__(self, layout: Layout, instance: str = "simulator"):
        self.layout = layout
        self.instance = instance
        self.families = layout.families
        self._by_sample: dict[str, list[int]] = {}
        for i, s in enumerate(layout.series):
            for sample in self.families[s.family].samples:
                self._by_sample.setdefault(sample, []).append(i)
        self._targets = {t.job: t for t in layout.targets}

    # -- knobs ------------------------------------------------------------------------------

    @cached_property
    def knobs(self) -> tuple[Knob, ...]:
        out = [Knob(-1, UP, t.job) for t in self.layout.targets]
        for i, s in enumerate(self.layout.series):
            fam = self.families[s.family]
            if fam.kind == GAUGE:
                out.append(Knob(i, "offset" if fam.clock else "value"))
            elif fam.kind == COUNTER:
                out.append(Knob(i, "rate"))
            elif fam.kind == HISTOGRAM:
                out += [Knob(i, "quantile"), Knob(i, "rate")]
            elif fam.kind == SUMMARY:
                out += [Knob(i, "mean"), Knob(i, "rate")]
        return tuple(out)

    def baseline(self) -> dict[Knob, float]:
        """Where solving starts: every job up, gauges 1 (1 GB for bytes), counters 1/s
        (bad events 1/1000 s), latencies 10 ms."""
        values = {}
        for knob in self.knobs:
            series = self.layout.series[knob.series] if knob.series >= 0 else None
            family = series.family if series else ""
            bad = series is not None and (BAD_EVENT.search(family) or any(BAD_LABEL.match(v) for _, v in series.labels))
            if knob.name == "rate" and bad and self.families[family].kind == COUNTER:
                values[knob] = 0.001
            elif knob.name == "value" and family.endswith("_bytes"):
                values[knob] = 1e9
            elif knob.name == "rate" and family.endswith("_bytes_total"):
                values[knob] = 1e6
            elif knob.name == UP:
                values[knob] = 1.0
            elif knob.name == "offset":
                clock = self.families[self.layout.series[knob.series].family].clock
                values[knob] = 30 * 86400.0 if clock == COUNTDOWN else -60.0
            elif knob.name == "quantile":
                values[knob] = 0.01
            elif knob.name == "rate" and self.families[self.layout.series[knob.series].family].kind == HISTOGRAM:
                values[knob] = 10.0
            else:
                values[knob] = 1.0
        return values

    def domain(self, knob: Knob, signed: bool = False) -> Domain:
        """Where a knob may go; gauges are non-negative unless signed (P&L can be negative)."""
        if knob.name == UP:
            return Domain(0.0, 1.0, (1.0, 0.0))
        if knob.name == "offset" or (knob.name == "value" and signed):
            return Domain(-math.inf, math.inf)
        if knob.name == "value":
            return Domain(0.0, math.inf)
        if knob.name == "quantile":
            return Domain(self.bounds(self.layout.series[knob.series].family)[0] * 1e-3, self.bounds(self.layout.series[knob.series].family)[-1])
        return Domain(0.0, math.inf)

    def job_of(self, knob: Knob) -> str:
        return knob.job if knob.series < 0 else self.layout.series[knob.series].job

    # -- histograms ---------------------------------------------------------------------------

    def bounds(self, family: str) -> tuple[float, ...]:
        return self._bounds[family][0]

    def le_text(self, family: str) -> tuple[str, ...]:
        return self._bounds[family][1]

    @cached_property
    def _bounds(self) -> dict[str, tuple[tuple[float, ...], tuple[str, ...]]]:
        out = {}
        for fam in self.families.values():
            if fam.kind != HISTOGRAM:
                continue
            named: dict[float, str] = {}
            for use in fam.uses:
                for m in use.matchers:
                    if m.name != "le":
                        continue
                    text: str | None = m.value if m.op == "=" else None
                    if m.op == "=~":
                        from .layout import example

                        text = example(m.value)
                    try:
                        bound = float(text) if text else None
                    except ValueError:
                        bound = None
                    if bound is not None and math.isfinite(bound) and bound > 0:
                        rendered = floatToGoString(bound)
                        named[bound] = rendered if m.matches(rendered) or text is None else text
            bounds = tuple(sorted(set(GRID_BOUNDS) | set(named)))
            out[fam.name] = (bounds, tuple(named.get(b, floatToGoString(b)) for b in bounds))
        return out

    def quantile_of(self, family: str) -> float:
        q = self.families[family].quantile
        return q if q is not None else 0.5

    # -- lines ------------------------------------------------------------------------------

    def lines(self, index: int, values: dict[Knob, float], now: float) -> list[Line]:
        """The samples of one series now, as value and slope."""
        s: Series = self.layout.series[index]
        fam = self.families[s.family]
        labels = s.labels
        if fam.kind == GAUGE:
            if fam.clock:
                return [Line(fam.name, labels, now + values[Knob(index, "offset")], 1.0, False)]
            return [Line(fam.name, labels, values[Knob(index, "value")], 0.0, False)]
        if fam.kind == COUNTER:
            rate = values[Knob(index, "rate")]
            return [Line(fam.name, labels, rate * HISTORY, rate, True)]
        rate = values[Knob(index, "rate")]
        if fam.kind == SUMMARY:
            mean = values[Knob(index, "mean")]
            return [
                Line(f"{fam.name}_sum", labels, rate * mean * HISTORY, rate * mean, True),
                Line(f"{fam.name}_count", labels, rate * HISTORY, rate, True),
            ]
        shares = histogram_shares(self.bounds(fam.name), values[Knob(index, "quantile")], self.quantile_of(fam.name))
        if shares is None:
            raise ValueError(f"{fam.name}: no bucket layout gives that quantile")
        out = []
        for text, share in zip(self.le_text(fam.name), shares.cumulative):
            out.append(Line(f"{fam.name}_bucket", labels + (("le", text),), rate * share * HISTORY, rate * share, True))
        out.append(Line(f"{fam.name}_bucket", labels + (("le", "+Inf"),), rate * HISTORY, rate, True))
        out.append(Line(f"{fam.name}_sum", labels, rate * shares.mean * HISTORY, rate * shares.mean, True))
        out.append(Line(f"{fam.name}_count", labels, rate * HISTORY, rate, True))
        return out

    def scraped_labels(self, job: str, labels: tuple[tuple[str, str], ...], name: str) -> dict[str, str]:
        """Labels as Prometheus stores them (honor_labels: the series' own labels win)."""
        target = self._targets[job]
        out = {"job": job, "instance": self.instance, **dict(target.labels), **dict(labels)}
        out["__name__"] = name
        return out

    def source(self, values: dict[Knob, float], now: float) -> "WorldSource":
        return WorldSource(self, values, now)


class WorldSource:
    """The evaluator's view: what Prometheus would have scraped with these values."""

    def __init__(self, world: World, values: dict[Knob, float], now: float):
        self.world = world
        self.values = values
        self.now = now

    def up(self, job: str) -> bool:
        return self.values.get(Knob(-1, UP, job), 1.0) >= 0.5

    def select(self, selector: Selector) -> list[Point]:
        world = self.world
        if selector.name == UP:
            out = []
            for target in world.layout.targets:
                labels = world.scraped_labels(target.job, (), UP)
                if selector.matches(labels):
                    out.append(Point(labels, 1.0 if self.up(target.job) else 0.0, 0.0))
            return out
        out = []
        for index in world._by_sample.get(selector.name or "", ()):
            s = world.layout.series[index]
            if not self.up(s.job):
                continue
            for line in world.lines(index, self.values, self.now):
                if line.name != selector.name:
                    continue
                labels = world.scraped_labels(s.job, line.labels, line.name)
                if selector.matches(labels):
                    out.append(Point(labels, line.value, line.slope))
        return out
