"""PromQL in steady state, in-process: what Prometheus computes once every window is full.

The simulator holds each raw series as a line: a value now and a slope (a counter's
rate, 1 for a timestamp that follows the clock, 0 for a gauge). In that world every
range function has a closed form: rate() is the slope, increase() is slope x window,
avg_over_time() of a line is its value half a window ago. The solver uses this to
predict each signal from raw values, and the end-to-end tests hold real Prometheus to
the same predictions. Semantics follow Prometheus 2.42 (promql/engine.go, functions.go).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Protocol

from ..promql import Aggregate, Binary, Call, Number, Selector, String, Subquery, Unary


@dataclass(frozen=True)
class Point:
    """One raw series now: labels as Prometheus stores them, value, and slope per second."""

    labels: dict
    value: float
    slope: float = 0.0


class Source(Protocol):
    def select(self, selector: Selector) -> list[Point]: ...


class Unsupported(ValueError):
    """A PromQL construct the live tooling does not model (named in the message)."""


class EvalError(ValueError):
    """The expression fails in Prometheus too (e.g. many-to-many matching)."""


Vector = list  # of (labels: dict, value: float)

_ARITH = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: _div(a, b),
    "%": lambda a, b: math.fmod(a, b) if b != 0 else math.nan,
    "^": lambda a, b: _pow(a, b),
    "atan2": math.atan2,
}
_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
}


def _div(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * (1 if math.copysign(1, b) > 0 else -1)
    return a / b


def _pow(a: float, b: float) -> float:
    try:
        return math.pow(a, b)
    except (OverflowError, ValueError):
        return math.nan


def _key(labels: dict, drop_name: bool = True) -> tuple:
    return tuple(sorted((k, v) for k, v in labels.items() if not (drop_name and k == "__name__")))


def _without_name(labels: dict) -> dict:
    return {k: v for k, v in labels.items() if k != "__name__"}


class Evaluator:
    """Evaluates nodes against a source at one moment.

    step is the sample spacing assumed by sum_over_time/count_over_time (they count
    samples); it cancels out of the ratios the rules build from them.
    """

    def __init__(self, source: Source, now: float, step: float = 60.0):
        self.source = source
        self.now = now
        self.step = step

    # -- entry points --------------------------------------------------------------------

    def vector(self, node) -> Vector:
        """The node as an instant vector (a scalar becomes one label-less sample)."""
        value = self.eval(node)
        if isinstance(value, float):
            return [({}, value)]
        if isinstance(value, str):
            raise EvalError("a string is not a vector")
        return value

    def eval(self, node):
        kind = type(node)
        if kind is Selector:
            if node.range is not None:
                raise EvalError(f"range vector {node} used where an instant value is needed")
            return [(p.labels, p.value) for p in self.source.select(node)]
        if kind is Number:
            return node.value
        if kind is String:
            return node.value
        if kind is Unary:
            inner = self.eval(node.expr)
            if isinstance(inner, float):
                return -inner
            return [(_without_name(l), -v) for l, v in inner]
        if kind is Binary:
            return self._binary(node)
        if kind is Aggregate:
            return self._aggregate(node)
        if kind is Call:
            return self._call(node)
        if kind is Subquery:
            raise EvalError("subquery used where an instant value is needed")
        raise Unsupported(f"{kind.__name__} is not modelled")

    # -- ranges ----------------------------------------------------------------------------

    def _range(self, node) -> tuple[list[Point], float]:
        """A range argument as lines (points with slopes) and its window in seconds."""
        if isinstance(node, Selector) and node.range is not None:
            return self.source.select(node), node.range
        if isinstance(node, Subquery):
            return [Point(l, v, 0.0) for l, v in self.vector(node.expr)], node.range
        raise EvalError("expected a range vector")

    # -- functions ----------------------------------------------------------------------

    def _call(self, node: Call):
        f, args = node.func, node.args
        if f in _RANGE_FUNCS:
            points, window = self._range(args[-1])
            extra = [self.eval(a) for a in args[:-1]]
            return _RANGE_FUNCS[f](self, points, window, *extra)
        if f == "time":
            return float(self.now)
        if f == "vector":
            return [({}, float(self.eval(args[0])))]
        if f == "scalar":
            v = self.vector(args[0])
            return v[0][1] if len(v) == 1 else math.nan
        if f == "absent":
            if self.vector(args[0]):
                return []
            labels = {}
            if isinstance(args[0], Selector):
                labels = {m.name: m.value for m in args[0].matchers if m.op == "="}
            return [(labels, 1.0)]
        if f == "histogram_quantile":
            return histogram_quantile(float(self.eval(args[0])), self.vector(args[1]))
        if f == "label_replace":
            return self._label_replace(self.vector(args[0]), *(self.eval(a) for a in args[1:]))
        if f == "label_join":
            return self._label_join(self.vector(args[0]), *(self.eval(a) for a in args[1:]))
        if f in ("sort", "sort_desc"):
            return self.vector(args[0])
        if f in ("timestamp",):
            return [(_without_name(l), float(self.now)) for l, _ in self.vector(args[0])]
        if f in _MATH:
            extra = [float(self.eval(a)) for a in args[1:]]
            return [(_without_name(l), _MATH[f](v, *extra)) for l, v in self.vector(args[0])]
        raise Unsupported(f"function {f}() is not modelled")

    @staticmethod
    def _label_replace(vec: Vector, dst: str, replacement: str, src: str, regex: str) -> Vector:
        import re

        pattern = re.compile(regex)
        out = []
        for labels, value in vec:
            match = pattern.fullmatch(labels.get(src, ""))
            if match:
                new = dict(labels)
                text = re.sub(r"\$(\d+)|\$\{(\w+)\}", lambda m: match.group(int(m.group(1)) if m.group(1) else m.group(2)) or "", replacement)
                if text:
                    new[dst] = text
                else:
                    new.pop(dst, None)
                labels = new
            out.append((labels, value))
        return out

    @staticmethod
    def _label_join(vec: Vector, dst: str, sep: str, *srcs: str) -> Vector:
        out = []
        for labels, value in vec:
            new = dict(labels)
            new[dst] = sep.join(labels.get(s, "") for s in srcs)
            out.append((new, value))
        return out

    # -- aggregation ------------------------------------------------------------------------

    def _aggregate(self, node: Aggregate):
        vec = self.vector(node.expr)
        op = node.op
        param = self.eval(node.param) if node.param is not None else None
        number = float(param) if param is not None else math.nan  # quantile's φ, topk's k: the grammar requires them
        groups: dict[tuple, tuple[dict, list[tuple[dict, float]]]] = {}
        for labels, value in vec:
            if node.by is not None:
                group = {k: labels[k] for k in node.by if k in labels}
            elif node.without is not None:
                group = {k: v for k, v in labels.items() if k not in node.without and k != "__name__"}
            else:
                group = {}
            key = _key(group)
            groups.setdefault(key, (group, []))[1].append((labels, value))
        out: Vector = []
        for group, members in groups.values():
            values = [v for _, v in members]
            if op == "sum":
                out.append((group, math.fsum(values)))
            elif op == "avg":
                out.append((group, math.fsum(values) / len(values)))
            elif op == "min":
                out.append((group, _nan_min(values)))
            elif op == "max":
                out.append((group, _nan_max(values)))
            elif op == "count":
                out.append((group, float(len(values))))
            elif op == "group":
                out.append((group, 1.0))
            elif op in ("stddev", "stdvar"):
                mean = math.fsum(values) / len(values)
                var = math.fsum((v - mean) ** 2 for v in values) / len(values)
                out.append((group, math.sqrt(var) if op == "stddev" else var))
            elif op == "quantile":
                out.append((group, _quantile(number, values)))
            elif op in ("topk", "bottomk"):
                ordered = sorted(members, key=lambda m: m[1], reverse=op == "topk")
                out += ordered[: int(number)]
            else:
                raise Unsupported(f"aggregation {op}() is not modelled")
        return out

    # -- binary operators -------------------------------------------------------------------

    def _binary(self, node: Binary):
        lhs, rhs = self.eval(node.lhs), self.eval(node.rhs)
        op = node.op
        if isinstance(lhs, float) and isinstance(rhs, float):
            if op in _ARITH:
                return _ARITH[op](lhs, rhs)
            if op in _COMPARE:
                if not node.bool_:
                    raise EvalError("comparisons between scalars must use bool")
                return 1.0 if _COMPARE[op](lhs, rhs) else 0.0
            raise EvalError(f"{op} between scalars")
        if op in ("and", "or", "unless"):
            return self._set_op(node, lhs, rhs)
        if isinstance(lhs, float) or isinstance(rhs, float):
            return self._vector_scalar(node, lhs, rhs)
        return self._vector_vector(node, lhs, rhs)

    @staticmethod
    def _signature(node: Binary, labels: dict) -> tuple:
        if node.on is not None:
            return tuple((k, labels.get(k, "")) for k in sorted(node.on))
        ignored = set(node.ignoring or ()) | {"__name__"}
        return tuple(sorted((k, v) for k, v in labels.items() if k not in ignored))

    def _set_op(self, node: Binary, lhs, rhs) -> Vector:
        if isinstance(lhs, float) or isinstance(rhs, float):
            raise EvalError(f"set operator {node.op} needs vectors on both sides")
        right = {self._signature(node, l) for l, _ in rhs}
        if node.op == "and":
            return [(l, v) for l, v in lhs if self._signature(node, l) in right]
        if node.op == "unless":
            return [(l, v) for l, v in lhs if self._signature(node, l) not in right]
        left = {self._signature(node, l) for l, _ in lhs}
        return list(lhs) + [(l, v) for l, v in rhs if self._signature(node, l) not in left]

    def _vector_scalar(self, node: Binary, lhs, rhs) -> Vector:
        scalar_left = isinstance(lhs, float)
        vec, scalar = (rhs, lhs) if scalar_left else (lhs, rhs)
        out = []
        for labels, value in vec:
            a, b = (scalar, value) if scalar_left else (value, scalar)
            if node.op in _ARITH:
                out.append((_without_name(labels), _ARITH[node.op](a, b)))
            elif node.op in _COMPARE:
                hit = _COMPARE[node.op](a, b)
                if node.bool_:
                    out.append((_without_name(labels), 1.0 if hit else 0.0))
                elif hit:
                    out.append((labels, value))
            else:
                raise Unsupported(f"operator {node.op}")
        return out

    def _vector_vector(self, node: Binary, lhs: Vector, rhs: Vector) -> Vector:
        card = node.card
        many, one = lhs, rhs
        if card == "one-to-many":
            many, one = rhs, lhs
        ones: dict[tuple, tuple[dict, float]] = {}
        for labels, value in one:
            sig = self._signature(node, labels)
            if sig in ones:
                raise EvalError(f"many-to-many matching not allowed: duplicate series on the {'right' if one is rhs else 'left'} side for {dict(sig)}")
            ones[sig] = (labels, value)
        seen: set[tuple] = set()
        out = []
        for labels, value in many:
            sig = self._signature(node, labels)
            match = ones.get(sig)
            if match is None:
                continue
            if card == "one-to-one":
                if sig in seen:
                    raise EvalError(f"many-to-many matching not allowed: duplicate series on the left side for {dict(sig)}")
                seen.add(sig)
            other_labels, other = match
            a, b = (value, other) if card != "one-to-many" else (other, value)
            drop = node.op in _ARITH or node.bool_
            result = _without_name(labels) if drop else dict(labels)
            if card == "one-to-one":
                if node.on is not None:
                    result = {k: v for k, v in result.items() if k in node.on}
                else:
                    result = {k: v for k, v in result.items() if k not in (node.ignoring or ())}
            for name in node.include:
                if other_labels.get(name):
                    result[name] = other_labels[name]
                else:
                    result.pop(name, None)
            if node.op in _ARITH:
                out.append((result, _ARITH[node.op](a, b)))
            else:
                hit = _COMPARE[node.op](a, b)
                if node.bool_:
                    out.append((result, 1.0 if hit else 0.0))
                elif hit:
                    out.append((result, value if card != "one-to-many" else other))
        return out


# -- range functions on lines ---------------------------------------------------------------


def _samples(ev: Evaluator, window: float) -> float:
    return max(1.0, math.floor(window / ev.step))


def _over_time(kind: str) -> Callable:
    def run(ev: Evaluator, points: list[Point], window: float, *extra):
        out = []
        for p in points:
            labels = _without_name(p.labels)
            start = p.value - p.slope * window  # the line's value a window ago
            if kind == "avg":
                value = (p.value + start) / 2
            elif kind == "min":
                value = min(p.value, start)
            elif kind == "max":
                value = max(p.value, start)
            elif kind == "sum":
                value = (p.value + start) / 2 * _samples(ev, window)
            elif kind == "count":
                value = _samples(ev, window)
            elif kind == "present":
                value = 1.0
            elif kind in ("stddev", "stdvar"):
                value = 0.0 if p.slope == 0 else abs(p.slope) * window / math.sqrt(12)
                value = value if kind == "stddev" else value**2
            elif kind == "quantile":
                q = float(extra[0])
                value = start + (p.value - start) * q
            else:  # last
                value = p.value
                labels = p.labels if kind == "last" else labels
            out.append((labels, value))
        return out

    return run


def _per_second(scale_by_window: bool) -> Callable:
    def run(ev: Evaluator, points: list[Point], window: float, *extra):
        return [(_without_name(p.labels), p.slope * (window if scale_by_window else 1.0)) for p in points]

    return run


def _zero(ev: Evaluator, points: list[Point], window: float, *extra):
    return [(_without_name(p.labels), 0.0) for p in points]


def _absent_over_time(ev: Evaluator, points: list[Point], window: float, *extra):
    return [] if points else [({}, 1.0)]


_RANGE_FUNCS: dict[str, Callable] = {
    "rate": _per_second(False),
    "irate": _per_second(False),
    "deriv": _per_second(False),
    "increase": _per_second(True),
    "delta": _per_second(True),
    "idelta": lambda ev, pts, w, *e: [(_without_name(p.labels), p.slope * ev.step) for p in pts],
    "changes": _zero,
    "resets": _zero,
    "avg_over_time": _over_time("avg"),
    "min_over_time": _over_time("min"),
    "max_over_time": _over_time("max"),
    "sum_over_time": _over_time("sum"),
    "count_over_time": _over_time("count"),
    "last_over_time": _over_time("last"),
    "present_over_time": _over_time("present"),
    "stddev_over_time": _over_time("stddev"),
    "stdvar_over_time": _over_time("stdvar"),
    "quantile_over_time": _over_time("quantile"),
    "absent_over_time": _absent_over_time,
    "predict_linear": lambda ev, pts, w, t: [(_without_name(p.labels), p.value + p.slope * float(t)) for p in pts],
}

_MATH: dict[str, Callable] = {
    "abs": abs,
    "ceil": math.ceil,
    "floor": math.floor,
    "exp": lambda v: _safe(math.exp, v),
    "ln": lambda v: _safe(math.log, v),
    "log2": lambda v: _safe(math.log2, v),
    "log10": lambda v: _safe(math.log10, v),
    "sqrt": lambda v: _safe(math.sqrt, v),
    "sgn": lambda v: math.copysign(1.0, v) if v else 0.0,
    "round": lambda v, to=1.0: math.floor(v * (1.0 / to) + 0.5) / (1.0 / to),  # as Prometheus: by the inverse
    "clamp": lambda v, lo, hi: math.nan if lo > hi else max(lo, min(hi, v)),
    "clamp_min": lambda v, lo: max(lo, v),
    "clamp_max": lambda v, hi: min(hi, v),
}


def _safe(f: Callable, v: float) -> float:
    try:
        return float(f(v))
    except (ValueError, OverflowError):
        return math.nan


def _nan_min(values: list[float]) -> float:
    real = [v for v in values if not math.isnan(v)]
    return min(real) if real else math.nan


def _nan_max(values: list[float]) -> float:
    real = [v for v in values if not math.isnan(v)]
    return max(real) if real else math.nan


def _quantile(q: float, values: list[float]) -> float:
    if not values:
        return math.nan
    if q < 0:
        return -math.inf
    if q > 1:
        return math.inf
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    lower = math.floor(rank)
    upper = min(lower + 1, len(ordered) - 1)
    weight = rank - lower
    return ordered[lower] * (1 - weight) + ordered[upper] * weight


# -- histogram_quantile: Prometheus' bucketQuantile -------------------------------------------


def _le(text: str) -> float:
    try:
        return float(text.replace("+Inf", "inf"))
    except ValueError:
        return math.nan


def histogram_quantile(q: float, vec: Vector) -> Vector:
    groups: dict[tuple, tuple[dict, list[tuple[float, float]]]] = {}
    for labels, value in vec:
        if "le" not in labels:
            continue
        bound = _le(labels["le"])
        if math.isnan(bound):
            continue
        group = {k: v for k, v in labels.items() if k not in ("le", "__name__")}
        groups.setdefault(_key(group), (group, []))[1].append((bound, value))
    return [(group, bucket_quantile(q, buckets)) for group, buckets in groups.values()]


def bucket_quantile(q: float, buckets: list[tuple[float, float]]) -> float:
    """The q-quantile from (upper bound, cumulative count) pairs, as Prometheus computes it."""
    if math.isnan(q):
        return math.nan
    if q < 0:
        return -math.inf
    if q > 1:
        return math.inf
    buckets = sorted(buckets)
    if not buckets or not math.isinf(buckets[-1][0]):
        return math.nan
    merged: list[list[float]] = []
    for bound, count in buckets:  # coalesceBuckets
        if merged and merged[-1][0] == bound:
            merged[-1][1] += count
        else:
            merged.append([bound, count])
    for i in range(1, len(merged)):  # ensureMonotonic
        if merged[i][1] < merged[i - 1][1]:
            merged[i][1] = merged[i - 1][1]
    if len(merged) < 2:
        return math.nan
    observations = merged[-1][1]
    if observations == 0:
        return math.nan
    rank = q * observations
    b = next((i for i in range(len(merged) - 1) if merged[i][1] >= rank), len(merged) - 1)
    if b == len(merged) - 1:
        return merged[-2][0]
    if b == 0 and merged[0][0] <= 0:
        return merged[0][0]
    start, end, count = 0.0, merged[b][0], merged[b][1]
    if b > 0:
        start = merged[b - 1][0]
        count -= merged[b - 1][1]
        rank -= merged[b - 1][1]
    return start + (end - start) * (rank / count)
