"""End to end, with the real servers: simulator -> Prometheus -> Alertmanager -> receivers.

Prometheus (Debian's prometheus 2.42) runs each system's compiled rules against the
simulator; Alertmanager (prometheus-alertmanager 0.25) runs its generated routing with
every receiver redirected to a local webhook sink. All on 127.0.0.1, ports found free,
state in temporary folders, every process stopped at teardown.

Time is compressed in a test-only copy of the rules (obsgen.live.rules.TimeScale): every
window, `for` and group interval is divided by SPEEDUP (60: minutes become seconds;
windows keep at least 10 s; rule groups run every 2 s at most, see Settings.fast), and
routes' group_wait/group_interval likewise. Thresholds, routes, inhibitions, time
intervals and repeat intervals are exactly as generated.
Each wait has a deadline; its jobs run at once (see LivePool), so the module takes about as long as its longest job.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import DEFINITIONS, ROOT, tool
from live_fleet import EVERYTHING, fleet
from obsgen.compile.routing_cases import expected_receivers
from obsgen.promql import selectors
from obsgen.live.stack import Settings, Stack, pid_alive, wait_until
from obsgen.load import load_systems
from obsgen.model.units import RATIO
from obsgen.verify.routing import Alertmanager

SPEEDUP = 60.0
LIVE_JOBS = int(os.environ.get("OBSGEN_LIVE_JOBS", "4"))  # live jobs at once (each mostly waits on its own servers; all 8 at once starve Prometheus on a loaded machine)
pytestmark = pytest.mark.live  # `make test` runs these in a process of their own, beside the parallel suite
SYSTEMS = {s.system.name: s for s in load_systems(DEFINITIONS)}
SYSTEM_NAMES = list(SYSTEMS)


@pytest.fixture(scope="module", autouse=True)
def servers_installed():
    """A missing server is a failure that says how to install it, never a skip."""
    for name in ("prometheus", "prometheus-alertmanager", "promtool"):
        tool(name)


def _pairs(delivered, status: str) -> list[tuple[str, str, str]]:
    return sorted((d.alertname, d.severity, d.receiver) for d in delivered if d.status == status)


def _group_interval(config: dict) -> float:
    """The longest group_interval in the (scaled) routing tree, in seconds."""
    longest = [0]

    def visit(route):
        if "group_interval" in route:
            longest.append(_seconds(route["group_interval"]))
        for child in route.get("routes", []):
            visit(child)

    visit(config["route"])
    return max(longest) or 1


def _seconds(text: str) -> float:
    from obsgen.model.durations import parse_duration

    return parse_duration(text)


# -- one operator scenario per system ------------------------------------------------------------


def choose_scenario(sim):
    """A playable scenario that fires something: no steady-state side alerts (e.g. SLO
    burn rates) if possible, quick (its `for` and windows), reaching many receivers."""
    candidates = []
    for name, play in sim.plays.items():
        if not play.playable or not play.expected:
            continue
        fors = [r.for_seconds for r in sim.rules.alerts if r.name in {a["alertname"] for a in play.expected}]
        windows = [
            s.range or 0
            for h in play.scenario.holds
            for rec in sim.rules.record_closure([h.signal.record])
            for rule in sim.rules.records[rec]
            for s in selectors(rule.node)
        ]
        cost = max(fors) + max(windows or [0])
        # An alert kept firing after its condition clears (keep_firing_for: a P0 from one
        # event) cannot show "resolves after recovery" within the flow's time.
        kept = any(a.keep_firing_for is not None for a in sim.system.alerts if a.name in {e["alertname"] for e in play.expected})
        candidates.append((kept, bool(play.extra), cost > 15, -len({r.name for r in play.scenario.reaches}), cost, name))
    assert candidates, f"{sim.system.name}: no playable scenario fires anything: {[(n, p.reason) for n, p in sim.plays.items()]}"
    return sim.plays[min(candidates)[-1]]


@dataclass
class Flow:
    system: str
    scenario: str = ""
    timings: dict = field(default_factory=dict)
    healthy_alerts: list = field(default_factory=list)
    mismatches: list = field(default_factory=list)
    expected_firing: set = field(default_factory=set)
    prometheus_firing: set = field(default_factory=set)
    allowed_extra: set = field(default_factory=set)
    expected_pairs: list = field(default_factory=list)
    scenario_reaches: tuple | None = None
    delivered_firing: list = field(default_factory=list)
    resolved_in_prometheus: bool = False
    expected_resolved: list = field(default_factory=list)
    delivered_resolved: list = field(default_factory=list)
    sink_errors: list = field(default_factory=list)


def _close(want: list[float], got: list[float], clocked: bool, share: bool) -> bool:
    """Prometheus' values against the simulator's prediction. The simulator computes a
    counter when it is scraped, Prometheus stamps the sample when the scrape starts: on a
    busy machine that lag, times the speed-up, moves a rate by about 1%, which in a share
    computed as `1 - rate` (CPU busy from idle) is 0.01 of a value near 0."""
    if len(want) != len(got):
        return False
    for a, b in zip(sorted(want), sorted(got)):
        slack = max(0.05 * abs(a), 1e-3, 0.01 if share else 0.0, 3.0 if clocked else 0.0)
        if abs(a - b) > slack:
            return False
    return True


def run_flow(loaded, workdir: Path) -> Flow:
    flow = Flow(loaded.system.name)
    began = time.monotonic()
    with Stack(loaded, workdir, Settings.fast(SPEEDUP)) as stack:
        sim = stack.simulation
        flow.timings["start"] = time.monotonic() - began
        play = choose_scenario(sim)
        flow.scenario = play.scenario.name
        gi = _group_interval(stack.alertmanager_config)

        # Healthy: nothing pending or firing, and Prometheus agrees with the simulator's predictions.
        time.sleep(3)
        flow.healthy_alerts = [(a["labels"]["alertname"], a["state"]) for a in stack.prometheus_alerts()]
        for record in sim.planner.signals:
            want = sim.planner.values_of(sim.outcome.values, record) or []
            got = [float(r["value"][1]) for r in stack.query(record)]
            clocked = "time" in sim.rules.records[record][0].expr
            share = any(s.record == record and s.unit.dimension == RATIO for s in loaded.system.signals)
            if not _close(want, got, clocked, share):
                flow.mismatches.append((record, want, got))

        # Incident: the scenario's alerts fire in Prometheus.
        flow.expected_firing = {(a["alertname"], a["severity"]) for a in play.expected}
        flow.allowed_extra = set(tuple(x.split("/")) for x in play.extra)
        t0 = time.monotonic()
        sim.play(play.scenario.name)

        def firing():
            now = {(a["labels"]["alertname"], a["labels"]["severity"]) for a in stack.prometheus_alerts() if a["state"] == "firing"}
            return now if flow.expected_firing <= now else None

        fired = wait_until(firing, 90)
        flow.timings["fire"] = time.monotonic() - t0
        alerts = [a for a in stack.prometheus_alerts() if a["state"] == "firing"]
        flow.prometheus_firing = {(a["labels"]["alertname"], a["labels"]["severity"]) for a in alerts}
        if not fired:
            return flow

        # Routed: the receivers the generated routing (inhibition and time intervals at this
        # moment included) gives each firing alert, and the scenario's own `reaches` when
        # the time of day does not change the answer.
        model = Alertmanager.read(sim.files["alertmanager.yml"])
        labels = [{k: v for k, v in a["labels"].items()} for a in alerts if (a["labels"]["alertname"], a["labels"]["severity"]) in flow.expected_firing]
        now = datetime.now(timezone.utc)
        notified = model.notified(labels, now)
        flow.expected_pairs = sorted({(k.split("/")[0], k.split("/")[1], r) for k, rs in notified.items() for r in rs})
        at = datetime.fromisoformat(play.scenario.at)
        if model.notified(labels, at) == notified:
            flow.scenario_reaches = tuple(sorted({r.name for r in play.scenario.reaches}))
        want = set(flow.expected_pairs)
        stack.sink.wait_for(lambda d: want <= set(_pairs(d, "firing")), 60)
        flow.timings["deliver"] = time.monotonic() - t0
        time.sleep(gi + 2)  # one more group interval: anything else would have arrived
        flow.delivered_firing = _pairs(stack.sink.delivered(), "firing")

        # Recovery: everything resolves in Prometheus and the receivers are told.
        t1 = time.monotonic()
        sim.healthy()
        # The scenario's alerts resolve; SLO burn rates (allowed extras) keep their long windows.
        names = {a for a, _ in flow.expected_firing}
        flow.resolved_in_prometheus = bool(wait_until(lambda: not [a for a in stack.prometheus_alerts() if a["labels"]["alertname"] in names], 90))
        flow.timings["resolve"] = time.monotonic() - t1
        resolved_receivers = {w["name"] for w in stack.alertmanager_config["receivers"] if w["webhook_configs"][0]["send_resolved"]}
        flow.expected_resolved = sorted({p for p in flow.delivered_firing if p[2] in resolved_receivers and (p[0], p[1]) in flow.expected_firing})
        goal = set(flow.expected_resolved)
        stack.sink.wait_for(lambda d: goal <= set(_pairs(d, "resolved")), 60)
        flow.timings["resolved-delivered"] = time.monotonic() - t1
        flow.delivered_resolved = _pairs(stack.sink.delivered(), "resolved")
        flow.sink_errors = list(stack.sink.errors)
    return flow


def _run_job(job: str, workdir: Path):
    """One live job, in a process of its own: its simulator and sink serve scrapes and
    webhooks without waiting for another job's Python."""
    if job.startswith("flow:"):
        return run_flow(SYSTEMS[job.split(":", 1)[1]], workdir)
    return {"500 alerts": five_hundred_alerts, "restart": alertmanager_restart, "demo": lambda _: demo_and_ctrl_c()}[job](workdir)


class LivePool:
    """Runs the module's live jobs, each in a forked process. They mostly wait on their own
    servers (ports found free, their own folders), so alone (as `make test` runs this
    module, in a process of its own beside the parallel suite) the first request starts
    them all, LIVE_JOBS at a time, and their waits overlap. Under pytest-xdist the same
    holds with `--dist loadfile` (`make test`: this module on one worker, the deploy test
    on the other); otherwise a worker runs only the jobs of its tests."""

    def __init__(self, tmp_path_factory, selected: list[pytest.Item], whole_module: bool):
        # Longest first (the restart sleeps through five group intervals, about a minute): the
        # shorter jobs fill the other slots meanwhile instead of leaving it to run alone at the end.
        self.jobs = [job for job in ["restart", "500 alerts"] + [f"flow:{name}" for name in SYSTEMS] + ["demo"] if _job_selected(job, selected)]
        self.tmp = tmp_path_factory
        self.pool = ProcessPoolExecutor(max_workers=LIVE_JOBS, mp_context=multiprocessing.get_context("fork"))
        self.futures: dict[str, Future] = {}
        self.alone = whole_module

    def result(self, job: str):
        for other in (self.jobs if self.alone else []) + [job]:
            if other not in self.futures:
                workdir = self.tmp.mktemp("live-" + re.sub(r"\W+", "-", other))
                self.futures[other] = self.pool.submit(_run_job, other, workdir)
        return self.futures[job].result(timeout=600)


JOB_OF_TEST = {
    "test_500_distinct_alerts_are_all_delivered_and_resolved": "500 alerts",
    "test_an_alertmanager_restart_loses_no_notification_state": "restart",
    "test_demo_runs_and_ctrl_c_leaves_nothing_running": "demo",
}


def _job_selected(job: str, selected: list[pytest.Item]) -> bool:
    """Whether a test of this run reads the job (`-k` picks one: the others are not started)."""
    for item in selected:
        name = getattr(item, "originalname", item.name)
        if JOB_OF_TEST.get(name) == job or (job.startswith("flow:") and item.name == f"test_a_scenario_fires_reaches_its_receivers_and_resolves[{job[5:]}]"):
            return True
    return False


@pytest.fixture(scope="module")
def live(tmp_path_factory, request):
    worker = getattr(request.config, "workerinput", None)
    whole_module = worker is None or worker.get("dist") == "loadfile"
    pool = LivePool(tmp_path_factory, [i for i in request.session.items if i.module is request.module], whole_module)
    yield pool
    pool.pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.parametrize("name", SYSTEM_NAMES)
def test_a_scenario_fires_reaches_its_receivers_and_resolves(live, name):
    flow: Flow = live.result(f"flow:{name}")
    print(f"\n{name}: scenario {flow.scenario}; " + ", ".join(f"{k} {v:.1f}s" for k, v in flow.timings.items()))
    assert not flow.healthy_alerts, f"{name}: alerts pending or firing while every signal is healthy: {flow.healthy_alerts}"
    assert not flow.mismatches, f"{name}: Prometheus disagrees with the simulator's prediction: {flow.mismatches}"
    assert flow.expected_firing <= flow.prometheus_firing, f"{name}/{flow.scenario}: expected {sorted(flow.expected_firing)} to fire, got {sorted(flow.prometheus_firing)}"
    unexpected = flow.prometheus_firing - flow.expected_firing - flow.allowed_extra
    assert not unexpected, f"{name}/{flow.scenario}: alerts the scenario does not list fired: {sorted(unexpected)}"
    assert flow.expected_pairs, f"{name}/{flow.scenario}: the routing sends the scenario's alerts nowhere"
    delivered = [p for p in flow.delivered_firing if (p[0], p[1]) not in flow.allowed_extra]
    assert sorted(set(delivered)) == flow.expected_pairs, (
        f"{name}/{flow.scenario}: delivered to {sorted(set(delivered))}, the definitions route to {flow.expected_pairs}"
    )
    assert len(delivered) == len(set(delivered)), f"{name}: a notification was delivered twice: {delivered}"
    if flow.scenario_reaches is not None:
        assert tuple(sorted({p[2] for p in delivered})) == flow.scenario_reaches, f"{name}/{flow.scenario}: the scenario says it reaches {flow.scenario_reaches}"
    assert flow.resolved_in_prometheus, f"{name}/{flow.scenario}: alerts still firing after recovery"
    assert set(flow.expected_resolved) <= set(flow.delivered_resolved), (
        f"{name}/{flow.scenario}: resolved notifications missing: {sorted(set(flow.expected_resolved) - set(flow.delivered_resolved))}"
    )
    assert not flow.sink_errors, flow.sink_errors


# -- 500 distinct alerts at once ----------------------------------------------------------------------


def test_500_distinct_alerts_are_all_delivered_and_resolved(live):
    print(live.result("500 alerts"))


def five_hundred_alerts(tmp_path) -> str:
    loaded = fleet(services=50, per_service=10)
    system = loaded.system
    # Scraped and evaluated every 2 s, not 1 s: what is proved here is which notifications
    # arrive (all 500 alerts, each receiver once, all resolved), not how soon; Prometheus
    # expands 500 alerts' annotations at every evaluation, most of this test's CPU.
    with Stack(loaded, tmp_path, replace(Settings.fast(SPEEDUP), scrape_interval=2)) as stack:
        time.sleep(2)
        assert not stack.prometheus_alerts(), "alerts while every level is healthy"
        t0 = time.monotonic()
        stack.simulation.play(EVERYTHING)
        firing = wait_until(lambda: (lambda a: a if len(a) >= 500 else None)([x for x in stack.prometheus_alerts() if x["state"] == "firing"]), 180, 1.0)
        t_fire = time.monotonic() - t0
        assert firing and len(firing) == 500, f"{len(firing or [])} of 500 alerts firing in Prometheus"
        expected = sorted(
            (a["labels"]["alertname"], a["labels"]["severity"], r)
            for a in firing
            for r in expected_receivers(system, a["labels"])
        )
        assert len(expected) > 500
        ok = stack.sink.wait_for(lambda d: set(expected) <= set(_pairs(d, "firing")), 120)
        t_deliver = time.monotonic() - t0
        time.sleep(_group_interval(stack.alertmanager_config) + 2)
        delivered = _pairs(stack.sink.delivered(), "firing")
        missing = sorted(set(expected) - set(delivered))
        assert ok and not missing, f"{len(missing)} of {len(expected)} notifications lost, e.g. {missing[:5]}"
        assert sorted(set(delivered)) == expected, f"unexpected deliveries: {sorted(set(delivered) - set(expected))[:5]}"
        resent = _one_group_each(stack.sink.delivered(), "firing")
        assert len(stack.alertmanager_alerts()) == 500

        t1 = time.monotonic()
        stack.simulation.healthy()
        ok = stack.sink.wait_for(lambda d: set(expected) <= set(_pairs(d, "resolved")), 120)
        t_resolved = time.monotonic() - t1
        resolved = _pairs(stack.sink.delivered(), "resolved")
        assert ok, f"{len(set(expected) - set(resolved))} resolved notifications lost"
        assert sorted(set(resolved)) == expected, f"resolved notifications for the wrong receiver: {sorted(set(resolved) - set(expected))[:5]}"
        resent += _one_group_each(stack.sink.delivered(), "resolved")
        return (f"\n500 alerts: firing in Prometheus after {t_fire:.1f}s, {len(expected)} notifications delivered after {t_deliver:.1f}s, "
                f"all resolved and delivered {t_resolved:.1f}s after recovery; {len(stack.sink.notifications)} webhook posts, "
                f"{resent} alerts notified again within their group")


def _one_group_each(delivered, status: str) -> int:
    """Each alert reaches each receiver through one notification group: one route, as the
    routing tests say. Alertmanager may notify a group again (its members fired at spread
    times on a loaded machine, or a slow answer was retried): the same alert twice within
    its group is delivery at least once, not a second route. Returns how many there were."""
    groups: dict[tuple[str, str, str], set[str]] = {}
    count = 0
    for d in delivered:
        if d.status == status:
            groups.setdefault((d.alertname, d.severity, d.receiver), set()).add(d.group_key)
            count += 1
    twice = {k: sorted(v) for k, v in groups.items() if len(v) > 1}
    assert not twice, f"{status} alerts reached a receiver through two notification groups (two routes): {sorted(twice.items())[:3]}"
    return count - len(groups)


# -- Alertmanager restarts mid-incident ------------------------------------------------------------


def test_an_alertmanager_restart_loses_no_notification_state(live):
    print(live.result("restart"))


def alertmanager_restart(tmp_path) -> str:
    loaded = fleet(services=5, per_service=4, name="fleet-restart")
    system = loaded.system
    # Evaluated every 2 s, as in the 500-alert test: what is proved is which notifications
    # and silences survive the restart, not how soon alerts fire.
    with Stack(loaded, tmp_path, replace(Settings.fast(SPEEDUP), scrape_interval=2)) as stack:
        gi = _group_interval(stack.alertmanager_config)
        silenced = "FleetS0M1High"
        silence = stack.add_silence({"alertname": silenced}, 3600, "maintenance: silenced before the incident")
        stack.simulation.play(EVERYTHING)
        firing = wait_until(lambda: (lambda a: a if len(a) == 20 else None)([x for x in stack.prometheus_alerts() if x["state"] == "firing"]), 60)
        assert firing, "the 20 alerts did not fire"
        expected = sorted((a["labels"]["alertname"], a["labels"]["severity"], r) for a in firing if a["labels"]["alertname"] != silenced for r in expected_receivers(system, a["labels"]))
        assert stack.sink.wait_for(lambda d: set(expected) <= set(_pairs(d, "firing")), 60), "notifications missing before the restart"
        time.sleep(gi + 2)
        before = _pairs(stack.sink.delivered(), "firing")
        assert before == expected, f"before the restart: {sorted(set(before) ^ set(expected))}"

        down = stack.restart_alertmanager()
        silences = {s["id"]: s for s in stack.silences()}
        assert silence in silences and silences[silence]["status"]["state"] == "active", "the silence did not survive the restart"
        assert wait_until(lambda: len(stack.alertmanager_alerts()) == 20, 30), "Prometheus did not re-send its alerts to the new Alertmanager"
        time.sleep(3 * gi + 2)  # several flushes: a lost notification log would re-notify here
        after = _pairs(stack.sink.delivered(), "firing")
        assert after == before, f"duplicate notifications after the restart: {sorted(set(after) - set(before)) or 'same pairs again'} ({len(after)} vs {len(before)})"

        stack.simulation.healthy()
        assert stack.sink.wait_for(lambda d: set(expected) <= set(_pairs(d, "resolved")), 60), "resolved notifications lost after the restart"
        time.sleep(gi + 2)
        resolved = _pairs(stack.sink.delivered(), "resolved")
        assert resolved == expected, f"resolved after the restart: {sorted(set(resolved) ^ set(expected))}"
        assert not [d for d in stack.sink.delivered() if d.alertname == silenced], "the silenced alert was notified"
        return (f"\nrestart: Alertmanager down {down:.1f}s; {len(before)} firing notifications before, none repeated after; "
                f"silence kept; {len(resolved)} resolved delivered once each")


# -- the demo: Ctrl-C leaves nothing running ------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            out.append(int(entry.name))
    return out


def test_demo_runs_and_ctrl_c_leaves_nothing_running(live):
    live.result("demo")


def demo_and_ctrl_c() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "obsgen.live.command", "demo", "--system", "surveillance", "--speedup", "60"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line)
            if "Ctrl-C stops everything" in line:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(90), "demo did not come up:\n" + "".join(lines)
        text = "".join(lines)
        for what in ("Prometheus", "Alertmanager", "simulator", "sink"):
            assert re.search(rf"{what}\s+http://127\.0\.0\.1:\d+", text), text
        children = _children(proc.pid)
        names = {Path(f"/proc/{c}/comm").read_text().strip() for c in children if Path(f"/proc/{c}/comm").exists()}
        assert {"prometheus", "prometheus-aler"} <= names, f"servers not started as children: {names}"
        workdir = re.search(r"starting surveillance in (\S+) \.\.\.", text).group(1)
        proc.send_signal(signal.SIGINT)
        try:  # stopping is bounded (15 s, then the servers are killed); 60 s leaves room for a busy machine
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            raise AssertionError("the demo did not exit within 60 s of Ctrl-C:\n" + "".join(lines)) from None
        reader.join(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, "".join(lines)
    assert "stopped:" in "".join(lines)
    assert not [c for c in children if pid_alive(c)], "a server outlived the demo"
    assert not Path(workdir).exists(), "the demo left its folder behind"
