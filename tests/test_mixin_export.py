"""Target `mixin`: evaluated with jsonnet, the default configuration gives back generated/
(rules and dashboards), and an override moves exactly what obsgen itself moves when the
definition changes: the whole output is compared with obsgen's compilation of the changed
definition, and the set of places that changed is named.

Each seed's mixin is written once per test session and evaluated in one jsonnet run with its
default configuration and each override test's configuration (module fixture): the run parses
the mixin's files once, and evaluates each configuration on its own.
"""

from __future__ import annotations

import fcntl
import json
import os
from fractions import Fraction
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from importlib.resources import files as package_files

import _jsonnet
import pytest

from conftest import GENERATED
from obsgen.artifacts.write import dashboard_bytes, rule_file_data
from obsgen.compile.dashboards import compile_dashboards
from obsgen.compile.rules import alert_rules, compile_rules
from obsgen.compile.slo_rules import compile_slo_rules
from obsgen.export import Compiled, export_files
from obsgen.export.mixin import check_keys
from obsgen.export.mixin_proof import Evaluated, canonical, differences, evaluate, evaluate_each, generated_output
from obsgen.export.mixin_slo import tier_key
from obsgen.model import Alert, System, units
from obsgen.model.raw import RawAlert, RawRecording
from obsgen.model.slo import PAGE, SLO
from obsgen.model.texts import placeholders
from obsgen.model.units import Quantity, Unit

SYSTEMS = ["bondx", "dex", "surveillance", "trading-engine", "trading-stack"]


def _compiled(system: System, origin: str) -> Evaluated:
    """What obsgen compiles from a system, shaped as a mixin's output."""
    rule_files = [f for _, f in compile_rules(system)] + list(compile_slo_rules(system).values())
    groups = {g["name"]: g for f in rule_files for g in rule_file_data(f)["groups"]}
    return Evaluated(groups, {f"{d.uid}.json": json.loads(dashboard_bytes(d, origin)) for d in compile_dashboards(system)})


class Mixins:
    """Each seed system's mixin, written out as `obsgen export --target mixin` writes it and
    evaluated, on first use, with its default configuration and the override of each test
    below: name -> (loaded, folder, {configuration: evaluated}), configurations as CONFIGURATIONS.

    Once per test session: under xdist the workers share the folder (a lock each), so the
    second worker that needs a seed reads the first one's evaluations.
    """

    def __init__(self, systems, root: Path):
        self.systems = {loaded.system.name: loaded for loaded in systems}
        self.root = root
        self.memo: dict[str, tuple] = {}

    def __getitem__(self, name: str) -> tuple:
        if name not in self.memo:
            loaded, folder = self.systems[name], self.root / f"mixin-{name}"
            done = folder / "evaluated.json"
            with open(self.root / f"mixin-{name}.lock", "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not done.exists():
                    for path, data in export_files(Compiled(loaded), "mixin").items():
                        (folder / path).parent.mkdir(parents=True, exist_ok=True)
                        (folder / path).write_bytes(data)
                    system = loaded.system
                    overrides = ["{}", _threshold_change(system).override, _for_check_and_slo_change(system).override]
                    evaluated = {c: vars(e) for c, e in zip(CONFIGURATIONS, evaluate_each(folder, overrides))}
                    (folder / "evaluated.tmp").write_text(json.dumps(evaluated))
                    (folder / "evaluated.tmp").rename(done)
            self.memo[name] = (loaded, folder, {c: Evaluated(**e) for c, e in json.loads(done.read_text()).items()})
        return self.memo[name]


CONFIGURATIONS = ("default", "threshold", "for-check-slo")


@pytest.fixture(scope="module")
def mixins(systems, tmp_path_factory) -> Mixins:
    base = tmp_path_factory.getbasetemp()
    return Mixins(systems, base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base)


@pytest.mark.parametrize("name", SYSTEMS)
def test_the_default_configuration_reproduces_generated(mixins, name):
    _, _, evaluated = mixins[name]
    assert not differences(generated_output(GENERATED / name), evaluated["default"])


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


def _changes(before: Evaluated, after: Evaluated) -> set[tuple]:
    """Where two evaluations differ: (alert, severity, field) per rule field or annotation,
    (dashboard, panel id, field) per panel field, (dashboard, field) elsewhere."""
    found: set[tuple] = set()
    for name, group in before.groups.items():
        for old, new in zip(group["rules"], after.groups[name]["rules"]):
            who = (old.get("alert") or old["record"], old.get("labels", {}).get("severity"))
            for key in old.keys() | new.keys():
                if key == "annotations":
                    found |= {(*who, f"annotations.{a}") for a in old[key] if old[key][a] != new[key].get(a)}
                elif canonical(old.get(key)) != canonical(new.get(key)):
                    found.add((*who, key))
    for file, dashboard in before.dashboards.items():
        other = after.dashboards[file]
        for key in dashboard.keys() | other.keys():
            if key != "panels" and canonical(dashboard.get(key)) != canonical(other.get(key)):
                found.add((file, key))
        for old, new in zip(_panels(dashboard), _panels(other)):
            found |= {(file, old["id"], key) for key in old.keys() | new.keys() if key != "panels" and canonical(old.get(key)) != canonical(new.get(key))}
    return found


def _panels(dashboard: dict) -> list[dict]:
    return [q for p in dashboard["panels"] for q in [p, *p.get("panels", [])]]


def _panels_showing(evaluated: Evaluated, record: str) -> set[tuple]:
    """(dashboard, panel id) of every panel that draws a recorded signal."""
    return {(file, p["id"]) for file, d in evaluated.dashboards.items() for p in _panels(d)
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


@dataclass(frozen=True)
class ThresholdChange:
    override: str  # the jsonnet the mixin is evaluated with
    alert: Alert
    severity: str
    moved: float
    redefined: Alert  # the alert with that threshold, for obsgen to compile


def _threshold_change(system: System) -> ThresholdChange:
    """The last level of the alert to move, further out, by the mixin's configuration and as a definition."""
    alert = _alert_to_move(system)
    severity, level = alert.levels[-1]
    moved = _moved(level.threshold, alert.direction.upward)
    override = f"{{_config+:: {{alerts+: {{{alert.name}+: {{{severity}+: {{threshold: {moved!r}}}}}}}}}}}"
    redefined = replace(alert, **{severity: replace(getattr(alert, severity), threshold=Quantity(moved, level.threshold.unit))})
    return ThresholdChange(override, alert, severity, moved, redefined)


@pytest.mark.parametrize("name", SYSTEMS)
def test_overriding_one_threshold_moves_its_rule_panels_and_words_only(mixins, name):
    loaded, _, evaluated = mixins[name]
    before, after = evaluated["default"], evaluated["threshold"]
    system = loaded.system
    change = _threshold_change(system)
    alert, severity, moved, redefined = change.alert, change.severity, change.moved, change.redefined
    changed_system = _substituted(system, alert, redefined)
    expected = _compiled(changed_system, loaded.package)
    assert not differences(expected, after), f"{name}: the mixin with {alert.name} {severity} at {moved} is not what obsgen compiles"

    # Exactly: the alert's expressions and the annotations whose words name a level (obsgen
    # says which), and the steps and threshold sentence of each panel that draws its signal.
    service = next(s for s in system.services if alert in s.alerts)
    old_rules, new_rules = alert_rules(system, service, alert), alert_rules(changed_system, service, redefined)
    words = {(alert.name, a.labels["severity"], f"annotations.{key}") for a, b in zip(old_rules, new_rules) for key in a.annotations
             if a.annotations[key] != b.annotations[key]}
    panels = _panels_showing(before, alert.signal.record)
    assert panels, f"{name}: no panel draws {alert.signal.record}"
    wanted = {(alert.name, severity, "expr")} | words | {(file, panel, key) for file, panel in panels for key in ("fieldConfig", "description")}
    assert _changes(before, after) == wanted


def _slo_to_move(system: System) -> SLO | None:
    """The SLO whose objective and fastest page factor the test moves: the first with a page tier."""
    return next((slo for slo in system.slos if any(t.kind is PAGE for t in slo.burn_tiers)), None)


@dataclass(frozen=True)
class ForCheckAndSLOChange:
    override: str  # the jsonnet the mixin is evaluated with
    changed_system: System  # the same changes as definitions, for obsgen to compile
    alert: Alert  # whose `for` is halved
    own: list  # the checks with thresholds of their own (the first is moved)
    slo: SLO | None  # the SLO moved


def _for_check_and_slo_change(system: System) -> ForCheckAndSLOChange:
    """An alert's `for` halved, a check's own threshold and an SLO's objective and fastest page
    tier moved: by the mixin's configuration and as definitions."""
    changed_system = system
    # Half its `for` (a longer one could break the response time its priority promises).
    alert = max((a for a in system.alerts if a.for_seconds >= 60), key=lambda a: "for" in placeholders(a.summary) + placeholders(a.description or ""))
    overrides = [f"alerts+: {{{alert.name}+: {{'for': '{alert.for_seconds // 2}s'}}}}"]

    keys = dict(zip(system.checklist, check_keys(system)))
    own = [c for c in system.checklist if c.alert is None and c.direction is not None and (c.warning or c.critical)]
    if own:
        check = own[0]
        severity = "critical" if check.critical is not None else "warning"
        quantity = getattr(check, severity)
        moved = _moved(quantity, check.direction.upward)
        overrides.append(f"checks+: {{{json.dumps(keys[check])}+: {{{severity}+: {{threshold: {moved!r}}}}}}}")
        changed_system = _substituted(changed_system, check.check, replace(check.check, **{severity: Quantity(moved, quantity.unit)}))

    slo = _slo_to_move(system)
    if slo is not None:
        # Half again the budget (99.9% -> 99.85%), and the fastest page tier a quarter faster.
        objective = Quantity(float((1 - slo.budget * Fraction(3, 2)) / slo.objective.unit.factor), slo.objective.unit)
        tier = min((t for t in slo.burn_tiers if t.kind is PAGE), key=lambda t: t.long_seconds)
        factor = tier.factor * 1.25
        overrides.append(f"slos+: {{{json.dumps(slo.name)}+: {{objective+: {{threshold: {objective.value!r}}}, tiers+: {{{json.dumps(tier_key(tier))}: {factor!r}}}}}}}")
        tiers = tuple(replace(t, factor=factor) if t is tier else t for t in slo.burn_tiers)
        changed_system = _substituted(changed_system, slo, replace(slo, objective=objective, tiers=tiers))
    # Last: replacing the alert rebuilds what holds it (its service, so the SLOs of that service).
    changed_system = _substituted(changed_system, alert, replace(alert, for_=Quantity(alert.for_seconds // 2, units.seconds)))
    return ForCheckAndSLOChange("{_config+:: {" + ", ".join(overrides) + "}}", changed_system, alert, own, slo)


@pytest.mark.parametrize("name", SYSTEMS)
def test_overriding_for_a_check_and_an_slo_moves_what_obsgen_moves(mixins, name):
    """Together, each in a place of its own: `for` moves the rule's for and the words that
    say it ({for}); a check's own threshold moves its panel's steps and threshold sentence; an
    SLO's objective and a tier's factor move that SLO's rules, words and panels."""
    loaded, _, evaluated = mixins[name]
    before, after = evaluated["default"], evaluated["for-check-slo"]
    change = _for_check_and_slo_change(loaded.system)
    alert, own, slo, overrides = change.alert, change.own, change.slo, change.override
    expected = _compiled(change.changed_system, loaded.package)
    assert not differences(expected, after), f"{name}: the mixin with overrides {overrides} is not what obsgen compiles"
    changes = _changes(before, after)
    assert {(alert.name, sev, "for") for sev, _ in alert.levels} <= changes
    if "for" in placeholders(alert.summary) + placeholders(alert.description or ""):
        assert any(c[0] == alert.name and c[2].startswith("annotations.") for c in changes)
    if own:
        overview = next(f for f in before.dashboards if f.endswith("-overview.json"))
        assert any(c[0] == overview and c[2] == "fieldConfig" for c in changes)
    if slo is not None:
        # The SLO's burn alerts, its objective record, and its row of the SLO dashboard.
        assert {(slo.alert_name, "critical", "expr"), ("slo:objective:ratio", None, "expr")} <= changes
        assert any(c[0].endswith("-slos.json") for c in changes)
    # Nothing but those: the alert's rule groups, the SLO's, the overview's check panels and the SLO dashboard.
    moved_groups = {g for g in before.groups if canonical(before.groups[g]) != canonical(after.groups[g])}
    alert_groups = {g for g, group in before.groups.items() if any(r.get("alert") == alert.name for r in group["rules"])}
    assert all(g in alert_groups or (slo is not None and g.startswith(f"slo-{slo.name}")) for g in moved_groups), moved_groups
    moved_dashboards = {f for f in before.dashboards if canonical(before.dashboards[f]) != canonical(after.dashboards[f])}
    check_panels = {f for f, _ in _panels_showing(before, own[0].signal.record)} if own else set()
    assert all(f in check_panels or f.endswith("-slos.json") for f in moved_dashboards), moved_dashboards


def test_overriding_the_links(mixins):
    loaded, folder, _ = mixins["bondx"]
    override = "{_config+:: {runbookBaseURL: 'https://runbooks.example/', grafanaBaseURL: 'https://grafana.example'}}"
    alerts = json.loads(_jsonnet.evaluate_snippet("links", f"((import 'mixin.libsonnet') + {override}).prometheusAlerts", jpathdir=[str(folder)]))
    rules = [r for g in alerts["groups"] for r in g["rules"] if "slo" not in r["labels"]]
    assert rules and all(r["annotations"]["runbook_url"].startswith("https://runbooks.example/handbook.md#") for r in rules)
    assert all(r["annotations"]["dashboard_url"].startswith("https://grafana.example/d/") for r in rules)


def _library(code: str) -> object:
    """code evaluated with `o` the exported lib/obsgen.libsonnet."""
    lib = package_files("obsgen.export").joinpath("lib/obsgen.libsonnet").read_text()
    return json.loads(_jsonnet.evaluate_snippet("library", f"local o = (\n{lib}\n); {code}"))


def test_the_jsonnet_unit_table_is_obsgens():
    ours = {u.name: {"symbol": u.symbol, "num": u.factor.numerator, "den": u.factor.denominator} for u in vars(units).values() if isinstance(u, Unit)}
    assert _library("o.units") == ours


def test_numbers_are_spelt_as_python_spells_them():
    """Thresholds in rules are Python's repr of a float; descriptions use '%g' ('%.4g' for SLO
    shares); panel steps of a strict line start at the next float; `for` in words is
    human_duration's."""
    import math
    import random

    from obsgen.compile.thresholds import prom_number
    from obsgen.model.durations import human_duration

    rng = random.Random(14)
    values = [150000.5, 150001.5, 0.1000005, 0.1, 99.9, 5 / 3600, 250, 1e-05, 1.5e-07, 123456.7, 2.5e16, -0.5, 0.0001, 0.00001234,
              999999.5, 9999995, 1 / 3, 0.999, 0, -2.0, 0.5, 0.30000000000000004, 9999.999999999998]
    values += [round(rng.uniform(0, 10 ** rng.randint(-6, 7)), rng.randint(0, 8)) for _ in range(120)]
    # Any double (a computed share): '%g' and the next float; their shortest spelling is not asked of jsonnet.
    doubles = [rng.uniform(-1e6, 1e6) for _ in range(30)] + [rng.uniform(0, 1e-3) for _ in range(30)]
    durations = ["30s", "1m", "5m", "90m", "1h", "1h30m", "2d", "1w", None]
    spelt = _library(f"{{numbers: [[o.promNumber(n), o.g(n), o.g(n, 4), o.nextUp(n)] for n in {json.dumps(values)}],"
                     f" doubles: [[o.g(n), o.g(n, 4), o.nextUp(n)] for n in {json.dumps(doubles)}],"
                     f" words: [o.words(d) for d in {json.dumps(durations)}]}}")
    assert spelt["numbers"] == [[prom_number(v), f"{v:g}", f"{v:.4g}", math.nextafter(v, math.inf)] for v in values]
    assert spelt["doubles"] == [[f"{v:g}", f"{v:.4g}", math.nextafter(v, math.inf)] for v in doubles]
    seconds = {"30s": 30, "1m": 60, "5m": 300, "90m": 5400, "1h": 3600, "1h30m": 5400, "2d": 172800, "1w": 604800, None: 0}
    assert spelt["words"] == [human_duration(seconds[d]) for d in durations]


# -- a committed mixin: `obsgen test` proves it --------------------------------------------------


def test_a_committed_mixin_that_is_not_the_generated_output_fails_its_proof(tmp_path):
    """generated/trading-engine commits its mixin ([tool.obsgen.export]), and `obsgen test` proves
    it (tests/test_obsgen_test.py); the proof fails, naming the file and what differs, when the
    mixin says another number or does not evaluate."""
    import shutil

    from obsgen.export.mixin_proof import MIXIN_FOLDER, prove_committed_mixin

    folder = tmp_path / "trading-engine"
    for part in ("rules", "dashboards", MIXIN_FOLDER):
        shutil.copytree(GENERATED / "trading-engine" / part, folder / part)

    config = folder / MIXIN_FOLDER / "config.libsonnet"
    text = config.read_text()
    assert "threshold: 300," in text
    config.write_text(text.replace("threshold: 300,", "threshold: 301,", 1))
    checks, mismatches = prove_committed_mixin(folder)
    assert checks == 1 and mismatches and all(m.where == str(folder / MIXIN_FOLDER / "mixin.libsonnet") for m in mismatches)
    assert any("differs" in m.what for m in mismatches)

    config.write_text(text.replace("_config+:: {", "_config+:: {{", 1))
    (mismatch,) = prove_committed_mixin(folder)[1]
    assert "does not evaluate" in mismatch.what and "config.libsonnet:" in mismatch.what


def test_the_words_of_an_alert_follow_its_for_and_both_levels(systems, tmp_path):
    """{for}, {warning}, {critical} and {threshold} in an alert's words follow _config. No seed
    writes {for}, {warning} or {critical}, so the test gives one seed alert words that do (and
    labels and a runbook of its own, and its service rules kept as written, as an imported
    system has)."""
    from obsgen.load import LoadedSystem
    from obsgen.model.durations import human_duration

    loaded, alert = next((l, a) for name in ("dex", "trading-stack", "surveillance", "trading-engine", "bondx")
                         for l in systems if l.system.name == name for a in l.system.alerts
                         if a.warning is not None and a.critical is not None and a.for_seconds >= 60)
    worded = replace(alert, summary=f"{alert.signal.description.rstrip('.')} is {{direction}} {{threshold}}.",
                     description="Now {{ $value }}: warning at {warning}, critical at {critical}, once it lasts {for}.",
                     labels={"component": "gateway"}, runbook_url="https://runbooks.example/gateway#errors")  # as an imported alert has
    system = _substituted(loaded.system, alert, worded)
    # Rules kept as written, as `obsgen import mixin` writes what it cannot model: as written in the mixin too.
    service = next(s for s in system.services if any(a.name == alert.name for a in s.alerts))
    raw = RawAlert(name="GatewayTargetAbsent", expr='absent(up{job="gateway"})', priority=worded.critical.priority,
                   why="absent() has no threshold", labels={"origin": "imported"}, annotations={"summary": "The gateway target is absent."})
    recorded = RawRecording(record="job:up:sum", expr="sum by (job) (up)", why="kept as written")
    system = _substituted(system, service, replace(service, raw_alerts=(raw,), raw_recordings=(recorded,)))
    folder = tmp_path / "mixin"
    for path, data in export_files(Compiled(LoadedSystem(system, loaded.package)), "mixin").items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)

    warning = worded.warning.threshold
    moved = float(f"{(warning.base + worded.critical.threshold.base) / 2 / float(warning.unit.factor):.6g}")  # between the levels
    shorter = Quantity(alert.for_seconds // 2, units.seconds)
    override = (f"{{_config+:: {{alerts+: {{{alert.name}+: {{'for': '{shorter.value}s', warning+: {{threshold: {moved!r}}}}}}}}}}}")
    after = evaluate(folder, override)
    changed = replace(worded, for_=shorter, warning=replace(worded.warning, threshold=Quantity(moved, warning.unit)))
    expected = _compiled(_substituted(system, worded, changed), loaded.package)
    assert not differences(expected, after)
    assert "GatewayTargetAbsent" in (folder / "alerts.libsonnet").read_text() and "job:up:sum" in (folder / "rules.libsonnet").read_text()
    rules = [r for g in after.groups.values() for r in g["rules"] if r.get("alert") == alert.name]
    assert all(human_duration(alert.for_seconds // 2) in r["annotations"]["description"] for r in rules)
    assert all(str(Quantity(moved, warning.unit)) in r["annotations"]["description"] for r in rules)
    assert all(r["labels"]["component"] == "gateway" and r["annotations"]["runbook_url"] == "https://runbooks.example/gateway#errors" for r in rules)
