"""The series, label values and scrape jobs that satisfy every selector the rules use.

Each use of a metric gets one series whose labels satisfy its matchers: an equality
gives the value, a regex an example it matches (a value written elsewhere in the
rules first, so joins line up), and a label the use leaves open gets a value that
matches none of the other uses' positive matchers. That is what makes a ratio drivable:
`rate(x{code=~"5.."}) / rate(x)` sees one series with code="500" and one with
code="200". `up{...}` selectors become scrape jobs (with their labels as target
labels); a series goes to the job its `job` matcher names, or to the job whose target
labels it carries, or to the system's default job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import re._parser as _sre  # sre_parse's home since Python 3.11, this project's minimum

from .metrics import SCRAPE_SERIES, Family, Use
from ..promql import Matcher

# Realistic values for common label names; used only when they fit the matchers.
KNOWN_VALUES = {
    "code": ("200", "500"),
    "status": ("success", "error", "ok"),
    "result": ("success", "failure"),
    "state": ("idle", "closed", "active"),
    "phase": ("Running", "Pending"),
    "condition": ("true", "false"),
    "reason": ("Completed", "Error"),
    "mode": ("user", "idle"),
    "fstype": ("ext4",),
    "mountpoint": ("/",),
    "device": ("eth0",),
    "container": ("app",),
    "resource": ("cpu", "memory"),
    "on_time": ("true", "false"),
    "priority": ("P1", "P2"),
}
FIXED = frozenset({"job", "le", "__name__"})  # instance only when a matcher names it


@dataclass(frozen=True)
class Target:
    """A scrape job: Prometheus scrapes /metrics/<job> and adds these target labels."""

    job: str
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Series:
    """One series of a family (a histogram's series stands for all its buckets)."""

    family: str
    labels: tuple[tuple[str, str], ...]
    job: str


@dataclass(frozen=True)
class Layout:
    system: str
    targets: tuple[Target, ...]
    series: tuple[Series, ...]
    families: dict
    default_job: str
    notes: tuple[str, ...] = ()

    def target(self, job: str) -> Target:
        return next(t for t in self.targets if t.job == job)


def example(pattern: str) -> str | None:
    """A short string the (fully anchored) regex matches, or None."""
    try:
        parsed = _sre.parse(pattern)
    except re.error:
        return None
    text = _emit(list(parsed))
    if text is not None and re.fullmatch(pattern, text):
        return text
    return None


def _emit(items) -> str | None:
    out = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "ANY":
            out.append("0")
        elif name == "IN":
            char = _class_char(arg)
            if char is None:
                return None
            out.append(char)
        elif name == "BRANCH":
            for branch in arg[1]:
                text = _emit(list(branch))
                if text is not None:
                    out.append(text)
                    break
            else:
                return None
        elif name == "SUBPATTERN":
            text = _emit(list(arg[-1]))
            if text is None:
                return None
            out.append(text)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, sub = arg
            text = _emit(list(sub))
            if text is None:
                return None
            out.append(text * low)
        elif name == "AT":
            continue
        elif name == "CATEGORY":
            out.append(_category(arg))
        else:
            return None
    return "".join(out)


def _category(cat) -> str:
    name = str(cat)
    return {"CATEGORY_DIGIT": "0", "CATEGORY_WORD": "a", "CATEGORY_SPACE": " "}.get(name, "a")


def _class_char(items) -> str | None:
    negate = any(str(op) == "NEGATE" for op, _ in items)
    allowed = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            allowed.append(chr(arg))
        elif name == "RANGE":
            allowed.append(chr(arg[0]))
        elif name == "CATEGORY":
            allowed.append(_category(arg))
    if not negate:
        return allowed[0] if allowed else None
    return next((c for c in "0aZ_-x" if c not in allowed), None)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-zA-Z0-9_.-]+", "-", text).strip("-")
    return slug or "job"


def _satisfies(value: str, matchers: list[Matcher]) -> bool:
    return all(m.matches(value) for m in matchers)


class _Labeller:
    """Chooses label values for one system, consistently across metrics."""

    def __init__(self, uses: list[Use]):
        self.known: dict[str, list[str]] = {}
        for use in uses:
            for m in use.matchers:
                if m.op == "=" and m.value:
                    self.known.setdefault(m.name, [])
                    if m.value not in self.known[m.name]:
                        self.known[m.name].append(m.value)

    def positive(self, name: str, matchers: list[Matcher]) -> str | None:
        for value in self.known.get(name, []):
            if _satisfies(value, matchers):
                return value
        for m in matchers:
            if m.op == "=~":
                sample = example(m.value)
                if sample is not None and _satisfies(sample, matchers):
                    return sample
        return None

    def open_value(self, name: str, matchers: list[Matcher], others: list[Matcher]) -> str | None:
        """A value for a label this use leaves open: none of the other uses' positives."""
        candidates = list(KNOWN_VALUES.get(name, ())) + [f"{name}-1", "other", ""]
        for value in candidates:
            if _satisfies(value, matchers) and not any(o.matches(value) for o in others):
                return value
        for value in candidates:
            if _satisfies(value, matchers):
                return value
        return None


def build_layout(system: str, uses: list[Use], fams: dict[str, Family]) -> Layout:
    labeller = _Labeller(uses)
    notes: list[str] = []
    targets: list[Target] = []

    def target_matches(target: Target, matchers) -> bool:
        labels = {"job": target.job, "instance": "simulator", **dict(target.labels)}
        return all(m.matches(labels.get(m.name, "")) for m in matchers)

    # 1. scrape jobs from the up{...} selectors, equality-only ones first
    up_uses = [u for u in uses if u.name in SCRAPE_SERIES]
    up_uses.sort(key=lambda u: any(m.op != "=" for m in u.matchers))
    for use in up_uses:
        if any(target_matches(t, use.matchers) for t in targets):
            continue
        labels: dict[str, str] = {}
        for name in dict.fromkeys(m.name for m in use.matchers):
            ms = [m for m in use.matchers if m.name == name]
            eq = [m.value for m in ms if m.op == "="]
            value: str | None = eq[0] if eq else labeller.positive(name, ms)
            if value is None:
                value = labeller.open_value(name, ms, [])
            if value is None:
                notes.append(f"{use.rule}: no label value satisfies {', '.join(map(str, ms))}")
                continue
            if value:
                labels[name] = value
        job = labels.pop("job", None) or "-".join(labels.values()) or f"{system}-up"
        target = Target(_slug(job), tuple(sorted(labels.items())))
        if not target_matches(target, use.matchers):
            notes.append(f"{use.rule}: cannot build a scrape job for up{{{', '.join(map(str, use.matchers))}}}")
        targets.append(target)

    default_job = f"{system}-sim"

    # 2. one series per distinct use of each family
    series: list[Series] = []
    seen: set[tuple] = set()
    for fam in fams.values():
        universe: list[str] = []
        for use in fam.uses:
            universe += [m.name for m in use.matchers] + [l for l in use.group_labels if l != "instance"]
        universe = [n for n in dict.fromkeys(universe) if n not in FIXED]
        positives = {n: [m for u in fam.uses for m in u.matchers if m.name == n and m.positive] for n in universe}
        for use in fam.uses:
            labels = {}
            ok = True
            for name in universe:
                ms = [m for m in use.matchers if m.name == name]
                eq = [m.value for m in ms if m.op == "="]
                if eq:
                    value = eq[0] if all(v == eq[0] for v in eq) else None
                elif any(m.op == "=~" for m in ms):
                    value = labeller.positive(name, ms)
                else:
                    value = labeller.open_value(name, ms, positives[name])
                if value is None:
                    notes.append(f"{use.rule}: no value of {name!r} satisfies {', '.join(map(str, ms))} on {fam.name}")
                    ok = False
                    break
                if value:
                    labels[name] = value
            if not ok:
                continue
            job = _job_for(use, labels, targets, labeller) or default_job
            if job != default_job and not any(t.job == job for t in targets):
                targets.append(Target(job))
            key = (fam.name, tuple(sorted(labels.items())))
            if key in seen:
                continue
            seen.add(key)
            series.append(Series(fam.name, key[1], job))
    if any(s.job == default_job for s in series) or not targets:
        targets.append(Target(default_job))
    return Layout(system, tuple(targets), tuple(series), fams, default_job, tuple(dict.fromkeys(notes)))


def _job_for(use: Use, labels: dict[str, str], targets: list[Target], labeller: _Labeller) -> str | None:
    job_matchers = [m for m in use.matchers if m.name == "job"]
    if job_matchers:
        eq = [m.value for m in job_matchers if m.op == "="]
        if eq:
            return _slug(eq[0])
        for target in targets:
            if _satisfies(target.job, job_matchers):
                return target.job
        value = labeller.positive("job", job_matchers)
        return _slug(value) if value else None
    best = None
    for target in targets:
        tl = dict(target.labels)
        if tl and all(labels.get(k) == v for k, v in tl.items()):
            if best is None or len(tl) > len(best.labels):
                best = target
    return best.job if best else None
