"""Plain series selectors (name{label op "value", ...}) as SLIs write them, and label sets
that do, or do not, match them (for the generated tests)."""

from __future__ import annotations

from .errors import PromQLError
from .tree import Selector, parse

# Values tried for a label that must (or must not) match a regular expression.
_CANDIDATES = ("200", "500", "503", "error", "failure", "fail", "ok", "success", "true", "false", "yes", "no", "x", "")


def parse_selector(text: str) -> Selector:
    """A plain selector with a metric name; ValueError saying what else it is."""
    try:
        node = parse(text)
    except PromQLError as exc:
        raise ValueError(str(exc)) from None
    if not isinstance(node, Selector) or node.range is not None:
        raise ValueError(f"{text!r} must be a plain series selector such as 'http_requests_total{{job=\"api\"}}', not an expression")
    if node.offset or node.at is not None:
        raise ValueError(f"{text!r}: no offset or @ in an SLI selector")
    if not node.name:
        raise ValueError(f"{text!r} needs a metric name")
    return node


def _regex_example(branch: str) -> str:
    """A literal that a simple regex branch suggests: '5..' -> '500', '^(4\\d\\d)$' -> '400'."""
    text = branch.strip("^$()").replace("\\d", "0").replace(".", "0")
    return text.replace("+", "").replace("*", "")


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
            derived += [_regex_example(branch) for branch in m.value.split("|")]
    common = sorted(_CANDIDATES, key=lambda v: (v == "", v[:1].isdigit() != numeric))
    return list(dict.fromkeys(exact + derived + common + patterns))


def _escape_needed(select: Selector, avoid: Selector | None, name: str) -> bool:
    """Whether `name` is where select and avoid differ (so the avoiding value goes there)."""
    if avoid is None:
        return False
    return {(m.op, m.value) for m in select.matchers if m.name == name} != {(m.op, m.value) for m in avoid.matchers if m.name == name}


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
        labels[name] = escaping[0] if escaping and (not own or _escape_needed(select, avoid, name)) else fits[0]
    if avoid is not None and avoid.matches({**labels, "__name__": select.name or ""}):
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
