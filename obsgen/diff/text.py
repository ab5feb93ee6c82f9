"""Text files: the handbook by section, and what any file's lines did (added, removed)."""

from __future__ import annotations

import difflib
from collections import Counter

from .result import Change, ItemDiff

FENCE = ("```", "~~~")


def sections(text: str) -> dict[str, str]:
    """Markdown sections by heading path ('Alerts › Trading engine › HighOrderLatency'),
    each with its own text (heading line included, subsections not)."""
    out: dict[str, list[str]] = {}
    trail: list[tuple[int, str]] = []
    key = "(before the first heading)"
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith(FENCE):
            fenced = not fenced
        level = len(line) - len(line.lstrip("#"))
        if not fenced and 0 < level <= 6 and line[level:level + 1] == " ":
            title = line[level:].strip()
            trail = [(lvl, t) for lvl, t in trail if lvl < level] + [(level, title)]
            key = " › ".join(t for _, t in trail[1:] or trail)
            n = 2
            while key in out:
                key = f"{' › '.join(t for _, t in trail[1:] or trail)} ({n})"
                n += 1
        out.setdefault(key, []).append(line)
    return {k: "\n".join(v).strip("\n") for k, v in out.items() if "\n".join(v).strip()}


def compare_sections(old: str, new: str, file: str) -> list[ItemDiff]:
    a, b = sections(old), sections(new)
    diffs = []
    for key in dict.fromkeys([*b, *a]):
        if key not in b:
            diffs.append(ItemDiff(key, "removed", [Change("text", a[key], "")], file=file))
        elif key not in a:
            diffs.append(ItemDiff(key, "added", [Change("text", "", b[key])], file=file))
        elif a[key] != b[key]:
            diffs.append(ItemDiff(key, "changed", [Change("text", a[key], b[key])], file=file))
    return diffs


def unified(before: str, after: str, context: int = 1) -> list[str]:
    """A unified diff of two texts, without the file header lines."""
    return list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=context))[2:]


def line_counts(before: bytes, after: bytes) -> tuple[int, int]:
    """(lines added, lines removed), as a multiset: linear, for files of any size."""
    old, new = Counter(before.splitlines()), Counter(after.splitlines())
    return sum((new - old).values()), sum((old - new).values())
