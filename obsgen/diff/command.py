"""`obsgen diff`: what changed in generated/ since a git ref, as a PR comment or JSON."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from .git_tree import GitError, read_tree_at, read_working_tree

EXIT_BAD_INPUT = 2


def stale_files(definitions: Path, folder: Path) -> list[str]:
    """How the generated folder differs from what the definitions compile to now.

    Empty when they agree, or when there are no definitions to compare with (a diff of a
    generated folder alone); definitions that do not load are one line saying why.
    """
    from ..export import ExportError, ProjectExports
    from ..load import LoadError, load_systems
    from ..model import DefinitionError
    from ..pipeline import iter_files
    from ..render.writer import stale_trees

    if not definitions.is_dir():
        return []
    try:
        exports = ProjectExports.read(definitions.resolve().parent / "pyproject.toml")
        return stale_trees(folder, iter_files(load_systems(definitions), exports))
    except (LoadError, DefinitionError, ExportError) as exc:
        return [f"the definitions do not load: {exc}"]


@click.command()
@click.option("--base", default="HEAD", show_default=True, help="Git ref to compare with (in CI: the PR's merge base).")
@click.option("--generated", "folder", default="generated", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="The generated folder, compared at --base and in the working tree.")
@click.option("--definitions", default="definitions", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Definitions to check the generated folder against (a stale folder is reported, not hidden).")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
def diff(base: str, folder: Path, definitions: Path, fmt: str) -> None:
    """Alerts, paging, recording rules, routing and dashboards changed since --base."""
    try:  # imported here: routing needs amlint, which `obsgen generate` does not
        from .compare import compare
        from .markdown import render
        from .snapshot import snapshot
    except ImportError as exc:
        click.echo(f"error: obsgen diff needs {exc.name}: pip install 'amlint>=0.8'", err=True)
        sys.exit(EXIT_BAD_INPUT)
    try:
        before = snapshot(read_tree_at(base, folder))
    except (GitError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    after = snapshot(read_working_tree(folder))
    diffs = compare(before, after)
    stale = stale_files(definitions, folder)
    if stale:
        click.echo(f"warning: {folder}/ is stale against {definitions}/ ({len(stale)} files differ); run `make generate`", err=True)
    if fmt == "json":
        click.echo(json.dumps({"base": base, "target": "working tree", "stale": stale, "systems": [asdict(d) for d in diffs]}, indent=2))
    else:
        click.echo(render(diffs, base, "working tree", stale), nl=False)
