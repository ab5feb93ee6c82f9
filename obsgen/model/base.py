"""What every definition object shares: its creation site and a way to reject a field."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from collections.abc import Mapping
from typing import ClassVar, TypeVar

from ..promql.matchers import is_label_name
from .durations import duration_problem, duration_seconds
from .errors import DefinitionError, Source, caller_source
from .provenance import Provenance, is_provenance
from .secrets import secret_in
from .texts import placeholders
from .units import Dimension, Quantity, as_quantity, quantity_problem

T = TypeVar("T")

SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
MAX_SLUG = 63  # names become file names, uids and label values: short enough for all of them
MAX_LINE = 200  # a title or name shown as a heading, a panel title or a notification's first line
MAX_NUMBER = 1e15  # beyond this, floats stop counting whole units exactly
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029\u202a-\u202e\u2066-\u2069]")  # breaks, and bidi overrides that hide text


class FrozenLabels(dict):
    """Labels or annotations as written, hashable like the rest of a frozen definition."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))


def freeze_labels(obj: object, *names: str) -> None:
    """In __post_init__: the mapping fields `names` of a frozen definition as FrozenLabels."""
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, Mapping) and not isinstance(value, FrozenLabels):
            object.__setattr__(obj, name, FrozenLabels(value))


def value_problem(value: object, depth: int = 0) -> str | None:
    """What is wrong with a field's value whatever the field: a number that is not finite
    or beyond what Prometheus compares exactly, a quantity that overflows, a credential in
    text. Nested definition objects check their own fields."""
    if isinstance(value, bool) or isinstance(value, Defined):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return f"{value!r} is not a finite number"
        if abs(value) > MAX_NUMBER:
            return f"{value:g} is beyond {MAX_NUMBER:g}, more than obsgen can compare exactly"
        return None
    if isinstance(value, Quantity):
        return quantity_problem(value, MAX_NUMBER)
    if isinstance(value, str):
        what = secret_in(value)
        if what is not None:
            return f"contains {what}: secrets stay out of definitions; point at a file the deployment provides (e.g. api_url_file, routing_key_file, credentials_file)"
        return None
    if isinstance(value, (tuple, list)) and depth < 3:
        for item in value:
            problem = value_problem(item, depth + 1)
            if problem is not None:
                return problem
    return None


@dataclass(frozen=True)
class Defined:
    """Base of model values: remembers the definition line that built it."""

    # The line that built it, found by the frame walk in caller_source when __init__ runs.
    defined_at: Source | None = field(default_factory=caller_source, init=False, compare=False, repr=False)
    # Where its values come from (provenance.py): one Runbook(...) or Assumed(...) for the whole object, or
    # a mapping from field name to one (see provenance.py).
    provenance: Provenance | Mapping[str, Provenance] | None = field(default=None, kw_only=True, compare=False, repr=False)

    # Field names a provenance mapping may name besides the object's own fields (an alert's levels' parts).
    SOURCE_KEYS: ClassVar[tuple[str, ...]] = ()

    fills_placeholders = False  # an Alert's texts say {threshold}; nothing else fills them

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.init:
                value = getattr(self, f.name)
                problem = value_problem(value)
                if problem is not None:
                    raise self.fail(f.name, problem)
                if not self.fills_placeholders:
                    for text in (value,) if isinstance(value, str) else value if isinstance(value, tuple) else ():
                        found = placeholders(text) if isinstance(text, str) else ()
                        if found:
                            raise self.fail(f.name, f"{{{found[0]}}} would be printed as is: placeholders are filled only in an alert's summary, description, meaning and actions")
        self._validate_source()
        self.validate()

    def _validate_source(self) -> None:
        if self.provenance is None or is_provenance(self.provenance):
            return
        if not isinstance(self.provenance, Mapping):
            raise self.fail("provenance", f"must be Runbook(...), Assumed(...) or a mapping of field names to them, got {self.provenance!r}")
        known = {f.name for f in fields(self) if f.init and f.name != "provenance"} | set(self.SOURCE_KEYS)
        for key, value in self.provenance.items():
            if key not in known:
                raise self.fail("provenance", f"{key!r} is not a field of {type(self).__name__} (fields: {', '.join(sorted(known))})")
            if not is_provenance(value):
                raise self.fail("provenance", f"{key!r}: must be Runbook(...) or Assumed(...), got {value!r}")

    def source_of(self, *keys: str) -> Provenance | None:
        """Where the value of a field comes from: the first of keys given a source, else the object's own."""
        if self.provenance is None or is_provenance(self.provenance):
            return self.provenance  # type: ignore[return-value]  # a Provenance or None
        for key in keys:
            if key in self.provenance:  # type: ignore[operator]  # a Mapping here
                return self.provenance[key]  # type: ignore[index]
        return None

    def validate(self) -> None:
        """Subclasses check their fields here and call self.fail on a bad one."""

    @property
    def label(self) -> str:
        name = getattr(self, "name", None) or getattr(self, "title", None)
        return f"{type(self).__name__} {name!r}" if name else type(self).__name__

    def fail(self, field_name: str, message: str) -> DefinitionError:
        return DefinitionError(self.label, field_name, message, self.defined_at)

    def need_text(self, field_name: str) -> str:
        value = getattr(self, field_name)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field_name, "is required (a non-empty string)")
        return value

    def need_line(self, field_name: str) -> str:
        """Text shown on one line (a title, a heading, a notification's summary)."""
        value = self.need_text(field_name)
        if _CONTROL.search(value):
            raise self.fail(field_name, "must be one line, without line breaks, tabs or control characters")
        if len(value) > MAX_LINE:
            raise self.fail(field_name, f"is {len(value)} characters long; keep it to {MAX_LINE}")
        return value

    def need_slug(self, field_name: str) -> str:
        value = self.need_text(field_name)
        if len(value) > MAX_SLUG:
            raise self.fail(field_name, f"{value[:20]!r}... is {len(value)} characters long; names are at most {MAX_SLUG}")
        if not SLUG.match(value):
            raise self.fail(field_name, f"{value!r} must be lower-case letters, digits and '-', starting with a letter")
        return value

    def need_duration(self, field_name: str, allow_zero: bool = True, longest: Quantity | None = None) -> int:
        """Seconds of a time quantity field (minutes(5)); a string such as '5m' is refused."""
        value = getattr(self, field_name)
        problem = duration_problem(value, allow_zero, longest)
        if problem is not None:
            raise self.fail(field_name, problem)
        return duration_seconds(value)

    def need_measure(self, field_name: str, value: object, dimension: Dimension, record: str) -> Quantity:
        """A threshold or value in the dimension of the signal recorded as record."""
        try:
            quantity = as_quantity(value, dimension)  # type: ignore[arg-type]  # checked by as_quantity
        except TypeError as exc:
            raise self.fail(field_name, str(exc)) from None
        if quantity.unit.dimension is not dimension:
            raise self.fail(field_name, f"{quantity} is {quantity.unit.dimension.name} but signal {record!r} is {dimension.name}")
        return quantity

    def need_object(self, field_name: str, kind: type[T]) -> T:
        """A reference to another definition object, never its name."""
        value = getattr(self, field_name)
        if not isinstance(value, kind):
            raise self.fail(field_name, expected(kind, value))
        return value

    def need_labels(self, field_name: str, reserved: tuple[str, ...] = ()) -> Mapping[str, str]:
        """A mapping of label (or annotation) names to text; `reserved` names are obsgen's to set."""
        value = getattr(self, field_name)
        if not isinstance(value, Mapping):
            raise self.fail(field_name, f"must be a mapping of names to text, got {value!r}")
        for key, text in value.items():
            if not isinstance(key, str) or not is_label_name(key):
                raise self.fail(field_name, f"{key!r} is not a valid label name")
            if key in reserved:
                raise self.fail(field_name, f"{key!r} is set by obsgen on every alert (from the level, the priority and the service): leave it out")
            if not isinstance(text, str):
                raise self.fail(field_name, f"{key}: must be text, got {text!r}")
            problem = value_problem(text)
            if problem is not None:
                raise self.fail(field_name, f"{key}: {problem}")
        return value

    def need_tuple(self, field_name: str, kind: type | tuple[type, ...], unique: bool = True) -> tuple:
        value = getattr(self, field_name)
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise self.fail(field_name, f"must be a tuple or list, got {type(value).__name__} {value!r}")
        earlier = _Earlier()
        for i, item in enumerate(value):
            if not isinstance(item, kind):
                raise self.fail(field_name, expected(kind, item, items=True))
            if unique and earlier.repeats(item, value, i):
                shown = getattr(item, "label", None) or repr(item)
                raise self.fail(field_name, f"lists {shown[:80]} twice")
        return tuple(value)


class _Earlier:
    """The items a list has shown so far, to find one listed twice in linear time (a
    service's thousands of alerts): by hash while every item can be hashed, else pairwise."""

    def __init__(self) -> None:
        self.seen: set = set()
        self.pairwise = False

    def repeats(self, item: object, items: list | tuple, i: int) -> bool:
        """Whether items[i] equals one of items[:i] (slicing only when comparing pairwise)."""
        if not self.pairwise:
            try:
                if item in self.seen:
                    return True
                self.seen.add(item)
                return False
            except TypeError:
                self.pairwise = True
        return any(item is other or item == other for other in items[:i])


def expected(kind: type | tuple[type, ...], value: object, items: bool = False) -> str:
    """What a field takes, for a value that is not it; a name where an object belongs says so."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = " or ".join(k.__name__ for k in kinds)
    if isinstance(value, str) and str not in kinds:
        return f"{value!r} is a name: pass the {names} object itself (the one built with name={value!r})"
    return f"expects {names}{' items' if items else ''}, got {value!r}"
