"""The two sides of a diff as trees of files: generated/ at a git ref, on disk, or in memory.

A tree lists its paths and gives each a digest (git's blob id), so files the two sides
hold alike are found without reading them twice, and read (and parsed) once at most.
Reading generated/ at a ref touches neither the working tree nor the index.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path


class GitError(RuntimeError):
    pass


def blob_id(data: bytes) -> str:
    """git's id of a blob with these bytes: equal ids, equal files, on either side."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class Tree:
    """Files by path (relative to the generated folder, posix), read on demand."""

    def paths(self) -> list[str]:
        raise NotImplementedError

    def digest(self, path: str) -> str:
        raise NotImplementedError

    def read(self, path: str) -> bytes:
        raise NotImplementedError

    def prefetch(self, paths: Iterable[str]) -> None:
        """Read these paths in one go where the tree can (one git process for many blobs)."""


class FileTree(Tree):
    """A tree held in memory: what a caller built itself (obsgen deploy's running files)."""

    def __init__(self, files: Mapping[str, bytes]):
        self.files = dict(files)
        self._ids: dict[str, str] = {}

    def paths(self) -> list[str]:
        return sorted(self.files)

    def digest(self, path: str) -> str:
        if path not in self._ids:
            self._ids[path] = blob_id(self.files[path])
        return self._ids[path]

    def read(self, path: str) -> bytes:
        return self.files[path]


class FolderTree(Tree):
    """A folder on disk; dot-folders are skipped."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._paths: list[str] = []
        self._ids: dict[str, str] = {}
        if folder.is_dir():
            for root, dirs, names in os.walk(folder):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                self._paths += [(Path(root) / n).relative_to(folder).as_posix() for n in sorted(names)]
        self._paths.sort()

    def paths(self) -> list[str]:
        return self._paths

    def digest(self, path: str) -> str:
        """git's blob id, read in chunks: a fleet's test files are tens of megabytes."""
        if path not in self._ids:
            file = self.folder / path
            blob = hashlib.sha1(b"blob %d\0" % file.stat().st_size)
            with file.open("rb") as stream:
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    blob.update(chunk)
            self._ids[path] = blob.hexdigest()
        return self._ids[path]

    def read(self, path: str) -> bytes:
        return (self.folder / path).read_bytes()


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    proc = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True)
    if proc.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout


def _repository(folder: Path) -> tuple[Path, str]:
    """The repository's top folder, and `folder` relative to it (posix)."""
    start = folder if folder.is_dir() else folder.parent
    while not start.exists():
        start = start.parent
    top = Path(_git(start, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    relative = os.path.relpath(folder.resolve(), top)
    if relative.startswith(".."):
        raise GitError(f"{folder} is outside the repository at {top}")
    return top, Path(relative).as_posix()


class GitTree(Tree):
    """A folder as a commit holds it. A folder the commit lacks is an empty tree."""

    def __init__(self, ref: str, folder: Path):
        self.top, relative = _repository(folder)
        try:
            self.commit = _git(self.top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
        except GitError:
            raise GitError(f"{ref!r} is not a commit in {self.top}") from None
        prefix = "" if relative == "." else relative + "/"
        listing = _git(self.top, "ls-tree", "-r", "-z", "--full-tree", self.commit, "--", relative).decode()
        self._ids: dict[str, str] = {}
        for entry in filter(None, listing.split("\0")):
            meta, path = entry.split("\t", 1)
            _, kind, sha = meta.split()
            if kind == "blob" and path.startswith(prefix):
                self._ids[path[len(prefix):]] = sha
        self._cache: dict[str, bytes] = {}

    def paths(self) -> list[str]:
        return sorted(self._ids)

    def digest(self, path: str) -> str:
        return self._ids[path]

    def prefetch(self, paths: Iterable[str]) -> None:
        wanted = [p for p in dict.fromkeys(paths) if p in self._ids and p not in self._cache]
        if not wanted:
            return
        output = _git(self.top, "cat-file", "--batch", stdin="".join(f"{self._ids[p]}\n" for p in wanted).encode())
        view = memoryview(output)
        offset = 0
        for path in wanted:
            header_end = output.index(b"\n", offset)
            size = int(output[offset:header_end].split()[2])
            self._cache[path] = bytes(view[header_end + 1 : header_end + 1 + size])
            offset = header_end + 1 + size + 1

    def read(self, path: str) -> bytes:
        if path not in self._cache:
            self.prefetch([path])
        return self._cache.pop(path)  # read once: the parse cache keeps what is needed


def changed_paths(before: Tree, after: Tree) -> list[str]:
    """Paths added, removed, or whose bytes differ, in path order."""
    old, new = set(before.paths()), set(after.paths())
    return sorted((old ^ new) | {p for p in old & new if before.digest(p) != after.digest(p)})
