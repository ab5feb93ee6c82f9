"""pint's offline checks, on obsgen.promql's analysis: what an expression can return,
which series it can match, and what its comparisons can ever be.

Each check is a function from the parsed expression (and what the run knows) to
(rule, message, severity or None) findings; rules.py calls them per rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..promql import Aggregate, Binary, Call, Node, Number, Selector, children
from ..promql.analysis import MATRIX, SCALAR, VECTOR, is_comparison, labels, result_type
from . import promql
from .findings import INFO, WARNING, rule

TEMPLATE_LABEL = rule("alerts/template-label", WARNING, "A label or annotation template reads a label the query can never return ($labels.instance after sum by (job), or from absent()).")
IMPOSSIBLE_JOIN = rule("promql/impossible-join", WARNING, "A binary operation whose sides can never match: on() or group_left() names a label one side cannot have, or both sides keep different labels.")
NEVER_MATCHES = rule("promql/selector-never-matches", WARNING, "A selector whose matchers contradict each other ({job=\"a\", job=\"b\"}): it selects nothing, always.")
ALWAYS = rule("promql/comparison-always", WARNING, "A comparison that is always false (the alert never fires) or always true (it fires for every series).")
BUCKET_WITHOUT_LE = rule("promql/histogram-without-le", WARNING, "Histogram buckets summed or compared without le, or histogram_quantile() given series without le.")
RATE_OF_RATE = rule("promql/rate-over-rate", WARNING, "rate(), irate() or increase() over a series that is already a rate (a recorded rate): the result is meaningless.")
RATE_OF_GAUGE = rule("promql/rate-over-gauge", WARNING, "rate(), irate() or increase() over a metric whose type is gauge: use deriv() or delta().")
COUNTER = rule("promql/counter-without-rate", WARNING, "A counter read as a value instead of through rate() or increase(): it only goes up, and resets. A guess from the _total suffix alone is info.")
FOR_MISSING = rule("alerts/for-missing", WARNING, "An alert without for: on a raw, instantaneous sample: one failed scrape of up or *_up pages someone (other signals: info).")
FRAGILE = rule("promql/fragile", INFO, "A fragile construction (pint's promql/fragile): topk/bottomk/limitk in an alert flap as the ranking changes; without() in a join breaks when a label is added.")

RATE_FUNCTIONS = frozenset({"rate", "irate", "increase"})
COUNTER_SAFE_FUNCTIONS = RATE_FUNCTIONS | {
    "resets", "absent", "absent_over_time", "present_over_time", "count_over_time", "changes", "timestamp",
}
EXISTENCE_FUNCTIONS = frozenset({"absent", "absent_over_time", "present_over_time", "count_over_time", "timestamp", "changes", "resets"})
HISTOGRAM_FUNCTIONS = frozenset({"histogram_quantile", "histogram_fraction"})
SELECTING_AGGREGATIONS = frozenset({"topk", "bottomk", "limitk", "limit_ratio"})


@dataclass
class RunFacts:
    """What the whole run knows: recorded series and their expressions, metric types."""

    recorded: dict[str, Node] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)

    def recorded_rate(self, name: str) -> bool | None:
        """True when a recording rule in the run records a rate; None when not recorded here."""
        node = self.recorded.get(name)
        if node is None:
            return None
        while isinstance(node, Aggregate) and node.op in ("sum", "avg", "max", "min"):
            node = node.expr
        return isinstance(node, Call) and node.func in RATE_FUNCTIONS | {"deriv"}

    def metric_type(self, name: str) -> str | None:
        if name in self.types:
            return self.types[name]
        for suffix in ("_bucket", "_count", "_sum", "_total"):
            if name.endswith(suffix) and name[: -len(suffix)] in self.types:
                family = self.types[name[: -len(suffix)]]
                return "counter" if family in ("histogram", "summary", "counter") and suffix != "_total" or family == "counter" else family
        return None


Found = tuple  # (rule, message, severity override or None)


# -- templates ---------------------------------------------------------------------------------


def template_labels(text: str) -> list[str]:
    """Label names a Prometheus template reads: $labels.x, .Labels.x, index $labels "x"."""
    names = []
    for marker in ("$labels.", ".Labels."):
        start = text.find(marker)
        while start >= 0:
            end = start + len(marker)
            while end < len(text) and (text[end].isalnum() or text[end] == "_"):
                end += 1
            if end > start + len(marker):
                names.append(text[start + len(marker) : end])
            start = text.find(marker, end)
    start = text.find("index $labels")
    while start >= 0:
        rest = text[start + len("index $labels") :].lstrip()
        if rest[:1] == '"' and '"' in rest[1:]:
            names.append(rest[1 : rest.index('"', 1)])
        start = text.find("index $labels", start + 1)
    return names


def _absent_source(node: Node) -> bool:
    return isinstance(node, Call) and node.func in ("absent", "absent_over_time")


def check_template_labels(node: Node, rule_labels: dict[str, str], templates: dict[str, str]) -> Iterator[Found]:
    kept = labels(node)
    for where, text in templates.items():
        for name in dict.fromkeys(template_labels(text)):
            if name in rule_labels or kept.can_have(name):
                continue
            if _absent_source(node):
                why = "absent() only carries the equality matchers of its selector"
            elif kept.open:
                why = "the query removes it"
            else:
                why = f"the query keeps only {', '.join(sorted(kept.names - {'__name__'})) or 'no labels'}"
            yield TEMPLATE_LABEL, f"{where} reads $labels.{name}, which this alert never has: {why}", None


# -- joins -------------------------------------------------------------------------------------


def check_joins(node: Node) -> Iterator[Found]:
    for n, _ in promql.walked(node):
        if not isinstance(n, Binary) or n.op in ("and", "or", "unless") and n.on is None:
            continue
        if result_type(n.lhs) == SCALAR or result_type(n.rhs) == SCALAR:
            continue
        lhs, rhs = labels(n.lhs), labels(n.rhs)
        for label in n.on or ():
            sides = [side for side, kept in (("left", lhs), ("right", rhs)) if not kept.can_have(label)]
            named = [kept for kept in (lhs, rhs) if label in kept.names]
            if len(sides) == 1 and named:
                yield IMPOSSIBLE_JOIN, f"on ({label}): the {sides[0]} side can never have {label}, the other keeps it: the sides never match", None
        if n.card == "many-to-one" or n.card == "one-to-many":
            one = rhs if n.card == "many-to-one" else lhs
            for label in n.include:
                if not one.can_have(label):
                    yield IMPOSSIBLE_JOIN, f"group_{'left' if n.card == 'many-to-one' else 'right'} ({label}) copies {label} from a side that never has it: it copies nothing", INFO
        if n.on is None and n.ignoring is None and not lhs.open and not rhs.open and n.op not in ("and", "or", "unless"):
            left, right = lhs.names - {"__name__"}, rhs.names - {"__name__"}
            if left != right:
                yield IMPOSSIBLE_JOIN, f"the left side keeps {{{', '.join(sorted(left))}}} and the right side {{{', '.join(sorted(right))}}}: without on() they never match", None


# -- selectors ---------------------------------------------------------------------------------


def _literal_alternatives(pattern: str) -> set[str] | None:
    """The values a regex such as 'a|b|c' matches, when it is only literal alternatives."""
    if any(ch in pattern for ch in ".*+?()[]{}^$\\"):
        return None
    return set(pattern.split("|"))


def _contradiction(selector: Selector) -> str | None:
    matchers = list(selector.matchers)
    by_name: dict[str, list] = {}
    for m in matchers:
        by_name.setdefault(m.name, []).append(m)
    if selector.name is not None:
        for m in by_name.get("__name__", []):
            if not m.matches(selector.name):
                return f"the metric name {selector.name} and {m} exclude each other"
    for name, group in by_name.items():
        for m in group:
            if m.op == "=":
                for other in group:
                    if other is not m and not other.matches(m.value):
                        return f"{m} and {other} exclude each other"
        alternatives = [_literal_alternatives(m.value) for m in group if m.op == "=~"]
        literal = [v for v in alternatives if v is not None]
        if len(literal) > 1 and len(literal) == len(alternatives) and not set.intersection(*literal):
            return f"the regexes on {name} have no value in common"
    return None


def check_selectors(node: Node) -> Iterator[Found]:
    for n, _ in promql.walked(node):
        if isinstance(n, Selector):
            problem = _contradiction(n)
            if problem:
                yield NEVER_MATCHES, f"{n} never matches: {problem}", None


# -- value bounds ------------------------------------------------------------------------------

NON_NEGATIVE = frozenset({"rate", "irate", "increase", "resets", "changes", "abs", "sqrt", "count_over_time", "timestamp", "time", "histogram_count"})


def bounds(node: Node) -> tuple[float, float] | None:
    """The smallest and largest value the expression can return, when that is known."""
    if isinstance(node, Number):
        return node.value, node.value
    if isinstance(node, Call):
        if node.func in ("absent", "absent_over_time", "present_over_time"):
            return 1.0, 1.0
        if node.func == "count_over_time":
            return 1.0, math.inf
        if node.func in NON_NEGATIVE:
            return 0.0, math.inf
        if node.func in ("clamp", "clamp_min", "clamp_max") and len(node.args) >= 2:
            inner = bounds(node.args[0]) or (-math.inf, math.inf)
            if not all(isinstance(a, Number) for a in node.args[1:]):
                return None
            limits = [a.value for a in node.args[1:] if isinstance(a, Number)]
            if node.func == "clamp":
                return max(inner[0], limits[0]), min(inner[1], limits[1])
            if node.func == "clamp_min":
                return max(inner[0], limits[0]), max(inner[1], limits[0])
            return min(inner[0], limits[0]), min(inner[1], limits[0])
        return None
    if isinstance(node, Aggregate):
        if node.op == "count":
            return 1.0, math.inf
        if node.op == "group":
            return 1.0, 1.0
        each = bounds(node.expr)
        if each is None:
            return None
        if node.op in ("min", "max", "avg", "topk", "bottomk", "quantile", "limitk"):
            return each
        if node.op == "sum" and each[0] >= 0:
            return 0.0, math.inf
    return None


_HOLDS = {
    ">": lambda lo, hi, n: (lo > n, hi <= n),
    ">=": lambda lo, hi, n: (lo >= n, hi < n),
    "<": lambda lo, hi, n: (hi < n, lo >= n),
    "<=": lambda lo, hi, n: (hi <= n, lo > n),
    "==": lambda lo, hi, n: (lo == hi == n, n < lo or n > hi),
    "!=": lambda lo, hi, n: (n < lo or n > hi, lo == hi == n),
}
_FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "==": "==", "!=": "!="}


def check_comparisons(node: Node) -> Iterator[Found]:
    for n, _ in promql.walked(node):
        if not is_comparison(n):
            continue
        side, op, number = n.lhs, n.op, n.rhs
        if isinstance(n.lhs, Number) and not isinstance(n.rhs, Number):
            side, op, number = n.rhs, _FLIPPED[n.op], n.lhs
        if not isinstance(number, Number) or isinstance(side, Number):
            continue
        known = bounds(side)
        if known is None:
            continue
        always_true, always_false = _HOLDS[op](known[0], known[1], number.value)
        if always_false:
            yield ALWAYS, f"{n} is never true: {side} is always between {known[0]:g} and {known[1]:g}", None
        elif always_true and not (isinstance(side, Call) and side.func in ("absent", "absent_over_time", "present_over_time")):
            yield ALWAYS, f"{n} is always true: {side} is always between {known[0]:g} and {known[1]:g}, so every series it returns fires", INFO


# -- histograms, counters, rates ---------------------------------------------------------------


def check_histograms(node: Node, alert: bool) -> Iterator[Found]:
    for n, parents in promql.walked(node):
        if isinstance(n, Call) and n.func in HISTOGRAM_FUNCTIONS and n.args:
            buckets = n.args[-1]
            if result_type(buckets) == VECTOR and not labels(buckets).can_have("le"):
                yield BUCKET_WITHOUT_LE, f"{n.func}() is given series without an le label: aggregate with by (le, ...)", None
        if not (isinstance(n, Selector) and n.name and n.name.endswith("_bucket")) or any(m.name == "le" for m in n.matchers):
            continue
        if any(isinstance(p, Call) and (p.func in HISTOGRAM_FUNCTIONS or p.func in EXISTENCE_FUNCTIONS) for p in parents):
            continue
        if any(isinstance(p, Aggregate) and p.op in ("count", "group") for p in parents):
            continue
        drops = any(isinstance(p, Aggregate) and not labels(p).can_have("le") for p in parents)
        if drops:
            yield BUCKET_WITHOUT_LE, f"{n.name} is aggregated without le: every bucket is added together", None
        elif alert:
            yield BUCKET_WITHOUT_LE, f"{n.name} is compared without an le matcher: the alert compares every bucket", None


def _counter_evidence(name: str, facts: RunFacts) -> str | None:
    """'counter' with the evidence, 'guess' from the _total suffix alone, or None."""
    if ":" in name:
        return None
    known = facts.metric_type(name)
    if known is not None:
        return "the metric type is counter" if known == "counter" else None
    if name.endswith("_bucket"):
        return "it is a histogram bucket"
    if name.endswith("_total"):
        return "guess"
    return None


def check_counters(node: Node, facts: RunFacts, safe: bool = False) -> Iterator[Found]:
    if isinstance(node, Selector):
        if node.name and not safe:
            evidence = _counter_evidence(node.name, facts)
            if evidence == "guess":
                yield COUNTER, f"{node.name} looks like a counter (its name ends in _total); read it through rate() or increase(), or give lint its type", INFO
            elif evidence:
                yield COUNTER, f"{node.name} is a counter ({evidence}); read it through rate() or increase()", None
        return
    if isinstance(node, Call):
        inner = safe or node.func in COUNTER_SAFE_FUNCTIONS
        for arg in node.args:
            yield from check_counters(arg, facts, inner)
        return
    if isinstance(node, Aggregate) and node.op in ("count", "group"):
        yield from check_counters(node.expr, facts, True)
        return
    if isinstance(node, Binary) and node.op in ("and", "unless"):
        yield from check_counters(node.lhs, facts, safe)
        yield from check_counters(node.rhs, facts, True)  # only its label sets are read
        return
    for child in children(node):
        yield from check_counters(child, facts, safe)


def check_rates(node: Node, facts: RunFacts) -> Iterator[Found]:
    for n, _ in promql.walked(node):
        if not (isinstance(n, Call) and n.func in RATE_FUNCTIONS and n.args and isinstance(n.args[0], Selector) and n.args[0].name):
            continue
        name = n.args[0].name
        recorded = facts.recorded_rate(name)
        if recorded:
            yield RATE_OF_RATE, f"{n.func}({name}[...]): {name} is recorded as a rate in this run", None
        elif recorded is None and ":" in name and any(op in name.rsplit(":", 1)[-1] for op in ("rate", "increase")):
            yield RATE_OF_RATE, f"{n.func}({name}[...]): by its name, {name} is already a rate", INFO
        if facts.metric_type(name) == "gauge":
            yield RATE_OF_GAUGE, f"{n.func}({name}[...]): {name} is a gauge; use deriv() or delta()", None


# -- alerts ------------------------------------------------------------------------------------


def check_for(node: Node) -> Iterator[Found]:
    """Alerts without for: whose condition reads a raw series at one instant."""
    for n, parents in promql.walked(node):
        if not (isinstance(n, Selector) and n.range is None and n.name and ":" not in n.name):
            continue
        if any(isinstance(p, Call) and (p.func in EXISTENCE_FUNCTIONS or result_type(p) == MATRIX) for p in parents):
            continue
        if any(isinstance(p, Binary) and p.op in ("and", "unless") and p.rhs is n for p in parents):
            continue
        if any(isinstance(p, Aggregate) and p.op in ("count", "group", "count_values") for p in parents):
            continue  # how many series exist, not what one of them says
        # up and an exporter's *_up flap on one failed scrape; for other signals an instant
        # condition may be the point (a restart, a change), so it is only a hint.
        availability = n.name == "up" or n.name.endswith("_up")
        yield FOR_MISSING, f"no for: and the condition reads {n.name} at one instant: a single scrape decides; add for: (e.g. 5m)", None if availability else INFO
        return


def _alert_result(node: Node) -> Node:
    """What an alert's series come from: the left side of its comparisons with a number."""
    while isinstance(node, Binary) and (is_comparison(node) and result_type(node.rhs) == SCALAR or node.op in ("and", "unless")):
        node = node.lhs
    return node


def check_fragile(node: Node, alert: bool) -> Iterator[Found]:
    result = _alert_result(node) if alert else None
    if isinstance(result, Aggregate) and result.op in SELECTING_AGGREGATIONS:
        yield FRAGILE, f"the alert fires for {result.op}()'s series: which series are in the top changes, and alerts flap with it", WARNING
    for n, _ in promql.walked(node):
        if isinstance(n, Binary) and n.op not in ("and", "or", "unless") and n.on is None and n.ignoring is None:
            for side in (n.lhs, n.rhs):
                if isinstance(side, Aggregate) and side.without is not None and result_type(n.lhs) == result_type(n.rhs) == VECTOR:
                    yield FRAGILE, f"{side.op} without (...) on one side of {n.op}: both sides must keep identical labels; use by (...) or on (...)", None
                    break
