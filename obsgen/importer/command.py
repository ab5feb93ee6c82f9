"""`obsgen import mixin`: read, plan, render, check by loading, then write atomically."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import click

from ..load import LoadError, load_systems
from ..model import DefinitionError
from ..model.base import SLUG
from .plan import MAPPING_WORDS, ImportPlan, plan_import
from .python_source import package_sources
from .sources import SourceError, read_source

EXIT_BAD_INPUT = 2
DEFAULT_RUNBOOK_BASE_URL = "https://runbooks.example.invalid/{system}/"
DEFAULT_GRAFANA_BASE_URL = "https://grafana.example.invalid"


def report(plan: ImportPlan, source: str) -> str:
    """What was imported and what was kept as written: IMPORT.md, the package docstring and stdout."""
    signals = sum(len(s.signals) for s in plan.services)
    raw_recordings = sum(len(s.raw_recordings) for s in plan.services)
    raw_alerts = plan.source_alerts - plan.modelled
    lines = [
        f"Imported from {source}: {plan.source_alerts} alerting rules ({plan.modelled} as threshold alerts with Levels, "
        f"{raw_alerts} kept as written), {plan.source_recordings} recording rules ({signals} as Signals, {raw_recordings} kept as written), "
        f"in {len(plan.services)} services (one per rule group).",
        "",
        f"Assumed: the severity label maps to a priority: {MAPPING_WORDS}; each priority's response time covers its "
        "alerts' detection (the mixin's `for` and windows). The receivers are placeholders: point them at your own.",
    ]
    if plan.dropped:
        lines += ["", "Not kept: rule group settings:"] + [f"- {d}" for d in plan.dropped]
    if plan.dashboards:
        lines += ["", f"Not imported: {len(plan.dashboards)} dashboards (obsgen draws each service's dashboard from its signals):"]
        lines += [f"- {d}" for d in plan.dashboards]
    if plan.kept:
        lines += ["", "Kept as written (RawAlert, RawRecording), and why:"]
        lines += [f"- {k.name} ({k.origin}): {k.why}" for k in plan.kept]
    return "\n".join(lines)


def _package(system: str) -> str:
    return system.replace("-", "_")


def _write(target: Path, files: dict[str, str], force: bool, definitions: Path, system: str) -> None:
    """Write the package beside its place, load it to prove it, then move it in at once."""
    staging = Path(tempfile.mkdtemp(prefix=".obsgen-import-", dir=definitions.parent))
    try:
        package = staging / "definitions" / target.name
        package.mkdir(parents=True)
        for name, content in files.items():
            (package / name).write_text(content, encoding="utf-8")
        try:
            load_systems(staging / "definitions", only=system)
        except (LoadError, DefinitionError) as exc:
            raise SourceError(f"the imported definitions do not load (an obsgen import defect): {exc}") from None
        old = staging / "replaced"
        if target.exists():
            os.rename(target, old)
        try:
            os.rename(package, target)
        except OSError:
            if old.exists():
                os.rename(old, target)  # --force that cannot write keeps what was there
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@click.group("import")
def import_group() -> None:
    """Turn existing monitoring into obsgen definitions."""


@import_group.command("mixin")
@click.argument("source", type=click.Path(exists=False))
@click.option("--system", "system_name", required=True, help="Name of the new system (definitions/NAME, '-' becomes '_').")
@click.option("--jpath", "jpath", multiple=True, type=click.Path(file_okay=False), help="A folder of vendored jsonnet libraries (repeatable).")
@click.option("--definitions", default="definitions", show_default=True, type=click.Path(file_okay=False), help="Folder of definition packages.")
@click.option("--title", default=None, help="The system's title (default: the name).")
@click.option("--runbook-base-url", default=None, help=f"Where the handbook will be published [default: {DEFAULT_RUNBOOK_BASE_URL}, a placeholder].")
@click.option("--grafana-base-url", default=DEFAULT_GRAFANA_BASE_URL, show_default=True, help="Grafana's address (the default is a placeholder).")
@click.option("--force", is_flag=True, help="Replace an existing definitions/NAME.")
def import_mixin(source: str, system_name: str, jpath: tuple[str, ...], definitions: str, title: str | None,
                 runbook_base_url: str | None, grafana_base_url: str, force: bool) -> None:
    """Import a mixin (jsonnet, its rule YAML, PrometheusRule manifests, dashboards) as definitions/NAME.

    Each `expr > number` alert becomes a Signal and a Level; what obsgen cannot model is
    kept as written (RawAlert, RawRecording) and listed in definitions/NAME/IMPORT.md.
    """
    def bad(message: str) -> None:
        click.echo(f"error: {message}", err=True)
        sys.exit(EXIT_BAD_INPUT)

    if not SLUG.match(system_name) or len(system_name) > 40:
        bad(f"--system {system_name!r}: a system name is lower-case letters, digits and '-', starting with a letter")
    root = Path(definitions)
    if not root.is_dir():
        bad(f"{definitions}: no definitions folder here")
    target = root / _package(system_name)
    if target.exists() and not force:
        bad(f"{target}: already exists; give --force to replace it")
    for folder in jpath:
        if not Path(folder).is_dir():
            bad(f"--jpath {folder}: no such folder")
    try:
        read = read_source(source, jpath)
        if not read.groups:
            raise SourceError(f"{source}: no rule groups to import (only dashboards): obsgen draws dashboards from the signals of rules")
        plan = plan_import(system_name, title or system_name, read, runbook_base_url or DEFAULT_RUNBOOK_BASE_URL.format(system=system_name),
                           grafana_base_url, source)
        words = report(plan, source)
        files = package_sources(plan, source, words.replace("\\", "\\\\").replace('"""', "'''"))
        files["IMPORT.md"] = f"# {plan.system.title}: import report\n\n{words}\n"
        _write(target, files, force, root, system_name)
    except (SourceError, DefinitionError) as exc:
        bad(str(exc.render() if isinstance(exc, DefinitionError) else exc))
    except OSError as exc:
        bad(f"{target}: cannot write: {exc}")
    click.echo(f"{target}/: {len(files)} files")
    click.echo(words)
