"""What the checks ask of a PromQL expression, answered from obsgen.promql's tree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from dataclasses import dataclass
from functools import lru_cache
from datetime import timedelta

from ..promql import Binary, Call, Node, PromQLError, Selector, children, parse, walk
from ..promql.analysis import is_comparison

RATE_FUNCTIONS = frozenset({"rate", "irate", "increase"})
# Functions that read a counter as a counter (its resets), or only whether it exists.



@lru_cache(maxsize=None)
def _parsed(expr: str) -> Node | PromQLError:
    """Each expression parsed once per lint run, however many checks read it (run.py clears it)."""
    try:
        return parse(expr)
    except PromQLError as exc:
        return exc


def syntax_error(expr: str) -> str | None:
    """The parser's message (with a caret where we can place one), or None if valid."""
    result = _parsed(expr)
    return str(result) if isinstance(result, PromQLError) else None


def tree(expr: str) -> Node | None:
    result = _parsed(expr)
    return None if isinstance(result, PromQLError) else result


def forget() -> None:
    """Drop the run's parsed expressions."""
    global _walked
    _parsed.cache_clear()
    _walked = (None, [])


_walked: tuple[Node | None, list[tuple[Any, tuple]]] = (None, [])


def walked(node: Node) -> list[tuple[Any, tuple]]:
    """walk(node), kept for the last expression asked: each check on a rule or query reads all
    its nodes in turn, and they share one walk (the last one only: holding every walk of a
    run would cost more memory than walking again)."""
    global _walked
    if _walked[0] is not node:
        _walked = (node, list(walk(node)))
    return _walked[1]


def metric_names(expr: str) -> set[str]:
    node = tree(expr)
    return {s.name for s in _selectors(node) if s.name} if node is not None else set()


def _selectors(node: Node) -> Iterator[Selector]:
    if isinstance(node, Selector):
        yield node
    for child in children(node):
        yield from _selectors(child)


def filters(node: Node) -> bool:
    """Whether the expression keeps only some series: what makes an alert conditional."""
    if is_comparison(node):
        return True
    if isinstance(node, Binary):
        if node.op == "or":
            return filters(node.lhs) and filters(node.rhs)
        if node.op in ("and", "unless"):
            return True  # only where the other side has (or lacks) series: a condition
        return filters(node.lhs) or filters(node.rhs)
    if isinstance(node, Call) and node.func in ("absent", "absent_over_time", "vector"):
        return True  # fires on absence; vector(1) is an always-firing alert by design
    return any(filters(c) for c in children(node))


@dataclass(frozen=True)
class RangeUse:
    function: str
    range: timedelta
    metric: str | None


def rate_ranges(node: Node) -> Iterator[RangeUse]:
    """The range of every rate(), irate() and increase() over a plain range selector."""
    if isinstance(node, Call) and node.func in RATE_FUNCTIONS and node.args and isinstance(node.args[0], Selector) and node.args[0].range is not None:
        matrix = node.args[0]
        yield RangeUse(node.func, timedelta(seconds=node.args[0].range), matrix.name)
    for child in children(node):
        yield from rate_ranges(child)
