"""Healthy values for every signal, and the raw values that play a scenario.

Healthy: each signal with thresholds (its alerts' levels and its checks) is driven to a
point well inside them (half an upper line, a ratio's line halfway to 100%, twice a
lower line); when that point is out of reach, to the reachable healthy value nearest
it. Then every alerting rule of the compiled files, SLO burn rates included, must be
quiet in steady state.

Scenario: each Holds(signal, value) is reached exactly, by the raw knob that disturbs
least: other holds first, then alerts the scenario does not expect, then healthy
signals. A hold no knob reaches makes the scenario unplayable, with the reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..compile.scenarios import scenario_firing
from ..model import Direction, Scenario, System
from ..model.units import COUNT, RATIO
from .evaluate import Evaluator
from .inverse import close, invert
from ..promql import Selector, selectors
from .rules import RecordedSource, RuleSet, evaluate_records, steady_state
from .world import UP, Knob, World

# Limits and sizes are configuration; incidents move load. Knobs of these rank last.
CAPACITY = re.compile(r"(max|limit|capacity|memtotal|size|reserved|speed)", re.I)


@dataclass(frozen=True)
class Goal:
    """Where a signal is healthy: low <= value <= high (strictly, where a line is bad at
    its own value: AT_OR_ABOVE, AT_OR_BELOW); preferred is where we put it."""

    low: float | None
    high: float | None
    preferred: float
    low_open: bool = False
    high_open: bool = False

    def holds(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        above_low = self.low is None or (value > self.low if self.low_open else value >= self.low)
        below_high = self.high is None or (value < self.high if self.high_open else value <= self.high)
        return above_low and below_high


def goals(system: System) -> dict[str, Goal]:
    """Healthy ranges from the alerts (every level) and the checks on each signal."""
    lows: dict[str, list[tuple[float, bool]]] = {}
    highs: dict[str, list[tuple[float, bool]]] = {}

    def add(record: str, direction: Direction, threshold: float) -> None:
        (highs if direction.upward else lows).setdefault(record, []).append((threshold, direction.inclusive))

    for alert in system.alerts:
        for _, level in alert.levels:
            add(alert.signal.record, alert.direction, level.threshold.base)
    for check in system.checklist:
        for name in ("warning", "critical"):
            threshold = getattr(check, name)
            if threshold is not None and check.direction:
                add(check.signal.record, check.direction, threshold.base)
    out = {}
    dimension = {s.record: s.unit.dimension for s in system.signals}
    for record in set(lows) | set(highs):
        low = max(t for t, _ in lows[record]) if record in lows else None
        high = min(t for t, _ in highs[record]) if record in highs else None
        low_open = any(t == low and inclusive for t, inclusive in lows.get(record, []))
        high_open = any(t == high and inclusive for t, inclusive in highs.get(record, []))
        out[record] = Goal(low, high, _preferred(low, high, dimension.get(record)), low_open, high_open)
    return out


def _preferred(low: float | None, high: float | None, dimension) -> float:
    if low is not None and high is not None:
        return (low + high) / 2
    if high is not None:
        return high / 2 if high > 0 else high
    assert low is not None
    if dimension is RATIO and 0 <= low <= 1:
        return (low + 1) / 2
    if dimension is COUNT and low == 1:
        return 1.0  # instances up, probes succeeding: 1 is the healthy value
    if low > 0:
        return low * 2
    return 1.0 if low == 0 else low / 2


@dataclass
class Outcome:
    """Solved knob values, and what could not be done (for --list and reports)."""

    values: dict[Knob, float]
    unreached: dict[str, str] = field(default_factory=dict)  # record -> why
    firing: list[dict[str, str]] = field(default_factory=list)  # alerts firing in steady state


@dataclass
class Play:
    scenario: Scenario
    playable: bool
    reason: str = ""
    values: dict[Knob, float] = field(default_factory=dict)
    reached: dict[str, tuple[float, float | None]] = field(default_factory=dict)  # record -> (wanted, got)
    knobs: dict[str, str] = field(default_factory=dict)  # record -> knob that drives it
    expected: list[dict[str, str]] = field(default_factory=list)  # what the definitions say fires
    firing: list[dict[str, str]] = field(default_factory=list)  # what fires in steady state here

    @property
    def extra(self) -> list[str]:
        """Alerts firing in steady state that the scenario does not list (e.g. SLO burn rates)."""
        want = {(a["alertname"], a.get("severity")) for a in self.expected}
        return sorted({f"{a['alertname']}/{a.get('severity')}" for a in self.firing if (a["alertname"], a.get("severity")) not in want})


class Planner:
    """Solves healthy values and scenarios for one system over its compiled rules."""

    def __init__(self, system: System, rules: RuleSet, world: World, now: float):
        self.system = system
        self.rules = rules
        self.world = world
        self.now = now
        self.goals = goals(system)
        self.signals = [s.record for s in system.signals if s.record in rules.records]
        self.alerts_on: dict[str, list] = {}
        for alert in system.alerts:
            self.alerts_on.setdefault(alert.signal.record, []).append(alert)
        self._raw_cache: dict[str, list[Selector]] = {}
        self.groups: dict[Knob, tuple[Knob, ...]] = {}  # a selector's series, set together
        self._touched: dict[str, list[str]] = {}
        self.knobs_of: dict[str, list[Knob]] = {}
        self.specificity: dict[tuple[str, Knob], int] = {}
        self.dependents: dict[Knob, list[str]] = {}
        for record in self.signals:
            knobs = self._knobs(record)
            self.knobs_of[record] = knobs
            for knob in knobs:
                for member in self.groups.get(knob, (knob,)):
                    self.dependents.setdefault(member, []).append(record)
        for group, members in self.groups.items():
            self.dependents[group] = list(dict.fromkeys(r for m in members for r in self.dependents.get(m, [])))

    def setting(self, values: dict[Knob, float], knob: Knob, x: float) -> dict[Knob, float]:
        """values with knob at x (a group knob sets each of its series)."""
        return {**values, **{m: x for m in self.groups.get(knob, (knob,))}}

    def current(self, values: dict[Knob, float], knob: Knob) -> float:
        return values[self.groups[knob][0]] if knob in self.groups else values[knob]

    def domain(self, knob: Knob, signed: bool = False):
        return self.world.domain(self.groups[knob][0] if knob in self.groups else knob, signed)

    def describe(self, knob: Knob) -> str:
        if knob in self.groups:
            return f"every series of {knob.job}: {knob.name}"
        return knob.describe(self.world)

    # -- dependencies -------------------------------------------------------------------------

    def _selectors(self, node_or_record) -> list[Selector]:
        if isinstance(node_or_record, str):
            nodes = []
            start = [node_or_record]
        else:
            nodes = [node_or_record]
            start = [s.name for s in selectors(node_or_record) if s.name in self.rules.records]
        for name in self.rules.record_closure(start):
            nodes += [rule.node for rule in self.rules.records[name]]
        return [s for n in nodes for s in selectors(n) if s.name and s.name not in self.rules.records]

    def _knobs(self, record, key: str | None = None) -> list[Knob]:
        """Raw knobs a record (or an expression) reads, remembering how specifically."""
        world = self.world
        key = key or record
        found: dict[Knob, int] = {}
        for sel in self._selectors(record):
            relaxed = Selector(sel.name, tuple(m for m in sel.matchers if m.name != "le"))
            specific = sum(1 for m in sel.matchers if m.positive and m.name not in ("job", "le"))
            name = sel.name or ""
            if name == UP:
                for target in world.layout.targets:
                    if relaxed.matches(world.scraped_labels(target.job, (), UP)):
                        knob = Knob(-1, UP, target.job)
                        found[knob] = max(found.get(knob, 0), specific)
                continue
            members: dict[str, list[Knob]] = {}
            for index in world._by_sample.get(name, ()):
                s = world.layout.series[index]
                if not relaxed.matches(world.scraped_labels(s.job, s.labels, name)):
                    continue
                for knob in world.knobs:
                    if knob.series == index or (knob.series < 0 and knob.job == s.job != world.layout.default_job):
                        found[knob] = max(found.get(knob, 0), specific)
                        if knob.series >= 0:
                            members.setdefault(knob.name, []).append(knob)
            for name, group in members.items():
                if len(group) > 1:  # every series the selector matches, moved together
                    knob = Knob(-2, name, str(sel))
                    self.groups[knob] = tuple(group)
                    found.setdefault(knob, specific)
        for knob, spec in found.items():
            self.specificity[(key, knob)] = spec
        return list(found)

    # -- evaluation --------------------------------------------------------------------------

    def values_of(self, values: dict[Knob, float], record: str) -> list[float] | None:
        try:
            points = evaluate_records(self.rules, self.world.source(values, self.now), self.now, [record]).get(record, [])
        except (ValueError, ArithmeticError):
            return None
        return [p.value for p in points]

    def scalar(self, values: dict[Knob, float], record: str) -> float | None:
        got = self.values_of(values, record)
        if not got:
            return None
        real = [v for v in got if not math.isnan(v)]
        return max(real) if real else None

    def present(self, values: dict[Knob, float], record: str) -> bool:
        """Every raw selector the record reads finds a series (nothing is missing)."""
        source = self.world.source(values, self.now)
        return all(source.select(sel) for sel in self._raw_selectors(record))

    def _raw_selectors(self, record: str) -> list[Selector]:
        if record not in self._raw_cache:
            self._raw_cache[record] = [Selector(s.name, s.matchers) for s in self._selectors(record)]
        return self._raw_cache[record]

    def is_healthy(self, values: dict[Knob, float], record: str) -> bool:
        """Within its thresholds; empty only when its data are there but filtered out."""
        goal = self.goals.get(record)
        got = self.values_of(values, record)
        if got is None:
            return False
        if not got:
            return self.present(values, record)
        return all(goal.holds(v) for v in got) if goal else all(math.isfinite(v) for v in got)

    def model_firing(self, record: str, value: float | None) -> set[tuple[str, str]]:
        out: set[tuple[str, str]] = set()
        if value is None:
            return out
        for alert in self.alerts_on.get(record, []):
            for severity, level in alert.levels:
                t = level.threshold.base
                if alert.direction.breached(value, t):
                    out.add((alert.name, severity))
        return out

    # -- one record to one value ----------------------------------------------------------

    def _rank(self, record: str, knob: Knob, old: float, new: float) -> tuple:
        kind = {UP: 0, "value": 1, "offset": 1, "rate": 2}.get(knob.name, 3) + (4 if knob in self.groups else 0)
        family = self.world.layout.series[knob.series].family if knob.series >= 0 else ""
        capacity = 1 if CAPACITY.search(family) and not family.endswith("_total") else 0
        change = abs(new - old) / max(abs(old), 1e-9)
        return (capacity, -self.specificity.get((record, knob), 0), kind, change)

    def reach(self, values: dict[Knob, float], record: str, target: float, cost, jobs: bool = False) -> tuple[dict[Knob, float], Knob] | None:
        """The least disturbing single-knob change that puts record at target.

        Gauges stay non-negative unless no other way reaches the target; a scrape job goes
        down only when jobs is set (scenarios: healthy means every job up).
        """
        return self._reach(values, record, target, cost, jobs, False) or self._reach(values, record, target, cost, jobs, True)

    def _reach(self, values, record: str, target: float, cost, jobs: bool, signed: bool):
        best = None
        for knob in self.knobs_of.get(record, []):
            if signed and not self.domain(knob, True).low < 0:
                continue
            if knob.name == UP and not jobs:
                continue

            def f(x: float, knob=knob) -> float | None:
                return self.scalar(self.setting(values, knob, x), record)

            old = self.current(values, knob)
            x = invert(f, old, target, self.domain(knob, signed))
            if x is None:
                continue
            trial = self.setting(values, knob, x)
            key = (cost(trial, knob, record),) + self._rank(record, knob, old, x)
            if best is None or key < best[0]:
                best = (key, trial, knob)
        return (best[1], best[2]) if best else None

    def _scan(self, values: dict[Knob, float], record: str, goal: Goal, cost) -> dict[Knob, float] | None:
        """Any reachable healthy value, nearest the preferred one, when that is out of reach."""
        best = None
        scale = max(abs(goal.preferred), 1e-9)
        for knob in self.knobs_of.get(record, []):
            if knob.name == UP:
                continue
            for x in self.domain(knob).grid():
                trial = self.setting(values, knob, x)
                if not self.is_healthy(trial, record):
                    continue
                got = self.scalar(trial, record)
                key = (cost(trial, knob, record), abs((got or 0) - goal.preferred) / scale) + self._rank(record, knob, self.current(values, knob), x)
                if best is None or key < best[0]:
                    best = (key, trial)
        return best[1] if best else None

    # -- healthy ---------------------------------------------------------------------------

    def touched(self, record: str) -> list[str]:
        """Records sharing a raw knob with record: what any way of moving it may disturb."""
        if record not in self._touched:
            out = {r for k in self.knobs_of.get(record, []) for r in self.dependents.get(k, [])}
            self._touched[record] = sorted(out - {record})
        return self._touched[record]

    def _healthy_cost(self, trial: dict[Knob, float], knob: Knob, record: str) -> int:
        return self._unhealthy(trial, self.touched(record))

    def _unhealthy(self, values: dict[Knob, float], records) -> int:
        return sum(1 for r in records if r in self.goals and not self.is_healthy(values, r))

    def healthy(self) -> Outcome:
        values = self.world.baseline()
        order = [r for r in self.signals if r in self.goals and r in self.alerts_on]
        order += [r for r in self.signals if r in self.goals and r not in self.alerts_on]
        for sweep in range(5):
            changed = False
            for record in order:
                goal = self.goals[record]
                healthy_now = self.is_healthy(values, record)
                if healthy_now and (sweep > 0 or close(self.scalar(values, record), goal.preferred)):
                    continue
                solved = self.reach(values, record, goal.preferred, self._healthy_cost)
                new = solved[0] if solved and self.is_healthy(solved[0], record) else None
                if new is None and not healthy_now:
                    new = self._scan(values, record, goal, self._healthy_cost)
                if new is None or new == values:
                    continue
                touched = self.touched(record)
                if healthy_now and self._unhealthy(new, touched) > self._unhealthy(values, touched):
                    continue  # the preferred point would break another signal: stay where healthy
                values, changed = new, True
            if not changed and sweep > 0:
                break
        outcome = Outcome(values)
        for record in order:
            if not self.is_healthy(values, record) and record in self.goals:
                goal = self.goals[record]
                outcome.unreached[record] = f"no raw value keeps it within [{goal.low}, {goal.high}] (got {self.values_of(values, record)})"
        outcome.firing = self._repair(outcome)
        return outcome

    def _fires(self, values: dict[Knob, float], rule) -> bool:
        source = self.world.source(values, self.now)
        try:
            records = evaluate_records(self.rules, source, self.now, [n for n in rule.reads if n in self.rules.records])
            return bool(Evaluator(RecordedSource(source, records), self.now).vector(rule.node))
        except (ValueError, ArithmeticError):
            return False

    def _repair(self, outcome: Outcome) -> list[dict[str, str]]:
        """Quiet alerting rules that fire although every signal is healthy (e.g. SLO rules)."""
        state = steady_state(self.rules, self.world.source(outcome.values, self.now), self.now)
        names = {a["alertname"] for a in state.firing}
        for rule in [r for r in self.rules.alerts if r.name in names]:
            if not self._fires(outcome.values, rule):
                continue
            for knob in self._knobs(rule.node, key=f"alert:{rule.name}"):
                if knob.name == UP:
                    continue
                fixed = None
                for x in self.domain(knob).grid():
                    trial = self.setting(outcome.values, knob, x)
                    if self._fires(trial, rule):
                        continue
                    if any(not self.is_healthy(trial, r) for r in self.dependents.get(knob, []) if r in self.goals):
                        continue
                    fixed = trial
                    break
                if fixed is not None:
                    outcome.values = fixed
                    break
        return steady_state(self.rules, self.world.source(outcome.values, self.now), self.now).firing

    # -- scenarios --------------------------------------------------------------------------

    def play(self, scenario: Scenario, healthy: dict[Knob, float]) -> Play:
        expected = scenario_firing(self.system, scenario)
        play = Play(scenario, False, expected=expected)
        want_alerts = {(a["alertname"], a["severity"]) for a in expected}
        targets = {h.signal.record: self._nudge(h.signal.record, h.quantity.base) for h in scenario.holds}
        missing = [r for r in targets if r not in self.knobs_of]
        if missing:
            play.reason = f"signal {missing[0]} is not recorded by the compiled rules"
            return play

        def cost(trial: dict[Knob, float], knob: Knob, record: str) -> int:
            total = 0
            for other in self.touched(record):
                got = self.scalar(trial, other)
                if other in targets:
                    total += 0 if close(got, targets[other]) else 100
                    continue
                total += 10 * len(self.model_firing(other, got) - want_alerts)
                if other in self.goals and not self.is_healthy(trial, other) and got is not None:
                    total += 1
            return total

        return self._play(play, targets, dict(healthy), cost)

    def _play(self, play: Play, targets: dict[str, float], values: dict[Knob, float], cost) -> Play:
        for _ in range(3):
            for record, target in targets.items():
                if close(self.scalar(values, record), target):
                    continue
                solved = self.reach(values, record, target, cost, jobs=True)
                if solved is None:
                    conflict = " while the other holds stay" if record in play.knobs else ""
                    play.reason = f"no raw value drives {record} to {target:g}{conflict} ({_why(self, record)})"
                    play.values = values
                    return play
                values, knob = solved
                play.knobs[record] = self.describe(knob)
            if all(close(self.scalar(values, r), t) for r, t in targets.items()):
                break
        play.values = values
        play.reached = {r: (t, self.scalar(values, r)) for r, t in targets.items()}
        off = [r for r, (t, got) in play.reached.items() if not close(got, t)]
        if off:
            record = off[0]
            mine = {m for k in self.knobs_of[record] for m in self.groups.get(k, (k,))}
            others = [r for r in targets if r != record and mine & {m for k in self.knobs_of[r] for m in self.groups.get(k, (k,))}]
            shared = f", which it shares raw series with: {', '.join(f'{r} held at {targets[r]:g}' for r in others)}" if others else ""
            play.reason = f"holds conflict: {record} ends at {play.reached[record][1]:.6g} instead of {play.reached[record][0]:g}{shared}"
            return play
        play.firing = steady_state(self.rules, self.world.source(values, self.now), self.now).firing
        play.playable = True
        return play

    def _nudge(self, record: str, value: float) -> float:
        """A hold exactly on a threshold stays a hair on the side the rule puts it (float
        noise): quiet for a strict comparison, firing for an inclusive one."""
        for alert in self.alerts_on.get(record, []):
            for _, level in alert.levels:
                t = level.threshold.base
                if value == t and t != 0:
                    upward = alert.direction.upward == alert.direction.inclusive
                    return t + 1e-9 * abs(t) if upward else t - 1e-9 * abs(t)
        return value


def _why(planner: Planner, record: str) -> str:
    knobs = planner.knobs_of.get(record, [])
    if not knobs:
        return "it reads nothing the simulator serves"
    return f"tried {', '.join(planner.describe(k) for k in knobs[:4])}{'...' if len(knobs) > 4 else ''}"
