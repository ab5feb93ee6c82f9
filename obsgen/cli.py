"""The command line: a thin face over load, compile, render and verify."""

from __future__ import annotations

import gc
import sys
import tempfile
from pathlib import Path

import click

from .diff.command import diff
from .lint.command import lint
from .live.command import check_metrics, demo, simulate
from .load import LoadError, load_systems
from .model import DefinitionError
from .pipeline import all_files
from .render.writer import remove_tree, stale_trees, write_tree

EXIT_STALE = 1
EXIT_BAD_INPUT = 2


def _load(definitions: str, system: str | None, compile_files: bool = True):
    gc.disable()  # a short-lived process building many small values: collection only costs time
    try:
        systems = load_systems(definitions, only=system)
        return systems, (all_files(systems) if compile_files else {})
    except (LoadError, DefinitionError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)


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
    systems, files = _load(definitions, system_name)
    out = Path(output)
    if check:
        stale = stale_trees(out, files, whole_folder=system_name is None)
        if stale:
            click.echo(f"{output}/ is stale; run `make generate` and commit the result:", err=True)
            for line in stale:
                click.echo(f"  {line}", err=True)
            sys.exit(EXIT_STALE)
        click.echo(f"{output}/ is up to date ({sum(len(t) for t in files.values())} files, {len(files)} systems).")
        return
    for name, tree in files.items():
        write_tree(out / name, tree)
    if system_name is None and out.is_dir():
        for stale_dir in sorted(out.iterdir()):
            if stale_dir.is_dir() and not stale_dir.name.startswith(".") and stale_dir.name not in files:
                remove_tree(stale_dir)
    for name, tree in files.items():
        click.echo(f"{output}/{name}/: {len(tree)} files")


@main.command("test")
@definitions_option
@click.option("--system", "system_name", default=None, help="Only this system.")
def test_command(definitions: str, system_name: str | None) -> None:
    """Prove the definitions: promtool rule tests and scenarios, routing, inhibition, muting.

    Compiles into a temporary folder, so it tests what the definitions say now.
    """
    from .verify.runner import run_all
    from .verify.tools import ToolMissing

    systems, files = _load(definitions, system_name)
    with tempfile.TemporaryDirectory(prefix="obsgen-test-") as tmp:
        for name, tree in files.items():
            write_tree(Path(tmp) / name, tree)
        try:
            reports = run_all(systems, Path(tmp))
        except ToolMissing as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)
    failed = 0
    for report in reports:
        for failure in report.failures:
            click.echo(failure.render())
        status = "ok" if not report.failures else f"{len(report.failures)} FAILED"
        click.echo(f"{report.system:16} {report.checks:5} checks  {status}")
        failed += len(report.failures)
    passed = sum(r.checks for r in reports) - failed
    click.echo(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


@main.command("list")
@definitions_option
@click.option("--system", "system_name", default=None, help="Only this system.")
def list_systems(definitions: str, system_name: str | None) -> None:
    """List the systems: services and their alerts, SLOs and their burn-rate and no-data alerts."""
    from .compile.slo_rules import alert_rules as slo_alert_rules
    from .model.durations import prom_duration

    systems, _ = _load(definitions, system_name, compile_files=False)
    for loaded in systems:
        s = loaded.system
        rules = sum(len(a.levels) for a in s.alerts)
        click.echo(f"{s.name:16} {s.title}  ({loaded.package})")
        click.echo(
            f"{'':16} {len(s.services)} services, {len(s.alerts)} alerts ({rules} rules), {len(s.slos)} SLOs, "
            f"{len(s.checklist)} checks, {len(s.signals)} signals"
        )
        for service in s.services:
            click.echo(f"{'':18}- {service.name} (team {service.team}): {', '.join(a.name for a in service.alerts) or 'no alerts'}")
        for slo in s.slos:
            click.echo(f"{'':18}- SLO {slo.name} ({slo.service.name}): {slo.objective} over {prom_duration(slo.period)}")
            for rule in slo_alert_rules(s, slo):
                labels = rule.labels
                windows = f"{labels['long']}/{labels['short']} burn rate" if "long" in labels else "no SLI data"
                click.echo(f"{'':22}{rule.alert}  {labels['severity']} {labels['priority']}  {windows}{', for ' + rule.for_ if rule.for_ else ''}")


main.add_command(lint)
main.add_command(diff)
main.add_command(simulate)
main.add_command(demo)
main.add_command(check_metrics)

if __name__ == "__main__":
    main()
