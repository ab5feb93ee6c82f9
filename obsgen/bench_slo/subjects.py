"""The SLOs the benchmark runs, and both rule sets for them.

The subjects are BondX's own: api-availability (99.9% of requests without a 5xx, per
app) and api-latency (95% of requests within 100 ms, per app), as definitions/bondx
states them; a scenario may set more SLO fields (e.g. a traffic-stopped window). obsgen's
rules are what `obsgen generate` writes for them; Sloth's are sloth.py's.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

from ..compile.slo_rules import compile_slo_rules
from ..load import load_systems
from ..model import System
from ..model.slo import SLO
from ..artifacts.write import rule_file_data
from .scenarios import AVAILABILITY, LATENCY
from .sloth import alert_rules, sloth_groups
from .timeline import RuleSet

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
SUBJECTS = {AVAILABILITY: "api-availability", LATENCY: "api-latency"}


@cache
def bondx() -> System:
    return next(s.system for s in load_systems(DEFINITIONS) if s.system.name == "bondx")


def subject(sli: str, options: dict | None = None) -> tuple[System, SLO]:
    """The system with the subject SLO (options applied), and that SLO."""
    system = bondx()
    slo = next(s for s in system.slos if s.name == SUBJECTS[sli])
    if options:
        fields = {f.name for f in dataclasses.fields(slo)}
        unknown = set(options) - fields
        if unknown:
            raise ValueError(f"obsgen's SLO has no field {', '.join(sorted(unknown))}")
        if "period" in options and "tiers" not in options:
            options = {**options, "tiers": None}  # the workbook's tiers for the new period
        changed = dataclasses.replace(slo, **options)
        system = dataclasses.replace(system, slos=tuple(changed if s is slo else s for s in system.slos))
        slo = changed
    return system, slo


def obsgen_rules(system: System, slos: list[SLO]) -> RuleSet:
    """The SLO rule files `obsgen generate` writes, as written (rendered and read back)."""
    names = {slo.name for slo in slos}
    chosen = {}
    for name, rule_file in compile_slo_rules(system).items():
        if name.split(".")[0].removeprefix("slo-") in names:
            chosen[name] = rule_file_data(rule_file)
    burn = frozenset(slo.alert_name for slo in slos)
    # recording files first: promtool evaluates the groups in the order given
    ordered = dict(sorted(chosen.items(), key=lambda kv: (kv[0].endswith(".alerts.yml"), kv[0])))
    return RuleSet("obsgen", ordered, burn)


def sloth_rules(slos: list[SLO]) -> RuleSet:
    groups = [g for slo in slos for g in sloth_groups(slo)]
    burn = frozenset(r["alert"] for slo in slos for r in alert_rules(slo))
    return RuleSet("Sloth", {"sloth.yml": {"groups": groups}}, burn)
