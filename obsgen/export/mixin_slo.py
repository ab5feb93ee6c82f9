"""The mixin's SLO rules and dashboard as templates over `_config.slos`: objective and
burn-rate factors.

obsgen's SLO compilers turn an objective and a tier's factor into many numbers and words
(the budget, each tier's threshold, '0.1%', '14.4x', '2% of it in 1h'). Rather than a second
SLO compiler in jsonnet, the exporter compiles each SLO three times, with its own numbers and
with two perturbed sets, and finds where the output moves: every place that moves is one of
the named values lib/obsgen.libsonnet's slo() works out from the configuration (the only
name whose spelling matches in all three compilations); everything else is kept as written.
A place that moves and matches no name, or several, stops the export: the mixin would
otherwise move differently from obsgen.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any, Iterator

from ..artifacts.write import dashboard_bytes, rule_file_data
from ..compile.slo_dashboard import slo_dashboard
from ..compile.slo_links import PANEL_OFFSETS, panel_id
from ..compile.slo_rules import alerts_file, compile_slo_rules, recording_file, threshold
from ..compile.thresholds import prom_number
from ..model import System
from ..model.slo import SLO, BurnRateTier, exact, window_name
from ..model.errors import DefinitionError
from ..model.units import Quantity
from .targets import ExportError
from .mixin_jsonnet import Call, Expr, Merge, jsonnet_string

NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]\d+)?")
# (budget multiplier, factor multiplier and its step per tier) of the two perturbed compilations:
# odd numbers, so that no two named values spell alike in all three.
PERTURBATIONS = ((1.0713317, 0.9700413, -0.0113171), (1.1391731, 0.9300127, 0.0071313))


class TemplateError(ExportError):
    """An SLO's output moves where the mixin cannot follow (an obsgen bug, not a user error)."""


def tier_key(tier: BurnRateTier) -> str:
    """A tier's name in _config.slos[...].tiers: 'page-1h-5m'."""
    return f"{tier.kind.value}-{window_name(tier.long_seconds)}-{window_name(tier.short_seconds)}"


def slo_config(slo: SLO) -> dict[str, Any]:
    return {
        "objective": {"threshold": slo.objective.value, "unit": slo.objective.unit.name},
        "tiers": {tier_key(t): t.factor for t in slo.burn_tiers},
    }


def slo_about(slo: SLO) -> dict[str, Any]:
    """What slo() needs besides the configuration: the period and each tier's long window, in seconds."""
    return {"period": slo.period_seconds, "long": {tier_key(t): t.long_seconds for t in slo.burn_tiers}}


def named_values(slo: SLO) -> dict[str, str | float]:
    """Every value lib's slo() works out, as obsgen's compilers spell it (strings) or write
    it (numbers), by its jsonnet path below the SLO's object."""
    budget = float(slo.budget)
    values: dict[str, str | float] = {
        "objective": f"{slo.objective.value:g}",
        "objectiveRatio": prom_number(slo.objective_ratio),
        "objectiveRatioValue": slo.objective_ratio,
        "budget": prom_number(budget),
        "budgetPercent": f"{budget * 100:g}",
        "budgetShare": f"{budget * 100:.4g}",
    }
    for tier in slo.burn_tiers:
        key = f"tiers[{jsonnet_string(tier_key(tier))}]"
        values |= {
            f"{key}.threshold": prom_number(threshold(slo, tier)),
            f"{key}.thresholdShare": f"{threshold(slo, tier) * 100:.4g}",
            f"{key}.factor": f"{tier.factor:g}",
            f"{key}.spend": f"{float(exact(tier.factor) * tier.long_seconds / slo.period_seconds) * 100:.4g}",
        }
    for kind in ("page", "ticket"):
        factors = [t.factor for t in slo.burn_tiers if t.kind.value == kind]
        if factors:
            values[f"minFactor.{kind}"] = min(factors)
    return values


def _perturbed(slo: SLO, index: int, budget_by: float, factor_by: float, step: float) -> SLO:
    """The SLO with its budget and its tiers' factors moved (each SLO and tier by its own amount)."""
    budget = float(slo.budget) * (budget_by + index * 0.00073171)
    factor_by += index * 0.00113137
    objective = Quantity((1 - budget) / float(slo.objective.unit.factor), slo.objective.unit)
    tiers = tuple(replace(t, factor=t.factor * (factor_by + i * step)) for i, t in enumerate(slo.burn_tiers))
    return replace(slo, objective=objective, tiers=tiers)


@dataclass(frozen=True)
class World:
    """One compilation of a system's SLOs: rule groups by name, the SLO dashboard, named values."""

    groups: dict[str, tuple[str, dict]]  # name -> (its SLO, the group)
    dashboard: dict | None
    panels: dict[int, str]  # SLO dashboard panel id -> its SLO
    values: dict[str, dict[str, str | float]]  # SLO name -> named values


def _world(system: System, origin: str) -> World:
    files = compile_slo_rules(system)
    groups = {g["name"]: (slo.name, g) for slo in system.slos for name in (recording_file(slo), alerts_file(slo)) if name in files
              for g in rule_file_data(files[name])["groups"]}
    dashboard = json.loads(dashboard_bytes(slo_dashboard(system), origin)) if system.slos else None  # its panels, all that is templated
    panels = {panel_id(system, slo, kind): slo.name for slo in system.slos for kind in PANEL_OFFSETS}
    return World(groups, dashboard, panels, {slo.name: named_values(slo) for slo in system.slos})


def worlds(system: System, origin: str) -> tuple[World, ...]:
    """The SLOs compiled as defined, then with the two perturbations."""
    found = [_world(system, origin)]
    for budget_by, factor_by, step in PERTURBATIONS:
        try:
            slos = tuple(_perturbed(slo, i, budget_by, factor_by, step) for i, slo in enumerate(system.slos))
            perturbed = replace(system, slos=slos)
        except DefinitionError as exc:
            raise TemplateError(f"mixin target, system {system.name}: its SLOs with their budgets and factors a few percent apart "
                                f"are not valid ({exc}), so the mixin cannot find where their numbers appear") from None
        found.append(_world(perturbed, origin))
    return tuple(found)


class Templater:
    """Turns values of one SLO's output that move between the worlds into jsonnet reading
    `<variable>[<slo>].<name>`."""

    def __init__(self, worlds: tuple[World, ...], variable: str, slo: str):
        self.worlds = worlds
        self.slo = slo
        self.prefix = f"{variable}[{jsonnet_string(slo)}]."

    def _name(self, spelt: tuple[Any, ...], where: str) -> str:
        found = [self.prefix + name for name in self.worlds[0].values[self.slo]
                 if all(w.values[self.slo][name] == s and type(w.values[self.slo][name]) is type(s) for w, s in zip(self.worlds, spelt))]
        if len(found) != 1:
            raise TemplateError(f"mixin target, {where}: {spelt[0]!r} moves with the SLO numbers as {'none' if not found else ', '.join(found)} of the named values")
        return found[0]

    def _string(self, texts: tuple[str, ...], where: str) -> str | Expr:
        if all(t == texts[0] for t in texts):
            return texts[0]
        skeletons = [NUMBER.split(t) for t in texts]
        if any(s != skeletons[0] for s in skeletons):
            raise TemplateError(f"mixin target, {where}: {texts[0]!r} changes beyond its numbers")
        numbers = [NUMBER.findall(t) for t in texts]
        parts: list[str] = []
        literal = skeletons[0][0]
        for i, spelt in enumerate(zip(*numbers)):
            if all(s == spelt[0] for s in spelt):
                literal += spelt[0]
            else:
                if literal:
                    parts.append(jsonnet_string(literal))
                parts.append(self._name(spelt, where))
                literal = ""
            literal += skeletons[0][i + 1]
        if literal:
            parts.append(jsonnet_string(literal))
        return Expr(" + ".join(parts))

    def value(self, values: tuple[Any, ...], where: str = "") -> Any:
        """One value of the output, the same place in every world, as data with Expr where it moves."""
        first = values[0]
        if isinstance(first, dict):
            if any(not isinstance(v, dict) or v.keys() != first.keys() for v in values):
                raise TemplateError(f"mixin target, {where}: its fields change with the SLO numbers")
            return {k: self.value(tuple(v[k] for v in values), f"{where}.{k}") for k in first}
        if isinstance(first, list):
            if any(not isinstance(v, list) or len(v) != len(first) for v in values):
                raise TemplateError(f"mixin target, {where}: its length changes with the SLO numbers")
            return [self.value(tuple(v[i] for v in values), f"{where}[{i}]") for i in range(len(first))]
        if isinstance(first, str):
            return self._string(values, where)
        if all(v == first for v in values):
            return first
        return Expr(self._name(values, where))


def slo_groups(worlds: tuple[World, ...], names: list[str], variable: str) -> Iterator[Any]:
    """The named rule groups, templated."""
    for name in names:
        templater = Templater(worlds, variable, worlds[0].groups[name][0])
        yield templater.value(tuple(w.groups[name][1] for w in worlds), f"group {name}")


def _moved(templater: "Templater", values: tuple[Any, ...], where: str) -> Merge:
    """The fields of an object that move with the SLO numbers, templated; objects merged into."""
    moved: dict[str, Any] = {}
    for key in values[0]:
        same = tuple(v[key] for v in values)
        if all(json.dumps(v, sort_keys=True) == json.dumps(same[0], sort_keys=True) for v in same):
            continue
        if all(isinstance(v, dict) and v.keys() == same[0].keys() for v in same):
            moved[key] = _moved(templater, same, f"{where}.{key}")
        elif key == "steps":  # Grafana's steps are in value order, whatever the factors become
            moved[key] = Call("obsgen.sortedSteps", templater.value(same, f"{where}.{key}"))
        else:
            moved[key] = templater.value(same, f"{where}.{key}")
    return Merge(moved)


def dashboard_overrides(worlds: tuple[World, ...], variable: str) -> dict[str, Merge]:
    """By panel id: the fields of the SLO dashboard's panels that move with the SLO numbers, templated."""
    if worlds[0].dashboard is None:
        return {}
    overrides: dict[str, Merge] = {}
    panels = [[q for p in w.dashboard["panels"] for q in [p, *p.get("panels", [])]] for w in worlds if w.dashboard is not None]
    for same in zip(*panels):
        templater = Templater(worlds, variable, worlds[0].panels[same[0]["id"]])
        moved = _moved(templater, tuple({k: v for k, v in p.items() if k != "panels"} for p in same), f"SLO dashboard panel {same[0]['id']}")
        if moved.fields:
            overrides[str(same[0]["id"])] = moved
    return overrides
