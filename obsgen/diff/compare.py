"""Semantic differences between two generated trees, system by system.

Rules are paired by identity (identity.py); each alert's receivers come from its own
side's routing (paging.py); when it fires, from its PromQL tree (conditions.py); what
the operator scenarios do, from each side's generated tests (scenarios.py). Every file
that changed is accounted for: named by the section that speaks of it, or listed as
changed in form only.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..promql import PromQLError, Selector, parse, selectors
from ..promql.analysis import words
from .alertmanager import compare_config
from .conditions import CHANGED, EARLIER, LATER, longest_range, only_ranges_moved, timing, verdict
from .dashboards import compare_dashboard
from .git_tree import Tree, changed_paths
from .identity import Pair, RuleEntry, pair_rules
from .paging import Paging, Target, silencers
from .result import (
    FIRES_EARLIER, FIRES_LATER, NEW_CONDITION, PAGED_AT_OTHER_TIMES, PAGES_SOMEONE_ELSE, SILENCED_DIFFERENTLY, STARTS_PAGING,
    STOPS_PAGING, TELLS_SOMEONE_ELSE, TOLD_AT_OTHER_TIMES, AlertDiff, Change, FileNote, ItemDiff, RecordDiff, Report, SystemDiff,
)
from .scenarios import compare_scenarios
from .side import ALERTMANAGER_FILE, BATCH, EXPORTS, ROUTING_TESTS, TESTS, Parsed, Side, split_systems
from .text import compare_sections, line_counts

OWN_COLUMNS = ("severity", "priority")
MAX_DEPTH = 20  # recording rules reading recording rules, at most this deep


class Reads:
    """Which recording rules an expression reads on one side, and the windows they cover."""

    def __init__(self, side: Side | None):
        self.records = side.records_by_name if side else {}
        self._windows: dict[int, float | None] = {}
        self._by_value: dict[str, dict[tuple[str, str], set[int]]] = {}

    @staticmethod
    def tree(expr: str):
        """The parsed expression, or None. Not kept here: each rule is visited once (windows and
        closures are kept instead), and a fleet's trees would not fit the memory goal."""
        try:
            return parse(expr)
        except PromQLError:
            return None

    def selected(self, selector: Selector) -> list[RuleEntry]:
        """Recording rules whose series the selector can select (their static labels allow it).

        Rules of one name (an SLO's, per SLO) are narrowed first by the selector's equality
        matchers through an index, so a thousand SLOs cost a thousand lookups, not a million."""
        records = self.records.get(selector.name or "", ())
        if len(records) > 8:
            index = self._index(selector.name or "")
            narrowed: set[int] | None = None
            for m in selector.matchers:
                if m.op == "=" and (m.name, "") in index:  # ("label", "") holds the rules without the label
                    found = index.get((m.name, m.value), set()) | index[(m.name, "")]
                    narrowed = found if narrowed is None else narrowed & found
            if narrowed is not None:
                records = [records[i] for i in sorted(narrowed)]
        return [r for r in records if all(m.matches_labels(r.labels) for m in selector.matchers if m.name in r.labels)]

    def _index(self, name: str) -> dict[tuple[str, str], set[int]]:
        """(label, value) -> positions of the rules of this name with that static label value."""
        if name not in self._by_value:
            records = self.records[name]
            index: dict[tuple[str, str], set[int]] = {}
            for i, record in enumerate(records):
                for label, value in record.labels.items():
                    index.setdefault((label, value), set()).add(i)
            for label in {label for label, _ in index}:
                index[(label, "")] = {i for i, r in enumerate(records) if label not in r.labels} | index.get((label, ""), set())
            self._by_value[name] = index
        return self._by_value[name]

    def direct(self, expr: str) -> list[RuleEntry]:
        if not words(expr) & self.records.keys():
            return []
        node = self.tree(expr)
        return [r for s in (selectors(node) if node is not None else []) for r in self.selected(s)]

    def window(self, selector: Selector, depth: int = 0) -> float | None:
        """The longest range the recorded series behind a selector reads."""
        found = []
        for record in self.selected(selector):
            if id(record) not in self._windows:
                self._windows[id(record)] = None  # a cycle reads as no window
                node = self.tree(record.expr)
                self._windows[id(record)] = (
                    longest_range(node, lambda s: self.window(s, depth + 1) if depth < MAX_DEPTH else None) if node is not None else None)
            window = self._windows[id(record)]
            if window is not None:
                found.append(window)
        return max(found) if found else None


def _closure(reads: Reads, changed: set[int], candidates: Iterable[RuleEntry], gone: frozenset[str] | set[str] = frozenset()) -> dict[int, list[str]]:
    """For each candidate rule reading a changed recording rule (directly or through others),
    the titles of the changed ones it reads; a series no rule records any more is named too."""
    memo: dict[int, list[str]] = {}

    def visit(entry: RuleEntry, depth: int) -> list[str]:
        if id(entry) in memo:
            return memo[id(entry)]
        memo[id(entry)] = []
        node = reads.tree(entry.expr) if gone and words(entry.expr) & gone else None
        found = [f"{n} (no longer recorded)" for n in sorted({s.name for s in selectors(node) if s.name} & gone)] if node is not None else []
        for record in reads.direct(entry.expr):
            if id(record) in changed:
                found.append(record_title(record))
            if depth < MAX_DEPTH:
                found += visit(record, depth + 1)
        memo[id(entry)] = list(dict.fromkeys(found))
        return memo[id(entry)]

    return {id(e): visit(e, 0) for e in candidates if visit(e, 0)}


def record_title(entry: RuleEntry) -> str:
    extra = ", ".join(f'{k}="{v}"' for k, v in entry.labels.items() if k != "system")
    return f"{entry.name}{{{extra}}}" if extra else entry.name


def alert_title(name: str, labels: dict[str, str], severity: str = "") -> str:
    extra = ", ".join(f"{k}={v}" for k, v in labels.items())
    return (f"{name}{{{extra}}}" if extra else name) + (f" ({severity})" if severity else "")


def _rule_changes(old: RuleEntry, new: RuleEntry) -> list[Change]:
    changes = []
    for label in dict.fromkeys([*old.labels, *new.labels, *old.rule.labels, *new.rule.labels]):
        a, b = old.rule.labels.get(label, ""), new.rule.labels.get(label, "")
        if a != b:
            changes.append(Change(label if label in OWN_COLUMNS else f"label {label}", a, b))
    a_notes, b_notes = old.annotations, new.annotations
    for key in dict.fromkeys([*a_notes, *b_notes]):
        if a_notes.get(key, "") != b_notes.get(key, ""):
            changes.append(Change(f"annotation {key}", a_notes.get(key, ""), b_notes.get(key, "")))
    if old.keep_firing_for != new.keep_firing_for:
        changes.append(Change("keep_firing_for", old.keep_firing_for, new.keep_firing_for))
    if old.file != new.file:
        changes.append(Change("file", old.file, new.file))
    if old.group != new.group:
        changes.append(Change("group", old.group, new.group))
    return changes


def _distinguishing(sides: Iterable[Side]) -> dict[str, list[str]]:
    """Per alert name, the labels that tell its rules apart (beyond severity and priority)."""
    values: dict[str, dict[str, set[str]]] = {}
    counts: dict[str, int] = {}
    for side in sides:
        for e in side.alerts:
            counts[e.name] = counts.get(e.name, 0) + 1
            seen = values.setdefault(e.name, {})
            for k, v in e.labels.items():
                seen.setdefault(k, set()).add(v)
    out = {}
    for name, seen in values.items():
        if counts[name] > 1:
            out[name] = [k for k, vs in seen.items() if len(vs) > 1 and k not in OWN_COLUMNS]
    return out


def _pagers(targets: tuple[Target, ...]) -> set:
    return {t.address or (t.receiver,) for t in targets if t.pages}


def _others(targets: tuple[Target, ...]) -> set:
    return {t.address or (t.receiver,) for t in targets if not t.pages}


def _moved_times(reach_before: tuple[Target, ...], reach_after: tuple[Target, ...], moved_intervals: set[str], pages: bool) -> bool:
    """Whether the same receivers (pagers, or the others) are reached at other times: muted
    or active in other time intervals, or in intervals whose times changed."""
    when_before = {(t.address or (t.receiver,), t.muted, t.active) for t in reach_before if t.pages == pages}
    when_after = {(t.address or (t.receiver,), t.muted, t.active) for t in reach_after if t.pages == pages}
    uses = {n for t in reach_after if t.pages == pages for n in t.muted + t.active}
    return when_before != when_after or bool(uses & moved_intervals)


def _effects(pair: Pair, reach_before: tuple[Target, ...], reach_after: tuple[Target, ...], moved_intervals: set[str],
             timings, reads_changed: list[str], reads_reshaped: bool, silenced_changed: bool, paging_known: bool = True) -> list[str]:
    found = []
    if not paging_known:  # a side's Alertmanager would refuse its configuration: say when it fires, never whom it pages
        reach_before = reach_after = ()
        silenced_changed = False
    before, after = _pagers(reach_before), _pagers(reach_after)
    if after and not before:
        found.append(STARTS_PAGING)
    elif before and not after:
        found.append(STOPS_PAGING)
    elif before != after:
        found.append(PAGES_SOMEONE_ELSE)
    elif before and _moved_times(reach_before, reach_after, moved_intervals, pages=True):
        found.append(PAGED_AT_OTHER_TIMES)
    if pair.before is not None and pair.after is not None:
        if _others(reach_before) != _others(reach_after):
            found.append(TELLS_SOMEONE_ELSE)
        elif _moved_times(reach_before, reach_after, moved_intervals, pages=False):
            found.append(TOLD_AT_OTHER_TIMES)
    if pair.before is not None and pair.after is not None:
        when = verdict(timings)
        if when == EARLIER:
            found.append(FIRES_EARLIER)
        elif when == LATER:
            found.append(FIRES_LATER)
        if when == CHANGED or (reads_changed and (when is None or reads_reshaped)):
            found.append(NEW_CONDITION)  # also beside "later" when a rule it reads changed more than its window
        if silenced_changed:
            found.append(SILENCED_DIFFERENTLY)
    return found


class SystemComparison:
    """One system's two sides and the files that differ between them."""

    def __init__(self, name: str, old: Side, new: Side, changed: list[str]):
        self.name, self.old, self.new, self.changed = name, old, new, changed
        self.diff = SystemDiff(name, "added" if old.tree is None or not old.paths else "removed" if new.tree is None or not new.paths else "changed")
        self.sections: dict[str, set[str]] = {p: set() for p in changed}
        self._readers_of: dict[int, dict[str, list[RuleEntry]]] = {}

    def said(self, path: str, section: str) -> None:
        if path in self.sections:
            self.sections[path].add(section)

    # -- rules --------------------------------------------------------------------------------

    def _rule_files_changed(self) -> bool:
        for path in self.changed:
            for side in (self.old, self.new):
                if side.has(path) and path in side.rule_paths:
                    return True
        return False

    def compare(self) -> SystemDiff:
        changed = set(self.changed)
        for side in (self.old, self.new):  # what is read whole (not per rule file), in one go
            if side.tree is not None:
                side.tree.prefetch(side.full(p) for p in self.changed if side.has(p) and (p in (ALERTMANAGER_FILE, ROUTING_TESTS) or p.endswith(".md")))
        # Dashboards and the handbook first: each is read, compared and let go before the
        # rules, which stay in memory to the end (a fleet's SLO dashboard is megabytes).
        dashboards = [p for p in self.changed if p.endswith(".json") and not p.startswith((TESTS, EXPORTS))]
        for start in range(0, len(dashboards), BATCH):
            batch = dashboards[start:start + BATCH]
            for side in (self.old, self.new):
                if side.tree is not None:
                    side.tree.prefetch(side.full(p) for p in batch if side.has(p))
            for path in batch:
                self._compare_dashboard(path)
        for path in self.changed:
            if path.endswith(".md"):
                self.diff.handbook += compare_sections(self.old.text(path), self.new.text(path), path)
                self.said(path, "Handbook")
        config_changed = ALERTMANAGER_FILE in changed
        rules_changed = self._rule_files_changed()
        self.old_paging, self.new_paging = Paging(self.old.alertmanager), Paging(self.new.alertmanager)
        for side, paging, label in ((self.old, self.old_paging, "before"), (self.new, self.new_paging, "after")):
            if paging.error:
                self.diff.problems.append(f"{label}: {ALERTMANAGER_FILE}: {paging.error}")
            why = side.problems.get(ALERTMANAGER_FILE) or paging.error
            if why:  # Alertmanager would refuse it: who it pages is not what the routes say
                self.diff.paging_unknown.append(f"{label}: {ALERTMANAGER_FILE}: {why}")
        if config_changed:
            self.diff.alertmanager = compare_config(self.old.alertmanager, self.new.alertmanager)
            if not self.diff.alertmanager.empty:
                self.said(ALERTMANAGER_FILE, "Routing")
        if rules_changed or config_changed:
            self._compare_rules(config_changed)
        if (rules_changed or config_changed or ROUTING_TESTS in changed) and not self.diff.paging_unknown:
            self.diff.scenarios = compare_scenarios(self.old.scenarios, self.new.scenarios, self.old_paging, self.new_paging)
            if self.diff.scenarios:
                self.said(ROUTING_TESTS, "Scenarios")
        for side, label in ((self.old, "before"), (self.new, "after")):
            for path, why in side.problems.items():
                self.diff.problems.append(f"{label}: {path}: {why}")
        self._account()
        return self.diff

    def _compare_rules(self, config_changed: bool) -> None:
        old, new = self.old, self.new
        self.new_reads, self.old_reads = Reads(new), Reads(old)
        self.labels = _distinguishing((old, new))
        records: list[tuple[RecordDiff, Pair]] = []
        for pair in pair_rules(old.records, new.records):
            if pair.before is not pair.after:
                d = self._record_diff(pair)
                if d is not None:
                    records.append((d, pair))
        changed_new = {id(p.after) for _, p in records if p.after is not None}
        changed_old = {id(p.before) for _, p in records if p.before is not None}
        gone = {p.before.name for _, p in records if p.after is None} - new.records_by_name.keys()  # type: ignore[union-attr]
        self.reads_new = _closure(self.new_reads, changed_new, [*new.alerts, *new.records], gone) if records else {}
        self.reads_old = _closure(self.old_reads, changed_old, [*old.alerts, *old.records]) if records else {}
        self.windows_only = {record_title(p.after) for _, p in records if p.before is not None and p.after is not None
                             and only_ranges_moved(p.before.expr, p.after.expr)}
        for d, pair in records:
            d.read_by = self._readers(pair)
            self.diff.records.append(d)
        old_silencers, new_silencers = silencers(old.alertmanager, old.alerts), silencers(new.alertmanager, new.alerts)
        moved = {i.name for i in self.diff.alertmanager.time_intervals if i.kind == "changed"}
        for pair in pair_rules(old.alerts, new.alerts):
            reads_changed = self.reads_new.get(id(pair.after), []) if pair.after is not None else []
            silenced_before = old_silencers.get(id(pair.before), frozenset()) if pair.before is not None else frozenset()
            silenced_after = new_silencers.get(id(pair.after), frozenset()) if pair.after is not None else frozenset()
            if pair.before is pair.after and not config_changed and not reads_changed and silenced_before == silenced_after:
                continue
            alert = self._alert_diff(pair, reads_changed, silenced_before, silenced_after, moved)
            if alert is not None:
                self.diff.alerts.append(alert)
                for entry in (pair.before, pair.after):
                    if entry is not None:
                        self.said(entry.file, "Alerts")
        self._compare_groups()

    def _record_diff(self, pair: Pair) -> RecordDiff | None:
        old, new = pair.before, pair.after
        entry = pair.either
        if old is None or new is None:
            kind = "added" if old is None else "removed"
            d = RecordDiff(entry.name, kind, dict(entry.labels), entry.file, changes=[Change("expr", old.expr if old else "", new.expr if new else "")])
        else:
            changes = ([Change("expr", old.expr, new.expr)] if old.expr != new.expr else []) + _rule_changes(old, new)
            if not changes and not pair.renamed:
                return None
            d = RecordDiff(new.name, "renamed" if pair.renamed else "changed", dict(new.labels), new.file,
                           renamed_from=old.name if old is not None and pair.renamed else "", changes=changes)
        for e in (old, new):
            if e is not None:
                self.said(e.file, "Recording rules")
        return d

    def _readers(self, pair: Pair) -> list[str]:
        """Alerts whose condition reads this recording rule, on the side that has it."""
        target, side, closure = (pair.after, self.new, self.reads_new) if pair.after is not None else (pair.before, self.old, self.reads_old)
        title = record_title(target)  # type: ignore[arg-type]
        return [alert_title(a.name, self._shown_labels(a), a.severity) for a in self._alerts_reading(side, closure).get(title, [])]

    def _alerts_reading(self, side: Side, closure: dict[int, list[str]]) -> dict[str, list[RuleEntry]]:
        """Per changed recording rule's title, the side's alerts that read it, in order: built
        once per side, not a scan of every alert per changed rule (a fleet changes hundreds)."""
        if id(side) not in self._readers_of:
            index: dict[str, list[RuleEntry]] = {}
            for alert in side.alerts:
                for title in dict.fromkeys(closure.get(id(alert), [])):
                    index.setdefault(title, []).append(alert)
            self._readers_of[id(side)] = index
        return self._readers_of[id(side)]

    def _shown_labels(self, entry: RuleEntry) -> dict[str, str]:
        return {k: entry.labels[k] for k in self.labels.get(entry.name, []) if k in entry.labels}

    def _alert_diff(self, pair: Pair, reads_changed: list[str], silenced_before: frozenset[str],
                    silenced_after: frozenset[str], moved_intervals: set[str]) -> AlertDiff | None:
        old, new = pair.before, pair.after
        entry = pair.either
        reach_before = self.old_paging.reach(old.route_labels) if old is not None else ()
        reach_after = self.new_paging.reach(new.route_labels) if new is not None else ()
        timings: list = []
        changes: list[Change] = []
        if old is not None and new is not None:
            if old.expr != new.expr or old.for_ != new.for_ or reads_changed:
                timings = timing(old.expr, new.expr, old.for_, new.for_, self.old_reads.window, self.new_reads.window)
            changes = _rule_changes(old, new)
        reshaped = any(title not in self.windows_only for title in reads_changed)
        effects = _effects(pair, reach_before, reach_after, moved_intervals, timings, reads_changed, reshaped, silenced_before != silenced_after,
                           paging_known=not self.diff.paging_unknown)
        if old is not None and new is not None and not pair.renamed and not changes and not timings and not effects and not reads_changed:
            if [t.text for t in reach_before] == [t.text for t in reach_after]:
                return None
        kind = "added" if old is None else "removed" if new is None else "renamed" if pair.renamed else "changed"
        return AlertDiff(
            name=entry.name, kind=kind, labels=self._shown_labels(entry), severity=entry.severity, priority=entry.priority, file=entry.file,
            renamed_from=old.name if old is not None and pair.renamed else "", changes=changes, timing=timings, reads_changed=reads_changed,
            reaches_before=[t.text for t in reach_before], reaches_after=[t.text for t in reach_after],
            pages_before=[t.text for t in reach_before if t.pages], pages_after=[t.text for t in reach_after if t.pages],
            silenced_by_before=sorted(silenced_before), silenced_by_after=sorted(silenced_after), effects=effects,
            condition=entry.expr + (f" for {entry.for_}" if entry.for_ not in ("", "0s") else ""),
        )

    def _compare_groups(self) -> None:
        """Rule groups added, removed, or with other settings (interval, limit, labels)."""
        for path in self.changed:
            old = self.old.read(path).value if self.old.has(path) and path in self.old.rule_paths else None
            new = self.new.read(path).value if self.new.has(path) and path in self.new.rule_paths else None
            if old is None and new is None:
                continue
            a = {g.name: g for g in old.groups} if old is not None else {}
            b = {g.name: g for g in new.groups} if new is not None else {}
            for name in dict.fromkeys([*b, *a]):
                if name not in b or name not in a:
                    kind = "removed" if name not in b else "added"
                    group = a.get(name) or b[name]
                    count = str(len(group.rules))
                    self.diff.groups.append(ItemDiff(name, kind, [Change("rules", count if kind == "removed" else "", count if kind == "added" else "")], file=path))
                    self.said(path, "Rule groups")
                    continue
                changes = [Change(key, str(getattr(a[name], key) or ""), str(getattr(b[name], key) or ""))
                           for key in ("interval", "limit", "query_offset") if getattr(a[name], key) != getattr(b[name], key)]
                if dict(a[name].labels) != dict(b[name].labels):
                    changes.append(Change("labels", str(dict(a[name].labels)), str(dict(b[name].labels))))
                order_a = [(type(r).__name__, r.name, tuple(sorted(r.labels.items()))) for r in a[name].rules]
                order_b = [(type(r).__name__, r.name, tuple(sorted(r.labels.items()))) for r in b[name].rules]
                if order_a != order_b and sorted(order_a) == sorted(order_b):
                    changes.append(Change("order of rules", "", "changed"))
                if changes:
                    self.diff.groups.append(ItemDiff(name, "changed", changes, file=path))
                    self.said(path, "Rule groups")

    # -- dashboards and accounting -------------------------------------------------------------

    def _compare_dashboard(self, path: str) -> None:
        old, new = self.old.dashboard(path), self.new.dashboard(path)
        if old is None and new is None:
            return
        d = compare_dashboard(old, new, path)
        if d is not None:
            self.diff.dashboards.append(d)
            self.said(path, "Dashboards")

    def _account(self) -> None:
        for path in self.changed:
            in_old, in_new = self.old.has(path), self.new.has(path)
            status = "added" if not in_old else "removed" if not in_new else "changed"
            note = FileNote(path, status, sorted(self.sections[path]))
            if path.startswith(TESTS):
                note.sections.append("Generated tests")
            elif path.startswith(EXPORTS):
                note.sections.append("Exports")
            if not note.sections or (status == "changed" and not path.startswith((TESTS, EXPORTS)) and not self.sections[path]):
                before = self.old.tree.read(self.old.full(path)) if in_old else b""  # type: ignore[union-attr]
                after = self.new.tree.read(self.new.full(path)) if in_new else b""  # type: ignore[union-attr]
                note.lines_added, note.lines_removed = line_counts(before, after)
                if not note.sections:
                    why = self.old.problems.get(path) or self.new.problems.get(path)
                    note.note = f"could not be read: {why}" if why else "changed in form only: nothing it defines differs"
            self.diff.files.append(note)


def _side(name: str, tree: Tree | None, systems: dict[str, list[str]], parsed: Parsed) -> Side:
    return Side(name, tree if name in systems else None, parsed, systems.get(name, []))


def compare_trees(before: Tree | None, after: Tree | None, base: str, target: str) -> Report:
    """Every system whose generated files differ, in name order."""
    from .git_tree import FileTree

    before = before or FileTree({})
    after = after or FileTree({})
    changed = changed_paths(before, after)
    old_systems, new_systems = split_systems(before), split_systems(after)
    by_system: dict[str, list[str]] = {}
    loose = []
    for path in changed:
        if "/" in path:
            system, inner = path.split("/", 1)
            by_system.setdefault(system, []).append(inner)
        else:
            loose.append(path)
    parsed = Parsed()
    report = Report(base, target)
    for name in sorted(by_system):
        comparison = SystemComparison(name, _side(name, before, old_systems, parsed), _side(name, after, new_systems, parsed), by_system[name])
        report.systems.append(comparison.compare())
    report.other_files = [FileNote(p, "added" if p not in before.paths() else "removed" if p not in after.paths() else "changed") for p in loose]
    return report


