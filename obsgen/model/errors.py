"""Definition errors and where they come from.

Every mistake in a definition becomes one DefinitionError naming the object and the
field; the loader adds the file and line. The model records each object's creation site
so that errors found later (cross references, duplicates) can still point at a line.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from types import FrameType

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass(frozen=True)
class Source:
    """A file and line in a definition module."""

    file: str
    line: int

    def __str__(self) -> str:
        try:
            path = os.path.relpath(self.file)
        except ValueError:
            path = self.file
        return f"{path}:{self.line}"


def one_line(message: str) -> str:
    """An error message on one line (a parser's message can span several)."""
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


def caller_source() -> Source | None:
    """The first stack frame outside obsgen itself: the line that built the object."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        raw = frame.f_code.co_filename
        filename = _definition_file(raw) if os.path.isabs(raw) else _outside_obsgen(raw)
        if filename is not None:
            return Source(filename, frame.f_lineno)
        frame = frame.f_back
    return None


def _outside_obsgen(raw: str) -> str | None:
    """The code file's absolute path if it is not obsgen's own (nor dataclasses'), else None."""
    filename = os.path.abspath(raw)
    if raw.startswith("<") or filename.startswith(_PACKAGE_DIR + os.sep) or os.path.basename(filename) == "dataclasses.py":
        return None
    return filename


# An absolute path does not depend on the working folder: decided once per file, and every
# object built there shares one path string (a fleet's definitions build millions of objects).
_definition_file = functools.lru_cache(maxsize=4096)(_outside_obsgen)


class DefinitionError(ValueError):
    """A definition is wrong: which object, which field, what is wrong."""

    def __init__(self, obj: str, field: str, message: str, source: Source | None = None):
        self.obj = obj
        self.field = field
        self.message = message
        self.source = source
        super().__init__(self.render())

    def render(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return one_line(f"{where}{self.obj}, field '{self.field}': {self.message}")

    def at(self, source: Source | None) -> "DefinitionError":
        """The same error, located at source unless it already has a location."""
        if self.source is not None or source is None:
            return self
        return DefinitionError(self.obj, self.field, self.message, source)
