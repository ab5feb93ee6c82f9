"""Which rule on one side is which rule on the other.

A rule is its name and its static labels: two SLOs' `slo:sli_error:ratio_rate1h` differ by
their `slo` label, an alert's warning and critical levels by `severity`, an SLO's burn-rate
tiers by `long` and `short`. Rules alike in name and static labels are the same rule;
what is left of a name is paired by likeness (a priority moved, a window changed); what is
left after that may be a rename: the same expression, `for` and labels under a new name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..artifacts import AlertingRule, RecordingRule

TEMPLATE = "{{"
RENAME_KEEPS = ("system", "service", "slo")  # labels a rename keeps: the same thing under a new name
LIKENESS_LIMIT = 200  # leftovers of one name beyond this are paired in file order (third-party files)


@dataclass(frozen=True, eq=False)
class RuleEntry:
    """A rule where it stands: its file, its group, and its place in the system."""

    rule: AlertingRule | RecordingRule
    file: str
    group: str
    position: int

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def alerting(self) -> bool:
        return isinstance(self.rule, AlertingRule)

    @property
    def expr(self) -> str:
        return self.rule.expr

    @property
    def for_(self) -> str:
        return (self.rule.for_ or "0s") if isinstance(self.rule, AlertingRule) else ""

    @property
    def keep_firing_for(self) -> str:
        return (self.rule.keep_firing_for or "") if isinstance(self.rule, AlertingRule) else ""

    @property
    def annotations(self) -> dict[str, str]:
        return dict(self.rule.annotations) if isinstance(self.rule, AlertingRule) else {}

    @cached_property
    def labels(self) -> dict[str, str]:
        """The labels whose value is known before the rule runs (no template)."""
        return {k: v for k, v in self.rule.labels.items() if TEMPLATE not in v}

    @cached_property
    def key(self) -> tuple:
        return (self.name, tuple(sorted(self.labels.items())))

    @property
    def severity(self) -> str:
        return self.labels.get("severity", "")

    @property
    def priority(self) -> str:
        return self.labels.get("priority", "")

    @cached_property
    def route_labels(self) -> dict[str, str]:
        """What Alertmanager sees of the alert before it runs: alertname and static labels."""
        return {**self.labels, "alertname": self.name}


@dataclass(frozen=True)
class Pair:
    """One rule on both sides (or on one: added, removed); `renamed` when names differ."""

    before: RuleEntry | None
    after: RuleEntry | None

    @property
    def renamed(self) -> bool:
        return self.before is not None and self.after is not None and self.before.name != self.after.name

    @property
    def either(self) -> RuleEntry:
        return self.after or self.before  # type: ignore[return-value]


def _likeness(old: RuleEntry, new: RuleEntry) -> tuple:
    names = set(old.labels) | set(new.labels)
    return (
        sum(old.labels.get(n) == new.labels.get(n) for n in names),
        old.expr == new.expr,
        old.for_ == new.for_,
        old.file == new.file,
        -abs(old.position - new.position),
    )


def _pair_alike(old: list[RuleEntry], new: list[RuleEntry]) -> tuple[list[Pair], list[RuleEntry], list[RuleEntry]]:
    """The likeliest pairs first; what is left of either side."""
    if len(old) * len(new) > LIKENESS_LIMIT * LIKENESS_LIMIT:
        n = min(len(old), len(new))
        return [Pair(o, w) for o, w in zip(old, new)], old[n:], new[n:]
    ranked = sorted(((o, w) for o in old for w in new), key=lambda p: _likeness(*p), reverse=True)
    used: set[int] = set()
    pairs = []
    for o, w in ranked:
        if id(o) not in used and id(w) not in used:
            used.update((id(o), id(w)))
            pairs.append(Pair(o, w))
    return pairs, [o for o in old if id(o) not in used], [w for w in new if id(w) not in used]


def _group(entries: list[RuleEntry], key) -> dict:
    out: dict = {}
    for e in entries:
        out.setdefault(key(e), []).append(e)
    return out


def _rename_key(entry: RuleEntry) -> tuple:
    return (entry.alerting, entry.expr, entry.for_, tuple(entry.labels.get(n, "") for n in RENAME_KEEPS))


def pair_rules(before: list[RuleEntry], after: list[RuleEntry]) -> list[Pair]:
    """Every rule of either side in exactly one pair, in the order the head side holds them
    (removed rules where they stood)."""
    pairs: list[Pair] = []
    old_by_key, new_by_key = _group(before, lambda e: e.key), _group(after, lambda e: e.key)
    left_old: list[RuleEntry] = []
    left_new: list[RuleEntry] = []
    for key in dict.fromkeys([*new_by_key, *old_by_key]):
        olds, news = old_by_key.get(key, []), new_by_key.get(key, [])
        if len(olds) == 1 and len(news) == 1:
            pairs.append(Pair(olds[0], news[0]))
            continue
        found, rest_old, rest_new = _pair_alike(olds, news)
        pairs += found
        left_old += rest_old
        left_new += rest_new
    old_by_name, new_by_name = _group(left_old, lambda e: (e.alerting, e.name)), _group(left_new, lambda e: (e.alerting, e.name))
    unmatched_old: list[RuleEntry] = []
    unmatched_new: list[RuleEntry] = []
    for name in dict.fromkeys([*new_by_name, *old_by_name]):
        found, rest_old, rest_new = _pair_alike(old_by_name.get(name, []), new_by_name.get(name, []))
        pairs += found
        unmatched_old += rest_old
        unmatched_new += rest_new
    # Renames: a removed and an added rule with one expression, `for` and identity labels.
    old_by_expr = _group(unmatched_old, _rename_key)
    for entry in unmatched_new:
        candidates = old_by_expr.get(_rename_key(entry))
        if candidates:
            best = max(candidates, key=lambda o: _likeness(o, entry))
            candidates.remove(best)
            pairs.append(Pair(best, entry))
        else:
            pairs.append(Pair(None, entry))
    pairs += [Pair(o, None) for group in old_by_expr.values() for o in group]
    return sorted(pairs, key=_place)


def _place(pair: Pair) -> tuple:
    """Where a pair stands: the head's file and place, a removed rule where it stood."""
    if pair.after is not None:
        return (pair.after.file, pair.after.position)
    return (pair.before.file, pair.before.position - 0.5)  # type: ignore[union-attr]
