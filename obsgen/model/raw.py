"""Rules kept as written: what an imported mixin has that obsgen cannot model.

`obsgen import mixin` turns a mixin's `expr > 0.9` into a Signal and a Level; an alert
with no threshold to read (absent(), `== 0`, a join with comparisons inside, a severity
other than warning or critical) or a recording rule with labels is kept verbatim here
instead, so nothing of the source is lost. A raw alert still routes by its Priority (obsgen
adds the priority, system, service and team labels); no generated test probes it, and
the handbook lists it with the reason it is kept raw.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..promql import PromQLError, parse
from ..promql.analysis import VECTOR, result_type
from .base import Defined, freeze_labels
from .durations import duration_seconds
from .routing import Priority
from .units import Quantity

# Labels obsgen sets on every alert it writes (a raw alert's severity is its own).
OBSGEN_LABELS = ("alertname", "priority", "system", "service", "team")
_METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")


def _expr_problem(expr: str) -> str | None:
    try:
        kind = result_type(parse(expr))
    except PromQLError as exc:
        return str(exc)
    except RecursionError:
        return "is nested too deeply to read"
    return None if kind == VECTOR else f"is a {kind}, not an instant vector: Prometheus refuses it in a rule"


class _Verbatim(Defined):
    """Raw rules keep their label (and annotation) mappings as written, hashable."""

    MAPPINGS: tuple[str, ...] = ("labels",)

    def __post_init__(self) -> None:
        freeze_labels(self, *self.MAPPINGS)
        super().__post_init__()


@dataclass(frozen=True, kw_only=True)
class RawAlert(_Verbatim):
    """An alerting rule compiled as written, routed by its priority."""

    MAPPINGS = ("labels", "annotations")

    name: str
    expr: str
    priority: Priority
    why: str  # why it is not a Signal and Level, for the handbook
    for_: Quantity | None = None
    keep_firing_for: Quantity | None = None
    labels: Mapping[str, str] = field(default_factory=dict)  # severity and the source's own labels
    annotations: Mapping[str, str] = field(default_factory=dict)

    def validate(self) -> None:
        self.need_line("name")
        problem = _expr_problem(self.need_text("expr"))
        if problem is not None:
            raise self.fail("expr", problem)
        self.need_object("priority", Priority)
        self.need_text("why")
        if self.for_ is not None:
            self.need_duration("for_")
        if self.keep_firing_for is not None:
            self.need_duration("keep_firing_for", allow_zero=False)
        self.need_labels("labels", OBSGEN_LABELS)
        self.need_labels("annotations")

    @property
    def for_seconds(self) -> int:
        return duration_seconds(self.for_) if self.for_ is not None else 0

    @property
    def severity(self) -> str:
        return self.labels.get("severity", "")


@dataclass(frozen=True, kw_only=True)
class RawRecording(_Verbatim):
    """A recording rule compiled as written (labels included): not a Signal."""

    record: str
    expr: str
    why: str
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"RawRecording {self.record!r}"

    def validate(self) -> None:
        if not _METRIC_NAME.match(self.need_text("record")):
            raise self.fail("record", f"{self.record!r} is not a metric name")
        problem = _expr_problem(self.need_text("expr"))
        if problem is not None:
            raise self.fail("expr", problem)
        self.need_text("why")
        self.need_labels("labels")
