"""Rewriting on the tree: a function applied to every node bottom-up, durations scaled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .tree import Aggregate, Binary, Call, Node, Selector, Subquery, Unary


def transform(node: Node, fn: Callable[[Node], Node]) -> Node:
    """The tree with `fn` applied to every node, children first."""
    if isinstance(node, Call):
        node = replace(node, args=tuple(transform(a, fn) for a in node.args))
    elif isinstance(node, Aggregate):
        node = replace(node, expr=transform(node.expr, fn), param=transform(node.param, fn) if node.param is not None else None)
    elif isinstance(node, Binary):
        node = replace(node, lhs=transform(node.lhs, fn), rhs=transform(node.rhs, fn))
    elif isinstance(node, (Unary, Subquery)):
        node = replace(node, expr=transform(node.expr, fn))
    return fn(node)


def scale_durations(node: Node, scale: Callable[[float], float]) -> Node:
    """Every range, subquery step and offset passed through `scale` (seconds to seconds)."""

    def one(n: Node) -> Node:
        if isinstance(n, Selector):
            return replace(n, range=scale(n.range) if n.range is not None else None, offset=scale(n.offset) if n.offset else 0.0)
        if isinstance(n, Subquery):
            return replace(n, range=scale(n.range), step=scale(n.step) if n.step else n.step, offset=scale(n.offset) if n.offset else 0.0)
        return n

    return transform(node, one)


def map_selectors(node: Node, fn: Callable[[Selector], Node]) -> Node:
    """Every selector replaced by fn(selector)."""
    return transform(node, lambda n: fn(n) if isinstance(n, Selector) else n)
