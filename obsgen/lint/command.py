"""`obsgen lint`: one linter for rules, dashboards, routing and the links between them."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import click

from ..model.durations import parse_duration
from ..promql.functions import parse_version
from . import exceptions as accepted
from .findings import RANK, REGISTRY
from .metric_types import load as load_metric_types
from .report import FORMATS, RENDERERS
from .settings import Settings

DEFAULT_PATH = Path("generated")
FAIL_ON = ("error", "warning", "info", "never")
# What `make lint`, `make test` and the example CI gate on: a warning means "likely wrong".
DEFAULT_FAIL_ON = "warning"
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _checks():
    """The check modules, imported when a lint runs: they need amlint, `obsgen generate` does not."""
    try:
        from . import run
    except ImportError as exc:
        _fail(f"obsgen lint needs {exc.name}: pip install 'amlint>=0.8'")
    return run


def _list_rules() -> None:
    _checks()
    for rule_id in sorted(REGISTRY, key=lambda r: (r.startswith("amlint/"), r)):
        r = REGISTRY[rule_id]
        click.echo(f"{r.id:40} {r.severity:8} {r.summary}")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=DEFAULT_FAIL_ON, show_default=True, help="Exit 1 on a finding this severe or worse.")
@click.option("--exceptions", "exceptions_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=f"Findings to accept, with reasons [default: {accepted.DEFAULT_FILE} if present].")
@click.option("--scrape-interval", default="1m", show_default=True, help="Prometheus scrape interval, for rate range checks.")
@click.option("--prometheus-version", default=None, help="The Prometheus that loads the rules, e.g. 2.42 or 3.5 [default: the installed promtool's].")
@click.option("--alertmanager-version", default=None, help="The Alertmanager that loads the configs, e.g. 0.25 [default: the installed amtool's].")
@click.option("--enable-feature", "features", multiple=True, help="A Prometheus feature flag the server runs with, e.g. promql-experimental-functions.")
@click.option("--metric-types", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Metric types as evidence: an exposition dump (# TYPE lines) or /api/v1/metadata JSON.")
@click.option("--list-rules", is_flag=True, help="List every rule id, its severity and what it catches.")
def lint(paths: tuple[Path, ...], fmt: str, fail_on: str, exceptions_file: Path | None, scrape_interval: str,
         prometheus_version: str | None, alertmanager_version: str | None, features: tuple[str, ...], metric_types: Path | None,
         list_rules: bool) -> None:
    """Lint rule files, Alertmanager configs, dashboards and handbooks.

    PATHS are files or folders (default: generated/); third-party files work too.
    """
    if list_rules:
        _list_rules()
        return
    try:
        interval = timedelta(seconds=parse_duration(scrape_interval))
    except ValueError as exc:
        _fail(f"--scrape-interval: {exc}")
    explicit = click.get_current_context().get_parameter_source("scrape_interval") != click.core.ParameterSource.DEFAULT
    given: dict = {"scrape_interval": interval, "scrape_interval_given": explicit, "features": frozenset(features)}
    for option, key, value in (("--prometheus-version", "prometheus", prometheus_version), ("--alertmanager-version", "alertmanager", alertmanager_version)):
        try:
            if value is not None:
                given[key] = parse_version(value)
        except ValueError as exc:
            _fail(f"{option}: {exc}")
    try:
        if metric_types is not None:
            given["metric_types"] = load_metric_types(metric_types)
    except ValueError as exc:
        _fail(f"--metric-types: {exc}")
    targets = list(paths) or [DEFAULT_PATH]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        _fail(f"no such file or folder: {', '.join(missing)}" + ("; run `obsgen generate` first" if not paths else ""))
    if exceptions_file is None and Path(accepted.DEFAULT_FILE).is_file():
        exceptions_file = Path(accepted.DEFAULT_FILE)
    try:
        entries = accepted.load(exceptions_file) if exceptions_file else []
    except accepted.ExceptionsError as exc:
        _fail(str(exc))
    result = _checks().lint_paths(targets, Settings.installed(**given))
    findings, excepted = accepted.apply(result.findings, entries, str(exceptions_file or ""))
    click.echo(RENDERERS[fmt](findings, result.sources.count, len(excepted), result.sources.skipped), nl=False)
    if fail_on != "never" and any(RANK[f.severity] <= RANK[fail_on] for f in findings):
        sys.exit(EXIT_FINDINGS)
