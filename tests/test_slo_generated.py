"""The generated SLO rules, tests, routing, dashboards and handbook hold what the issue asks.

promtool runs every SLO's generated tests; the expectations in those tests are checked
here against the workbook (a total outage pages within factor x budget x long window and
one evaluation, after a clean history short enough to be cheap and long enough that it
pages when it would after a full one, not a minute before; a burn at exactly a factor pages when the long window is full; a scrape
gap does not end the page; 2x tickets without paging; 0.5x and no traffic stay silent;
recovery clears within the short window; a missing series is named, not burned); and
mutated rules (another factor, window, comparison, veto, label, objective, no-traffic
guard, missing-series test) must make the unchanged tests fail.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
from unittest import mock

import pytest

from conftest import FIXTURES, GENERATED, killed, load_yaml, tool
from obsgen.compile import slo_links, slo_rules, slo_simulation, slo_tests
from obsgen.compile.slo_rules import BASE_WINDOW, HOUR, alerts_file, error_ratio, recording_file, slo_rule_counts, windows
from obsgen.compile.slo_tests import detection_seconds, slo_test_file
from obsgen.compile.thresholds import prom_number
from obsgen import promql
from obsgen.load import load_systems
from obsgen.model.durations import parse_duration, prom_duration
from obsgen.model.slo import PAGE, TICKET, LatencySLI, RatioSLI, TimeSLI, workbook_tiers
from obsgen.verify.routing import Alertmanager
from obsgen.verify.tools import rule_test_env

ROOT = GENERATED.parent
SYSTEMS = {s.system.name: s.system for s in load_systems(ROOT / "definitions")}
SLOS = [(name, slo) for name, system in SYSTEMS.items() for slo in system.slos]
IDS = [f"{name}/{slo.name}" for name, slo in SLOS]
PROMTOOL_MAX_SAMPLES = 10_000  # promtool test rules' query limit (samples loaded at once)


def _tests(folder, slo) -> dict:
    return load_yaml((folder / "tests" / slo_test_file(slo)).read_text())


def _find(tests: dict, words: str) -> dict:
    return next(t for t in tests["tests"] if words in t["name"])


def _at(test: dict, minute: int, alertname: str) -> list[dict]:
    return next(c["exp_alerts"] for c in test["alert_rule_test"] if c["eval_time"] == f"{minute}m" and c["alertname"] == alertname)


def _minutes(test: dict) -> list[int]:
    return sorted({int(c["eval_time"][:-1]) for c in test["alert_rule_test"]})


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


def test_the_example_slos_generated_tests_pass(example_project):
    """28 days, custom and no tiers, a latency bucket and a metric of its own that can go missing, traffic that stops."""
    folder = example_project / "generated" / "example"
    system = next(s.system for s in load_systems(example_project / "definitions"))
    kinds = {type(s.sli).__name__ for s in system.slos}
    assert {"RatioSLI", "LatencySLI", "TimeSLI"} <= kinds and any(s.no_traffic_for for s in system.slos)
    assert any(s.period_seconds != 30 * 86400 for s in system.slos) and any(s.can_miss_a_series and not s.burn_tiers for s in system.slos)
    files = [slo_test_file(s) for s in system.slos]
    proc = subprocess.run([tool("promtool"), "test", "rules", *files], cwd=folder / "tests", capture_output=True, text=True, env=rule_test_env())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for slo in system.slos:
        names = {t["name"] for t in _tests(folder, slo)["tests"]}
        if slo.no_traffic_for:
            assert any(slo.no_traffic_alert_name in n for n in names), names
        if slo.can_miss_a_series:
            assert any(slo.missing_alert_name in n for n in names), names


EXAMPLE_SLOS = [slo for loaded in load_systems(FIXTURES / "good") for slo in loaded.system.slos]


@pytest.mark.parametrize("slo", [s for _, s in SLOS] + EXAMPLE_SLOS, ids=IDS + [f"example/{s.name}" for s in EXAMPLE_SLOS])
def test_the_outage_pages_when_it_would_after_a_full_history(slo):
    """The outage test feeds just enough clean history: the model, given every window of the
    page full of clean traffic instead, pages at the same minute of the outage (custom tiers too)."""
    if not slo.burn_tiers:
        pytest.skip("no burn-rate tiers: no outage test")
    outage = slo_tests.outage_scenarios(slo)[0]
    start = outage.checks[0]
    assert outage.bad[:start] == (slo_tests.CLEAN,) * start and outage.bad[start] == slo_tests.OUTAGE
    kind = PAGE if any(t.kind is PAGE for t in slo.burn_tiers) else slo.burn_tiers[0].kind
    full = max(t.long_seconds for t in slo.burn_tiers if t.kind is kind) // 60
    assert start <= full

    def first_page(bad: tuple[float, ...], history: int) -> int:
        """Minutes from the outage's start to the first page, as the model evaluates the rules."""
        length = len(bad) + 1
        data = slo_tests.model_input(slo, slo_tests.Scenario("probe", bad, ()))
        values = slo_simulation.firing(slo, slo_simulation.evaluate(slo, data, length), length)[kind]
        return next(k for k in range(history, length) if values[k] is not None) - history

    paged = first_page(outage.bad, start)
    assert {start + paged - 1, start + paged} <= set(outage.checks), "the test does not check the page's minute and the one before"
    assert first_page((slo_tests.CLEAN,) * full + (slo_tests.OUTAGE,) * (paged + 1), full) == paged


@pytest.mark.parametrize("name, slo", SLOS, ids=IDS)
def test_generated_expectations_follow_the_workbook(name, slo):
    """What the tests expect is what the issue asks, for SLOs on the workbook's tiers."""
    if slo.burn_tiers != workbook_tiers(slo.period):
        pytest.skip("custom tiers")
    tests = _tests(GENERATED / name, slo)
    page = slo.burn_tiers[0]
    outage = _find(tests, "total outage")
    start, *later = _minutes(outage)
    caught = next(m for m in later if [a for a in _at(outage, m, slo.alert_name) if a["exp_labels"]["severity"] == "critical"])
    assert caught - 1 in [start, *later] and not [a for a in _at(outage, caught - 1, slo.alert_name) if a["exp_labels"]["severity"] == "critical"]
    history = outage["input_series"][0]["values"]
    assert start >= page.long_seconds // 60, f"the clean history ({history}) does not fill the fastest tier's window"
    cleared = caught + max(t.short_seconds for t in slo.burn_tiers if t.kind is PAGE) // 60 + 1
    assert _at(outage, start, slo.alert_name) == [] and cleared in later
    # the page comes at the workbook's detection time, as after a full history in production:
    # a slower tier's window the shortened history fills less must not page first
    assert caught - start == math.ceil(detection_seconds(slo, page) / 60)
    if str(slo.objective) == "99.9%":
        assert caught - start <= 2, "a total outage at 99.9% pages within 2 minutes"
    pages = [a["exp_labels"] for a in _at(outage, caught, slo.alert_name) if a["exp_labels"]["severity"] == "critical"]
    assert len(pages) == 1 and pages[0]["priority"] == slo.page_priority.name and "long" not in pages[0], pages
    assert not [a for a in _at(outage, cleared, slo.alert_name) if a["exp_labels"]["severity"] == "critical"]
    gap = _find(tests, "scrape gap")
    assert all(any(a["exp_labels"]["severity"] == "critical" for a in c["exp_alerts"]) for c in gap["alert_rule_test"]), "the gap ended the page"
    gaps = [s for s in gap["input_series"] if "stale" in s["values"]]
    assert gaps, "the gap scenario has no gap"
    if not isinstance(slo.sli, TimeSLI):
        exact = _find(tests, "at exactly")
        before, full = _minutes(exact)
        assert full - before == 1
        assert not [a for a in _at(exact, before, slo.alert_name) if a["exp_labels"]["severity"] == "critical"]
        assert [a for a in _at(exact, full, slo.alert_name) if a["exp_labels"]["severity"] == "critical"]
    if not isinstance(slo.sli, TimeSLI):
        stops = _find(tests, "traffic that stops during an outage")
        paged, *_, ended = _minutes(stops)
        assert [a for a in _at(stops, paged, slo.alert_name) if a["exp_labels"]["severity"] == "critical"], "the outage never paged"
        assert not [a for a in _at(stops, ended, slo.alert_name) if a["exp_labels"]["severity"] == "critical"], "stopped traffic kept the page"
    double = _find(tests, "burn opens a ticket")
    assert all(a["exp_labels"]["severity"] == "warning" for c in double["alert_rule_test"] for a in c["exp_alerts"])
    assert double["alert_rule_test"][-1]["exp_alerts"], "2x never tickets"
    half = _find(tests, "burn stays silent")
    assert all(c["exp_alerts"] == [] for c in half["alert_rule_test"])
    probed = _find(tests, "probed at its threshold")
    assert probed["alert_rule_test"] and all(', probe="' in s["series"] for s in probed["input_series"]), "the probes run alone"
    assert {a["exp_labels"]["probe"] for c in probed["alert_rule_test"] for a in c["exp_alerts"]} == {f"{t.kind.value}-{prom_duration(t.long)}-{prom_duration(t.short)}" for t in slo.burn_tiers}
    quiet = _find(tests, "zero traffic")
    assert all(c["exp_alerts"] == [] for c in quiet["alert_rule_test"])
    assert quiet["promql_expr_test"] and all(t["exp_samples"] == [] for t in quiet["promql_expr_test"])
    if slo.can_miss_a_series:
        gone = _find(tests, slo.missing_alert_name)
        assert all(_at(gone, m, slo.missing_alert_name) and not _at(gone, m, slo.alert_name) for m in _minutes(gone))


@pytest.mark.parametrize("name, slo", SLOS, ids=IDS)
def test_slo_rules_stay_within_promtools_sample_limit(name, slo):
    """Every range a rule reads holds at most 10,000 points at one a minute, whatever the test's length."""
    files = [GENERATED / name / "rules" / recording_file(slo)] + ([GENERATED / name / "rules" / alerts_file(slo)] if slo.alert_names else [])
    for path in files:
        for group in load_yaml(path.read_text())["groups"]:
            for rule in group["rules"]:
                for points in _points(promql.parse(rule["expr"])):
                    assert points <= PROMTOOL_MAX_SAMPLES, (rule.get("record") or rule["alert"], points)


def _points(tree):
    """Points each range reads: a range of raw or recorded samples (one a minute here), or a subquery's steps."""
    for node, _ in promql.walk(tree):
        if isinstance(node, promql.Selector) and node.range:
            yield node.range / 60 + 1
        if isinstance(node, promql.Subquery):
            yield node.range / (node.step or 60) + 1


@pytest.mark.parametrize("name, slo", SLOS, ids=IDS)
def test_each_window_covers_exactly_its_span(name, slo):
    """5m and 1h from the raw series; every other window sums the 5m rates over itself less 5m."""
    rules = {r["record"]: r["expr"] for g in load_yaml((GENERATED / name / "rules" / recording_file(slo)).read_text())["groups"]
             for r in g["rules"]}
    timed = isinstance(slo.sli, TimeSLI)
    for seconds in windows(slo):
        expr = rules[error_ratio(seconds)]
        spans = set(re.findall(r"\[(\w+)\]", expr))
        if timed:
            assert {parse_duration(s) for s in spans} == {seconds - 60}, expr
        elif seconds in (BASE_WINDOW, HOUR):
            assert not spans, expr
        else:
            assert {parse_duration(s) for s in spans} == {seconds - BASE_WINDOW}, expr


def _mutants(system, rules: dict, recording: dict, slo) -> list[tuple[str, str, dict, dict]]:
    """(what, which generated test must notice, alert rules, recording rules), mutated.

    Each mutant runs against the cheapest test that must notice it (promtool evaluates every
    rule at every minute of a test: the 10-minute probes, not the 7-hour outage)."""
    out = []
    severity = {r["labels"]["severity"]: i for i, r in enumerate(rules["groups"][0]["rules"]) if r["alert"] == slo.alert_name}

    def alerts_with(which: str, fn, field: str = "expr") -> dict:
        data = json.loads(json.dumps(rules))
        rule = data["groups"][0]["rules"][severity[which]]
        rule[field] = fn(rule[field])
        return data

    def condition(build) -> dict:
        """The page's tiers compiled with another condition (long, short, threshold, short window's events)."""
        def tier_condition(system, slo, tier):
            limit = prom_number(slo_rules.threshold(slo, tier))
            window = lambda seconds: slo_rules.series(system, slo, error_ratio(seconds))  # noqa: E731
            return build(window(tier.long_seconds), window(tier.short_seconds), limit, slo_rules.events_over(system, slo, tier.short_seconds))
        with mock.patch.object(slo_rules, "tier_condition", tier_condition):
            expr = next(r.expr for r in slo_rules.alert_rules(system, slo) if r.labels["severity"] == "critical" and r.alert == slo.alert_name)
        return alerts_with("critical", lambda _: expr)

    def scale(factor):
        return lambda expr: re.sub(r"(>=|<) ([0-9.e-]+)", lambda m: f"{m.group(1)} {float(m.group(2)) * factor!r}", expr)

    def recorded_with(fn) -> dict:
        data = json.loads(json.dumps(recording))
        for group in data["groups"]:
            for rule in group["rules"]:
                rule["expr"] = fn(rule["expr"], rule["record"])
        return data

    out.append(("page thresholds x1.25", "probed at its threshold", alerts_with("critical", scale(1.25)), recording))
    out.append(("page thresholds x0.8", "probed at its threshold", alerts_with("critical", scale(0.8)), recording))
    if "warning" in severity:  # the trading stack's CB staleness pages at every tier, as its runbook says: no ticket
        out.append(("ticket thresholds x1.25", "probed at its threshold", alerts_with("warning", scale(1.25)), recording))
    out.append(("page fires strictly above the threshold", "probed at its threshold", alerts_with("critical", lambda e: e.replace(">=", ">")), recording))
    out.append(("page's short window vetoes no more", "probed at its threshold", condition(lambda long, short, limit, events: f"({long} >= {limit})"), recording))
    out.append(("page needs its short window (no gap tolerance)", "probed at its threshold",
                condition(lambda long, short, limit, events: f"({long} >= {limit} and {short} >= {limit})"), recording))
    if not isinstance(slo.sli, TimeSLI):
        out.append(("a page outlives the traffic", "traffic that stops",
                    condition(lambda long, short, limit, events: f"({long} >= {limit} unless {short} < {limit})"), recording))
    out.append(("page long window 1h read as 6h", "probed at its threshold", alerts_with("critical", lambda e: e.replace("ratio_rate1h{", "ratio_rate6h{", 1)), recording))
    out.append(("page priority changed", "probed at its threshold", alerts_with("critical", lambda labels: {**labels, "priority": "P9"}, "labels"), recording))
    out.append(("objective recorded wrong", "burn stays silent", rules,
                recorded_with(lambda e, r: e.replace(f"vector({slo.objective_ratio!r})", "vector(0.5)"))))
    out.append(("30m window 5 minutes longer", "traffic that stops" if not isinstance(slo.sli, TimeSLI) else "total outage", rules,
                recorded_with(lambda e, r: re.sub(r"\[(\d+)m\]", lambda m: f"[{int(m.group(1)) + 5}m]", e) if r == "slo:sli_error:ratio_rate30m" else e)))
    out.append(("budget from the 5m rates at each hour", "traffic that stops" if not isinstance(slo.sli, TimeSLI) else "total outage", rules,
                recorded_with(lambda e, r: e.replace("rate1h{", "rate5m{") if r.startswith("slo:error_budget") else e)))
    if not isinstance(slo.sli, TimeSLI):
        out.append(("no-traffic guard dropped (NaN)", "zero traffic", rules, recorded_with(lambda e, r: e.replace(" > 0)", ")"))))
        if _rounding_matters(slo):
            out.append(("ratios not rounded", "at exactly", rules, recorded_with(lambda e, r: re.sub(r"^round\((.*), 1e-12\)$", r"\1", e))))
    if isinstance(slo.sli, LatencySLI):
        missing = next(i for i, r in enumerate(rules["groups"][0]["rules"]) if r["alert"] == slo.missing_alert_name)
        data = json.loads(json.dumps(rules))
        data["groups"][0]["rules"][missing]["expr"] = data["groups"][0]["rules"][missing]["expr"].replace(" unless ", " and ")
        out.append(("missing bucket test inverted", slo.missing_alert_name, data, recording))
        out.append(("latency counts series without the bucket", slo.missing_alert_name, rules,
                    recorded_with(lambda e, r: re.sub(r" and ignoring \(le\) [^)]*\)", ")", e))))
    assert PAGE in {t.kind for t in slo.burn_tiers}
    return out


def _rounding_matters(slo) -> bool:
    """Whether the model, without round(), decides the burn at exactly a factor otherwise (else the mutant is equivalent)."""
    scenario = next(s for s in slo_tests.scenarios(slo) if "at exactly" in s.name)
    data, length = slo_tests.model_input(slo, scenario), len(scenario.bad) + 1
    rounded = slo_simulation.firing(slo, slo_simulation.evaluate(slo, data, length), length)
    with mock.patch.object(slo_simulation, "rounded", lambda value: value):  # evaluated anew, not the memoised evaluation
        raw = slo_simulation.firing(slo, slo_simulation.evaluate.__wrapped__(slo, data, length), length)
    def firing_minutes(values):
        return {kind: [v is not None for v in per_minute] for kind, per_minute in values.items()}
    return firing_minutes(raw) != firing_minutes(rounded)


def _survivors(promtool: str, tmp_path, slo, rules_dir, tests: dict, mutants) -> tuple[list[str], str]:
    runs = []
    for i, (what, words, alert_data, recording_data) in enumerate(mutants):
        work = tmp_path / f"m{i}"
        (work / "rules").mkdir(parents=True)
        (work / "tests").mkdir()
        # JSON, which is YAML as promtool reads it, is written ten times faster than YAML.
        (work / "rules" / alerts_file(slo)).write_text(json.dumps(alert_data))
        (work / "rules" / recording_file(slo)).write_text(json.dumps(recording_data))
        own = {**tests, "tests": [t for t in tests["tests"] if words in t["name"]]}  # the test that must notice
        assert own["tests"], words
        (work / "tests" / "slo.test.yml").write_text(json.dumps(own))
        runs.append((what, work / "tests" / "slo.test.yml"))
    proc = subprocess.run([promtool, "test", "rules", *(str(p) for _, p in runs)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env=rule_test_env())
    verdicts = killed(proc.stdout)  # killed by a wrong expectation, not by a broken copy (the unmutated tests pass in `obsgen test`)
    return [what for what, path in runs if verdicts.get(str(path)) is not True], proc.stdout


# One SLO of each kind: errors/total, good/total, latency, time condition, time share.
MUTATED = ["dex/request-success", "bondx/trade-success", "trading-engine/order-execution", "trading-stack/cb-freshness", "bondx/service-uptime"]


@pytest.mark.parametrize("key", MUTATED)
def test_mutated_slo_rules_fail_the_generated_tests(key, tmp_path):
    promtool = tool("promtool")
    name, slo_name = key.split("/")
    slo = next(s for s in SYSTEMS[name].slos if s.name == slo_name)
    rules_dir = GENERATED / name / "rules"
    rules = load_yaml((rules_dir / alerts_file(slo)).read_text())
    recording = load_yaml((rules_dir / recording_file(slo)).read_text())
    survivors, output = _survivors(promtool, tmp_path, slo, rules_dir, _tests(GENERATED / name, slo), _mutants(SYSTEMS[name], rules, recording, slo))
    assert not survivors, f"mutants survived: {survivors}\n{output[-2000:]}"


def test_mutated_example_alerts_fail_its_generated_tests(example_project, tmp_path):
    """The example's own cases: a missing metric of its own, traffic that stops."""
    promtool = tool("promtool")
    folder = example_project / "generated" / "example"
    system = next(s.system for s in load_systems(example_project / "definitions"))
    for slo in system.slos:
        if not (slo.no_traffic_for or (slo.can_miss_a_series and isinstance(slo.sli, RatioSLI))):
            continue
        rules = load_yaml((folder / "rules" / alerts_file(slo)).read_text())
        recording = load_yaml((folder / "rules" / recording_file(slo)).read_text())
        mutants = []
        for i, rule in enumerate(rules["groups"][0]["rules"]):
            def with_expr(fn, i=i):
                data = json.loads(json.dumps(rules))
                data["groups"][0]["rules"][i]["expr"] = fn(data["groups"][0]["rules"][i]["expr"])
                return data
            if rule["alert"] == slo.missing_alert_name:
                mutants.append((f"{rule['labels']['missing']} test inverted", slo.missing_alert_name, with_expr(lambda e: e.replace(" unless ", " and ")), recording))
            if rule["alert"] == slo.no_traffic_alert_name:
                mutants.append(("no-traffic window 5m longer", slo.no_traffic_alert_name, with_expr(lambda e: re.sub(r"\[(\d+)m\]", lambda m: f"[{int(m.group(1)) + 5}m]", e)), recording))
                mutants.append(("no-traffic on any traffic", slo.no_traffic_alert_name, with_expr(lambda e: e.replace("== 0", ">= 0")), recording))
        assert mutants, slo.name
        survivors, output = _survivors(promtool, tmp_path / slo.name, slo, folder / "rules", _tests(folder, slo), mutants)
        assert not survivors, f"{slo.name}: mutants survived: {survivors}\n{output[-2000:]}"


@pytest.mark.parametrize("name, slo", SLOS, ids=IDS)
def test_slo_alerts_carry_the_conventions_and_link_back(name, slo):
    folder = GENERATED / name
    dashboard = json.loads((folder / "dashboards" / f"{slo_links.dashboard_uid(SYSTEMS[name])}.json").read_text())
    panels = {p["id"]: p for p in dashboard["panels"]}
    handbook = (folder / "handbook.md").read_text()
    rules = [r for g in load_yaml((folder / "rules" / alerts_file(slo)).read_text())["groups"] for r in g["rules"]] if slo.alert_names else []
    kinds = {t.kind for t in slo.burn_tiers}
    assert [r["alert"] for r in rules] == [slo.alert_name] * len(kinds) + [n for n in slo.alert_names if n != slo.alert_name
                                                                          for _ in range(2 if n == slo.missing_alert_name and isinstance(slo.sli, RatioSLI) else 1)]
    for rule in rules:
        labels, notes = rule["labels"], rule["annotations"]
        assert {"severity", "priority", "system", "service", "team", "slo"} <= set(labels) and "long" not in labels
        assert "for" not in rule or rule["alert"] == slo.no_data_alert_name, "no `for` on SLO alerts: the windows say how long"
        page = labels["severity"] == "critical"
        assert labels["priority"] == (slo.page_priority if page else slo.ticket_priority).name
        assert set(notes) == {"summary", "description", "runbook_url", "dashboard_url"} and notes["summary"].endswith(".")
        anchor = notes["runbook_url"].split("#", 1)[1]
        assert f"\n### {slo_links.heading(slo)}\n" in handbook and anchor == f"slo-{slo.name}"
        panel = panels[int(notes["dashboard_url"].rsplit("=", 1)[1])]
        assert panel["type"] == "timeseries" and f'slo="{slo.name}"' in panel["targets"][0]["expr"]


@pytest.mark.parametrize("name, slo", [(n, s) for n, s in SLOS if s.group_by and {t.kind for t in s.burn_tiers} == {PAGE, TICKET}],
                         ids=[f"{n}/{s.name}" for n, s in SLOS if s.group_by and {t.kind for t in s.burn_tiers} == {PAGE, TICKET}])
def test_a_page_silences_its_ticket_only_for_the_same_group(name, slo):
    from datetime import datetime, timezone

    am = Alertmanager.read((GENERATED / name / "alertmanager.yml").read_bytes())
    cases = load_yaml((GENERATED / name / "tests" / "routing.test.yml").read_text())["cases"]
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
    extra = {f"{n}/{s.name}": len(s.alert_names) - (s.alert_name in s.alert_names) for n, s in SLOS}
    assert counts and all(v - extra[k] < 17 for k, v in counts.items()), counts


def test_every_slo_routes_like_other_alerts():
    for name, system in SYSTEMS.items():
        cases = load_yaml((GENERATED / name / "tests" / "routing.test.yml").read_text())["cases"]
        routed = {(c["alert"], c["labels"]["severity"]) for c in cases}
        for slo in system.slos:
            for tier in slo.burn_tiers:
                assert (slo.alert_name, tier.severity) in routed
            for other in slo.alert_names:
                assert any(alert == other for alert, _ in routed), other
