"""The live tooling's logic, without servers: discovery, layout, evaluation, inverses,
solving, the exporter, check-metrics and the Alertmanager copy (judged by amtool)."""

from __future__ import annotations

import json
import math
import random
import subprocess
import urllib.error
import urllib.request

import pytest
import yaml

from conftest import run_obsgen, tool
from obsgen import (
    ABOVE, Alert, BELOW, Fires, Holds, Level, PagerDuty, Priority, Scenario, Service, Signal, Slack, System, count,
    hours, minutes, per_second, ratio, seconds,
)
from obsgen.live.backfill import history, sample_times
from obsgen.live.check_metrics import ERROR, check, parse_dump
from obsgen.live.evaluate import Evaluator, Point, bucket_quantile
from obsgen.live.inverse import GRID_BOUNDS, Domain, histogram_shares, invert
from obsgen.live.layout import build_layout, example
from obsgen.live.metrics import AGE, COUNTDOWN, COUNTER, GAUGE, HISTOGRAM, SUMMARY, families, raw_uses
from obsgen.promql import parse
from obsgen.live.rules import RuleSet, TimeScale, scale_rule_files
from obsgen.live.simulator import Simulation, SimulatorServer
from obsgen.artifacts.read import read_alertmanager
from obsgen.artifacts.write import alertmanager_data
from obsgen.live.stack import sink_alertmanager_config
from obsgen.load import LoadedSystem


def _rules(*exprs: str, alerts: tuple[str, ...] = ()) -> RuleSet:
    rules = [{"record": f"test:r{i}:x", "expr": e} for i, e in enumerate(exprs)] + [{"alert": f"A{i}", "expr": e} for i, e in enumerate(alerts)]
    return RuleSet.from_files({"rules/t.yml": yaml.safe_dump({"groups": [{"name": "g", "rules": rules}]}).encode()})


@pytest.fixture(scope="module")
def seeds(systems):
    return {s.system.name: Simulation(s) for s in systems}


# -- discovery and typing ------------------------------------------------------------------------


def test_uses_are_typed_by_how_the_rules_read_them():
    rules = _rules(
        "sum(rate(req_total[5m])) / sum(rate(req_total[5m]))",
        "histogram_quantile(0.99, sum by (le) (rate(lat_seconds_bucket[5m])))",
        "sum(rate(lat_seconds_count[5m]))",
        "time() - max(last_success_timestamp_seconds)",
        "min(cert_expiry_seconds) - time()",
        "max(queue_depth)",
        "sum(increase(gap_seconds_sum[1h])) / sum(increase(gap_seconds_count[1h]))",
        'min(up{job="api"})',
        "count(ALERTS) or vector(0)",
        "max(test:r5:x)",
        alerts=("absent(req_total) == 1",),
    )
    fams = families(raw_uses(rules))
    assert fams["req_total"].kind == COUNTER and fams["req_total"].windows == (300.0,)
    assert fams["lat_seconds"].kind == HISTOGRAM and fams["lat_seconds"].quantile == 0.99
    assert set(fams["lat_seconds"].samples) == {"lat_seconds_bucket", "lat_seconds_sum", "lat_seconds_count"}
    assert (fams["last_success_timestamp_seconds"].kind, fams["last_success_timestamp_seconds"].clock) == (GAUGE, AGE)
    assert fams["cert_expiry_seconds"].clock == COUNTDOWN
    assert fams["queue_depth"].kind == GAUGE and fams["queue_depth"].clock is None
    assert fams["gap_seconds"].kind == SUMMARY
    assert "up" not in fams and "ALERTS" not in fams and "test:r5:x" not in fams  # scraped, internal, recorded
    assert not fams["req_total"].conflicts  # absent() reads presence, not a type


def test_a_metric_read_both_ways_is_a_counter_with_the_conflict_named():
    fams = families(raw_uses(_rules("rate(jobs_total[5m])", "max(jobs_total)")))
    assert fams["jobs_total"].kind == COUNTER
    assert fams["jobs_total"].conflicts and "test:r1:x" in fams["jobs_total"].conflicts[0]


@pytest.mark.parametrize(
    "pattern, expected",
    [("5..", "500"), ("408|504", "408"), (".*backup.*", "backup"), ("surveillance-(ingestion|metrics)", "surveillance-ingestion"),
     ("60|60\\.0", "60"), ("[45]\\d{2}", "400"), ("veth.+", "veth0")],
)
def test_regex_examples_match_their_regex(pattern, expected):
    assert example(pattern) == expected


def test_layout_gives_a_ratio_two_series_and_up_selectors_scrape_jobs():
    uses = raw_uses(_rules(
        'sum(rate(req_total{job="api", code=~"5.."}[5m])) / sum(rate(req_total{job="api"}[5m]))',
        'avg by (app) (up{namespace="prod", app="web"})',
        'max(web_sessions{namespace="prod", app="web"})',
        'max by (device) (rate(rx_bytes_total{device!~"lo|veth.+"}[5m])) / on (device) max by (device) (speed_bytes{device!~"lo|veth.+"})',
    ))
    layout = build_layout("t", uses, families(uses))
    codes = sorted(dict(s.labels).get("code") for s in layout.series if s.family == "req_total")
    assert codes == ["200", "500"]  # the open use gets a value the 5xx matcher does not match
    assert {s.job for s in layout.series if s.family == "req_total"} == {"api"}
    web = next(t for t in layout.targets if dict(t.labels).get("app") == "web")
    assert dict(web.labels) == {"app": "web", "namespace": "prod"}
    assert next(s for s in layout.series if s.family == "web_sessions").job == web.job  # down with its target
    devices = {dict(s.labels)["device"] for s in layout.series if s.family in ("rx_bytes_total", "speed_bytes")}
    assert devices == {"eth0"}  # the join on device lines up
    assert not layout.notes


def test_time_scale_divides_durations_and_leaves_strings_alone():
    scale = TimeScale(60)
    assert scale.expr('rate(x{a=~"[5m]"}[5m] offset 1h)') == 'rate(x{a=~"[5m]"}[10s] offset 1m)'
    assert scale.expr("max_over_time(rate(x[1h])[6h:5m])") == "max_over_time(rate(x[1m])[6m:10s])"
    files = {"rules/a.yml": yaml.safe_dump({"groups": [{"name": "g", "interval": "1m", "rules": [{"alert": "A", "expr": "x > 1", "for": "5m"}, {"alert": "B", "expr": "x > 2", "for": "0s"}]}]}).encode()}
    group = yaml.safe_load(scale_rule_files(files, scale)["rules/a.yml"])["groups"][0]
    assert group["interval"] == "1s" and [r["for"] for r in group["rules"]] == ["5s", "0s"]


# -- the steady-state evaluator ----------------------------------------------------------------------


class _Source:
    def __init__(self, points):
        self.points = points

    def select(self, selector):
        return [p for p in self.points if selector.matches(p.labels)]


def _eval(expr: str, points, now: float = 1000.0):
    return Evaluator(_Source(points), now).eval(parse(expr))


def test_evaluator_follows_prometheus_semantics():
    p = lambda name, value, slope=0.0, **labels: Point({"__name__": name, **labels}, value, slope)  # noqa: E731
    points = [
        p("req_total", 100, 2.0, code="200", app="a"), p("req_total", 10, 0.5, code="500", app="a"),
        p("limit", 4, app="a"), p("ts", 940, 1.0, app="a"), p("g", 0, app="a"), p("g", 3, app="b"),
    ]
    assert _eval('sum(rate(req_total{code=~"5.."}[5m])) / sum(rate(req_total[5m]))', points)[0][1] == pytest.approx(0.2)
    assert _eval("sum(increase(req_total[5m]))", points)[0][1] == pytest.approx(750)
    assert _eval("sum by (app) (rate(req_total[5m])) / on (app) group_left () limit", points) == [({"app": "a"}, 0.625)]
    assert _eval("time() - max(ts)", points)[0][1] == pytest.approx(60)
    assert _eval("avg_over_time(ts[1m])", points)[0][1] == pytest.approx(910)
    assert sorted(v for _, v in _eval("g > bool 1", points)) == [0.0, 1.0]
    assert [l["app"] for l, _ in _eval("g == 0", points)] == ["a"]
    assert _eval("count(g == 7) or vector(0)", points) == [({}, 0.0)]
    assert _eval('absent(nothing{app="z"})', points) == [({"app": "z"}, 1.0)]
    assert len(_eval("g and on (app) limit", points)) == 1 and len(_eval("g unless on (app) limit", points)) == 1
    with pytest.raises(ValueError):
        _eval("req_total / on (app) g", points)  # many-to-many, as Prometheus refuses


def test_histogram_quantile_interpolates_like_prometheus():
    buckets = [(0.1, 10.0), (0.5, 60.0), (1.0, 90.0), (math.inf, 100.0)]
    assert bucket_quantile(0.5, buckets) == pytest.approx(0.1 + 0.4 * (50 - 10) / 50)
    assert bucket_quantile(0.95, buckets) == 1.0  # in +Inf: the highest finite bound
    assert bucket_quantile(0.05, buckets) == pytest.approx(0.05)


# -- inverses -------------------------------------------------------------------------------------------


def test_histogram_shares_give_exactly_the_quantile_asked():
    bounds = tuple(sorted(set(GRID_BOUNDS) | {0.15, 0.3}))
    rng = random.Random(7)
    for _ in range(3000):
        q = rng.choice([0.5, 0.9, 0.95, 0.99, 0.999])
        v = 10 ** rng.uniform(-4, 4.5)
        shares = histogram_shares(bounds, v, q)
        assert shares is not None
        cumulative = list(zip(bounds + (math.inf,), [c * 13 for c in shares.cumulative] + [13.0]))
        assert bucket_quantile(q, cumulative) == pytest.approx(v, rel=1e-9)
    assert histogram_shares(bounds, 0.0, 0.95) is None and histogram_shares(bounds, 1e9, 0.95) is None


def test_invert_finds_exact_values_or_none():
    positive = Domain(0.0, math.inf)
    assert invert(lambda x: 3 * x + 1, 1.0, 10.0, positive) == pytest.approx(3.0)
    x = invert(lambda x: x / (x + 50.0), 1.0, 0.07, positive)  # a ratio of rates
    assert x / (x + 50.0) == pytest.approx(0.07, rel=1e-9)
    assert invert(lambda x: 1.0 if x > 5 else 0.0, 1.0, 1.0, positive) > 5  # a step
    assert invert(lambda x: x / (x + 50.0), 1.0, 1.5, positive) is None  # out of reach: no approximation


# -- solving: every seed system ----------------------------------------------------------------------------


def test_every_seed_signal_is_healthy_and_nothing_fires(seeds):
    for name, sim in seeds.items():
        assert not sim.outcome.unreached, f"{name}: {sim.outcome.unreached}"
        assert not sim.outcome.firing, f"{name}: alerts fire with healthy values: {[a['alertname'] for a in sim.outcome.firing]}"
        for report in sim.signal_reports():
            assert report.ok, f"{name}: {report}"


def test_seed_scenarios_reach_their_holds_and_fire_what_they_say(seeds):
    for name, sim in seeds.items():
        playable = [p for p in sim.plays.values() if p.playable]
        assert len(playable) >= len(sim.plays) - 1, f"{name}: {[(p.scenario.name, p.reason) for p in sim.plays.values() if not p.playable]}"
        for play in sim.plays.values():
            if not play.playable:
                assert play.reason, f"{name}/{play.scenario.name} is unplayable without a reason"
                continue
            for record, (want, got) in play.reached.items():
                assert got == pytest.approx(want, rel=1e-6, abs=1e-9), f"{name}/{play.scenario.name}: {record}"
            fired = {(a["alertname"], a["severity"]) for a in play.firing}
            expected = {(a["alertname"], a["severity"]) for a in play.expected}
            assert expected <= fired, f"{name}/{play.scenario.name}: expected {expected - fired} to fire in steady state"
            listed = {a.split("/")[0] for a in play.extra}
            assert listed <= {r.name for r in sim.rules.alerts} - {a.name for a in sim.system.alerts}, (
                f"{name}/{play.scenario.name}: a definitions alert the scenario does not list fires: {listed}"
            )


# -- solving: one signal of each shape ------------------------------------------------------------------------


def _shapes_system(extra_scenarios=()) -> LoadedSystem:
    def sig(record, expr, unit):
        return Signal(record=record, expr=expr, unit=unit, description=record)

    gauge = sig("t:gauge:max", 'max(shape_queue{env="prod"})', count)
    errors = sig("t:errors:ratio_rate5m", 'sum(rate(shape_requests_total{code=~"5.."}[5m])) / sum(rate(shape_requests_total[5m]))', ratio)
    p95 = sig("t:latency:p95_5m", "histogram_quantile(0.95, sum by (le) (rate(shape_latency_seconds_bucket[5m])))", seconds)
    util = sig("t:disk:utilisation", "1 - max(shape_avail_bytes) / max(shape_size_bytes)", ratio)
    up = sig("t:api:up", 'min(up{job="shape-api"})', count)
    age = sig("t:snapshot:age", "time() - max(shape_last_success_timestamp_seconds)", seconds)
    increase = sig("t:crashes:increase5m", "sum(increase(shape_crashes_total[5m]))", count)
    down = sig("t:sessions:down", "count(shape_session_up == 0) or vector(0)", count)
    rate = sig("t:messages:rate5m", "sum(rate(shape_messages_total[5m]))", per_second)

    pd = PagerDuty(name="pd", service="x", routing_key_file="/etc/am/pd")
    slack = Slack(name="slack", channel="#x", api_url_file="/etc/am/slack")
    p1 = Priority(name="P1", meaning="Page.", response_time=minutes(15), receivers=(pd,))
    p2 = Priority(name="P2", meaning="Ticket.", response_time=hours(4), receivers=(slack,))

    def alert(name, signal, direction, threshold, priority=p1):
        return Alert(name=name, signal=signal, direction=direction, critical=Level(threshold, priority), for_=minutes(1),
                     summary="Shape test.", meaning="Shape test.", actions=("Look.",))

    alerts = (
        alert("QueueHigh", gauge, ABOVE, 5), alert("ErrorsHigh", errors, ABOVE, ratio(0.01)), alert("SlowRequests", p95, ABOVE, seconds(1)),
        alert("DiskFull", util, ABOVE, ratio(0.85)), alert("ApiDown", up, BELOW, 1), alert("SnapshotStale", age, ABOVE, seconds(120)),
        alert("Crashing", increase, ABOVE, 0), alert("SessionDown", down, ABOVE, 0), alert("FeedThin", rate, BELOW, per_second(10), p2),
    )
    holds = (Holds(gauge, 7), Holds(errors, ratio(0.07)), Holds(p95, seconds(1.5)), Holds(util, ratio(0.9)), Holds(up, 0),
             Holds(age, seconds(240)), Holds(increase, 3), Holds(down, 1), Holds(rate, per_second(5)))
    everything = Scenario(name="everything", situation="Every shape past its line", holds=holds, lasting=minutes(10),
                          fires=tuple(Fires(a, a.level("critical").priority) for a in alerts), reaches=(pd,), pages=True)
    system = System(runbook_base_url="https://runbooks.example.com/", grafana_base_url="https://grafana.example.com",
        name="shapes", title="Shapes", description="One signal of each shape.",
        services=(Service(name="svc", title="Svc", team="t", description="Shapes.", alerts=alerts),),
        receivers=(pd, slack),
        default_receiver=slack,
        priorities=(p1, p2),
        scenarios=(everything, *extra_scenarios),
    )
    return LoadedSystem(system, "tests/shapes")


def test_every_shape_is_healthy_then_driven_exactly_to_its_scenario_value():
    sim = Simulation(_shapes_system())
    assert not sim.outcome.unreached and not sim.outcome.firing
    play = sim.plays["everything"]
    assert play.playable, play.reason
    for record, (want, got) in play.reached.items():
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12), record
    assert "scrape job shape-api" in play.knobs["t:api:up"]  # down means the scrape fails
    assert play.knobs["t:errors:ratio_rate5m"].startswith('shape_requests_total{code="500"}')  # more errors, not less traffic
    assert {a["alertname"] for a in play.firing} == {a.name for a in sim.system.alerts}


def test_a_scenario_the_simulator_cannot_play_is_refused_with_the_reason():
    loaded = _shapes_system()
    gauge = next(a.signal for a in loaded.system.alerts if a.name == "QueueHigh")
    twice = Signal(record="t:gauge:double", expr='2 * max(shape_queue{env="prod"})', unit=count, description="twice")
    conflicting = Scenario(name="impossible", situation="The same queue at 7 and at 3 (doubled)", holds=(Holds(gauge, 7), Holds(twice, 3)),
                           lasting=minutes(5), fires=(), reaches=(), pages=False)
    system = loaded.system
    service = Service(name="svc", title="Svc", team="t", description="Shapes.", alerts=system.services[0].alerts, signals=(twice,))
    sim = Simulation(LoadedSystem(System(runbook_base_url="https://runbooks.example.com/", grafana_base_url="https://grafana.example.com", **{**{f: getattr(system, f) for f in ("name", "title", "description", "receivers", "default_receiver", "priorities")},
                                           "services": (service,), "scenarios": (conflicting,)}), "tests/shapes"))
    play = sim.plays["impossible"]
    assert not play.playable and ("t:gauge:double" in play.reason or "t:gauge:max" in play.reason), play.reason
    with pytest.raises(ValueError, match="cannot be simulated"):
        sim.play("impossible")
    assert sim.status()["scenarios"]["impossible"]["why_not"] == play.reason


# -- the exporter ------------------------------------------------------------------------------------------


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _post(url: str):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=b"", method="POST"), timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_the_exporter_serves_one_path_per_job_and_fails_a_down_job():
    sim = Simulation(_shapes_system())
    with SimulatorServer(sim) as server:
        status, body = _get(f"{server.url}/metrics/shape-api")
        assert status == 200
        code, answer = _post(f"{server.url}/scenario/everything")
        assert code == 200 and answer["scenario"] == "everything"
        assert _get(f"{server.url}/metrics/shape-api")[0] == 503  # so Prometheus' up goes to 0
        status, body = _get(f"{server.url}/metrics/{sim.layout.default_job}")
        dump = parse_dump(body.decode())
        assert dump.types["shape_requests_total"] == "counter" and dump.types["shape_latency_seconds_bucket"] == "histogram"
        assert _post(f"{server.url}/scenario/nope")[0] == 404
        assert _post(f"{server.url}/healthy")[0] == 200
        assert json.loads(_get(f"{server.url}/")[1])["scenario"] is None


def test_counters_keep_counting_through_a_scenario():
    sim = Simulation(_shapes_system())
    key = next(k for k in sim.running.lines if k[1] == "shape_messages_total")
    old_base, old_rate, started, _ = sim.running.lines[key]
    sim.play("everything")  # the message rate drops from 20/s to 5/s
    base, rate, since, _ = sim.running.lines[key]
    assert rate == pytest.approx(5) and old_rate == pytest.approx(20)
    assert base == pytest.approx(old_base + old_rate * (since - started), rel=1e-12)  # went on from there: no counter reset


def test_backfilled_history_is_openmetrics_on_the_same_lines():
    sim = Simulation(_shapes_system())
    times = sample_times([300.0, 3600.0], sim.started, 5)
    assert times[0] <= sim.started - 1.2 * 3600 + 120 and times[-1] == int(sim.started)
    text, samples, series, _ = history(sim, "127.0.0.1:1", sim.started, 5)
    from prometheus_client.openmetrics.parser import text_string_to_metric_families

    parsed = {f.name: f for f in text_string_to_metric_families(text)}
    assert samples == sum(len(f.samples) for f in parsed.values()) and series > 5
    crashes = [s for s in parsed["shape_crashes_total"].samples]
    assert all(s.labels["instance"] == "127.0.0.1:1" and s.labels["job"] == sim.layout.default_job for s in crashes)


# -- check-metrics -----------------------------------------------------------------------------------------------


def test_each_simulator_dump_passes_check_metrics(seeds):
    for name, sim in seeds.items():
        dump = b"".join(sim.exposition(job) for job in sim.jobs()).decode()
        assert check(sim.rules, parse_dump(dump)) == [], name


def test_check_metrics_reports_missing_metrics_and_wrong_types(seeds):
    sim = seeds["bondx"]
    dump = b"".join(sim.exposition(job) for job in sim.jobs()).decode()
    broken = dump.replace("# TYPE pg_stat_activity_count gauge", "# TYPE pg_stat_activity_count counter")
    broken = broken.replace("# TYPE redis_keyspace_hits_total counter", "# TYPE redis_keyspace_hits_total gauge")
    broken = "\n".join(line for line in broken.splitlines() if not line.startswith("bondx_active_users")) + "\n"
    findings = {(f.kind, f.metric): f for f in check(sim.rules, parse_dump(broken))}
    assert findings[("missing", "bondx_active_users")].severity == ERROR
    assert "used as a gauge" in findings[("type", "pg_stat_activity_count")].message
    assert "used as a counter" in findings[("type", "redis_keyspace_hits_total")].message
    assert len([f for f in findings.values() if f.severity == ERROR]) == 3


def test_check_metrics_command_exit_codes(tmp_path, seeds):
    sim = seeds["surveillance"]
    good = tmp_path / "good.prom"
    good.write_bytes(b"".join(sim.exposition(job) for job in sim.jobs()))
    bad = tmp_path / "bad.prom"
    bad.write_text("# TYPE redis_memory_used_bytes counter\nredis_memory_used_bytes_total 5\n")
    junk = tmp_path / "junk.prom"
    junk.write_text("this is { not an exposition\n")
    run = lambda f: run_obsgen("check-metrics", "--system", "surveillance", str(f))  # noqa: E731
    ok, failing, broken = run(good), run(bad), run(junk)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert failing.returncode == 1 and "missing" in failing.stdout and "surveillance_messages_received_total" in failing.stdout
    assert broken.returncode == 2 and "not a Prometheus exposition" in broken.stderr


def test_simulate_list_names_what_it_cannot_do():
    result = run_obsgen("simulate", "--system", "trading-engine", "--list")
    assert result.returncode == 0, result.stderr
    assert "signals:" in result.stdout and "scenarios:" in result.stdout and "playable" in result.stdout
    for line in result.stdout.splitlines():
        if line.strip().startswith("NO "):
            assert ":" in line and len(line.split(":", 1)[1].strip()) > 10  # says why


# -- the Alertmanager copy -----------------------------------------------------------------------------------------


def test_the_sink_copy_of_each_alertmanager_config_keeps_routing_and_passes_amtool(seeds, tmp_path):
    amtool = tool("amtool")
    for name, sim in seeds.items():
        generated = alertmanager_data(read_alertmanager(sim.files["alertmanager.yml"]).value)
        copy = alertmanager_data(sink_alertmanager_config(read_alertmanager(sim.files["alertmanager.yml"]).value, "http://127.0.0.1:9", TimeScale(60)))
        assert [r["name"] for r in copy["receivers"]] == [r["name"] for r in generated["receivers"]]
        for receiver in copy["receivers"]:
            assert list(receiver) == ["name", "webhook_configs"]
            assert receiver["webhook_configs"][0]["url"] == f"http://127.0.0.1:9/{receiver['name']}"
        assert copy["inhibit_rules"] == generated["inhibit_rules"] and copy.get("time_intervals") == generated.get("time_intervals")
        strip = lambda r: {k: (v if k != "routes" else [strip(c) for c in v]) for k, v in r.items() if k not in ("group_wait", "group_interval")}  # noqa: E731
        assert strip(copy["route"]) == strip(generated["route"])
        path = tmp_path / f"{name}.yml"
        path.write_text(yaml.safe_dump(copy))
        result = subprocess.run([amtool, "check-config", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
