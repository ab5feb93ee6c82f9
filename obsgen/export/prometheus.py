"""Target `prometheus`: the plain files of generated/<system>/ (rules, alertmanager.yml,
dashboards, tests, handbook), as `obsgen generate` writes them."""

from __future__ import annotations

from .compiled import Compiled
from .targets import ExportOptions, target


@target("prometheus", "rule files, alertmanager.yml, dashboards, tests and handbook, as generated/ has them")
def export_prometheus(compiled: Compiled, options: ExportOptions) -> dict[str, bytes]:
    from ..pipeline import prometheus_files  # the pipeline also imports the targets

    return prometheus_files(compiled.loaded)
