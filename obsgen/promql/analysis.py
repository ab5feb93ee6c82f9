"""What an expression means without running it: its result type, which labels its series
can carry, which metrics it reads, and the comparison that makes it an alert condition."""

from __future__ import annotations

from dataclasses import dataclass

from .tree import COMPARISONS, SET_OPERATORS, Aggregate, Binary, Call, Node, Number, Selector, String, Subquery, Unary, walk

VECTOR, MATRIX, SCALAR, STRING = "instant vector", "range vector", "scalar", "string"

# Functions whose result is a scalar; the rest of the known functions return instant vectors.
SCALAR_FUNCTIONS = frozenset({"scalar", "time", "pi", "start", "end", "range", "step"})
# Functions that return their argument's series as they are (name included).
KEEP_NAME_FUNCTIONS = frozenset({"sort", "sort_desc", "sort_by_label", "sort_by_label_desc", "label_replace", "label_join", "last_over_time", "first_over_time"})
# Aggregations that select series rather than merge them: every label survives.
SELECTING_AGGREGATIONS = frozenset({"topk", "bottomk", "limitk", "limit_ratio"})


def result_type(node: Node) -> str:
    if isinstance(node, Selector):
        return MATRIX if node.range is not None else VECTOR
    if isinstance(node, Subquery):
        return MATRIX
    if isinstance(node, Number):
        return SCALAR
    if isinstance(node, String):
        return STRING
    if isinstance(node, Call):
        return SCALAR if node.func in SCALAR_FUNCTIONS else VECTOR
    if isinstance(node, Unary):
        return result_type(node.expr)
    if isinstance(node, Binary):
        return SCALAR if result_type(node.lhs) == SCALAR and result_type(node.rhs) == SCALAR else VECTOR
    return VECTOR


@dataclass(frozen=True)
class Labels:
    """The labels an expression's series can carry.

    `names` are labels the expression itself names (by(), matchers, label_replace...);
    `open` means the source series' other labels come through too, except `removed`.
    """

    names: frozenset[str] = frozenset()
    open: bool = False
    removed: frozenset[str] = frozenset()

    def can_have(self, label: str) -> bool:
        return label in self.names or (self.open and label not in self.removed)

    def without(self, labels) -> "Labels":
        dropped = frozenset(labels)
        return Labels(self.names - dropped, self.open, self.removed | dropped)

    def only(self, labels) -> "Labels":
        kept = frozenset(labels)
        return Labels(frozenset(label for label in kept if self.can_have(label)), False)

    def plus(self, labels) -> "Labels":
        added = frozenset(labels)
        return Labels(self.names | added, self.open, self.removed - added)

    def union(self, other: "Labels") -> "Labels":
        """Either side's series (`or`): a label is surely missing only if both lack it."""
        if self.open and other.open:
            removed = self.removed & other.removed
        elif self.open or other.open:
            removed = (self.removed if self.open else other.removed) - self.names - other.names
        else:
            removed = frozenset()
        return Labels(self.names | other.names, self.open or other.open, removed)


NO_LABELS = Labels()
NAME = "__name__"


def _selector_labels(node: Selector) -> Labels:
    present = {m.name for m in node.matchers if not m.matches("")}
    absent = {m.name for m in node.matchers if m.op == "=" and m.value == ""}
    return Labels(frozenset(present | {NAME}), True, frozenset(absent))


def _absent_labels(arg: Node) -> Labels:
    """absent() carries only the equality matchers of a plain selector it is given."""
    if isinstance(arg, Selector):
        return Labels(frozenset(k for k, v in arg.equalities.items() if k != NAME and v))
    return NO_LABELS


def labels(node: Node) -> Labels:
    """Which labels the series of this expression can carry (alert labels, join keys)."""
    if isinstance(node, Selector):
        return _selector_labels(node)
    if isinstance(node, (Number, String)):
        return NO_LABELS
    if isinstance(node, Subquery):
        return labels(node.expr)
    if isinstance(node, Unary):
        return labels(node.expr).without({NAME})
    if isinstance(node, Call):
        return _call_labels(node)
    if isinstance(node, Aggregate):
        inner = labels(node.expr)
        if node.op in SELECTING_AGGREGATIONS:
            return inner
        if node.by is not None:
            grouped = inner.only(node.by)
        elif node.without is not None:
            grouped = inner.without(set(node.without) | {NAME})
        else:
            grouped = NO_LABELS
        if node.op == "count_values" and isinstance(node.param, String):
            grouped = grouped.plus({node.param.value})
        return grouped
    if isinstance(node, Binary):
        return _binary_labels(node)
    return Labels(open=True)


def _call_labels(node: Call) -> Labels:
    if node.func in ("absent", "absent_over_time"):
        return _absent_labels(node.args[0]) if node.args else NO_LABELS
    if node.func in SCALAR_FUNCTIONS or node.func == "vector" or not node.args:
        return NO_LABELS
    vector_args = [a for a in node.args if result_type(a) in (VECTOR, MATRIX)]
    inner = labels(vector_args[0]) if vector_args else NO_LABELS
    if node.func not in KEEP_NAME_FUNCTIONS:
        inner = inner.without({NAME})
    if node.func in ("label_replace", "label_join") and len(node.args) > 1 and isinstance(node.args[1], String):
        inner = inner.plus({node.args[1].value})
    if node.func == "histogram_quantile":
        inner = inner.without({"le"})
    if node.func == "info":
        inner = Labels(inner.names, True, inner.removed)
    return inner


def _binary_labels(node: Binary) -> Labels:
    left, right = result_type(node.lhs), result_type(node.rhs)
    if left == SCALAR and right == SCALAR:
        return NO_LABELS
    lhs, rhs = labels(node.lhs), labels(node.rhs)
    keeps_name = node.op in COMPARISONS and not node.bool_ or node.op in SET_OPERATORS
    if left == SCALAR:
        return rhs if keeps_name else rhs.without({NAME})
    if right == SCALAR:
        return lhs if keeps_name else lhs.without({NAME})
    if node.op == "or":
        return lhs.union(rhs)
    if node.op in SET_OPERATORS:
        return lhs
    side = rhs if node.card == "one-to-many" else lhs
    other = lhs if node.card == "one-to-many" else rhs
    if not keeps_name:
        side = side.without({NAME})
    if node.card in ("many-to-one", "one-to-many"):
        return side.plus({label for label in node.include if other.can_have(label)})
    if node.on is not None:
        return side.only(node.on)
    if node.ignoring is not None:
        return side.without(node.ignoring)
    return side


def metric_name(selector: Selector) -> str | None:
    return selector.name


def metric_names(node: Node) -> set[str]:
    return {n.name for n, _ in walk(node) if isinstance(n, Selector) and n.name}


_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:")
_TO_SPACE = {c: " " for c in range(128) if chr(c) not in _NAME_CHARS}


def words(expr: str) -> set[str]:
    """The name-like words of an expression's text: a superset of the metric names it selects
    by name, found without parsing. A screen before `parse` (which says what they are) for a
    caller with thousands of expressions: a name absent here is not selected by name."""
    return set(expr.translate(_TO_SPACE).split())


def is_comparison(node: Node) -> bool:
    return isinstance(node, Binary) and node.op in COMPARISONS and not node.bool_


def comparison_threshold(node: Node) -> tuple[str, str, float] | None:
    """(left side as text, operator, number) when the expression is `something OP number`."""
    if not isinstance(node, Binary) or not is_comparison(node) or not isinstance(node.rhs, Number):
        return None
    return str(node.lhs), node.op, node.rhs.value


def named_labels(node: Node) -> tuple[str, ...]:
    """Labels the expression names (by(), group_left(), label_replace()) and its result
    still carries, in the order written: what a description can show per series."""
    written: list[str] = []
    for n, _ in walk(node):
        if isinstance(n, Aggregate) and n.by:
            written += n.by
        elif isinstance(n, Binary):
            written += n.include
        elif isinstance(n, Call) and n.func in ("label_replace", "label_join") and len(n.args) > 1 and isinstance(n.args[1], String):
            written.append(n.args[1].value)
    kept = labels(node)
    return tuple(label for label in dict.fromkeys(written) if kept.can_have(label) and label != NAME)


def windows(node: Node) -> list[tuple[float, str | None]]:
    """Each range the expression reads (range selectors and subqueries), in seconds, with
    the function that reads it (None when none does): how far back a value looks."""
    found = []
    for child, parents in walk(node):
        if isinstance(child, (Subquery, Selector)) and child.range:
            reader = next((p.func for p in reversed(parents) if isinstance(p, Call)), None)
            found.append((float(child.range), reader))
    return found
