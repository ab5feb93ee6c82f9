"""The target registry: each deployment target is a function from a compiled system to files.

A target module registers itself with `@target(...)`; `obsgen export`, `obsgen generate`
(for the targets a project keeps committed) and the tests find every target here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .compiled import Compiled


class ExportError(Exception):
    """A system that cannot be expressed in a target: the message names the object and field."""


@dataclass(frozen=True)
class ExportOptions:
    """Where the objects go; None: the target's default, derived from the system's name."""

    namespace: str | None = None  # Kubernetes namespace (operators)
    tenant: str | None = None  # Mimir / Cortex tenant
    labels: Mapping[str, str] = field(default_factory=dict)  # extra labels on Kubernetes objects
    secrets: Mapping[str, str] | None = None  # filled into Mimir's placeholders; None: keep placeholders

    def namespace_for(self, compiled: Compiled) -> str:
        return self.namespace or compiled.system.name

    def tenant_for(self, compiled: Compiled) -> str:
        return self.tenant or compiled.system.name


Exporter = Callable[[Compiled, ExportOptions], dict[str, bytes]]


@dataclass(frozen=True)
class Target:
    name: str
    summary: str
    export: Exporter


TARGETS: dict[str, Target] = {}


def target(name: str, summary: str) -> Callable[[Exporter], Exporter]:
    """Register an exporter under a target name (one per module)."""

    def register(export: Exporter) -> Exporter:
        if name in TARGETS:
            raise RuntimeError(f"export target {name!r} registered twice")
        TARGETS[name] = Target(name, summary, export)
        return export

    return register


def export_files(compiled: Compiled, target_name: str, options: ExportOptions = ExportOptions()) -> dict[str, bytes]:
    """The files of one target for one system, by path relative to the output folder."""
    try:
        chosen = TARGETS[target_name]
    except KeyError:
        raise ExportError(f"unknown export target {target_name!r}; known: {', '.join(sorted(TARGETS))}") from None
    return dict(sorted(chosen.export(compiled, options).items()))
