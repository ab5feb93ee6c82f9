"""`obsgen diff`: what a change to generated/ means, as a reviewer reads it.

git_tree.py gives the two sides as trees of files; side.py reads one system of a side
through the one reader; identity.py pairs rules across the sides; paging.py, conditions.py
and scenarios.py say who an alert reaches, when it fires and what the operator scenarios
do; alertmanager.py, dashboards.py and text.py compare the rest; compare.py puts it
together (result.py), markdown.py renders the pull request comment.

Other commands call `describe` (obsgen deploy --dry-run: the running files against the
generated ones).
"""

from __future__ import annotations

from collections.abc import Mapping


def describe(before: Mapping[str, bytes], after: Mapping[str, bytes], base: str = "before", target: str = "after",
             format: str = "markdown") -> str:
    """The diff of two generated trees held in memory ('<system>/<path>' -> bytes), as the
    pull request comment (format 'markdown') or as JSON ('json')."""
    from .compare import compare_trees
    from .git_tree import FileTree
    from .markdown import render
    from .result import as_json

    report = compare_trees(FileTree(before), FileTree(after), base, target)
    return render(report) if format == "markdown" else as_json(report)
