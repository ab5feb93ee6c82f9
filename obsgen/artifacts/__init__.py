"""Typed artifacts: what the compilers produce and what the reader builds from files.

Rule files, Alertmanager configurations and dashboards are values here, free of I/O.
`obsgen.artifacts.write` turns them into bytes; `obsgen.artifacts.read` turns bytes,
obsgen's or a third party's, into them, with every problem the real loaders
(Prometheus' rulefmt, Alertmanager's config) would refuse the file for.
"""

from .alertmanager import (
    AlertmanagerConfig, InhibitRule, Integration, Matcher, Receiver, Route, TimeInterval, TimeRange, TimeSpec,
)
from .dashboards import AlertAnnotation, Dashboard, DashboardFile, DashboardPanel, Panel, Row, ThresholdStep, Variable
from .rules import AlertingRule, RecordingRule, Rule, RuleFile, RuleGroup

__all__ = [
    "AlertAnnotation", "AlertingRule", "AlertmanagerConfig", "Dashboard", "DashboardFile", "DashboardPanel", "InhibitRule", "Integration", "Matcher", "Panel",
    "Receiver", "RecordingRule", "Route", "Row", "Rule", "RuleFile", "RuleGroup", "ThresholdStep",
    "TimeInterval", "TimeRange", "TimeSpec", "Variable",
]
