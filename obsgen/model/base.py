"""What every definition object shares: its creation site and a way to reject a field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .durations import parse_duration
from .errors import DefinitionError, Source, caller_source

SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")


@dataclass(frozen=True)
class Defined:
    """Base of model values: remembers the definition line that built it."""

    defined_at: Source | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "defined_at", caller_source())
        self.validate()

    def validate(self) -> None:
        """Subclasses check their fields here and call self.fail on a bad one."""

    @property
    def label(self) -> str:
        name = getattr(self, "name", None) or getattr(self, "title", None)
        return f"{type(self).__name__} {name!r}" if name else type(self).__name__

    def fail(self, field_name: str, message: str) -> DefinitionError:
        return DefinitionError(self.label, field_name, message, self.defined_at)

    def set(self, field_name: str, value) -> None:
        """Normalise a field during validation (the values are frozen afterwards)."""
        object.__setattr__(self, field_name, value)

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
        value = getattr(self, field_name)
        try:
            seconds = parse_duration(value)
        except ValueError as exc:
            raise self.fail(field_name, str(exc)) from None
        if not allow_zero and seconds == 0:
            raise self.fail(field_name, "must be longer than 0s")
        return seconds

    def need_tuple(self, field_name: str, kind: type | tuple[type, ...]) -> tuple:
        value = getattr(self, field_name)
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise self.fail(field_name, f"must be a list, got {type(value).__name__}")
        for item in value:
            if not isinstance(item, kind):
                names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
                raise self.fail(field_name, f"expects {names} items, got {item!r}")
        value = tuple(value)
        self.set(field_name, value)
        return value
