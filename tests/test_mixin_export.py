"""Target `mixin`: evaluated with jsonnet, the default configuration gives back generated/
(rules and dashboards), and an override of one threshold or `for` moves exactly what
obsgen itself would move when the definition changes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import _jsonnet
import pytest
import yaml

from conftest import GENERATED
from obsgen.artifacts.write import rule_file_data
from obsgen.artifacts import RuleFile, RuleGroup
from obsgen.compile.rules import alert_rules
from obsgen.export import Compiled, export_files
from obsgen.model import units
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
    snippet = f"local m = (import 'mixin.libsonnet') + {override}; {FIELDS}"
    return json.loads(_jsonnet.evaluate_snippet("override.jsonnet", snippet, jpathdir=[str(folder)]))


@pytest.fixture(scope="module")
def mixins(systems, tmp_path_factory):
    """Each seed system's mixin, written out as `obsgen export --target mixin` writes it."""
    out = {}
    for loaded in systems:
        folder = tmp_path_factory.mktemp(f"mixin-{loaded.system.name}")
        for path, data in export_files(Compiled(loaded), "mixin").items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
        out[loaded.system.name] = (loaded, folder)
    return out


def _groups(evaluated: dict) -> dict[str, dict]:
    return {g["name"]: g for g in evaluated["prometheusAlerts"]["groups"] + evaluated["prometheusRules"]["groups"]}


@pytest.mark.parametrize("name", SYSTEMS)
def test_the_default_configuration_reproduces_generated(mixins, name):
    _, folder = mixins[name]
    evaluated = _evaluate(folder)
    groups = _groups(evaluated)
    expected_groups = {}
    for path in sorted((GENERATED / name / "rules").glob("*.yml")):
        for group in yaml.safe_load(path.read_text())["groups"]:
            expected_groups[group["name"]] = group
    assert set(groups) == set(expected_groups)
    differ = [g for g in expected_groups if _canonical(groups.get(g)) != _canonical(expected_groups[g])]
    assert not differ, f"{name}: groups differ from generated/: {differ[:5]}"
    dashboards = {p.name: json.loads(p.read_text()) for p in (GENERATED / name / "dashboards").glob("*.json")}
    assert set(evaluated["grafanaDashboards"]) == set(dashboards)
    assert all(_canonical(evaluated["grafanaDashboards"][k]) == _canonical(v) for k, v in dashboards.items())


def _first_alert(loaded):
    alert = next(a for s in loaded.system.services for a in s.alerts)
    severity, level = alert.levels[-1]
    return alert, severity, level


@pytest.mark.parametrize("name", SYSTEMS)
def test_overriding_one_threshold_moves_that_alert_only_as_obsgen_would(mixins, name):
    loaded, folder = mixins[name]
    alert, severity, level = _first_alert(loaded)
    # A number with a fraction, in the unit it was written in, further out than the other level.
    moved = level.threshold.value * 3 + 0.5 if alert.direction.upward else level.threshold.value * 0.25
    override = f"{{_config+:: {{alerts+: {{{alert.name}+: {{{severity}+: {{threshold: {moved!r}}}}}}}}}}}"
    before, after = _groups(_evaluate(folder)), _groups(_evaluate(folder, override))

    changed = [(g, i) for g in before for i, (a, b) in enumerate(zip(before[g]["rules"], after[g]["rules"])) if a != b]
    assert len(changed) == 1, f"{name}: the override changed {changed}"
    group, index = changed[0]
    old, new = before[group]["rules"][index], after[group]["rules"][index]
    assert (new["alert"], new["labels"]["severity"]) == (alert.name, severity)
    assert {k for k in old if old[k] != new[k]} == {"expr", "annotations"}
    assert {k for k in old["annotations"] if old["annotations"][k] != new["annotations"][k]} <= {"description", "summary"}  # the summary says {threshold} too
    # What obsgen compiles from a definition with that threshold is what the mixin gives.
    service = next(s for s in loaded.system.services if alert in s.alerts)
    redefined = replace(alert, **{severity: replace(getattr(alert, severity), threshold=Quantity(moved, level.threshold.unit))})
    rules = [r for r in alert_rules(loaded.system, service, redefined) if r.labels["severity"] == severity]
    expected = rule_file_data(RuleFile((RuleGroup("g", tuple(rules)),)))["groups"][0]["rules"][0]
    assert _canonical(new) == _canonical(expected)
    if alert.description is None:
        assert new["annotations"]["description"] != old["annotations"]["description"]


def test_overriding_for_and_the_links(mixins):
    loaded, folder = mixins["bondx"]
    alert, severity, _ = _first_alert(loaded)
    override = (f"{{_config+:: {{runbookBaseURL: 'https://runbooks.example/', grafanaBaseURL: 'https://grafana.example',"
                f" alerts+: {{{alert.name}+: {{'for': '17m'}}}}}}}}")
    rules = [r for g in _evaluate(folder, override)["prometheusAlerts"]["groups"] for r in g["rules"]]
    mine = [r for r in rules if r["alert"] == alert.name]
    assert mine and all(r["for"] == "17m" for r in mine)
    service_rules = [r for r in rules if "slo" not in r["labels"]]
    assert all(r["annotations"]["runbook_url"].startswith("https://runbooks.example/handbook.md#") for r in service_rules)
    assert all(r["annotations"]["dashboard_url"].startswith("https://grafana.example/d/") for r in service_rules)


def test_the_jsonnet_unit_table_is_obsgens(mixins):
    _, folder = mixins["bondx"]
    table = json.loads(_jsonnet.evaluate_snippet("units", "(import 'lib/obsgen.libsonnet').units", jpathdir=[str(folder)]))
    ours = {u.name: {"symbol": u.symbol, "num": u.factor.numerator, "den": u.factor.denominator} for u in vars(units).values() if isinstance(u, Unit)}
    assert table == ours


def test_numbers_are_spelt_as_python_spells_them(mixins):
    """Thresholds in rules are Python's repr of a float; descriptions use '%g'."""
    _, folder = mixins["bondx"]
    values = [0.1, 99.9, 5 / 3600, 250, 1e-05, 1.5e-07, 123456.7, 2.5e16, -0.5, 0.0001, 0.00001234, 999999.5, 9999995, 1 / 3, 0.999]
    code = f"local o = import 'lib/obsgen.libsonnet'; [[o.promNumber(n), o.g(n)] for n in {json.dumps(values)}]"
    spelt = json.loads(_jsonnet.evaluate_snippet("numbers", code, jpathdir=[str(folder)]))
    from obsgen.compile.thresholds import prom_number

    assert spelt == [[prom_number(v), f"{v:g}"] for v in values]
