"""A system compiled once into the typed artifacts every exporter transforms."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..artifacts import AlertmanagerConfig, Dashboard, RuleFile
from ..compile.alertmanager import compile_alertmanager
from ..compile.dashboards import compile_dashboards
from ..compile.routing_cases import compile_routing_cases
from ..compile.rules import compile_rules
from ..compile.slo_rules import compile_slo_rules
from ..load import LoadedSystem
from ..model import System
from ..render.yaml_file import generated_header


@dataclass(frozen=True)
class Compiled:
    loaded: LoadedSystem

    @property
    def system(self) -> System:
        return self.loaded.system

    @property
    def origin(self) -> str:
        return self.loaded.package

    def header(self, what: str) -> str:
        return generated_header(self.origin, what)

    @cached_property
    def rule_files(self) -> dict[str, RuleFile]:
        """Every rule file by its name in generated/<system>/rules/, services first, then SLOs."""
        return {**dict(compile_rules(self.system)), **compile_slo_rules(self.system)}

    @cached_property
    def alertmanager(self) -> AlertmanagerConfig:
        return compile_alertmanager(self.system)

    @cached_property
    def dashboards(self) -> tuple[Dashboard, ...]:
        return tuple(compile_dashboards(self.system))

    @cached_property
    def routing_cases(self) -> dict:
        return compile_routing_cases(self.system)
