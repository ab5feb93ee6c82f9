"""The generated SLO rules, tests, routing, dashboards and handbook hold what the issue asks.

promtool runs every SLO's generated tests; the expectations in those tests are checked
here against the workbook (a total outage pages within factor x budget x long window,
plus `for` and an evaluation interval; 2x tickets without paging; 0.5x and no traffic
stay silent; recovery clears within the short window); and mutated rules (another burn
factor, window, objective, no-traffic guard) must make the unchanged tests fail.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import yaml

from conftest import GENERATED, killed, tool
from obsgen.compile import slo_links
from obsgen.compile.slo_rules import alerts_file, recording_file, slo_rule_counts
from obsgen.compile.slo_tests import detection_seconds, slo_test_file
from obsgen.compile.thresholds import prom_number
from obsgen.load import load_systems
from obsgen.model.durations import prom_duration
from obsgen.model.slo import PAGE, TICKET, TimeSLI, workbook_tiers
from obsgen.verify.routing import Alertmanager

ROOT = GENERATED.parent
SYSTEMS = {s.system.name: s.system for s in load_systems(ROOT / "definitions")}
SLOS = [(name, slo) for name, system in SYSTEMS.items() for slo in system.slos]
IDS = [f"{name}/{slo.name}" for name, slo in SLOS]


def _tests(system_name: str, slo) -> dict:
    return yaml.safe_load((GENERATED / system_name / "tests" / slo_test_file(slo)).read_text())


def _find(tests: dict, words: str) -> dict:
    return next(t for t in tests["tests"] if words in t["name"])


def _at(test: dict, minute: int, alertname: str) -> list[dict]:
    return next(c["exp_alerts"] for c in test["alert_rule_test"] if c["eval_time"] == f"{minute}m" and c["alertname"] == alertname)


def test_every_seed_system_states_its_slos():
    names = {f"{n}/{s.name}": (str(s.objective), prom_duration(s.period)) for n, s in SLOS}
    for expected in ("bondx/service-uptime", "bondx/trade-success", "bondx/websocket-connections", "bondx/websocket-reconnections",
                     "bondx/provider-success", "bondx/api-latency", "dex/request-success", "trading-engine/api-availability",
                     "trading-engine/order-execution", "trading-stack/cb-freshness", "surveillance/processing-lag"):
        assert expected in names
    assert names["dex/request-success"] == ("99.99%", "30d")
    assert names["bondx/websocket-reconnections"] == ("99.5%", "30d")


# promtool checks every SLO rule file and passes every SLO's tests in `obsgen test`
# (tests/test_obsgen_test.py), once per `make test`.
@pytest.mark.parametrize("name", sorted(SYSTEMS))
def test_every_slo_has_its_rule_and_test_files(name):
    files = sorted((GENERATED / name / "rules").glob("slo-*.yml"))
    assert len(files) == sum(1 + bool(s.alert_names) for s in SYSTEMS[name].slos)
    assert all((GENERATED / name / "tests" / slo_test_file(s)).is_file() for s in SYSTEMS[name].slos)


@pytest.mark.parametrize("name, slo", SLOS, ids=IDS)
def test_generated_expectations_follow_the_workbook(name, slo):
    """What the tests expect is what the issue asks, for SLOs on the workbook's tiers."""
    if slo.burn_tiers != workbook_tiers(slo.period):
        pytest.skip("custom tiers")
    tests = _tests(name, slo)
    page = slo.burn_tiers[0]
    outage = _find(tests, "total outage")
    history = page.long_seconds // 60
    start, caught, cleared = (int(c["eval_time"][:-1]) for c in outage["alert_rule_test"])
    assert start == history and _at(outage, start, slo.alert_name) == []
    bound = detection_seconds(slo, page) + page.for_seconds + 60
    assert detection_seconds(slo, page) == pytest.approx(page.factor * float(slo.budget) * page.long_seconds)
    assert caught - history <= bound / 60
    pages = [a["exp_labels"] for a in _at(outage, caught, slo.alert_name)]
    assert {"severity": "critical", "long": prom_duration(page.long), "short": prom_duration(page.short)}.items() <= pages[0].items(), pages
    assert cleared - caught == page.short_seconds // 60 + 1
    assert not [a for a in _at(outage, cleared, slo.alert_name) if a["exp_labels"]["long"] == prom_duration(page.long)]
    double = _find(tests, "burn opens a ticket")
    assert all(a["exp_labels"]["severity"] == "warning" for c in double["alert_rule_test"] for a in c["exp_alerts"])
    assert double["alert_rule_test"][-1]["exp_alerts"], "2x never tickets"
    half = _find(tests, "burn stays silent")
    assert all("probe" in a["exp_labels"] for c in half["alert_rule_test"] for a in c["exp_alerts"])
    assert {a["exp_labels"]["probe"] for c in half["alert_rule_test"] for a in c["exp_alerts"]} == {f"{t.kind.value}-{prom_duration(t.long)}-{prom_duration(t.short)}" for t in slo.burn_tiers}
    quiet = _find(tests, "zero traffic")
    assert all(c["exp_alerts"] == [] for c in quiet["alert_rule_test"])
    assert quiet["promql_expr_test"] and all(t["exp_samples"] == [] for t in quiet["promql_expr_test"])


def _mutants(rules: dict, recording: dict, slo) -> list[tuple[str, str, dict, dict]]:
    """(what, which generated test must notice, alert rules, recording rules), mutated."""
    out = []
    page, ticket = slo.burn_tiers[0], slo.burn_tiers[-1]

    def alerts_with(tier_index: int, fn) -> dict:
        data = json.loads(json.dumps(rules))
        rule = data["groups"][0]["rules"][tier_index]
        rule["expr"] = fn(rule["expr"])
        return data

    def scale(factor):
        return lambda expr: re.sub(r"> ([0-9.e-]+)", lambda m: f"> {float(m.group(1)) * factor!r}", expr)

    out.append(("page factor x1.25", "burn stays silent", alerts_with(0, scale(1.25)), recording))
    out.append(("page factor x0.8", "burn stays silent", alerts_with(0, scale(0.8)), recording))
    out.append(("ticket factor x1.25", "burn stays silent", alerts_with(len(slo.burn_tiers) - 1, scale(1.25)), recording))
    out.append(("page long window 1h read as 6h", "total outage", alerts_with(0, lambda e: e.replace("ratio_rate1h{", "ratio_rate6h{", 1)), recording))
    changed = json.loads(json.dumps(recording))
    for rule in changed["groups"][0]["rules"]:
        rule["expr"] = rule["expr"].replace(f"vector({slo.objective_ratio!r})", "vector(0.5)")
    out.append(("objective recorded wrong", "burn stays silent", rules, changed))
    if not isinstance(slo.sli, TimeSLI):
        changed = json.loads(json.dumps(recording))
        for rule in changed["groups"][0]["rules"]:
            rule["expr"] = rule["expr"].replace(" > 0)", ")")
        out.append(("no-traffic guard dropped (NaN)", "zero traffic", rules, changed))
    assert page.kind == PAGE and ticket.kind != PAGE
    return out


# One SLO of each kind: errors/total, good/total, latency, time condition, time share.
MUTATED = ["dex/request-success", "bondx/trade-success", "trading-engine/order-execution", "trading-stack/cb-freshness", "bondx/service-uptime"]


@pytest.mark.parametrize("key", MUTATED)
def test_mutated_slo_rules_fail_the_generated_tests(key, tmp_path):
    promtool = tool("promtool")
    name, slo_name = key.split("/")
    slo = next(s for s in SYSTEMS[name].slos if s.name == slo_name)
    rules_dir = GENERATED / name / "rules"
    rules = yaml.safe_load((rules_dir / alerts_file(slo)).read_text())
    recording = yaml.safe_load((rules_dir / recording_file(slo)).read_text())
    tests = _tests(name, slo)
    runs = []
    for i, (what, words, alert_data, recording_data) in enumerate(_mutants(rules, recording, slo)):
        work = tmp_path / f"m{i}"
        (work / "rules").mkdir(parents=True)
        (work / "tests").mkdir()
        (work / "rules" / alerts_file(slo)).write_text(yaml.safe_dump(alert_data, sort_keys=False))
        (work / "rules" / recording_file(slo)).write_text(yaml.safe_dump(recording_data, sort_keys=False))
        own = {**tests, "tests": [t for t in tests["tests"] if words in t["name"]]}  # the test that must notice
        assert own["tests"], words
        (work / "tests" / "slo.test.yml").write_text(yaml.safe_dump(own, sort_keys=False))
        runs.append((what, work / "tests" / "slo.test.yml"))
    proc = subprocess.run([promtool, "test", "rules", *(str(p) for _, p in runs)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    verdicts = killed(proc.stdout)  # killed by a wrong expectation, not by a broken copy (the unmutated tests pass in `obsgen test`)
    survivors = [what for what, path in runs if verdicts.get(str(path)) is not True]
    assert not survivors, f"mutants survived: {survivors}\n{proc.stdout[-2000:]}"


@pytest.mark.parametrize("name, slo", SLOS, ids=IDS)
def test_slo_alerts_carry_the_conventions_and_link_back(name, slo):
    folder = GENERATED / name
    dashboard = json.loads((folder / "dashboards" / f"{slo_links.dashboard_uid(SYSTEMS[name])}.json").read_text())
    panels = {p["id"]: p for p in dashboard["panels"]}
    handbook = (folder / "handbook.md").read_text()
    rules = [r for g in yaml.safe_load((folder / "rules" / alerts_file(slo)).read_text())["groups"] for r in g["rules"]] if slo.alert_names else []
    assert len(rules) == len(slo.burn_tiers) + (slo.no_data_for is not None)
    for rule in rules:
        labels, notes = rule["labels"], rule["annotations"]
        assert {"severity", "priority", "system", "service", "team", "slo"} <= set(labels)
        assert labels["priority"] == (slo.page_priority if labels["severity"] == "critical" and "long" in labels else slo.ticket_priority).name
        assert set(notes) == {"summary", "description", "runbook_url", "dashboard_url"} and notes["summary"].endswith(".")
        anchor = notes["runbook_url"].split("#", 1)[1]
        assert f"\n### {slo_links.heading(slo)}\n" in handbook and anchor == f"slo-{slo.name}"
        panel = panels[int(notes["dashboard_url"].rsplit("=", 1)[1])]
        assert panel["type"] == "timeseries" and f'slo="{slo.name}"' in panel["targets"][0]["expr"]
        for tier in slo.burn_tiers if "long" in labels else ():
            if prom_duration(tier.long) == labels["long"] and prom_duration(tier.short) == labels["short"]:
                assert rule.get("for", "0s") == prom_duration(tier.for_) and rule["expr"].endswith(f" > {prom_number(slo.threshold(tier))}")


@pytest.mark.parametrize("name, slo", [(n, s) for n, s in SLOS if s.group_by and {t.kind for t in s.burn_tiers} == {PAGE, TICKET}],
                         ids=[f"{n}/{s.name}" for n, s in SLOS if s.group_by and {t.kind for t in s.burn_tiers} == {PAGE, TICKET}])
def test_a_page_silences_its_ticket_only_for_the_same_group(name, slo):
    from datetime import datetime, timezone

    am = Alertmanager.read((GENERATED / name / "alertmanager.yml").read_bytes())
    cases = yaml.safe_load((GENERATED / name / "tests" / "routing.test.yml").read_text())["cases"]
    page = next(c["labels"] for c in cases if c["alert"] == slo.alert_name and c["labels"]["severity"] == "critical")
    ticket = next(c["labels"] for c in cases if c["alert"] == slo.alert_name and c["labels"]["severity"] == "warning")
    at = datetime(2026, 1, 7, 12, 7, tzinfo=timezone.utc)  # a Wednesday noon: no mute interval
    group = {g: "one" for g in slo.group_by}
    other = {g: "two" for g in slo.group_by}
    same = am.notified([{**ticket, **group}, {**page, **group}], at)
    assert same[f"{slo.alert_name}/warning"] == [] and same[f"{slo.alert_name}/critical"]
    apart = am.notified([{**ticket, **other}, {**page, **group}], at)
    assert apart[f"{slo.alert_name}/warning"] and apart[f"{slo.alert_name}/critical"]


def test_rules_per_slo_fewer_than_sloths_17():
    counts = {f"{n}/{k}": v for n, system in SYSTEMS.items() for k, v in slo_rule_counts(system).items()}
    no_data = {f"{n}/{s.name}" for n, s in SLOS if s.no_data_for is not None}
    assert counts and all(v - (k in no_data) < 17 for k, v in counts.items()), counts


def test_every_slo_routes_like_other_alerts():
    for name, system in SYSTEMS.items():
        cases = yaml.safe_load((GENERATED / name / "tests" / "routing.test.yml").read_text())["cases"]
        routed = {(c["alert"], c["labels"]["severity"], c["labels"].get("long")) for c in cases}
        for slo in system.slos:
            for tier in slo.burn_tiers:
                assert (slo.alert_name, tier.severity, prom_duration(tier.long)) in routed
            if slo.no_data_for is not None:
                assert (slo.no_data_alert_name, "warning", None) in routed
