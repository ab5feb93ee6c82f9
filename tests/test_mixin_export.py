"""Target `mixin`: evaluated with jsonnet, the default configuration gives back generated/
(rules and dashboards), and an override moves exactly what obsgen itself moves when the
definition changes: the whole output is compared with obsgen's compilation of the changed
definition, and the set of places that changed is named.

Each seed's mixin is written and evaluated with its default configuration once per test
session (module fixtures); each override test evaluates it once more per seed.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import _jsonnet
import pytest
import yaml

from conftest import GENERATED
from obsgen.artifacts.write import dashboard_bytes, rule_file_data
from obsgen.compile.dashboards import compile_dashboards
from obsgen.compile.rules import compile_rules
from obsgen.compile.slo_rules import compile_slo_rules
from obsgen.export import Compiled, export_files
from obsgen.export.mixin import check_keys
from obsgen.model import Alert, System, units
from obsgen.model.texts import placeholders
from obsgen.model.units import Quantity, Unit

SYSTEMS = ["bondx", "dex", "surveillance", "trading-engine", "trading-stack"]
FIELDS = "{prometheusAlerts: m.prometheusAlerts, prometheusRules: m.prometheusRules, grafanaDashboards: m.grafanaDashboards}"


def _numbers(value):
    """JSON numbers as values: jsonnet has one number type, so 1.0 and 1 are one number."""
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _canonical(value) -> str:
    """The one serialisation both sides go through: JSON with sorted keys, whole numbers as integers."""
    return json.dumps(_numbers(value), sort_keys=True, ensure_ascii=False)


def _evaluate(folder: Path, override: str = "{}") -> dict:
    """The mixin's rules and dashboards, as {'groups': {name: group}, 'dashboards': {file: json}}."""
    snippet = f"local m = (import 'mixin.libsonnet') + {override}; {FIELDS}"
    evaluated = json.loads(_jsonnet.evaluate_snippet("override.jsonnet", snippet, jpathdir=[str(folder)]))
    groups = evaluated["prometheusAlerts"]["groups"] + evaluated["prometheusRules"]["groups"]
    return {"groups": {g["name"]: g for g in groups}, "dashboards": evaluated["grafanaDashboards"]}


def _compiled(system: System, origin: str) -> dict:
    """What obsgen compiles from a system, in the same shape as _evaluate."""
    rule_files = [f for _, f in compile_rules(system)] + list(compile_slo_rules(system).values())
    groups = {g["name"]: g for f in rule_files for g in rule_file_data(f)["groups"]}
    dashboards = {f"{d.uid}.json": json.loads(dashboard_bytes(d, origin)) for d in compile_dashboards(system)}
    return {"groups": groups, "dashboards": dashboards}


def _differing(expected: dict, got: dict) -> list[str]:
    """Rule groups and dashboards that differ (the assertion message)."""
    return [f"group {name}" for name in sorted(set(expected["groups"]) | set(got["groups"]))
            if _canonical(expected["groups"].get(name)) != _canonical(got["groups"].get(name))] + [
        f"dashboard {name}" for name in sorted(set(expected["dashboards"]) | set(got["dashboards"]))
        if _canonical(expected["dashboards"].get(name)) != _canonical(got["dashboards"].get(name))]


@pytest.fixture(scope="module")
def mixins(systems, tmp_path_factory):
    """Each seed system's mixin, written out as `obsgen export --target mixin` writes it,
    and evaluated once with its default configuration: name -> (loaded, folder, evaluated)."""
    out = {}
    for loaded in systems:
        folder = tmp_path_factory.mktemp(f"mixin-{loaded.system.name}")
        for path, data in export_files(Compiled(loaded), "mixin").items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
        out[loaded.system.name] = (loaded, folder, _evaluate(folder))
    return out


@pytest.mark.parametrize("name", SYSTEMS)
def test_the_default_configuration_reproduces_generated(mixins, name):
    _, _, evaluated = mixins[name]
    groups = {g["name"]: g for path in sorted((GENERATED / name / "rules").glob("*.yml")) for g in yaml.safe_load(path.read_text())["groups"]}
    dashboards = {p.name: json.loads(p.read_text()) for p in (GENERATED / name / "dashboards").glob("*.json")}
    assert not _differing({"groups": groups, "dashboards": dashboards}, evaluated)


# -- what an override changes -------------------------------------------------------------------


def _substituted(value: Any, old: Any, new: Any, seen: dict[int, Any] | None = None) -> Any:
    """value with every occurrence of old (a definition object) replaced by new, wherever it
    is referred to (a service's alerts, a check, an inhibition, an SLO's service...)."""
    seen = {} if seen is None else seen
    if value is old or (type(value) is type(old) and value == old):
        return new
    if id(value) in seen:
        return seen[id(value)]
    result = value
    if isinstance(value, tuple):
        items = tuple(_substituted(v, old, new, seen) for v in value)
        result = items if any(a is not b for a, b in zip(items, value)) else value
    elif is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _substituted(getattr(value, f.name), old, new, seen) for f in fields(value) if f.init}
        if any(changes[k] is not getattr(value, k) for k in changes):
            result = replace(value, **changes)
    seen[id(value)] = result
    return result


def _changes(before: dict, after: dict) -> set[tuple]:
    """Where two evaluations differ: (alert, severity, field) per rule field or annotation,
    (dashboard, panel id, field) per panel field, (dashboard, field) elsewhere."""
    found: set[tuple] = set()
    for name, group in before["groups"].items():
        for old, new in zip(group["rules"], after["groups"][name]["rules"]):
            who = (old.get("alert") or old["record"], old.get("labels", {}).get("severity"))
            for key in old.keys() | new.keys():
                if key == "annotations":
                    found |= {(*who, f"annotations.{a}") for a in old[key] if old[key][a] != new[key].get(a)}
                elif _canonical(old.get(key)) != _canonical(new.get(key)):
                    found.add((*who, key))
    for file, dashboard in before["dashboards"].items():
        other = after["dashboards"][file]
        for key in dashboard.keys() | other.keys():
            if key != "panels" and _canonical(dashboard.get(key)) != _canonical(other.get(key)):
                found.add((file, key))
        for old, new in zip(_panels(dashboard), _panels(other)):
            found |= {(file, old["id"], key) for key in old.keys() | new.keys() if key != "panels" and _canonical(old.get(key)) != _canonical(new.get(key))}
    return found


def _panels(dashboard: dict) -> list[dict]:
    return [q for p in dashboard["panels"] for q in [p, *p.get("panels", [])]]


def _panels_showing(evaluated: dict, record: str) -> set[tuple]:
    """(dashboard, panel id) of every panel that draws a recorded signal."""
    return {(file, p["id"]) for file, d in evaluated["dashboards"].items() for p in _panels(d)
            if any(t["expr"].startswith(record + "{") for t in p.get("targets", []))}


def _moved(quantity: Quantity, upward: bool) -> float:
    """A number with a fraction, in the unit it was written in, further out than the other level."""
    return quantity.value * 3 + 0.5 if upward else quantity.value * 0.25


def _alert_to_move(system: System) -> Alert:
    """The alert whose threshold the test moves: one a start-of-shift check also shows and whose
    words name a level, where there is one (the most an override reaches)."""
    checked = {c.signal.record for c in system.checklist}

    def reach(alert: Alert) -> tuple[bool, bool]:
        named = {"threshold", "warning", "critical"} & set(placeholders(alert.summary) + placeholders(alert.description or ""))
        return alert.signal.record in checked, bool(named)

    return max(system.alerts, key=reach)


@pytest.mark.parametrize("name", SYSTEMS)
def test_overriding_one_threshold_moves_its_rule_panels_and_words_only(mixins, name):
    loaded, folder, before = mixins[name]
    system = loaded.system
    alert = _alert_to_move(system)
    severity, level = alert.levels[-1]
    moved = _moved(level.threshold, alert.direction.upward)
    override = f"{{_config+:: {{alerts+: {{{alert.name}+: {{{severity}+: {{threshold: {moved!r}}}}}}}}}}}"
    after = _evaluate(folder, override)

    redefined = replace(alert, **{severity: replace(getattr(alert, severity), threshold=Quantity(moved, level.threshold.unit))})
    changed_system = _substituted(system, alert, redefined)
    expected = _compiled(changed_system, loaded.package)
    assert not _differing(expected, after), f"{name}: the mixin with {alert.name} {severity} at {moved} is not what obsgen compiles"

    # Exactly: the alert's expressions and the annotations whose words name a level (obsgen
    # says which), and the steps and threshold sentence of each panel that draws its signal.
    words = {c for c in _changes(_compiled(system, loaded.package), expected) if c[0] == alert.name and c[2].startswith("annotations.")}
    panels = _panels_showing(before, alert.signal.record)
    assert panels, f"{name}: no panel draws {alert.signal.record}"
    wanted = {(alert.name, severity, "expr")} | words | {(file, panel, key) for file, panel in panels for key in ("fieldConfig", "description")}
    assert _changes(before, after) == wanted


@pytest.mark.parametrize("name", SYSTEMS)
def test_overriding_for_and_a_check_threshold_moves_what_obsgen_moves(mixins, name):
    """`for` moves the rule's for and the words that say it ({for}); a check's own threshold
    moves its panel's steps and threshold sentence."""
    loaded, folder, before = mixins[name]
    system = loaded.system
    # Half its `for` (a longer one could break the response time its priority promises).
    alert = max((a for a in system.alerts if a.for_seconds >= 60), key=lambda a: "for" in placeholders(a.summary) + placeholders(a.description or ""))
    shorter = Quantity(alert.for_seconds // 2, units.seconds)
    keys = dict(zip(system.checklist, check_keys(system)))
    own = [c for c in system.checklist if c.alert is None and c.direction is not None and (c.warning or c.critical)]
    overrides = [f"alerts+: {{{alert.name}+: {{'for': '{alert.for_seconds // 2}s'}}}}"]
    changed_system = _substituted(system, alert, replace(alert, for_=shorter))
    if own:
        check = own[0]
        severity = "critical" if check.critical is not None else "warning"
        quantity = getattr(check, severity)
        moved = _moved(quantity, check.direction.upward)
        overrides.append(f"checks+: {{{json.dumps(keys[check])}+: {{{severity}+: {{threshold: {moved!r}}}}}}}")
        written = check.check
        changed_system = _substituted(changed_system, written, replace(written, **{severity: Quantity(moved, quantity.unit)}))
    after = _evaluate(folder, "{_config+:: {" + ", ".join(overrides) + "}}")
    expected = _compiled(changed_system, loaded.package)
    assert not _differing(expected, after), f"{name}: the mixin with overrides {overrides} is not what obsgen compiles"
    changes = _changes(before, after)
    assert {(alert.name, sev, "for") for sev, _ in alert.levels} <= changes
    if "for" in placeholders(alert.summary) + placeholders(alert.description or ""):
        assert any(c[0] == alert.name and c[2].startswith("annotations.") for c in changes)
    if own:
        assert any(c[0] == "bondx-overview.json" or c[2] == "fieldConfig" for c in changes)


def test_overriding_the_links(mixins):
    loaded, folder, _ = mixins["bondx"]
    override = "{_config+:: {runbookBaseURL: 'https://runbooks.example/', grafanaBaseURL: 'https://grafana.example'}}"
    rules = [r for g in _evaluate(folder, override)["groups"].values() for r in g["rules"] if "alert" in r and "slo" not in r["labels"]]
    assert rules and all(r["annotations"]["runbook_url"].startswith("https://runbooks.example/handbook.md#") for r in rules)
    assert all(r["annotations"]["dashboard_url"].startswith("https://grafana.example/d/") for r in rules)


def test_the_jsonnet_unit_table_is_obsgens(mixins):
    _, folder, _ = mixins["bondx"]
    table = json.loads(_jsonnet.evaluate_snippet("units", "(import 'lib/obsgen.libsonnet').units", jpathdir=[str(folder)]))
    ours = {u.name: {"symbol": u.symbol, "num": u.factor.numerator, "den": u.factor.denominator} for u in vars(units).values() if isinstance(u, Unit)}
    assert table == ours


def test_numbers_are_spelt_as_python_spells_them(mixins):
    """Thresholds in rules are Python's repr of a float; descriptions use '%g'; panel steps
    of a strict line start at the next float; `for` in words is human_duration's."""
    import math
    import random

    from obsgen.compile.thresholds import prom_number
    from obsgen.model.durations import human_duration

    _, folder, _ = mixins["bondx"]
    rng = random.Random(14)
    values = [150000.5, 150001.5, 0.1000005, 0.1, 99.9, 5 / 3600, 250, 1e-05, 1.5e-07, 123456.7, 2.5e16, -0.5, 0.0001, 0.00001234, 999999.5, 9999995, 1 / 3, 0.999, 0, -2.0, 0.5]
    values += [round(rng.uniform(0, 10 ** rng.randint(-6, 7)), rng.randint(0, 8)) for _ in range(300)]
    durations = ["30s", "1m", "5m", "90m", "1h", "1h30m", "2d", "1w", None]
    code = (f"local o = import 'lib/obsgen.libsonnet'; {{numbers: [[o.promNumber(n), o.g(n), o.nextUp(n)] for n in {json.dumps(values)}],"
            f" words: [o.words(d) for d in {json.dumps(durations)}]}}")
    spelt = json.loads(_jsonnet.evaluate_snippet("numbers", code, jpathdir=[str(folder)]))
    assert spelt["numbers"] == [[prom_number(v), f"{v:g}", math.nextafter(v, math.inf)] for v in values]
    seconds = {"30s": 30, "1m": 60, "5m": 300, "90m": 5400, "1h": 3600, "1h30m": 5400, "2d": 172800, "1w": 604800, None: 0}
    assert spelt["words"] == [human_duration(seconds[d]) for d in durations]
