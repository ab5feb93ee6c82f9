"""Plain PromQL series selectors (name{label op "value", ...}): parsed, rendered, satisfied.

SLIs name their raw series by selector; the rules append matchers (le, a suffix) and
the generated tests need label sets that do, or do not, match a selector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import promql_parser

from .promql import PromQLError, parse

_OPS = {"Equal": "=", "NotEqual": "!=", "Re": "=~", "NotRe": "!~"}
_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
# Values tried for a label that must (or must not) match a regular expression.
_CANDIDATES = ("200", "500", "503", "error", "failure", "fail", "ok", "success", "true", "false", "yes", "no", "x", "")


@dataclass(frozen=True)
class Matcher:
    name: str
    op: str  # '=', '!=', '=~' or '!~'
    value: str

    def matches(self, value: str) -> bool:
        """As Prometheus matches: a missing label is the empty string; regexes are anchored."""
        if self.op == "=":
            return value == self.value
        if self.op == "!=":
            return value != self.value
        try:
            hit = re.fullmatch(self.value, value) is not None
        except re.error:
            return False
        return hit if self.op == "=~" else not hit

    def __str__(self) -> str:
        escaped = self.value.replace("\\", "\\\\").replace('"', '\\"')
        return f'{self.name}{self.op}"{escaped}"'


@dataclass(frozen=True)
class Selector:
    metric: str
    matchers: tuple[Matcher, ...]

    def render(self, metric: str | None = None, extra: tuple[Matcher, ...] = ()) -> str:
        """The selector as PromQL, optionally for another metric name and with more matchers."""
        matchers = self.matchers + extra
        inner = ", ".join(str(m) for m in matchers)
        return f"{metric or self.metric}{{{inner}}}" if inner else (metric or self.metric)

    def matches(self, metric: str, labels: dict[str, str]) -> bool:
        return metric == self.metric and all(m.matches(labels.get(m.name, "")) for m in self.matchers)

    @property
    def equalities(self) -> dict[str, str]:
        """The labels absent() gives its series: the equality matchers."""
        return {m.name: m.value for m in self.matchers if m.op == "="}


def parse_selector(text: str) -> Selector:
    """A plain selector with a metric name; ValueError saying what else it is."""
    try:
        node = parse(text)
    except PromQLError as exc:
        raise ValueError(str(exc)) from None
    if not isinstance(node, promql_parser.VectorSelector):
        raise ValueError(f"{text!r} must be a plain series selector such as 'http_requests_total{{job=\"api\"}}', not an expression")
    if node.offset is not None or node.at is not None:
        raise ValueError(f"{text!r}: no offset or @ in an SLI selector")
    matchers = []
    metric = node.name or ""
    for m in node.matchers.matchers:
        op = _OPS[str(m.op).split(".")[-1]]
        if m.name == "__name__" and op == "=":
            metric = metric or m.value
            continue
        matchers.append(Matcher(m.name, op, m.value))
    if not metric:
        raise ValueError(f"{text!r} needs a metric name")
    return Selector(metric, tuple(matchers))


def is_label_name(name: object) -> bool:
    return isinstance(name, str) and bool(_LABEL.match(name))


def _candidates(selectors: list[Selector], name: str) -> list[str]:
    """Values worth trying for a label: the ones its matchers suggest, then common ones
    of the same kind (digits like '500' for codes, words like 'failure' for results)."""
    exact: list[str] = []
    derived: list[str] = []
    patterns: list[str] = []
    numeric = False
    for selector in selectors:
        for m in selector.matchers:
            if m.name != name:
                continue
            numeric = numeric or m.value[:1].isdigit()
            if m.op in ("=", "!="):
                exact.append(m.value)
                continue
            patterns.append(m.value)
            for branch in m.value.split("|"):
                derived.append(re.sub(r"\\d|\.", "0", branch.strip("^$()")).replace("+", "").replace("*", ""))
    common = sorted(_CANDIDATES, key=lambda v: (v == "", v[:1].isdigit() != numeric))
    return list(dict.fromkeys(exact + derived + common + patterns))


def example_labels(select: Selector, avoid: Selector | None = None) -> dict[str, str] | None:
    """Labels of a series that `select` matches and `avoid` (same metric) does not; None if none found.

    Empty values mean the label is left off, which is how Prometheus sees a missing label.
    """
    both = [s for s in (select, avoid) if s is not None]
    labels: dict[str, str] = {}
    for name in dict.fromkeys(m.name for s in both for m in s.matchers):
        own = [m for m in select.matchers if m.name == name]
        others = [m for m in avoid.matchers if m.name == name] if avoid else []
        fits = [v for v in _candidates(both, name) if all(m.matches(v) for m in own)]
        if not fits:
            return None
        escaping = [v for v in fits if others and not all(m.matches(v) for m in others)]
        labels[name] = escaping[0] if escaping and (not own or labels_escape_needed(select, avoid, name)) else fits[0]
    if avoid is not None and avoid.matches(select.metric, labels):
        for name in dict.fromkeys(m.name for m in avoid.matchers):
            own = [m for m in select.matchers if m.name == name]
            others = [m for m in avoid.matchers if m.name == name]
            value = next((v for v in _candidates(both, name) if all(m.matches(v) for m in own) and not all(m.matches(v) for m in others)), None)
            if value is not None:
                labels[name] = value
                break
        else:
            return None
    return {k: v for k, v in labels.items() if v}


def labels_escape_needed(select: Selector, avoid: Selector | None, name: str) -> bool:
    """Whether `name` is where select and avoid differ (so the avoiding value goes there)."""
    if avoid is None:
        return False
    return {(m.op, m.value) for m in select.matchers if m.name == name} != {(m.op, m.value) for m in avoid.matchers if m.name == name}
