"""Which raw metrics the rules read, and what type each use implies.

A selector inside rate(), irate(), increase() or resets() reads a counter; `_bucket`
inside histogram_quantile() (or with an `le` matcher) reads a histogram; absent(),
count(), group() and the right side of `and`/`unless` only ask whether it is there;
anything else reads a gauge. A gauge subtracted from or by time() is a timestamp that follows the
clock. Raw means scraped: not recorded by a rule, not written by Prometheus (ALERTS),
and not `up`, which scraping itself produces (see layout.py for the jobs).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..promql import Aggregate, Binary, Call, Matcher, Node, Selector, Unary, walk
from .rules import RuleSet

COUNTER, GAUGE, HISTOGRAM, SUMMARY = "counter", "gauge", "histogram", "summary"
PRESENCE = "presence"  # absent(x), count(x): any type will do
COUNTER_FUNCS = frozenset({"rate", "irate", "increase", "resets"})
PRESENCE_FUNCS = frozenset({"absent", "absent_over_time", "present_over_time", "count_over_time", "timestamp"})
SCRAPE_SERIES = frozenset({"up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added"})
TIMESTAMP_SUFFIXES = ("_timestamp_seconds", "_timestamp", "_time_seconds")
AGE, COUNTDOWN = "age", "countdown"  # time() - x, x - time()


@dataclass(frozen=True)
class Use:
    """One selector of a raw metric in one rule, and how that rule reads it."""

    name: str  # the sample name as written
    matchers: tuple[Matcher, ...]
    usage: str  # counter, gauge, histogram (a _bucket read as a histogram) or presence
    rule: str  # the record or alert name
    file: str
    range: float | None = None
    clock: str | None = None  # AGE or COUNTDOWN when read against time()
    quantile: float | None = None  # the q of an enclosing histogram_quantile
    group_labels: tuple[str, ...] = ()  # by/on/group_left labels around it


@dataclass(frozen=True)
class Family:
    """A metric family the simulator exposes: its type, its sample names and its uses."""

    name: str  # family name: a histogram's base, a counter's or gauge's sample name
    kind: str
    samples: tuple[str, ...]
    uses: tuple[Use, ...]
    clock: str | None = None
    quantile: float | None = None
    conflicts: tuple[str, ...] = ()  # uses that disagree with the kind chosen

    @property
    def windows(self) -> tuple[float, ...]:
        return tuple(sorted({u.range for u in self.uses if u.range}))


SET_OPERATORS = frozenset({"and", "or", "unless"})


def _presence(sel: Selector, parents: tuple) -> bool:
    """Read for whether it is there: absent(x), count(x), the right side of `and`/`unless`,
    or either side of a set operator under count() or group()."""
    child: Node = sel
    for parent in reversed(parents):
        if isinstance(parent, Call) and parent.func in PRESENCE_FUNCS or isinstance(parent, Aggregate) and parent.op in ("count", "group"):
            return True
        if not (isinstance(parent, Binary) and parent.op in SET_OPERATORS):
            return False
        if parent.op != "or" and parent.rhs is child:
            return True
        child = parent
    return False


def _usage(sel: Selector, parents: tuple) -> tuple[str, str | None, float | None]:
    """(usage, clock, quantile) of one selector from its ancestors."""
    usage, clock, quantile = GAUGE, None, None
    name = sel.name or ""
    parent = parents[-1] if parents else None
    if _presence(sel, parents):
        return PRESENCE, None, None
    if isinstance(parent, Call) and parent.func in COUNTER_FUNCS:
        usage = COUNTER
    for parent in reversed(parents):
        if isinstance(parent, Call) and parent.func == "histogram_quantile":
            if name.endswith("_bucket"):
                usage = HISTOGRAM
                first = parent.args[0]
                quantile = getattr(first, "value", None)
            break
    if usage == COUNTER and name.endswith("_bucket") and any(m.name == "le" for m in sel.matchers):
        usage = HISTOGRAM
    if usage == GAUGE:
        clock = _clock(sel, parents)
    return usage, clock, quantile


def _is_time(node) -> bool:
    return isinstance(node, Call) and node.func == "time"


def _clock(sel: Selector, parents: tuple) -> str | None:
    """AGE for time() - x, COUNTDOWN for x - time(), through aggregations in between."""
    child: Node = sel
    for parent in reversed(parents):
        if isinstance(parent, Binary):
            if parent.op == "-" and _is_time(parent.lhs) and parent.rhs is child:
                return AGE
            if parent.op == "-" and _is_time(parent.rhs) and parent.lhs is child:
                return COUNTDOWN
            return None
        if not isinstance(parent, (Aggregate, Unary)) and not (isinstance(parent, Call) and parent.func.endswith("_over_time")):
            return None
        child = parent
    return None


def _group_labels(parents: tuple) -> tuple[str, ...]:
    labels: list[str] = []
    for parent in parents:
        if isinstance(parent, Aggregate) and parent.by:
            labels += parent.by
        if isinstance(parent, Binary):
            labels += list(parent.on or ()) + list(parent.include)
    return tuple(dict.fromkeys(l for l in labels if l not in ("le", "job", "instance", "__name__")))


def raw_uses(rules: RuleSet) -> list[Use]:
    """Every use of a scraped metric in the rules, in rule order (up included)."""
    out = []
    for rule in rules.rules:
        for node, parents in walk(rule.node):
            if not isinstance(node, Selector) or not node.name:
                continue
            if node.name in rules.records or node.name in ("ALERTS", "ALERTS_FOR_STATE"):
                continue
            usage, clock, quantile = _usage(node, parents)
            out.append(
                Use(node.name, node.matchers, usage, rule.name, rule.file, node.range, clock, quantile, _group_labels(parents))
            )
    return out


def families(uses: list[Use]) -> dict[str, Family]:
    """Group uses into metric families and settle each family's type."""
    metric_uses = [u for u in uses if u.name not in SCRAPE_SERIES]
    names = {u.name for u in metric_uses}
    histograms = {u.name[: -len("_bucket")] for u in metric_uses if u.usage == HISTOGRAM}
    by_family: dict[str, list[Use]] = {}
    kinds: dict[str, str] = {}
    for use in metric_uses:
        base, kind = use.name, None
        for suffix in ("_bucket", "_sum", "_count"):
            if use.name.endswith(suffix) and use.name[: -len(suffix)] in histograms:
                base, kind = use.name[: -len(suffix)], HISTOGRAM
        if kind is None and use.name.endswith(("_sum", "_count")):
            stem = use.name.rsplit("_", 1)[0]
            if f"{stem}_sum" in names and f"{stem}_count" in names:
                base, kind = stem, SUMMARY
        by_family.setdefault(base, []).append(use)
        if kind:
            kinds[base] = kind
    out: dict[str, Family] = {}
    for base, fam_uses in by_family.items():
        kind = kinds.get(base)
        conflicts: list[str] = []
        if kind is None:
            counted = [u for u in fam_uses if u.usage == COUNTER]
            gauged = [u for u in fam_uses if u.usage == GAUGE]  # presence uses do not decide
            kind = COUNTER if counted else GAUGE
            if counted and gauged:
                conflicts = [f"{u.rule} reads it as a gauge" for u in gauged]
        samples: tuple[str, ...]
        if kind == HISTOGRAM:
            samples = (f"{base}_bucket", f"{base}_sum", f"{base}_count")
        elif kind == SUMMARY:
            samples = (f"{base}_sum", f"{base}_count")
        else:
            samples = (base,)
        clocks = [u.clock for u in fam_uses if u.clock]
        clock = clocks[0] if clocks else (AGE if kind == GAUGE and base.endswith(TIMESTAMP_SUFFIXES) else None)
        quantiles = [u.quantile for u in fam_uses if u.quantile is not None]
        out[base] = Family(base, kind, samples, tuple(fam_uses), clock, max(quantiles) if quantiles else None, tuple(conflicts))
    return dict(sorted(out.items()))
