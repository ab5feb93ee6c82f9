"""promql-parser's AST as small frozen nodes.

The parser's objects are Rust-backed and slow to walk attribute by attribute; the
evaluator walks an expression thousands of times while solving, so each expression is
converted once into these plain values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import promql_parser as pp


@dataclass(frozen=True)
class LabelMatcher:
    name: str
    op: str  # '=', '!=', '=~', '!~'
    value: str

    def matches(self, actual: str) -> bool:
        if self.op == "=":
            return actual == self.value
        if self.op == "!=":
            return actual != self.value
        hit = _regex(self.value).fullmatch(actual) is not None
        return hit if self.op == "=~" else not hit

    @property
    def positive(self) -> bool:
        return self.op in ("=", "=~")

    def __str__(self) -> str:
        return f'{self.name}{self.op}"{self.value}"'


@lru_cache(maxsize=4096)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@dataclass(frozen=True)
class Selector:
    """A vector selector; range is set (seconds) when it is a matrix selector."""

    name: str | None
    matchers: tuple[LabelMatcher, ...]
    range: float | None = None
    offset: float = 0.0

    def matches(self, labels: dict[str, str]) -> bool:
        if self.name is not None and labels.get("__name__") != self.name:
            return False
        return all(m.matches(labels.get(m.name, "")) for m in self.matchers)

    def __str__(self) -> str:
        inner = ", ".join(str(m) for m in self.matchers)
        return f"{self.name or ''}{{{inner}}}" if inner else (self.name or "{}")


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class String:
    value: str


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple


@dataclass(frozen=True)
class Aggregate:
    op: str
    expr: object
    param: object | None
    by: tuple[str, ...] | None
    without: tuple[str, ...] | None


@dataclass(frozen=True)
class Binary:
    op: str
    lhs: object
    rhs: object
    bool_: bool = False
    on: tuple[str, ...] | None = None
    ignoring: tuple[str, ...] | None = None
    card: str = "one-to-one"  # one-to-one, many-to-one (group_left), one-to-many, many-to-many
    include: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unary:
    expr: object


@dataclass(frozen=True)
class Subquery:
    expr: object
    range: float


Node = Selector | Number | String | Call | Aggregate | Binary | Unary | Subquery

# The parser's enums compare by == but do not hash.
_MATCH_OPS = ((pp.MatchOp.Equal, "="), (pp.MatchOp.NotEqual, "!="), (pp.MatchOp.Re, "=~"), (pp.MatchOp.NotRe, "!~"))
_CARD = (
    (pp.VectorMatchCardinality.OneToOne, "one-to-one"),
    (pp.VectorMatchCardinality.ManyToOne, "many-to-one"),
    (pp.VectorMatchCardinality.OneToMany, "one-to-many"),
    (pp.VectorMatchCardinality.ManyToMany, "many-to-many"),
)


def _lookup(table, value, default=None):
    return next((name for key, name in table if key == value), default)


class Unsupported(ValueError):
    """A PromQL construct the live tooling does not model (named in the message)."""


@lru_cache(maxsize=8192)
def parse(expr: str) -> Node:
    """The expression as frozen nodes (cached: rules are parsed once)."""
    return _convert(pp.parse(expr))


def _seconds(delta) -> float:
    return delta.total_seconds() if delta is not None else 0.0


def _selector(vs, range_: float | None = None) -> Selector:
    matchers = []
    name = vs.name
    for m in vs.matchers.matchers:
        op = _lookup(_MATCH_OPS, m.op)
        if m.name == "__name__" and op == "=":
            name = m.value
            continue
        matchers.append(LabelMatcher(m.name, op, m.value))
    if vs.matchers.or_matchers:
        raise Unsupported(f"'or' inside a selector: {vs}")
    offset = vs.offset
    return Selector(name, tuple(matchers), range_, _seconds(offset) if offset is not None else 0.0)


def _convert(node) -> Node:
    if isinstance(node, pp.ParenExpr):
        return _convert(node.expr)
    if isinstance(node, pp.VectorSelector):
        return _selector(node)
    if isinstance(node, pp.MatrixSelector):
        return _selector(node.vector_selector, _seconds(node.range))
    if isinstance(node, pp.NumberLiteral):
        return Number(float(node.val))
    if isinstance(node, pp.StringLiteral):
        return String(str(node.val))
    if isinstance(node, pp.Call):
        return Call(node.func.name, tuple(_convert(a) for a in node.args))
    if isinstance(node, pp.AggregateExpr):
        by = without = None
        if node.modifier is not None:
            labels = tuple(node.modifier.labels)
            if node.modifier.type == pp.AggModifierType.By:
                by = labels
            else:
                without = labels
        param = _convert(node.param) if node.param is not None else None
        return Aggregate(str(node.op), _convert(node.expr), param, by, without)
    if isinstance(node, pp.BinaryExpr):
        mod = node.modifier
        on = ignoring = None
        card, include, bool_ = "one-to-one", (), False
        if mod is not None:
            bool_ = bool(mod.return_bool)
            card = _lookup(_CARD, mod.card, "one-to-one")
            if mod.matching is not None:
                labels = tuple(mod.matching.labels)
                if mod.matching.type == pp.LabelModifierType.Include:
                    on = labels
                else:
                    ignoring = labels
            include = tuple(mod.group_labels or ())
        op = str(node.op)
        if op in ("and", "or", "unless"):
            card = "many-to-many"
        return Binary(op, _convert(node.lhs), _convert(node.rhs), bool_, on, ignoring, card, include)
    if isinstance(node, pp.UnaryExpr):
        return Unary(_convert(node.expr))
    if isinstance(node, pp.SubqueryExpr):
        return Subquery(_convert(node.expr), _seconds(node.range))
    raise Unsupported(f"{type(node).__name__} is not modelled")


def walk(node: Node, parents: tuple = ()):
    """Every node with the chain of its ancestors, depth first, in expression order."""
    yield node, parents
    children: tuple = ()
    if isinstance(node, Call):
        children = node.args
    elif isinstance(node, Aggregate):
        children = (node.param, node.expr) if node.param is not None else (node.expr,)
    elif isinstance(node, Binary):
        children = (node.lhs, node.rhs)
    elif isinstance(node, (Unary, Subquery)):
        children = (node.expr,)
    for child in children:
        yield from walk(child, parents + (node,))


def selectors(node: Node) -> list[Selector]:
    return [n for n, _ in walk(node) if isinstance(n, Selector)]
