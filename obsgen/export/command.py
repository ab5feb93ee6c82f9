"""`obsgen export --target T [--system S] --out DIR`: write one target's files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..render.writer import read_tree, write_tree
from .compiled import Compiled
from .targets import TARGETS, ExportError, ExportOptions, export_files

EXIT_BAD_INPUT = 2
MARKER = ".obsgen-export"  # says the folder is obsgen's to replace


def _labels(pairs: tuple[str, ...]) -> dict[str, str]:
    labels = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r}: write KEY=VALUE", param_hint="--label")
        labels[key] = value
    return labels


def _writable(folder: Path) -> None:
    """An existing folder is replaced only if obsgen wrote it (it holds the marker)."""
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise ExportError(f"{folder}: not empty and not written by obsgen export (no {MARKER}); choose another --out")


def write_export(folder: Path, files: dict[str, bytes], what: str) -> None:
    _writable(folder)
    write_tree(folder, {**files, MARKER: f"{what}\n".encode()})


@click.command("export")
@click.option("--definitions", default="definitions", show_default=True, type=click.Path(file_okay=False), help="Folder of definition packages.")
@click.option("--target", "target_name", required=True, type=click.Choice(sorted(TARGETS)), help="Where the files go.")
@click.option("--system", "system_name", default=None, help="Only this system (else one folder per system under --out).")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder to write (replaced whole).")
@click.option("--namespace", default=None, help="Kubernetes namespace of the objects (default: the system's name).")
@click.option("--tenant", default=None, help="Mimir/Cortex tenant (default: the system's name).")
@click.option("--label", "labels", multiple=True, help="KEY=VALUE label on every Kubernetes object (e.g. what a ruleSelector matches).")
@click.option("--secrets-file", default=None, type=click.Path(dir_okay=False, exists=True), help="YAML map of secret key to value, filled into placeholders (mimir).")
@click.option("--secrets-from-env", is_flag=True, help="Fill placeholders from OBSGEN_SECRET_<KEY> environment variables (mimir).")
def export(definitions: str, target_name: str, system_name: str | None, out: str, namespace: str | None, tenant: str | None,
           labels: tuple[str, ...], secrets_file: str | None, secrets_from_env: bool) -> None:
    """Write the files of one deployment target (see README: Deploying elsewhere)."""
    from ..cli import _systems as load_checked
    from .secrets import secrets_from

    systems = load_checked(definitions, system_name)
    try:
        secrets = secrets_from(Path(secrets_file) if secrets_file else None, secrets_from_env) if (secrets_file or secrets_from_env) else None
        options = ExportOptions(namespace=namespace, tenant=tenant, labels=_labels(labels), secrets=secrets)
        trees = {loaded.system.name: export_files(Compiled(loaded), target_name, options) for loaded in systems}
        for name, files in trees.items():
            folder = Path(out) if system_name else Path(out) / name
            write_export(folder, files, f"obsgen export --target {target_name} --system {name}")
            click.echo(f"{folder}/: {len(files)} files ({target_name})")
    except ExportError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
