"""Export: a system's compiled artifacts in the form each deployment target reads.

One module per target, each a transformation of the typed artifacts (obsgen/artifacts/)
registered in `targets.TARGETS`; `obsgen export --target T` writes one on demand and the
project's pyproject.toml names those `obsgen generate` keeps committed.
"""

from . import grafana_operator, mimir, mixin, prometheus, prometheus_operator, thanos  # noqa: F401  (each registers its target)
from .compiled import Compiled
from .project import ProjectExports
from .targets import TARGETS, ExportError, ExportOptions, Target, export_files, target

__all__ = ["TARGETS", "Compiled", "ExportError", "ExportOptions", "ProjectExports", "Target", "export_files", "target"]
