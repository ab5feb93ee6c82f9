"""Import every package under definitions/, collect each one's SYSTEM.

A syntax error, a failing import, a missing or unknown field, or a rejected value all
become one LoadError: file, line, object, field, what is wrong. Nothing is written.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from ..model import DefinitionError, System
from ..model.errors import Source


class LoadError(Exception):
    """Bad definitions: the message names file:line, object and field."""


@dataclass(frozen=True)
class LoadedSystem:
    system: System
    package: str  # e.g. 'definitions/bondx': relative to the project (the definitions folder's parent), not to the working folder


def _relative(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def _where(source: Source | None) -> str:
    return f"{source}: " if source else ""


def _definition_frame(exc: BaseException, root: Path) -> Source | None:
    """The innermost traceback frame inside the definitions folder."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.abspath(frame.filename).startswith(str(root) + os.sep):
            found = Source(os.path.abspath(frame.filename), frame.lineno or 0)
    return found


_MISSING = re.compile(r"^(\w+)\.__init__\(\) missing \d+ required (?:keyword-only |positional )?arguments?: (.+)$")
_UNEXPECTED = re.compile(r"^(\w+)\.__init__\(\) got an unexpected keyword argument '(\w+)'$")


def _module_of(filename: str | None, root: Path) -> str | None:
    """'definitions/bondx/alerts.py' -> 'definitions.bondx.alerts'."""
    if not filename:
        return None
    path = Path(filename).resolve()
    try:
        parts = path.relative_to(root.parent).with_suffix("").parts
    except ValueError:
        return None
    return repr(".".join(parts[:-1] if parts[-1] == "__init__" else parts))


def _explain(exc: BaseException, root: Path, module: str) -> str:
    if isinstance(exc, DefinitionError):
        return exc.render() if exc.source else f"{_where(_definition_frame(exc, root))}{exc.render()}"
    if isinstance(exc, SyntaxError):
        where = f"{_relative(exc.filename or module)}:{exc.lineno}: "
        return f"{where}module {_module_of(exc.filename, root) or repr(module)}, field 'code': syntax error: {exc.msg}"
    where = _where(_definition_frame(exc, root))
    text = str(exc)
    if isinstance(exc, TypeError):
        missing = _MISSING.match(text)
        if missing:
            fields = missing.group(2).replace("'", "")
            return f"{where}{missing.group(1)}, field {fields}: missing (required)"
        unexpected = _UNEXPECTED.match(text)
        if unexpected:
            return f"{where}{unexpected.group(1)}, field '{unexpected.group(2)}': no such field"
    if isinstance(exc, ImportError):
        return f"{where}module {module!r}, field 'import': {type(exc).__name__}: {text}"
    return f"{where}module {module!r}: {type(exc).__name__}: {text}"


def _packages(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def _purge(prefix: str) -> None:
    for name in [m for m in sys.modules if m == prefix or m.startswith(prefix + ".")]:
        del sys.modules[name]


def load_systems(root: Path | str = "definitions", only: str | None = None) -> list[LoadedSystem]:
    """Every system under root (or the one named only), in package order."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise LoadError(f"{_relative(str(root))}: no definitions folder here")
    parent = str(root.parent)
    if parent not in sys.path:
        sys.path.insert(0, parent)
    _purge(root.name)
    loaded: list[LoadedSystem] = []
    for package_dir in _packages(root):
        module = f"{root.name}.{package_dir.name}"
        try:
            imported = importlib.import_module(module)
        except Exception as exc:  # every definition mistake ends here, as one message
            raise LoadError(_explain(exc, root, module)) from None
        system = getattr(imported, "SYSTEM", None)
        if not isinstance(system, System):
            raise LoadError(f"{_relative(str(package_dir / '__init__.py'))}:1: module {module!r}, field 'SYSTEM': must be bound to a System")
        for other in loaded:
            if other.system.name == system.name:
                raise LoadError(f"{_where(system.defined_at)}System {system.name!r}, field 'name': also defined in {other.package}")
        loaded.append(LoadedSystem(system, f"{root.name}/{package_dir.name}"))
    if only is not None:
        loaded = [s for s in loaded if s.system.name == only]
        if not loaded:
            raise LoadError(f"no system named {only!r} under {_relative(str(root))}")
    return loaded
