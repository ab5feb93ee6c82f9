"""What every definition object shares: its creation site and a way to reject a field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeVar

from .durations import duration_problem, duration_seconds
from .errors import DefinitionError, Source, caller_source
from .units import Dimension, Quantity, as_quantity

T = TypeVar("T")

SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")


@dataclass(frozen=True)
class Defined:
    """Base of model values: remembers the definition line that built it."""

    # The line that built it, found by the frame walk in caller_source when __init__ runs.
    defined_at: Source | None = field(default_factory=caller_source, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.validate()

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

    def need_slug(self, field_name: str) -> str:
        value = self.need_text(field_name)
        if not SLUG.match(value):
            raise self.fail(field_name, f"{value!r} must be lower-case letters, digits and '-', starting with a letter")
        return value

    def need_duration(self, field_name: str, allow_zero: bool = True) -> int:
        """Seconds of a time quantity field (minutes(5)); a string such as '5m' is refused."""
        value = getattr(self, field_name)
        problem = duration_problem(value, allow_zero)
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

    def need_tuple(self, field_name: str, kind: type | tuple[type, ...]) -> tuple:
        value = getattr(self, field_name)
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise self.fail(field_name, f"must be a tuple or list, got {type(value).__name__} {value!r}")
        for item in value:
            if not isinstance(item, kind):
                raise self.fail(field_name, expected(kind, item, items=True))
        return tuple(value)


def expected(kind: type | tuple[type, ...], value: object, items: bool = False) -> str:
    """What a field takes, for a value that is not it; a name where an object belongs says so."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = " or ".join(k.__name__ for k in kinds)
    if isinstance(value, str) and str not in kinds:
        return f"{value!r} is a name: pass the {names} object itself (the one built with name={value!r})"
    return f"expects {names}{' items' if items else ''}, got {value!r}"
