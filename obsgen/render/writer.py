"""Write the generated tree atomically, or compare it with what is on disk.

The whole output folder (generated/) is replaced in one step, not system by system.
Files stream into a staging folder beside it (`.generated.new-XXXXXXXX`) as they are
rendered; once every system is written, one renameat2(RENAME_EXCHANGE) swaps the
staging folder and generated/, and the old tree (now under the staging name) is
deleted. A reader, `git status` or a crash at any moment sees the old tree or the new
one, never a mix, and an error in a later system leaves generated/ untouched.

generated/ stays a plain folder of plain files: git commits the files (a symlink to
versioned folders would commit the symlink), and Prometheus globs, Grafana's file
provisioning and editors see ordinary paths. The swap replaces the folder's inode, as
any atomic replacement must: a shell sitting inside generated/ has to `cd` again.

A kill leaves at most a `.generated.new-*` (or `.generated.old-*`) folder beside the
output; the next run removes it, holding a lock on the parent folder so it never
removes a concurrent run's staging, and `generate --check` reports it. Where the kernel
cannot exchange two folders (not Linux, or a file system without RENAME_EXCHANGE), two
renames are used: a kill between them leaves only `.generated.old-*`, which the next
run puts back before anything else.

The output folder belongs to obsgen: anything in it that obsgen does not generate,
hidden files included, is reported by `--check` and removed by the next generate.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

NEW, OLD = "new", "old"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class WriteError(Exception):
    """The output cannot be written: the message names the path and why."""


# --- Reading and comparing -------------------------------------------------------------------


def read_tree(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _files_under(folder: Path) -> Iterator[str]:
    """Every file (and symlink) under folder, hidden ones included, relative and posix."""
    for top, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names) + [d for d in dirs if os.path.islink(os.path.join(top, d))]:
            yield Path(os.path.relpath(os.path.join(top, name), folder)).as_posix()
        if not dirs and not names and top != str(folder):
            yield Path(os.path.relpath(top, folder)).as_posix() + "/"  # an empty folder


def leftovers(folder: Path) -> list[Path]:
    """Staging and retired trees an interrupted run left beside the output folder."""
    parent = folder.parent if folder.parent.is_dir() else None
    if parent is None:
        return []
    prefixes = tuple(f".{folder.name}.{kind}-" for kind in (NEW, OLD))
    return sorted(p for p in parent.iterdir() if p.name.startswith(prefixes))


@dataclass(frozen=True)
class Difference:
    kind: str  # 'changed', 'missing', 'extra' (in the output, not generated) or 'leftover' (beside it)
    path: str  # relative to the output folder; for a leftover, the folder's name beside it
    detail: str = ""

    def line(self) -> str:
        return f"{self.kind:8} {self.path}" + (f": {self.detail}" if self.detail else "")


def first_difference(on_disk: bytes, compiled: bytes) -> str:
    for number, (a, b) in enumerate(zip(on_disk.splitlines(), compiled.splitlines()), 1):
        if a != b:
            return f"line {number} reads {a.decode(errors='replace').strip()[:160]!r}, the definitions give {b.decode(errors='replace').strip()[:160]!r}"
    return "its length differs from what the definitions give"


def compare_tree(folder: Path, files: Iterable[tuple[str, bytes]], scope: Iterable[str] | None = None) -> list[Difference]:
    """What differs between the output folder and the files (streamed, path relative to it).

    scope: the top-level folders compared (one system with --system); None: all of it,
    and the leftovers beside it.
    """
    found: list[Difference] = []
    seen: set[str] = set()
    for rel, data in files:
        seen.add(rel)
        path = folder / rel
        try:
            on_disk = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            found.append(Difference("missing", rel))
            continue
        if on_disk != data:
            found.append(Difference("changed", rel, first_difference(on_disk, data)))
    roots = [folder / name for name in scope] if scope is not None else [folder]
    for root in roots:
        if root.is_dir():
            found += [Difference("extra", rel) for rel in (Path(root.relative_to(folder), r).as_posix() for r in _files_under(root)) if rel not in seen]
        elif root.exists() or root.is_symlink():
            found.append(Difference("extra", root.relative_to(folder).as_posix()))
    if scope is None:
        found += [Difference("leftover", p.name + "/", "left by an interrupted `obsgen generate`; the next one removes it") for p in leftovers(folder)]
    return sorted(found, key=lambda d: (d.kind == "leftover", d.path))


def stale_trees(folder: Path, files: Iterable[tuple[str, bytes]]) -> list[str]:
    """compare_tree on the whole folder, one line per difference ('changed  <system>/<path>: ...')."""
    return [difference.line() for difference in compare_tree(folder, files)]


# --- Writing ---------------------------------------------------------------------------------


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _guard(folder: Path) -> None:
    """Never replace a folder that holds a project (`--output .` would delete it)."""
    if folder.is_dir() and any((folder / marker).exists() for marker in (".git", "definitions", "pyproject.toml")):
        raise WriteError(f"{folder}: refusing to replace a folder that holds a project (.git, definitions or pyproject.toml); choose an output folder of its own")


class TreeWriter:
    """Stream files into a staging tree, then swap it for the output folder in one step.

        with TreeWriter(Path("generated"), keep=["bondx"]) as tree:
            tree.write("dex/alertmanager.yml", data)
            tree.commit()

    keep: top-level folders of the current output carried into the new tree (hard links,
    so nothing is copied), for `generate --system`. Leaving the block without commit()
    (an error, a bad definition) deletes the staging tree: the output is untouched.
    """

    def __init__(self, folder: Path, keep: Iterable[str] = ()):
        self.folder = folder
        self.keep = list(keep)
        self.staging: Path | None = None
        self._lock: int | None = None
        self._made: set[Path] = set()

    def __enter__(self) -> "TreeWriter":
        _guard(self.folder)
        parent = self.folder.parent
        parent.mkdir(parents=True, exist_ok=True)
        self._lock = os.open(parent, os.O_RDONLY)
        fcntl.flock(self._lock, fcntl.LOCK_EX)  # one writer per folder; its leftovers are no one's now
        self._recover()
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}.{NEW}-", dir=parent))
        os.chmod(self.staging, 0o755)
        self._made.add(self.staging)
        for name in self.keep:
            if (self.folder / name).is_dir():
                shutil.copytree(self.folder / name, self.staging / name, copy_function=os.link)
        return self

    def _recover(self) -> None:
        for path in leftovers(self.folder):
            if path.name.startswith(f".{self.folder.name}.{OLD}-") and not self.folder.exists():
                os.rename(path, self.folder)  # killed between the two renames: the old tree comes back
            else:
                shutil.rmtree(path, ignore_errors=True)

    def write(self, rel: str, data: bytes) -> None:
        assert self.staging is not None, "use TreeWriter in a with block"
        target = self.staging / rel
        try:
            if target.parent not in self._made:
                target.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(target.parent)
            with open(target, "xb") as out:
                out.write(data)
            os.chmod(target, 0o644)
        except FileExistsError:
            raise WriteError(f"{self.folder / rel}: two generated files have this path") from None
        except OSError as exc:
            raise WriteError(f"{self.folder / rel}: cannot write it: {exc.strerror or exc}") from None

    def commit(self) -> None:
        assert self.staging is not None
        if self.folder.is_symlink() or (self.folder.exists() and not self.folder.is_dir()):
            raise WriteError(f"{self.folder}: not a folder; remove it, obsgen writes a folder here")
        if not self.folder.exists():
            os.rename(self.staging, self.folder)
        elif _exchange(self.staging, self.folder):
            pass  # the old tree is now at self.staging, deleted below
        else:
            retired = self.staging.with_name(self.staging.name.replace(f".{NEW}-", f".{OLD}-", 1))
            os.rename(self.folder, retired)
            os.rename(self.staging, self.folder)
            self.staging = retired
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging = None

    def __exit__(self, *exc) -> None:
        try:
            if self.staging is not None:
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            if self._lock is not None:
                os.close(self._lock)  # releases the lock


def write_tree(folder: Path, files: dict[str, bytes]) -> None:
    """Replace folder with exactly these files in one step (obsgen export, obsgen deploy)."""
    with TreeWriter(folder) as tree:
        for rel, data in files.items():
            tree.write(rel, data)
        tree.commit()
