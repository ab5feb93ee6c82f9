"""`obsgen diff`: what changed in generated/ since a git ref, as a PR comment or JSON."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .git_tree import FolderTree, GitError, GitTree

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
    """Who gets paged differently, alerts, scenarios, recording rules, routing, dashboards
    and handbook sections changed since --base."""
    try:  # imported here: routing needs amlint, which `obsgen generate` does not
        from .compare import compare_trees
        from .markdown import render
        from .result import as_json
    except ImportError as exc:
        click.echo(f"error: obsgen diff needs {exc.name}: pip install 'amlint>=0.8'", err=True)
        sys.exit(EXIT_BAD_INPUT)
    try:
        before = GitTree(base, folder)
    except (GitError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    report = compare_trees(before, FolderTree(folder), base, "working tree")
    report.stale = stale_files(definitions, folder)
    if report.stale:
        click.echo(f"warning: {folder}/ is stale against {definitions}/ ({len(report.stale)} files differ); run `make generate`", err=True)
    click.echo(render(report) if fmt == "markdown" else as_json(report), nl=False)
