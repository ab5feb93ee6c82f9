"""What the checks ask of a PromQL expression, answered from promql-parser's tree."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import promql_parser as pp

from ..model.promql import PromQLError, parse

COMPARISONS = frozenset({"==", "!=", ">", "<", ">=", "<="})
RATE_FUNCTIONS = frozenset({"rate", "irate", "increase"})
# Functions that read a counter as a counter (its resets), or only whether it exists.
COUNTER_SAFE_FUNCTIONS = RATE_FUNCTIONS | {
    "resets", "absent", "absent_over_time", "present_over_time", "count_over_time", "changes", "timestamp",
}
COUNTER_SAFE_AGGREGATIONS = frozenset({"count", "group"})
# Suffixes that always mean a counter: OpenMetrics' _total, and histogram buckets. _count
# and _sum are left out: exporters name gauges that way too (pg_stat_activity_count).
COUNTER_SUFFIXES = ("_total", "_bucket")


def syntax_error(expr: str) -> str | None:
    """promql-parser's message (with a caret where we can place one), or None if valid."""
    try:
        parse(expr)
    except PromQLError as exc:
        return str(exc)
    return None


def tree(expr: str) -> pp.Expr | None:
    try:
        return parse(expr)
    except PromQLError:
        return None


def children(node) -> list:
    if isinstance(node, pp.BinaryExpr):
        return [node.lhs, node.rhs]
    if isinstance(node, pp.AggregateExpr):
        return [c for c in (node.param, node.expr) if c is not None]
    if isinstance(node, pp.Call):
        return list(node.args)
    if isinstance(node, (pp.ParenExpr, pp.UnaryExpr, pp.SubqueryExpr)):
        return [node.expr]
    if isinstance(node, pp.MatrixSelector):
        return [node.vector_selector]
    return []


def op(node) -> str:
    return str(node.op).strip()


def is_comparison(node) -> bool:
    return isinstance(node, pp.BinaryExpr) and op(node) in COMPARISONS and not (node.modifier and node.modifier.return_bool)


def metric_name(selector: pp.VectorSelector) -> str | None:
    if selector.name:
        return selector.name
    for matcher in selector.matchers.matchers:
        if matcher.name == "__name__" and str(matcher.op).endswith("Equal") and "Not" not in str(matcher.op):
            return matcher.value
    return None


def selectors(node) -> Iterator[pp.VectorSelector]:
    if isinstance(node, pp.VectorSelector):
        yield node
    for child in children(node):
        yield from selectors(child)


def metric_names(expr: str) -> set[str]:
    node = tree(expr)
    return {n for s in selectors(node) if (n := metric_name(s))} if node is not None else set()


def filters(node) -> bool:
    """Whether the expression keeps only some series: what makes an alert conditional."""
    if is_comparison(node):
        return True
    if isinstance(node, pp.BinaryExpr):
        kind = op(node)
        if kind == "or":
            return filters(node.lhs) and filters(node.rhs)
        if kind == "unless":
            return filters(node.lhs)
        return filters(node.lhs) or filters(node.rhs)
    if isinstance(node, pp.Call) and node.func.name in ("absent", "absent_over_time", "vector"):
        return True  # fires on absence; vector(1) is an always-firing alert by design
    return any(filters(c) for c in children(node))


def is_counter(name: str) -> bool:
    """A raw counter by its name; recorded series (with ':') already have their rate."""
    return ":" not in name and name.endswith(COUNTER_SUFFIXES)


def bare_counters(node, safe: bool = False) -> Iterator[str]:
    """Counters read as values, not through rate() or increase() (or only tested for)."""
    if isinstance(node, pp.VectorSelector):
        name = metric_name(node)
        if name and not safe and is_counter(name):
            yield name
        return
    if isinstance(node, pp.Call):
        inner = safe or node.func.name in COUNTER_SAFE_FUNCTIONS
        for arg in node.args:
            yield from bare_counters(arg, inner)
        return
    if isinstance(node, pp.AggregateExpr) and op(node) in COUNTER_SAFE_AGGREGATIONS:
        yield from bare_counters(node.expr, True)
        return
    if isinstance(node, pp.BinaryExpr) and op(node) in ("and", "unless"):
        yield from bare_counters(node.lhs, safe)
        yield from bare_counters(node.rhs, True)  # only its label sets are read
        return
    for child in children(node):
        yield from bare_counters(child, safe)


@dataclass(frozen=True)
class RangeUse:
    function: str
    range: timedelta
    metric: str | None


def rate_ranges(node) -> Iterator[RangeUse]:
    """The range of every rate(), irate() and increase() over a plain range selector."""
    if isinstance(node, pp.Call) and node.func.name in RATE_FUNCTIONS and node.args and isinstance(node.args[0], pp.MatrixSelector):
        matrix = node.args[0]
        yield RangeUse(node.func.name, matrix.range, metric_name(matrix.vector_selector))
    for child in children(node):
        yield from rate_ranges(child)


def comparison_threshold(expr: str) -> tuple[str, str, float] | None:
    """(left side, operator, number) when the expression is `something OP number`."""
    node = tree(expr)
    if node is None or not is_comparison(node):
        return None
    number = node.rhs
    while isinstance(number, pp.ParenExpr):
        number = number.expr
    if not isinstance(number, pp.NumberLiteral):
        return None
    return str(node.lhs), op(node), number.val


# Grafana's variables, as dashboards write them: $name, ${name}, ${name:format}, [[name]].
GRAFANA_VARIABLE = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]")
RATE_INTERVAL_STANDIN = timedelta(seconds=7777)  # a range nobody writes: marks $__rate_interval


def _quoted_spans(expr: str) -> list[tuple[int, int]]:
    spans, quote, start, escaped = [], None, 0, False
    for i, ch in enumerate(expr):
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                spans.append((start, i))
                quote = None
        elif ch in "\"'`":
            quote, start = ch, i
    return spans


def expand_grafana_variables(expr: str) -> str:
    """The query with Grafana's variables replaced by values PromQL accepts.

    Inside quotes a variable is a label value and stays; in a range it becomes a
    duration ($__rate_interval a marker duration); anywhere else, a number.
    """
    quoted = _quoted_spans(expr)

    def replace(match: re.Match) -> str:
        if any(a < match.start() < b for a, b in quoted):
            return match.group(0)
        name = match.group(1) or match.group(2) or match.group(3)
        before = expr[: match.start()].rstrip()
        if before.endswith(("[", ":", "offset")):
            return f"{int(RATE_INTERVAL_STANDIN.total_seconds())}s" if name == "__rate_interval" else "5m"
        return "300" if name.startswith("__range") or name.startswith("__interval") else "1"

    return GRAFANA_VARIABLE.sub(replace, expr)
