"""The command line: a thin face over load, compile, render and verify."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import NoReturn

import click

from .deploy.command import deploy_command
from .diff.command import diff
from .export import ExportError, ProjectExports
from .export.command import export
from .importer.command import import_group
from .lint.command import lint
from .live.command import check_metrics, demo, simulate
from .load import LoadedSystem, LoadError, load_systems
from .model import DefinitionError
from .pipeline import iter_files
from .render.writer import TreeWriter, WriteError, compare_tree

EXIT_STALE = 1
EXIT_BAD_INPUT = 2


def _bad_input(exc: Exception) -> NoReturn:
    click.echo(f"error: {exc}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _systems(definitions: str, system: str | None) -> list[LoadedSystem]:
    gc.disable()  # a short-lived process building many small values: collection only costs time
    try:
        return load_systems(definitions, only=system)
    except (LoadError, DefinitionError) as exc:
        _bad_input(exc)


def project_exports(definitions: str, systems: list[LoadedSystem], system: str | None) -> ProjectExports:
    """The targets the project keeps committed (pyproject.toml beside the definitions); a bad table exits 2."""
    try:
        return ProjectExports.read(Path(definitions).resolve().parent / "pyproject.toml", None if system else [s.system.name for s in systems])
    except ExportError as exc:
        _bad_input(exc)


definitions_option = click.option(
    "--definitions", default="definitions", show_default=True, type=click.Path(file_okay=False), help="Folder of definition packages."
)


@click.group()
def main() -> None:
    """obsgen: observability as code for trading systems."""


@main.command()
@definitions_option
@click.option("--output", default="generated", show_default=True, type=click.Path(file_okay=False), help="Folder to write.")
@click.option("--system", "system_name", default=None, help="Only this system.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the output folder is stale.")
def generate(definitions: str, output: str, system_name: str | None, check: bool) -> None:
    """Compile definitions into rules, routing, dashboards, tests and handbooks."""
    systems = _systems(definitions, system_name)
    exports = project_exports(definitions, systems, system_name)
    out = Path(output)
    scope = [s.system.name for s in systems] if system_name else None
    counts = {s.system.name: 0 for s in systems}

    def files():
        for rel, data in iter_files(systems, exports):
            counts[rel.split("/", 1)[0]] += 1
            yield rel, data

    try:
        if check:
            differences = compare_tree(out, files(), scope)
        else:
            keep = [p.name for p in out.iterdir() if p.is_dir() and p.name not in counts] if scope and out.is_dir() else []
            with TreeWriter(out, keep) as tree:
                for rel, data in files():
                    tree.write(rel, data)
                tree.commit()
    except (LoadError, DefinitionError, WriteError, ExportError) as exc:
        _bad_input(exc)
    if check:
        if differences:
            click.echo(f"{output}/ is stale; run `make generate` and commit the result:", err=True)
            for difference in differences:
                click.echo(f"  {difference.line()}", err=True)
            sys.exit(EXIT_STALE)
        click.echo(f"{output}/ is up to date ({sum(counts.values())} files, {len(counts)} systems).")
        return
    for name, count in counts.items():
        click.echo(f"{output}/{name}/: {count} files")


@main.command("test")
@definitions_option
@click.option("--generated", "output", default="generated", show_default=True, type=click.Path(file_okay=False),
              help="The generated folder to prove.")
@click.option("--system", "system_name", default=None, help="Only this system.")
@click.option("--timeout", default=300.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds one promtool or amtool run may take.")
def test_command(definitions: str, output: str, system_name: str | None, timeout: float) -> None:
    """Prove generated/: promtool rule tests and scenarios, routing, inhibition, muting.

    First that generated/ is exactly what the definitions compile to (a hand edit fails,
    naming the file), then every proof on generated/ itself: what is committed is tested.
    """
    from .verify.runner import run_all
    from .verify.tools import ToolMissing

    systems = _systems(definitions, system_name)
    out = Path(output)
    try:
        stale = compare_tree(out, iter_files(systems, project_exports(definitions, systems, system_name)), [s.system.name for s in systems] if system_name else None)
    except (LoadError, DefinitionError, ExportError) as exc:
        _bad_input(exc)
    try:
        reports = run_all(systems, out, stale, timeout=timeout)
    except ToolMissing as exc:
        _bad_input(exc)
    failed = 0
    for report in reports:
        for failure in report.failures:
            click.echo(failure.render())
        status = "ok" if not report.failures else f"{len(report.failures)} FAILED"
        click.echo(f"{report.system:16} {report.checks:5} checks  {status}")
        failed += len(report.failures)
    passed = max(sum(r.checks for r in reports) - failed, 0)
    click.echo(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


@main.command("list")
@definitions_option
@click.option("--system", "system_name", default=None, help="Only this system.")
def list_systems(definitions: str, system_name: str | None) -> None:
    """List the systems: services and their alerts, SLOs and their burn-rate and no-data alerts."""
    from .compile.slo_rules import alert_rules as slo_alert_rules, alert_words as slo_alert_words
    from .model.durations import prom_duration

    for loaded in _systems(definitions, system_name):
        s = loaded.system
        rules = sum(len(a.levels) for a in s.alerts)
        click.echo(f"{s.name:16} {s.title}  ({loaded.package})")
        click.echo(
            f"{'':16} {len(s.services)} services, {len(s.alerts)} alerts ({rules} rules), {len(s.slos)} SLOs, "
            f"{len(s.checklist)} checks, {len(s.signals)} signals" + (f", {len(s.raw_alerts)} alert rules kept as written" if s.raw_alerts else "")
        )
        for service in s.services:
            names = [a.name for a in service.alerts] + [f"{r.name} (as written)" for r in service.raw_alerts]
            click.echo(f"{'':18}- {service.name} (team {service.team}): {', '.join(dict.fromkeys(names)) or 'no alerts'}")
        for slo in s.slos:
            click.echo(f"{'':18}- SLO {slo.name} ({slo.service.name}): {slo.objective} over {prom_duration(slo.period)}")
            for rule in slo_alert_rules(s, slo):
                labels = rule.labels
                windows = slo_alert_words(slo, rule)
                click.echo(f"{'':22}{rule.alert}  {labels['severity']} {labels['priority']}  {windows}{', for ' + rule.for_ if rule.for_ else ''}")


main.add_command(lint)
main.add_command(diff)
main.add_command(simulate)
main.add_command(demo)
main.add_command(check_metrics)
main.add_command(export)
main.add_command(import_group)
main.add_command(deploy_command)

if __name__ == "__main__":
    main()
