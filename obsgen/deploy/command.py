"""`obsgen deploy --system S`: push one system's rules and routing to a live Prometheus
and Alertmanager, proven through their APIs, rolled back when it does not hold."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .apply import DeployFailed, Deployment, current, deploy
from .settings import DeploySettings, SettingsError

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def semantic_diff(system: str, before: Deployment | None, after: Deployment) -> str:
    """What the deploy changes, as `obsgen diff` says it: alerts, paging, records, routing."""
    from ..diff import describe

    def tree(d: Deployment | None) -> dict[str, bytes]:
        if d is None:
            return {}
        return {**{f"{system}/rules/{n}": b for n, b in d.rules.items()}, **({f"{system}/alertmanager.yml": d.alertmanager} if d.alertmanager else {})}

    return describe(tree(before), tree(after), "deployed", "generated")


@click.command("deploy")
@click.option("--definitions", default="definitions", show_default=True, type=click.Path(file_okay=False), help="Folder of definition packages.")
@click.option("--system", "system_name", required=True, help="The system to deploy.")
@click.option("--rules-dir", default=None, help="The folder Prometheus reads this system's rule files from (rule_files: [DIR/*.yml]).")
@click.option("--prometheus-url", default=None, help="Prometheus, started with --web.enable-lifecycle.")
@click.option("--alertmanager-config", default=None, help="The configuration file Alertmanager reads.")
@click.option("--alertmanager-url", default=None, help="Alertmanager.")
@click.option("--timeout", type=float, default=None, help="Seconds to wait for every rule's first evaluation (default 180).")
@click.option("--dry-run", is_flag=True, help="Change nothing; print what the deploy would change.")
def deploy_command(definitions: str, system_name: str, rules_dir, prometheus_url, alertmanager_config, alertmanager_url, timeout, dry_run: bool) -> None:
    """Write the files, reload Prometheus and Alertmanager, verify, roll back on failure."""
    from ..cli import _systems as load_checked
    from ..pipeline import served_files

    loaded = load_checked(definitions, system_name)
    if not loaded:
        click.echo(f"error: no system named {system_name!r} in {definitions}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    try:
        settings = DeploySettings.resolve(
            system_name, Path(definitions).resolve().parent / "pyproject.toml", rules_dir=rules_dir, prometheus_url=prometheus_url,
            alertmanager_config=alertmanager_config, alertmanager_url=alertmanager_url, timeout=timeout,
        )
        deployment = Deployment.of(served_files(loaded[0]))  # the files the servers load, without the tests, dashboards and handbook a full compile adds
        if dry_run:
            before = current(settings)
            if before == deployment:
                click.echo(f"{system_name}: no change; {settings.rules_dir} and {settings.alertmanager_config} hold the generated files")
            else:
                click.echo(semantic_diff(system_name, before, deployment), nl=False)
            return
        outcome = deploy(deployment, settings, log=lambda message: click.echo(f"  {message}", err=True))
    except SettingsError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except DeployFailed as exc:
        click.echo(f"deploy of {system_name} failed: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    state = "deployed" if outcome.changed else "unchanged, verified"
    health = "all healthy" if not outcome.pending else f"none unhealthy; first evaluation due within their interval: {', '.join(outcome.pending)}"
    click.echo(f"{system_name}: {state}: Prometheus runs its {outcome.groups} rule groups ({outcome.rules} rules, {health}); Alertmanager runs its configuration")
