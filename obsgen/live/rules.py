"""The compiled rule files: loaded, time-scaled for tests, and evaluated in steady state.

The live tooling reads the rule files the pipeline writes (not the model), so what the
simulator predicts, what Prometheus runs and what `make generate` commits are one
thing, SLO rules included.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from ..artifacts import AlertingRule, RuleFile
from ..artifacts.read import read_rules
from ..artifacts.write import rule_file_bytes
from ..model.durations import format_duration
from ..promql import Node, Selector, parse, selectors
from ..promql.rewrite import scale_durations
from .evaluate import Evaluator, Point, Source

INTERNAL = frozenset({"ALERTS", "ALERTS_FOR_STATE"})  # written by Prometheus itself


@dataclass(frozen=True)
class Rule:
    file: str
    group: str
    kind: str  # 'record' or 'alert'
    name: str
    expr: str
    labels: tuple[tuple[str, str], ...]
    for_seconds: int = 0
    interval: int | None = None

    @cached_property
    def node(self) -> Node:
        return parse(self.expr)

    @cached_property
    def reads(self) -> frozenset[str]:
        return frozenset(s.name for s in selectors(self.node) if s.name)


def rule_files(files: dict[str, bytes]) -> dict[str, RuleFile]:
    """The rule files of a compiled tree (paths relative to generated/<system>/), read once;
    UnreadableArtifact when Prometheus would refuse one."""
    return {path: read_rules(files[path]).require(path) for path in sorted(p for p in files if p.startswith("rules/") and p.endswith(".yml"))}


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]

    @classmethod
    def from_files(cls, files: dict[str, bytes]) -> "RuleSet":
        """Rules from a system's compiled tree (paths relative to generated/<system>/)."""
        rules = []
        for path, rule_file in rule_files(files).items():
            for group in rule_file.groups:
                for r in group.rules:
                    alerting = isinstance(r, AlertingRule)
                    rules.append(
                        Rule(
                            file=path,
                            group=group.name,
                            kind="alert" if alerting else "record",
                            name=r.name,
                            expr=r.expr,
                            labels=tuple(r.labels.items()),
                            for_seconds=r.for_seconds if isinstance(r, AlertingRule) else 0,
                            interval=group.interval_seconds,
                        )
                    )
        return cls(tuple(rules))

    @cached_property
    def records(self) -> dict[str, tuple[Rule, ...]]:
        out: dict[str, list[Rule]] = {}
        for rule in self.rules:
            if rule.kind == "record":
                out.setdefault(rule.name, []).append(rule)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def alerts(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == "alert")

    @cached_property
    def raw_selectors(self) -> tuple[tuple[Rule, Selector], ...]:
        """Every selector of a series Prometheus scrapes (not recorded, not internal)."""
        out = []
        for rule in self.rules:
            for sel in selectors(rule.node):
                if sel.name and sel.name not in self.records and sel.name not in INTERNAL:
                    out.append((rule, sel))
        return tuple(out)

    def record_closure(self, names) -> list[str]:
        """Records needed to compute names, dependencies first."""
        order: list[str] = []
        seen: set[str] = set()

        def visit(name: str, depth: int = 0) -> None:
            if name in seen or name not in self.records or depth > 50:
                return
            seen.add(name)
            for rule in self.records[name]:
                for dep in rule.reads:
                    visit(dep, depth + 1)
            order.append(name)

        for name in names:
            visit(name)
        return order


class RecordedSource:
    """A raw source plus recorded series (and ALERTS), as Prometheus' TSDB holds them."""

    def __init__(self, base: Source, recorded: dict[str, list[Point]] | None = None):
        self.base = base
        self.recorded = recorded if recorded is not None else {}

    def select(self, selector: Selector) -> list[Point]:
        if selector.name in self.recorded or selector.name in INTERNAL:
            return [p for p in self.recorded.get(selector.name, []) if selector.matches(p.labels)]
        return self.base.select(selector)


def _record(rule: Rule, vector) -> list[Point]:
    out = []
    for labels, value in vector:
        labels = {k: v for k, v in labels.items() if k != "__name__"}
        labels.update(dict(rule.labels))
        labels["__name__"] = rule.name
        out.append(Point(labels, value, 0.0))
    return out


@dataclass
class SteadyState:
    records: dict[str, list[Point]] = field(default_factory=dict)
    firing: list[dict[str, str]] = field(default_factory=list)  # alert label sets
    errors: dict[str, str] = field(default_factory=dict)  # rule name -> why it cannot be evaluated


def evaluate_records(rules: RuleSet, base: Source, now: float, names, step: float = 60.0) -> dict[str, list[Point]]:
    """Only the records names need (fast path for the solver)."""
    source = RecordedSource(base)
    ev = Evaluator(source, now, step)
    for name in rules.record_closure(names):
        points: list[Point] = []
        for rule in rules.records[name]:
            points += _record(rule, ev.vector(rule.node))
        source.recorded[name] = points
    return source.recorded


def steady_state(rules: RuleSet, base: Source, now: float, step: float = 60.0) -> SteadyState:
    """Every record and every firing alert once all windows are full (for: ignored)."""
    state = SteadyState()
    reads_alerts = any(r.reads & INTERNAL for r in rules.rules)
    for _ in range(2 if reads_alerts else 1):
        source = RecordedSource(base, {"ALERTS": _alerts_series(state.firing)})
        ev = Evaluator(source, now, step)
        state.errors.clear()
        for name in rules.record_closure(list(rules.records)):
            points: list[Point] = []
            for rule in rules.records[name]:
                try:
                    points += _record(rule, ev.vector(rule.node))
                except Exception as exc:  # noqa: BLE001 - reported per rule
                    state.errors[rule.name] = f"{type(exc).__name__}: {exc}"
            source.recorded[name] = points
        firing = []
        for rule in rules.alerts:
            try:
                vector = ev.vector(rule.node)
            except Exception as exc:  # noqa: BLE001
                state.errors[rule.name] = f"{type(exc).__name__}: {exc}"
                continue
            for labels, _ in vector:
                alert = {k: v for k, v in labels.items() if k != "__name__"}
                alert.update(dict(rule.labels))
                alert["alertname"] = rule.name
                firing.append(alert)
        state.records = {k: v for k, v in source.recorded.items() if k != "ALERTS"}
        state.firing = firing
    return state


def _alerts_series(firing: list[dict[str, str]]) -> list[Point]:
    return [Point({**a, "__name__": "ALERTS", "alertstate": "firing"}, 1.0) for a in firing]


# -- time scaling: a test-only copy where minutes become seconds -------------------------------

@dataclass(frozen=True)
class TimeScale:
    """Divide every duration of the rules by speedup (floors keep them meaningful).

    Windows keep at least min_window (rate() over a few 1 s scrapes is jumpy), group
    intervals at least min_interval, `for` at least one second; `for: 0s` stays 0s.
    """

    speedup: float = 1.0
    min_window: int = 10
    min_interval: int = 1

    def scaled(self, seconds: int, floor: int) -> int:
        if self.speedup == 1 or seconds == 0:
            return seconds
        return max(floor, int(round(seconds / self.speedup)))

    def expr(self, expr: str) -> str:
        """The expression with its ranges, subquery steps and offsets scaled, on the tree."""
        if self.speedup == 1:
            return expr
        return str(scale_durations(parse(expr), lambda seconds: self.scaled(int(round(seconds)), self.min_window)))


def scale_rule_files(files: dict[str, bytes], scale: TimeScale) -> dict[str, bytes]:
    """A copy of the tree whose rule files run speedup times faster (tests and --speedup)."""
    if scale.speedup == 1:
        return dict(files)
    out = dict(files)
    for path, rule_file in rule_files(files).items():
        groups = tuple(
            replace(
                group,
                interval=format_duration(scale.scaled(group.interval_seconds, scale.min_interval)) if group.interval_seconds else group.interval,
                rules=tuple(
                    replace(rule, expr=scale.expr(rule.expr), for_=format_duration(scale.scaled(rule.for_seconds, 1)))
                    if isinstance(rule, AlertingRule) and rule.for_ is not None
                    else replace(rule, expr=scale.expr(rule.expr))
                    for rule in group.rules
                ),
            )
            for group in rule_file.groups
        )
        header = f"# Test copy of {path}: every duration divided by {scale.speedup:g} (obsgen.live.rules.TimeScale).\n"
        out[path] = rule_file_bytes(RuleFile(groups), header)
    return out
