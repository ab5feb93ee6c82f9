"""Write generated trees atomically, or compare them with what is on disk.

A system's folder is built beside generated/ and swapped in with renames, so a reader
(or a crash) sees the old tree or the new one, never half of each.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def read_tree(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def diff_tree(folder: Path, files: dict[str, bytes]) -> list[str]:
    """Paths that differ between disk and files: 'changed', 'missing' or 'extra'."""
    on_disk = read_tree(folder)
    out = []
    for path in sorted(set(on_disk) | set(files)):
        if path not in on_disk:
            out.append(f"missing  {path}")
        elif path not in files:
            out.append(f"extra    {path}")
        elif on_disk[path] != files[path]:
            out.append(f"changed  {path}")
    return out


def stale_trees(folder: Path, trees: dict[str, dict[str, bytes]], whole_folder: bool = True) -> list[str]:
    """How folder differs from trees (one subfolder per tree): 'changed  <tree>/<path>' and the
    like; with whole_folder, a subfolder no tree has is 'extra    <name>/'."""
    out = [f"{line[:9]}{name}/{line[9:]}" for name, files in trees.items() for line in diff_tree(folder / name, files)]
    if whole_folder and folder.is_dir():
        out += [f"extra    {p.name}/" for p in sorted(folder.iterdir()) if p.is_dir() and not p.name.startswith(".") and p.name not in trees]
    return out


def write_tree(folder: Path, files: dict[str, bytes]) -> None:
    """Replace folder with exactly files, atomically as far as the file system allows."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
    try:
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            os.chmod(target, 0o644)
        os.chmod(staging, 0o755)
        if folder.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-", dir=folder.parent))
            os.rename(folder, retired / folder.name)
            os.rename(staging, folder)
            shutil.rmtree(retired)
        else:
            os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def remove_tree(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
