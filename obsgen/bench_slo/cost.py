"""What a rule set costs in a real Prometheus 2.42: evaluation seconds, CPU, recorded series.

A fleet of SLOs (copies of the subjects, each on its own metrics) over apps and
instances. Prometheus's storage is backfilled with promtool: the raw counters for as long
as any rule reads them (three days for Sloth's 3d window), and each recorded series a
rule reads over a range for as long as it reads it (30 days for a period rule), at its
group's interval, so every window is as full as in production. Label sets and values of
the recorded series come from a first short run of the same rules.

Then Prometheus starts with no rules (its idle CPU is measured), loads the rules, and runs
them with every interval divided by `speedup`: CPU seconds per minute of real time and
evaluation seconds per round follow from that. Each rule set has its own Prometheus and
storage; the two runs use the same raw data.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import random
import shutil
import signal
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import promql
from ..live.stack import Server, free_port, wait_until
from ..model import System
from ..model.durations import format_duration, parse_duration
from ..model.slo import SLO, LatencySLI, RatioSLI
from ..verify.tools import require, run
from ..compile.slo_inputs import counters
from .timeline import RuleSet

RAW_RATE = 100.0  # requests per second per instance
HEALTHY_BAD = {"availability": 0.0005, "latency": 0.025}
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Fleet:
    slos: int = 10  # half availability, half latency
    apps: int = 10
    instances: int = 2
    scrape: int = 30  # seconds between raw samples
    speedup: int = 6  # rule intervals divided by this while measuring
    seconds: int = 90  # how long to measure


def fleet_slos(system: System, subjects: list[SLO], fleet: Fleet) -> tuple[System, list[SLO]]:
    """fleet.slos copies of the subjects, each on metrics of its own (bench<i>_...)."""
    made = []
    for i in range(fleet.slos):
        base = subjects[i % len(subjects)]
        sli = base.sli
        metric = lambda s: s.replace("bondx_", f"bench{i}_", 1)  # noqa: E731
        new: RatioSLI | LatencySLI
        if isinstance(sli, RatioSLI):
            new = dataclasses.replace(sli, total=metric(sli.total), **({"good": metric(sli.good)} if sli.counts_good else {"errors": metric(sli.errors)}))
        elif isinstance(sli, LatencySLI):
            new = dataclasses.replace(sli, histogram=metric(sli.histogram))
        else:
            raise ValueError(f"{base.name}: the fleet copies ratio and latency SLOs")
        made.append(dataclasses.replace(base, name=f"{base.name}-{i}", sli=new))
    return dataclasses.replace(system, slos=tuple(made)), made


@dataclass(frozen=True)
class RawSeries:
    text: str  # name{labels}
    role: str  # total, good or bad
    bad_share: float


def raw_series(slos: list[SLO], fleet: Fleet) -> list[RawSeries]:
    out = []
    for slo in slos:
        share = HEALTHY_BAD["latency" if isinstance(slo.sli, LatencySLI) else "availability"]
        for a in range(fleet.apps):
            for n in range(fleet.instances):
                for counter in counters(slo, {"app": f"app{a}", "instance": f"10.0.{a}.{n}:8080"}):
                    out.append(RawSeries(counter.text, counter.role, share))
    return out


def _om(text: str) -> str:
    """name{a="x", b="y"} as OpenMetrics writes it (no spaces)."""
    return text.replace(", ", ",")


def write_raw(path: Path, series: list[RawSeries], start: float, end: float, scrape: int, after: float | None = None) -> int:
    """Counters that grow by about RAW_RATE a second (whole requests), one sample a scrape
    from start to end (written only after `after`: the same counters, continued)."""
    first = math.ceil(start / scrape) * scrape
    times = [(t, f" {t}\n") for t in range(first, int(end) + 1, scrape)]
    rng = random.Random(1)
    noise = [0.9 + 0.2 * rng.random() for _ in range(997)]
    count = 0
    with path.open("a") as out:
        for i, s in enumerate(series):
            name = _om(s.text) + " "
            value = 0
            lines = []
            for j, (t, text) in enumerate(times):
                requests = int(RAW_RATE * scrape * noise[(i * 31 + j) % 997])
                bad = round(requests * s.bad_share * noise[(i * 17 + j * 7) % 997])
                value += requests if s.role == "total" else requests - bad if s.role == "good" else bad
                if after is None or t > after:
                    lines.append(f"{name}{value}{text}")
            out.writelines(lines)
            count += len(lines)
    return count


# --- which recorded series the rules read, and for how long --------------------------------


def _reads(tree, out: dict[str, float]) -> None:
    """Names read over a range (a matrix selector, or a selector inside a subquery), with the longest span."""
    for node, parents in promql.walk(tree):
        if not isinstance(node, promql.Selector) or not node.name:
            continue
        span = (node.range or 0) + sum(p.range + 300 for p in parents if isinstance(p, promql.Subquery))
        if span:
            out[node.name] = max(out.get(node.name, 0), span + node.offset)


def _ranged_reads(rules: RuleSet, recorded: bool) -> dict[str, float]:
    """Series read over a range with the longest range (seconds): the recorded ones, or the raw ones."""
    records = set(_record_names(rules))
    found: dict[str, float] = {}
    for f in rules.files.values():
        for g in f["groups"]:
            for r in g["rules"]:
                _reads(promql.parse(r["expr"]), found)
    return {name: span for name, span in found.items() if (name in records) == recorded}


def ranged_records(rules: RuleSet) -> dict[str, float]:
    """Recorded series read over a range, with the longest range (seconds)."""
    return _ranged_reads(rules, recorded=True)


def group_intervals(rules: RuleSet) -> dict[str, int]:
    """Each recorded name's group interval (seconds; 60 when the group inherits the global one)."""
    out: dict[str, int] = {}
    for f in rules.files.values():
        for g in f["groups"]:
            for r in g["rules"]:
                if "record" in r:
                    out.setdefault(r["record"], parse_duration(g.get("interval", "1m")))
    return out


def scaled(rules: RuleSet, speedup: int) -> dict[str, dict]:
    """The rule files with every group interval divided by speedup (the global one too)."""
    out = {}
    for name, content in rules.files.items():
        groups = []
        for g in content["groups"]:
            seconds = parse_duration(g.get("interval", "1m"))
            groups.append({**g, "interval": format_duration(max(1, seconds // speedup))})
        out[name] = {"groups": groups}
    return out


# --- one Prometheus --------------------------------------------------------------------------


class Instance:
    """A Prometheus on loopback over a storage folder, rules loadable later."""

    def __init__(self, workdir: Path, data: Path, speedup: int):
        self.workdir = workdir
        self.data = data
        self.speedup = speedup
        self.port = free_port()
        self.config = workdir / "prometheus.yml"
        self.server: Server | None = None

    def write_config(self, rule_files: list[Path]) -> None:
        every = f"{max(1, 60 // self.speedup)}s"
        config = {"global": {"scrape_interval": "1m", "evaluation_interval": every}, "rule_files": [str(p) for p in rule_files]}
        self.config.write_text(yaml.safe_dump(config))

    def start(self) -> "Instance":
        self.write_config([])
        self.server = Server(
            "prometheus",
            [require("prometheus"), f"--config.file={self.config}", f"--storage.tsdb.path={self.data}", "--storage.tsdb.retention.time=90d",
             f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"],
            self.workdir / "prometheus.log", f"http://127.0.0.1:{self.port}/-/ready",
        ).start(180)
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def load(self, rule_files: list[Path], groups: int) -> None:
        self.write_config(rule_files)
        assert self.server and self.server.proc
        self.server.proc.send_signal(signal.SIGHUP)
        if not wait_until(lambda: len(self.rules()) == groups, 60, 0.2):
            raise RuntimeError(f"Prometheus did not load {groups} rule groups:\n{self.server.log_tail()}")

    def get(self, path: str, **params) -> dict:
        url = f"http://127.0.0.1:{self.port}{path}" + ("?" + urllib.parse.urlencode(params) if params else "")
        with urllib.request.urlopen(url, timeout=60) as response:
            return json.loads(response.read())

    def rules(self) -> list[dict]:
        return self.get("/api/v1/rules")["data"]["groups"]

    def query(self, expr: str) -> list[dict]:
        return self.get("/api/v1/query", query=expr)["data"]["result"]

    def cpu(self) -> float:
        assert self.server and self.server.pid
        fields = Path(f"/proc/{self.server.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS


def backfill(data: Path, source: Path, span_hours: int) -> None:
    data.mkdir(parents=True, exist_ok=True)
    with source.open("a") as out:
        out.write("# EOF\n")
    result = run("promtool", "tsdb", "create-blocks-from", "openmetrics", f"--max-block-duration={max(2, span_hours)}h", str(source), str(data), timeout=3600)
    if not result.ok:
        raise RuntimeError(f"promtool could not backfill:\n{result.output[-2000:]}")
    source.unlink()


@dataclass(frozen=True)
class Cost:
    rules: int
    recorded_series: int
    eval_seconds_per_minute: float  # rule-evaluation seconds per minute of real time (a round of the 1m groups)
    cpu_seconds_per_minute: float
    rounds: int
    backfilled_samples: int


def _discover(rules: RuleSet, raw: list[RawSeries], fleet: Fleet, workdir: Path) -> tuple[dict[str, list[tuple[dict, float]]], float]:
    """Label sets and values of every recorded series a rule reads over a range, from a short
    run on an hour of raw data; and how fast this machine backfills (samples a second)."""
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / "discover-data"
    source = workdir / "discover.om"
    began = time.time()
    samples = write_raw(source, raw, began - 3900, began, fleet.scrape)
    backfill(data, source, 2)
    speed = samples / max(0.1, time.time() - began)
    prometheus = Instance(workdir, data, fleet.speedup)
    files = _write_rules(rules, fleet.speedup, workdir / "discover-rules")
    try:
        prometheus.start()
        prometheus.load(files, sum(len(f["groups"]) for f in rules.files.values()))
        slowest = max(parse_duration(g.get("interval", "1m")) for f in rules.files.values() for g in f["groups"])
        time.sleep(2 * slowest / fleet.speedup + 2)
        found = {name: [(r["metric"], float(r["value"][1])) for r in prometheus.query(name)] for name in ranged_records(rules)}
        return found, speed
    finally:
        prometheus.stop()
        shutil.rmtree(data, ignore_errors=True)


def _write_rules(rules: RuleSet, speedup: int, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in scaled(rules, speedup).items():
        path = folder / name
        path.write_text(yaml.safe_dump(content, sort_keys=False))
        paths.append(path)
    return paths


def _write_recorded(path: Path, found: dict[str, list[tuple[dict, float]]], spans: dict[str, float], intervals: dict[str, int],
                    end: float, after: float | None = None) -> int:
    """Each recorded series' history at its group's interval up to end (after `after` only), its value within 1%."""
    rng = random.Random(2)
    noise = [0.99 + 0.02 * rng.random() for _ in range(997)]
    count = 0
    with path.open("a") as out:
        for i, (name, samples) in enumerate(sorted(found.items())):
            step = intervals[name]
            first = math.ceil((end - spans[name] - 600) / step) * step
            if after is not None:
                first = max(first, (int(after) // step + 1) * step)
            times = range(first, int(end) + 1, step)
            for k, (labels, value) in enumerate(samples):
                text = _om(name + "{" + ", ".join(f'{a}="{b}"' for a, b in sorted(labels.items()) if a != "__name__") + "}")
                value = value if math.isfinite(value) else 0.0
                out.writelines(f"{text} {value * noise[(i * 13 + k * 7 + j) % 997]!r} {t}\n" for j, t in enumerate(times))
                count += len(times)
    return count


def raw_span(rule_sets: list[RuleSet]) -> float:
    """How far back any of the rule sets reads raw series (seconds)."""
    return max([3600.0] + [s for rules in rule_sets for s in _ranged_reads(rules, recorded=False).values()])


def _record_names(rules: RuleSet) -> list[str]:
    return sorted({r["record"] for f in rules.files.values() for g in f["groups"] for r in g["rules"] if "record" in r})


def measure(rule_sets: list[RuleSet], slos: list[SLO], fleet: Fleet, workdir: Path, log=print) -> dict[str, Cost]:
    """Each rule set in its own Prometheus, all at once on the same raw data and clock."""
    raw = raw_series(slos, fleet)
    seconds = raw_span(rule_sets)
    found, speed = {}, []
    for rules in rule_sets:
        log(f"  {rules.name}: discovering the recorded series")
        found[rules.name], rate = _discover(rules, raw, fleet, workdir / rules.name.lower())
        speed.append(rate)
    # The rules may only write after the last backfilled sample, and the short windows need
    # samples up to now: the bulk of the history first, then its last minutes, ending just ahead.
    spans = {rules.name: ranged_records(rules) for rules in rule_sets}
    began = time.time()
    start, cut = began - seconds - 900, began - 300
    log(f"  backfilling {len(raw)} raw series over {seconds / 86400:g} days and each rule set's recorded series as far back as it reads them")
    raw_dir = workdir / "raw-blocks"
    source = workdir / "raw.om"
    raw_samples = write_raw(source, raw, start, cut, fleet.scrape)
    backfill(raw_dir, source, int(seconds // 3600) + 2)
    datas, samples = {}, {}
    for rules in rule_sets:
        folder = workdir / rules.name.lower()
        datas[rules.name] = folder / "data"
        shutil.copytree(raw_dir, datas[rules.name])
        source = folder / "history.om"
        samples[rules.name] = raw_samples + _write_recorded(source, found[rules.name], spans[rules.name], group_intervals(rules), cut)
        backfill(datas[rules.name], source, int(max(spans[rules.name].values(), default=3600) // 3600) + 2)
    end = time.time() + 15
    recent = write_raw(workdir / "recent.om", raw, start, end, fleet.scrape, after=cut)
    for rules in rule_sets:
        folder = workdir / rules.name.lower()
        shutil.copy(workdir / "recent.om", folder / "recent.om")
        samples[rules.name] += recent + _write_recorded(folder / "recent.om", found[rules.name], spans[rules.name], group_intervals(rules), end - 60, after=cut)
        backfill(datas[rules.name], folder / "recent.om", 2)
    (workdir / "recent.om").unlink()
    log(f"  backfilled in {time.time() - began:.0f} s" + (f", {time.time() - end:.0f} s past the last sample" if time.time() > end else ""))
    instances = {rules.name: Instance(workdir / rules.name.lower(), datas[rules.name], fleet.speedup) for rules in rule_sets}
    try:
        for prometheus in instances.values():
            prometheus.start()
        wait_until(lambda: time.time() > end + 1, 600, 0.5)
        idle_start = time.time()
        idle_cpu = {name: p.cpu() for name, p in instances.items()}
        time.sleep(10)
        idle = {name: (p.cpu() - idle_cpu[name]) / (time.time() - idle_start) for name, p in instances.items()}
        for rules in rule_sets:
            files = _write_rules(rules, fleet.speedup, workdir / rules.name.lower() / "rules")
            instances[rules.name].load(files, sum(len(f["groups"]) for f in rules.files.values()))
        for prometheus in instances.values():
            wait_until(lambda: all(g.get("lastEvaluation", "0001").startswith("20") for g in prometheus.rules()), 120, 0.5)
        log(f"  measuring for {fleet.seconds} s ({fleet.speedup}x faster than real time)")
        durations: dict[str, dict[tuple[str, str], float]] = {name: {} for name in instances}
        intervals: dict[str, dict[str, float]] = {name: {} for name in instances}
        t0 = time.time()
        cpu0 = {name: p.cpu() for name, p in instances.items()}
        while time.time() - t0 < fleet.seconds:
            for name, prometheus in instances.items():
                for g in prometheus.rules():
                    key = g["name"] + "@" + g["file"]
                    durations[name][(key, g["lastEvaluation"])] = g["evaluationTime"]
                    intervals[name][key] = g["interval"] * fleet.speedup
            time.sleep(0.5)
        elapsed = time.time() - t0
        cpu = {name: p.cpu() - cpu0[name] for name, p in instances.items()}
        out = {}
        for rules in rule_sets:
            name = rules.name
            per_group: dict[str, list[float]] = {}
            for (group, _), secs in durations[name].items():
                per_group.setdefault(group, []).append(secs)
            per_minute = sum(sum(v) / len(v) * 60 / intervals[name][g] for g, v in per_group.items())
            query = "count({__name__=~\"" + "|".join(_record_names(rules)) + "\"})"
            out[name] = Cost(
                rules=sum(len(g["rules"]) for f in rules.files.values() for g in f["groups"]),
                recorded_series=sum(int(r["value"][1]) for r in instances[name].query(query)),
                eval_seconds_per_minute=per_minute,
                cpu_seconds_per_minute=max(0.0, cpu[name] - idle[name] * elapsed) / (elapsed * fleet.speedup / 60),
                rounds=min(len(v) for v in per_group.values()),
                backfilled_samples=samples[name],
            )
        return out
    finally:
        for prometheus in instances.values():
            prometheus.stop()
