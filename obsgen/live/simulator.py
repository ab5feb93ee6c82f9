"""The prometheus-client exporter that plays a system: healthy, or in a scenario.

One scrape path per job (/metrics/<job>), so a "down" scenario fails that path (503)
and Prometheus' own `up` goes to 0. Counters keep counting through every change (only
their rate moves); gauges jump; timestamps follow the clock. A small control API on
the same port plays scenarios on demand:

    GET  /                   what is simulated: jobs, scenarios (playable or why not)
    POST /scenario/<name>    play an operator scenario
    POST /healthy            back to healthy values
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from prometheus_client.core import Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from ..load import LoadedSystem
from ..pipeline import served_files
from .layout import build_layout
from .loopback import LoopbackServer
from .metrics import COUNTER, GAUGE, HISTOGRAM, SUMMARY, families, raw_uses
from ..promql import Aggregate, Binary, Call, Number, Selector, walk
from .rules import RuleSet, TimeScale, scale_rule_files
from .solve import Outcome, Planner, Play
from .world import Knob, World


@dataclass(frozen=True)
class SignalReport:
    record: str
    shape: str
    healthy: tuple[float, ...]
    goal: str
    ok: bool


class Running:
    """Lines in wall-clock time: each sample is base + slope x (t - since)."""

    def __init__(self, world: World, values: dict[Knob, float], at: float):
        self.world = world
        self.lines: dict[tuple[int, str, tuple], tuple[float, float, float, bool]] = {}
        self.apply(values, at)

    def apply(self, values: dict[Knob, float], at: float) -> None:
        for index in range(len(self.world.layout.series)):
            for line in self.world.lines(index, values, at):
                key = (index, line.name, line.labels)
                old = self.lines.get(key)
                base = line.value
                if old is not None and line.counter:
                    base = self.value(key, at)  # counters continue from where they are
                self.lines[key] = (base, line.slope, at, line.counter)

    def value(self, key, at: float) -> float:
        base, slope, since, _ = self.lines[key]
        return base + slope * (at - since)

    def samples(self, at: float):
        """(series index, name, labels, value) for every sample now."""
        for key in self.lines:
            index, name, labels = key
            yield index, name, labels, self.value(key, at)


class Simulation:
    """One system's simulator: compiled rules, layout, healthy values, scenarios."""

    def __init__(self, loaded: LoadedSystem, scale: TimeScale = TimeScale(), files: dict[str, bytes] | None = None, now: float | None = None):
        self.system = loaded.system
        self.scale = scale
        self.files = scale_rule_files(files if files is not None else served_files(loaded), scale)
        self.rules = RuleSet.from_files(self.files)
        self.uses = raw_uses(self.rules)
        self.layout = build_layout(self.system.name, self.uses, families(self.uses))
        self.world = World(self.layout)
        self.planner = Planner(self.system, self.rules, self.world, now or time.time())
        self.outcome: Outcome = self.planner.healthy()
        self.plays: dict[str, Play] = {s.name: self.planner.play(s, self.outcome.values) for s in self.system.scenarios}
        self.lock = threading.Lock()
        self.values = dict(self.outcome.values)
        self.scenario: str | None = None
        self.started = now or time.time()
        self.running = Running(self.world, self.values, self.started)

    # -- control ------------------------------------------------------------------------

    def play(self, name: str) -> Play:
        """Play a scenario now; an unplayable one raises with the reason (never a no-op)."""
        if name not in self.plays:
            raise KeyError(f"no scenario {name!r} in {self.system.name} (known: {', '.join(self.plays) or 'none'})")
        play = self.plays[name]
        if not play.playable:
            raise ValueError(f"scenario {name!r} cannot be simulated: {play.reason}")
        self._set(play.values, name)
        return play

    def healthy(self) -> None:
        self._set(self.outcome.values, None)

    def _set(self, values: dict[Knob, float], scenario: str | None) -> None:
        with self.lock:
            self.values = dict(values)
            self.scenario = scenario
            self.running.apply(self.values, time.time())

    def job_up(self, job: str) -> bool:
        return self.values.get(Knob(-1, "up", job), 1.0) >= 0.5

    # -- exposition ---------------------------------------------------------------------

    def exposition(self, job: str, at: float | None = None) -> bytes | None:
        """The job's scrape in the Prometheus text format, or None while it is down."""
        with self.lock:
            if not self.job_up(job):
                return None
            samples = [s for s in self.running.samples(at or time.time()) if self.layout.series[s[0]].job == job]
        return render(self.world, samples)

    def jobs(self) -> list[str]:
        return [t.job for t in self.layout.targets]

    # -- reports ------------------------------------------------------------------------

    def signal_reports(self) -> list[SignalReport]:
        out = []
        for record in self.planner.signals:
            got = self.planner.values_of(self.outcome.values, record) or []
            goal = self.planner.goals.get(record)
            text = "no thresholds (dashboard only)"
            if goal:
                parts = ([f">= {goal.low:g}"] if goal.low is not None else []) + ([f"<= {goal.high:g}"] if goal.high is not None else [])
                text = " and ".join(parts)
            out.append(SignalReport(record, shape(self.rules, record), tuple(got), text, self.planner.is_healthy(self.outcome.values, record)))
        return out

    def status(self) -> dict:
        return {
            "system": self.system.name,
            "scenario": self.scenario,
            "jobs": {job: {"path": f"/metrics/{job}", "up": self.job_up(job)} for job in self.jobs()},
            "scenarios": {
                name: {"playable": p.playable, **({"why_not": p.reason} if not p.playable else {"drives": p.knobs})}
                for name, p in self.plays.items()
            },
        }


def render(world: World, samples) -> bytes:
    """Samples as a prometheus-client exposition, one family per metric."""
    by_family: dict[str, list] = {}
    for index, name, labels, value in samples:
        by_family.setdefault(world.layout.series[index].family, []).append((name, labels, value))
    metrics = []
    bare_counters = []
    for family, rows in sorted(by_family.items()):
        fam = world.families[family]
        kind = {COUNTER: "counter", GAUGE: "gauge", HISTOGRAM: "histogram", SUMMARY: "summary"}[fam.kind]
        name = family
        if fam.kind == COUNTER:
            if family.endswith("_total"):
                name = family[: -len("_total")]
            else:
                bare_counters.append(family)
        readers = sorted({u.rule for u in fam.uses})
        doc = f"Simulated by obsgen for {world.layout.system}; read by {', '.join(readers[:3])}{'...' if len(readers) > 3 else ''}."
        metric = Metric(name, doc, kind)
        for sample, labels, value in rows:  # series order, buckets by bound
            metric.add_sample(sample, dict(labels), value)
        metrics.append(metric)

    class _Families:
        def collect(self):
            return metrics

    text = generate_latest(_Families())
    # prometheus-client names every counter family <name>_total; exporters such as
    # postgres_exporter expose counters without the suffix, and say so in the header.
    for family in bare_counters:
        text = text.replace(f"# HELP {family}_total ".encode(), f"# HELP {family} ".encode())
        text = text.replace(f"# TYPE {family}_total counter".encode(), f"# TYPE {family} counter".encode())
    return text


def shape(rules: RuleSet, record: str) -> str:
    """The signal's shape in words (for listings): what the inverse has to undo."""
    rule = rules.records[record][0]
    nodes = [n for n, _ in walk(rule.node)]
    calls = {n.func for n in nodes if isinstance(n, Call)}
    names = {n.name for n in nodes if isinstance(n, Selector)}
    divides = any(isinstance(n, Binary) and n.op == "/" for n in nodes)
    if names & {"ALERTS", "ALERTS_FOR_STATE"}:
        return "count of Prometheus ALERTS (follows what fires)"
    if "histogram_quantile" in calls:
        return "histogram quantile"
    if "up" in names:
        return "up-based availability"
    if "time" in calls:
        return "time since (or until) a timestamp"
    if calls & {"rate", "irate", "increase"}:
        return "ratio of rates" if divides else "rate or increase of a counter"
    if any(isinstance(n, Binary) and n.op == "-" and isinstance(n.lhs, Number) and n.lhs.value == 1 for n in nodes) and divides:
        return "1 - a/b of gauges"
    if divides:
        return "ratio of gauges"
    if any(isinstance(n, Binary) and n.op in ("==", "!=", ">", "<", ">=", "<=") for n in nodes) and any(
        isinstance(n, Aggregate) and n.op == "count" for n in nodes
    ):
        return "count of series matching a condition"
    if calls & {"delta", "deriv"}:
        return "change of a gauge"
    return "aggregated gauge"


# -- HTTP ----------------------------------------------------------------------------------------


class SimulatorServer(LoopbackServer):
    """The simulator on 127.0.0.1 (port 0 picks a free one), in a daemon thread."""

    def __init__(self, simulation: Simulation, port: int = 0, log=None):
        self.simulation = simulation
        self.log = log
        # One scrape per job per interval, and the control API.
        super().__init__(_handler(self), port, name="obsgen-simulator", backlog=128)


def _handler(server: SimulatorServer):
    sim = server.simulation

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: Prometheus scrapes every job every second, each on a connection (and a thread) of its own otherwise

        def log_message(self, fmt, *args):  # quiet: Prometheus scrapes every second
            pass

        def _send(self, code: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, code: int, data) -> None:
            self._send(code, json.dumps(data, indent=2).encode() + b"\n")

        def do_GET(self):  # noqa: N802
            path = self.path.split("?")[0].rstrip("/")
            if path.startswith("/metrics/"):
                job = path[len("/metrics/") :]
                if job not in sim.jobs():
                    return self._json(404, {"error": f"no job {job!r}", "jobs": sim.jobs()})
                body = sim.exposition(job)
                if body is None:
                    return self._send(503, b"down (scenario)\n", "text/plain")
                return self._send(200, body, CONTENT_TYPE_LATEST)
            if path in ("", "/status"):
                return self._json(200, sim.status())
            return self._json(404, {"error": "see GET /"})

        def do_POST(self):  # noqa: N802
            length = min(int(self.headers.get("Content-Length") or 0), 65536)
            if length:
                self.rfile.read(length)
            path = self.path.split("?")[0].rstrip("/")
            if path == "/healthy":
                sim.healthy()
                if server.log:
                    server.log("simulator: healthy values")
                return self._json(200, {"scenario": None})
            if path.startswith("/scenario/"):
                name = path[len("/scenario/") :]
                try:
                    play = sim.play(name)
                except KeyError as exc:
                    return self._json(404, {"error": str(exc)})
                except ValueError as exc:
                    return self._json(409, {"error": str(exc)})
                if server.log:
                    server.log(f"simulator: playing {name}: {play.scenario.situation}")
                return self._json(200, {"scenario": name, "situation": play.scenario.situation, "drives": play.knobs})
            return self._json(404, {"error": "POST /scenario/<name> or /healthy"})

    return Handler


def write_files(files: dict[str, bytes], folder: Path) -> None:
    for path, content in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
