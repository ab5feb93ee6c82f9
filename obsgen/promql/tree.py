"""PromQL as a tree of small frozen nodes, converted once from promql-parser, and printed back.

The parser's objects are Rust-backed and slow to walk attribute by attribute, and it has
no printer that round-trips; everything in obsgen reads these nodes instead. Parentheses
are not nodes: the printer puts them back where precedence needs them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

import promql_parser as pp

from .errors import PromQLError, locate
from .functions import EXTRA_FUNCTIONS
from .matchers import Matcher, is_label_name, quote


class _Printed:
    """Every node prints as the PromQL that parses back to it."""

    def __str__(self) -> str:
        return to_text(self)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Selector(_Printed):
    """A vector selector; `range` (seconds) is set when it is a range (matrix) selector."""

    name: str | None
    matchers: tuple[Matcher, ...]
    range: float | None = None
    offset: float = 0.0
    at: float | str | None = None  # a Unix time, or 'start()' / 'end()'

    def matches(self, labels: dict[str, str]) -> bool:
        """Whether a series with these labels (its name under __name__) is selected."""
        if self.name is not None and labels.get("__name__") != self.name:
            return False
        return all(m.matches(labels.get(m.name, "")) for m in self.matchers)

    @property
    def equalities(self) -> dict[str, str]:
        """The labels absent() gives its series: the equality matchers."""
        return {m.name: m.value for m in self.matchers if m.op == "="}

    def renamed(self, name: str, extra: tuple[Matcher, ...] = ()) -> "Selector":
        """The same selector for another metric name, with more matchers."""
        return Selector(name, self.matchers + extra, self.range, self.offset, self.at)


@dataclass(frozen=True)
class Number(_Printed):
    value: float


@dataclass(frozen=True)
class String(_Printed):
    value: str


@dataclass(frozen=True)
class Call(_Printed):
    func: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Aggregate(_Printed):
    op: str
    expr: Node
    param: Node | None
    by: tuple[str, ...] | None
    without: tuple[str, ...] | None


@dataclass(frozen=True)
class Binary(_Printed):
    op: str
    lhs: Node
    rhs: Node
    bool_: bool = False
    on: tuple[str, ...] | None = None
    ignoring: tuple[str, ...] | None = None
    card: str = "one-to-one"  # one-to-one, many-to-one (group_left), one-to-many, many-to-many
    include: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unary(_Printed):
    expr: Node


@dataclass(frozen=True)
class Subquery(_Printed):
    expr: Node
    range: float
    step: float | None = None
    offset: float = 0.0
    at: float | str | None = None


Node = Selector | Number | String | Call | Aggregate | Binary | Unary | Subquery

SET_OPERATORS = frozenset({"and", "or", "unless"})
COMPARISONS = frozenset({"==", "!=", ">", "<", ">=", "<="})

# -- from promql-parser ----------------------------------------------------------------------

# The parser's enums compare by == but do not hash.
# By the enum's int: the parser's enums cannot be hashed, and comparing each in turn cost seconds on a fleet.
_MATCH_OPS = {int(pp.MatchOp.Equal): "=", int(pp.MatchOp.NotEqual): "!=", int(pp.MatchOp.Re): "=~", int(pp.MatchOp.NotRe): "!~"}
_CARD = {
    int(pp.VectorMatchCardinality.OneToOne): "one-to-one",
    int(pp.VectorMatchCardinality.ManyToOne): "many-to-one",
    int(pp.VectorMatchCardinality.OneToMany): "one-to-many",
    int(pp.VectorMatchCardinality.ManyToMany): "many-to-many",
}


_VALUE_TYPES = {"matrix": pp.ValueType.Matrix, "vector": pp.ValueType.Vector, "scalar": pp.ValueType.Scalar, "string": pp.ValueType.String}
pp.register_extra_functions([
    pp.Function(name, [_VALUE_TYPES[a] for a in args], _VALUE_TYPES[result]) for name, args, result in EXTRA_FUNCTIONS
])


MAX_NESTING = 100  # 100 deep parses in milliseconds; 5,000 deep takes a minute


def nesting(expr: str) -> int:
    """How deep brackets nest in expr, outside quoted strings."""
    deepest = depth = 0
    quote = None
    escaped = False
    for ch in expr:
        if quote is not None:
            escaped, quote = (False, quote) if escaped else (ch == "\\", None if ch == quote else quote)
        elif ch in "\"'`":
            quote = ch
        elif ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    return deepest


@lru_cache(maxsize=16384)
def parse(expr: str) -> Node:
    """The expression as frozen nodes, or PromQLError with the position where we can find it.

    Cached: a rule read by several checks is parsed once.
    """
    depth = nesting(expr)
    if depth > MAX_NESTING:
        raise PromQLError(expr, f"brackets nested {depth} deep (at most {MAX_NESTING}): the parser's time grows with the square of it", None)
    try:
        node = pp.parse(expr)
    except ValueError as exc:
        raise PromQLError(expr, str(exc), locate(expr, str(exc))) from None
    return _convert(node, expr)


def _seconds(delta) -> float:
    return delta.total_seconds() if delta is not None else 0.0


def _at(modifier) -> float | str | None:
    if modifier is None:
        return None
    if modifier.type == pp.AtModifierType.Start:
        return "start()"
    if modifier.type == pp.AtModifierType.End:
        return "end()"
    return modifier.at.timestamp()


def _selector(vs, expr: str, range_: float | None = None) -> Selector:
    if vs.matchers.or_matchers:
        column = expr.find(" or ")
        raise PromQLError(expr, "'or' between label matchers is not PromQL", column if column >= 0 else None)
    matchers = []
    name = vs.name
    for m in vs.matchers.matchers:
        op = _MATCH_OPS[int(m.op)]
        if m.name == "__name__" and op == "=" and name is None:
            name = m.value
            continue
        matchers.append(Matcher(m.name, op, m.value))
    return Selector(name, tuple(matchers), range_, _seconds(vs.offset), _at(vs.at))


def _convert(node, expr: str) -> Node:
    if isinstance(node, pp.ParenExpr):
        return _convert(node.expr, expr)
    if isinstance(node, pp.VectorSelector):
        return _selector(node, expr)
    if isinstance(node, pp.MatrixSelector):
        return _selector(node.vector_selector, expr, _seconds(node.range))
    if isinstance(node, pp.NumberLiteral):
        return Number(float(node.val))
    if isinstance(node, pp.StringLiteral):
        return String(str(node.val))
    if isinstance(node, pp.Call):
        return Call(node.func.name, tuple(_convert(a, expr) for a in node.args))
    if isinstance(node, pp.AggregateExpr):
        by = without = None
        if node.modifier is not None:
            labels = tuple(node.modifier.labels)
            if node.modifier.type == pp.AggModifierType.By:
                by = labels
            else:
                without = labels
        param = _convert(node.param, expr) if node.param is not None else None
        return Aggregate(str(node.op), _convert(node.expr, expr), param, by, without)
    if isinstance(node, pp.BinaryExpr):
        mod = node.modifier
        on: tuple[str, ...] | None = None
        ignoring: tuple[str, ...] | None = None
        include: tuple[str, ...] = ()
        card, bool_ = "one-to-one", False
        if mod is not None:
            bool_ = bool(mod.return_bool)
            card = _CARD.get(int(mod.card), "one-to-one") if mod.card is not None else "one-to-one"  # type: ignore[call-overload]  # the stub omits its __int__
            if mod.matching is not None:
                labels = tuple(mod.matching.labels)
                if mod.matching.type == pp.LabelModifierType.Include:
                    on = labels
                else:
                    ignoring = labels
            include = tuple(mod.group_labels or ())
        op = str(node.op)
        if op in SET_OPERATORS:
            card = "many-to-many"
        return Binary(op, _convert(node.lhs, expr), _convert(node.rhs, expr), bool_, on, ignoring, card, include)
    if isinstance(node, pp.UnaryExpr):
        return Unary(_convert(node.expr, expr))
    if isinstance(node, pp.SubqueryExpr):
        step = node.step
        return Subquery(_convert(node.expr, expr), _seconds(node.range), _seconds(step) if step is not None else None, _seconds(node.offset), _at(node.at))
    raise PromQLError(expr, f"{type(node).__name__} is not supported", None)


# -- back to text ----------------------------------------------------------------------------

# Binding strength of binary operators (higher binds tighter); '^' is right-associative.
_PRECEDENCE = {"or": 1, "and": 2, "unless": 2, "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
               "+": 4, "-": 4, "*": 5, "/": 5, "%": 5, "atan2": 5, "^": 6}
_DURATION_UNITS = (("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1))


def duration(seconds: float) -> str:
    """A PromQL duration: 300 -> '5m', 0.5 -> '500ms', -60 -> '-1m'."""
    ms = int(round(seconds * 1000))
    if ms == 0:
        return "0s"
    sign, ms = ("-" if ms < 0 else ""), abs(ms)
    parts = []
    for unit, size in _DURATION_UNITS:
        if ms >= size:
            parts.append(f"{ms // size}{unit}")
            ms %= size
    return sign + "".join(parts)


def _number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _labels(names: tuple[str, ...]) -> str:
    return ", ".join(n if is_label_name(n) else quote(n) for n in names)


def _modifiers(offset: float, at) -> str:
    text = f" offset {duration(offset)}" if offset else ""
    if at is not None:
        text += f" @ {at if isinstance(at, str) else _number(float(at))}"
    return text


def _operand(node: Node, parent: Binary, right: bool) -> str:
    text = to_text(node)
    if isinstance(node, Binary):
        mine, theirs = _PRECEDENCE[node.op], _PRECEDENCE[parent.op]
        tighter = mine > theirs or (mine == theirs and (right if parent.op == "^" else not right))
        return text if tighter else f"({text})"
    if isinstance(node, Unary) or (isinstance(node, Number) and node.value < 0):
        return f"({text})" if parent.op == "^" and not right else text
    return text


def to_text(node: Node) -> str:
    """The node as PromQL that parses back to the same tree."""
    if isinstance(node, Selector):
        inner = ", ".join(str(m) for m in node.matchers)
        text = f"{node.name or ''}{{{inner}}}" if inner or not node.name else node.name
        if node.range is not None:
            text += f"[{duration(node.range)}]"
        return text + _modifiers(node.offset, node.at)
    if isinstance(node, Number):
        return _number(node.value)
    if isinstance(node, String):
        return json.dumps(node.value, ensure_ascii=False)
    if isinstance(node, Call):
        return f"{node.func}({', '.join(to_text(a) for a in node.args)})"
    if isinstance(node, Aggregate):
        grouping = f" by ({_labels(node.by)})" if node.by is not None else f" without ({_labels(node.without)})" if node.without is not None else ""
        args = ([to_text(node.param)] if node.param is not None else []) + [to_text(node.expr)]
        return f"{node.op}{grouping} ({', '.join(args)})"
    if isinstance(node, Binary):
        parts = [_operand(node.lhs, node, False), node.op]
        if node.bool_:
            parts.append("bool")
        if node.on is not None:
            parts.append(f"on ({_labels(node.on)})")
        elif node.ignoring is not None:
            parts.append(f"ignoring ({_labels(node.ignoring)})")
        if node.card == "many-to-one":
            parts.append(f"group_left ({_labels(node.include)})")
        elif node.card == "one-to-many":
            parts.append(f"group_right ({_labels(node.include)})")
        parts.append(_operand(node.rhs, node, True))
        return " ".join(parts)
    if isinstance(node, Unary):
        inner = to_text(node.expr)
        return f"-({inner})" if isinstance(node.expr, Binary) else f"-{inner}"
    if isinstance(node, Subquery):
        inner = to_text(node.expr)
        if isinstance(node.expr, (Binary, Unary)) or (isinstance(node.expr, Selector) and (node.expr.range is not None or node.expr.offset or node.expr.at is not None)):
            inner = f"({inner})"
        step = duration(node.step) if node.step is not None else ""
        return f"{inner}[{duration(node.range)}:{step}]" + _modifiers(node.offset, node.at)
    raise TypeError(f"not a PromQL node: {node!r}")


# -- walking ---------------------------------------------------------------------------------


def children(node: Node) -> tuple:
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Aggregate):
        return (node.param, node.expr) if node.param is not None else (node.expr,)
    if isinstance(node, Binary):
        return (node.lhs, node.rhs)
    if isinstance(node, (Unary, Subquery)):
        return (node.expr,)
    return ()


def walk(node: Node, parents: tuple = ()):
    """Every node with the chain of its ancestors, depth first, in expression order."""
    yield node, parents
    for child in children(node):
        yield from walk(child, parents + (node,))


def selectors(node: Node) -> list[Selector]:
    return [n for n, _ in walk(node) if isinstance(n, Selector)]
