"""Import every package under definitions/, collect each one's SYSTEM.

A syntax error, a failing import, a missing or unknown field, or a rejected value all
become one LoadError: file, line, object, field, what is wrong. Nothing is written.
So does a definition that exits, raises KeyboardInterrupt or any BaseException, or
never returns (a timeout, OBSGEN_LOAD_TIMEOUT seconds, 60 by default).
"""

from __future__ import annotations

import importlib
import os
import re
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..compile.collisions import check_collisions
from ..model import DefinitionError, System
from ..model.errors import Source, one_line

DEFAULT_TIMEOUT = 60.0  # seconds one definitions package may take to import
TIMEOUT_VARIABLE = "OBSGEN_LOAD_TIMEOUT"


class LoadError(Exception):
    """Bad definitions: the message, on one line, names file:line, object and field."""

    def __init__(self, message: str):
        super().__init__(one_line(message))


class LoadTimeout(BaseException):
    """Raised in the importing thread when a definitions package takes too long."""


def load_timeout() -> float:
    """Seconds a package may take to import: OBSGEN_LOAD_TIMEOUT, else 60 (0: no limit)."""
    text = os.environ.get(TIMEOUT_VARIABLE, "")
    try:
        seconds = float(text) if text.strip() else DEFAULT_TIMEOUT
    except ValueError:
        raise LoadError(f"{TIMEOUT_VARIABLE}={text!r} is not a number of seconds") from None
    if not seconds >= 0 or seconds == float("inf"):
        raise LoadError(f"{TIMEOUT_VARIABLE}={text!r} is not a number of seconds")
    return seconds


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt the import with LoadTimeout after `seconds` (main thread only: signals)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise LoadTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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


def _where_module(exc: BaseException, root: Path, module: str) -> tuple[str, str]:
    """('file:line: ', 'definitions.x.y') of the definition line running when exc was raised."""
    source = _definition_frame(exc, root)
    return _where(source), (_module_of(source.file, root) if source else None) or repr(module)


def _explain_base(exc: BaseException, root: Path, module: str, timeout: float) -> str:
    """A definition that leaves the import by other means than an Exception."""
    where, name = _where_module(exc, root, module)
    if isinstance(exc, LoadTimeout):
        return (f"{where}module {name}: still loading after {timeout:g} s, so a definition never returns "
                f"(a loop or a wait?); set {TIMEOUT_VARIABLE} to allow longer")
    if isinstance(exc, SystemExit):
        return f"{where}module {name}: calls sys.exit({exc.code!r}) while loading; definitions build values, they do not end the program"
    if isinstance(exc, KeyboardInterrupt):
        return f"{where}module {name}: interrupted (KeyboardInterrupt) while loading"
    return f"{where}module {name}: raises {type(exc).__name__}: {exc}"


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


@contextmanager
def _from_source() -> Iterator[None]:
    """Definitions compile from their source at every load, never from a cached .pyc:
    Python trusts a .pyc whose source has the same size and modification second, so a
    threshold edited from 0.5 to 0.6 and saved within the second of the last load would
    compile the old one. No .pyc is read or written while the definitions import."""
    saved = sys.dont_write_bytecode, sys.pycache_prefix
    with tempfile.TemporaryDirectory(prefix="obsgen-no-pyc-") as empty:
        sys.dont_write_bytecode, sys.pycache_prefix = True, empty
        importlib.invalidate_caches()
        try:
            yield
        finally:
            sys.dont_write_bytecode, sys.pycache_prefix = saved


@contextmanager
def _on_path(folder: str) -> Iterator[None]:
    """The definitions' parent folder on sys.path while they import, and only then: a process
    that loads many definition folders (a test suite, `obsgen diff`) would otherwise search
    every one of them for each later import."""
    added = folder not in sys.path
    if added:
        sys.path.insert(0, folder)
    try:
        yield
    finally:
        if added and folder in sys.path:
            sys.path.remove(folder)
            sys.path_importer_cache.pop(folder, None)


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
    _purge(root.name)
    timeout = load_timeout()
    loaded: list[LoadedSystem] = []
    with _on_path(str(root.parent)), _from_source():  # once for every package of the load
        for package_dir in _packages(root):
            module = f"{root.name}.{package_dir.name}"
            try:
                with _deadline(timeout):
                    imported = importlib.import_module(module)
            except Exception as exc:  # every definition mistake ends here, as one message
                _purge(root.name)
                raise LoadError(_explain(exc, root, module)) from None
            except BaseException as exc:  # sys.exit, KeyboardInterrupt, a definition that never returns
                _purge(root.name)
                raise LoadError(_explain_base(exc, root, module, timeout)) from None
            system = getattr(imported, "SYSTEM", None)
            if not isinstance(system, System):
                raise LoadError(f"{_relative(str(package_dir / '__init__.py'))}:1: module {module!r}, field 'SYSTEM': must be bound to a System")
            for other in loaded:
                if other.system.name == system.name:
                    raise LoadError(f"{_where(system.defined_at)}System {system.name!r}, field 'name': also defined in {other.package}")
            loaded.append(LoadedSystem(system, f"{root.name}/{package_dir.name}"))
    try:
        check_collisions(s.system for s in loaded)
    except DefinitionError as exc:
        raise LoadError(exc.render()) from None
    if only is not None:
        loaded = [s for s in loaded if s.system.name == only]
        if not loaded:
            raise LoadError(f"no system named {only!r} under {_relative(str(root))}")
    return loaded
