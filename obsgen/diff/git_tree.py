"""generated/ as it is at a git ref, read without touching the working tree or index."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class GitError(RuntimeError):
    pass


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


def read_tree_at(ref: str, folder: Path) -> dict[str, bytes]:
    """Every file under `folder` at `ref`: path relative to `folder` -> bytes.

    A folder that did not exist at `ref` is an empty tree: every system in it is new.
    """
    top, relative = _repository(folder)
    try:
        commit = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"{ref!r} is not a commit in {top}") from None
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", relative).decode()
    blobs = []
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        _, kind, sha = meta.split()
        if kind == "blob":
            blobs.append((path, sha))
    if not blobs:
        return {}
    output = _git(top, "cat-file", "--batch", stdin="".join(f"{sha}\n" for _, sha in blobs).encode())
    files: dict[str, bytes] = {}
    offset = 0
    prefix = "" if relative == "." else relative + "/"
    for path, _ in blobs:
        header_end = output.index(b"\n", offset)
        size = int(output[offset:header_end].split()[2])
        files[path[len(prefix):]] = output[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
    return files


def read_working_tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` on disk, as `read_tree_at` names them."""
    if not folder.is_dir():
        return {}
    files = {}
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files
