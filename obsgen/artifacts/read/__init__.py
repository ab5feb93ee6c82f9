"""The one reader: bytes of a rule file, an Alertmanager configuration or a dashboard,
obsgen's or a third party's, to typed values and the problems a real loader would refuse
the file for, each with its line.

    read_rules(data, checks=RuleChecks(expr=..., template=...), prometheus=(2, 42)) -> Read[RuleFile]
    read_alertmanager(data, alertmanager=(0, 25)) -> Read[AlertmanagerConfig]
    read_dashboard(data) -> Read[DashboardFile]
    read_artifact(name, data, checks, prometheus, alertmanager) -> Read[...] of whichever kind the file is

`Read.value` is what could be read (rules with problems are kept where they are whole
enough to check further; None when nothing could be read), `Read.problems` why promtool
or amtool would refuse the file (each a Problem: line, where, message, subject, code),
and `Read.require(source)` the value or an UnreadableArtifact naming every problem. The
rule-file reader is as strict as the given Prometheus version's rulefmt and the
Alertmanager reader as the given version's amtool check-config (2.42 and 0.25, Debian 12's,
unless told otherwise), less what the caller's hooks judge: PromQL and Go templates (see
RuleChecks). obsgen lint turns each problem into an error by its code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

import orjson
import yaml

from ...promql.functions import Version
from ..alertmanager import AlertmanagerConfig
from ..dashboards import DashboardFile
from ..rules import RuleFile
from .alertmanager import ALERTMANAGER as ALERTMANAGER_VERSION
from .alertmanager import is_alertmanager_document, read_alertmanager_document
from .dashboards import dashboard_model, panels, read_dashboard_model
from .nodes import STRUCTURE, SYNTAX, Problem, Walker, compose, kind_name, syntax_problem
from .rules import PROMETHEUS as PROMETHEUS_VERSION
from .rules import RuleChecks, is_rule_document, read_rule_document

__all__ = [
    "ALERTMANAGER", "ALERTMANAGER_VERSION", "DASHBOARD", "PROMETHEUS_VERSION", "PROVISIONING", "RULES", "Problem", "Read",
    "RuleChecks", "UnreadableArtifact", "panels", "read_alertmanager", "read_artifact", "read_dashboard", "read_rules",
]

T = TypeVar("T")
RULES, ALERTMANAGER, DASHBOARD = "rules", "alertmanager", "dashboard"
PROVISIONING = "provisioning"  # Grafana's provisioning files: recognised, not read (value None)
YAML_SUFFIXES = (".yml", ".yaml")
_PROVISIONING_KEYS = {"providers", "datasources"}


class UnreadableArtifact(ValueError):
    """A file the real loader would refuse, where the caller cannot go on without it."""


@dataclass(frozen=True)
class Read(Generic[T]):
    kind: str  # RULES, ALERTMANAGER, DASHBOARD, PROVISIONING, or "" when the file is none of them
    value: T | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.value is not None and not self.problems

    def require(self, source: str) -> T:
        """The value, or UnreadableArtifact naming the source and every problem."""
        if self.value is None or self.problems:
            why = "; ".join(str(p) for p in self.problems) or f"not a {self.kind or 'known'} file"
            raise UnreadableArtifact(f"{source}: {why}")
        return self.value


def _compose(data: bytes | str) -> tuple[yaml.Node | None, Problem | None]:
    try:
        return compose(data), None
    except yaml.YAMLError as exc:
        return None, syntax_problem(exc)


def read_rules(data: bytes | str, checks: RuleChecks = RuleChecks(), prometheus: Version = PROMETHEUS_VERSION) -> Read[RuleFile]:
    root, problem = _compose(data)
    if problem:
        return Read(RULES, None, (problem,))
    walker = Walker()
    value = read_rule_document(root, walker, checks, prometheus)
    return Read(RULES, value, tuple(walker.problems))


def read_alertmanager(data: bytes | str, alertmanager: Version = ALERTMANAGER_VERSION) -> Read[AlertmanagerConfig]:
    root, problem = _compose(data)
    if problem:
        return Read(ALERTMANAGER, None, (problem,))
    walker = Walker()
    value = read_alertmanager_document(root, walker, alertmanager)
    return Read(ALERTMANAGER, value, tuple(walker.problems))


def read_dashboard(data: bytes | str) -> Read[DashboardFile]:
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        return Read(DASHBOARD, None, (Problem(getattr(exc, "lineno", None), "", f"not valid JSON: {exc.args[0] if exc.args else exc}", code=SYNTAX),))
    model = dashboard_model(document)
    if model is None:
        if isinstance(document, dict) and _PROVISIONING_KEYS & set(document):
            return Read(PROVISIONING, None, ())
        return Read("", None, ())
    return Read(DASHBOARD, read_dashboard_model(model), ())


def read_artifact(
    name: str, data: bytes | str, checks: RuleChecks = RuleChecks(),
    prometheus: Version = PROMETHEUS_VERSION, alertmanager: Version = ALERTMANAGER_VERSION,
) -> Read:
    """Any file: its kind found from its suffix and content. kind "" with no problems: not one of ours."""
    if name.lower().endswith(".json"):
        return read_dashboard(data)
    if not name.lower().endswith(YAML_SUFFIXES):
        return Read("", None, ())
    root, problem = _compose(data)
    if problem:
        return Read("", None, (problem,))
    walker = Walker()
    if is_rule_document(root):
        return Read(RULES, read_rule_document(root, walker, checks, prometheus), tuple(walker.problems))
    if is_alertmanager_document(root):
        return Read(ALERTMANAGER, read_alertmanager_document(root, walker, alertmanager), tuple(walker.problems))
    if isinstance(root, yaml.MappingNode) and _PROVISIONING_KEYS & {k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode)}:
        return Read(PROVISIONING, None, ())
    if isinstance(root, yaml.ScalarNode) and root.value:
        message = f"the document is a single value ({kind_name(root)}), not a mapping: no rule file, Alertmanager config or dashboard is"
        return Read("", None, (Problem(1, "", message, code=STRUCTURE),))
    return Read("", None, ())
