"""History for the windows: the simulator's healthy past, written into Prometheus' TSDB.

A fresh Prometheus has no history, so rate(x[5m]) is underestimated for five minutes
and increase(x[24h]) for a day: a healthy message rate reads as "low" and fires. The
simulator knows its past (every series is a line), so before Prometheus starts we
write that past as OpenMetrics and let `promtool tsdb create-blocks-from openmetrics`
turn it into blocks in the storage folder. Each window the rules use over raw series
gets ~30 samples across it; recorded series are left to Prometheus.

The history runs a few seconds into the future: Prometheus' first scrape comes only
after its service discovery settles (5 s in 2.42), and a gap there would empty every
short window. Prometheus drops the live samples that overlap the written blocks.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

from ..verify.tools import run
from .simulator import Simulation
from .world import UP


@dataclass(frozen=True)
class Backfilled:
    samples: int
    series: int
    seconds: float  # promtool's time
    since: float  # oldest timestamp written


def sample_times(windows: list[float], end: float, scrape_interval: float) -> list[float]:
    """Timestamps up to end: ~30 per window across 1.2 windows, whole seconds."""
    times: set[int] = set()
    end = int(end)
    for window in windows:
        step = max(scrape_interval, window / 30)
        t = end - 1.2 * window
        while t <= end:
            times.add(int(t))
            t += step
        times.add(end)
    return sorted(times)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(labels: dict[str, str]) -> str:
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in sorted(labels.items()) if k != "__name__") + "}"


def history(sim: Simulation, instance: str, end: float, scrape_interval: float) -> tuple[str, int, int, float]:
    """OpenMetrics text of the simulator's healthy lines up to end (and each job's up)."""
    windows = sorted({u.range for u in sim.uses if u.range})
    if not windows:
        return "# EOF\n", 0, 0, end
    times = sample_times(windows, end, scrape_interval)
    world = sim.world
    by_name: dict[str, list[tuple[dict, float, float, float]]] = {}
    for (index, name, labels), (base, slope, since, _) in sim.running.lines.items():
        series = world.layout.series[index]
        scraped = world.scraped_labels(series.job, labels, name)
        scraped["instance"] = instance
        by_name.setdefault(name, []).append((scraped, base, slope, since))
    for target in world.layout.targets:
        by_name.setdefault(UP, []).append(({**dict(target.labels), "job": target.job, "instance": instance}, 1.0, 0.0, end))
    lines = []
    count = 0
    for name in sorted(by_name):
        for scraped, base, slope, since in by_name[name]:
            text = _labels(scraped)
            for t in times:
                value = base + slope * (t - since)
                if not math.isfinite(value):
                    continue
                lines.append(f"{name}{text} {value!r} {t}")
                count += 1
    lines.append("# EOF")
    return "\n".join(lines) + "\n", count, sum(len(v) for v in by_name.values()), float(times[0])


def backfill(sim: Simulation, data_dir: Path, instance: str, end: float, scrape_interval: float) -> Backfilled:
    """Write the history up to end into data_dir (Prometheus' --storage.tsdb.path) with promtool."""
    text, count, series, since = history(sim, instance, end, scrape_interval)
    data_dir.mkdir(parents=True, exist_ok=True)
    if not count:
        return Backfilled(0, 0, 0.0, end)
    source = data_dir.parent / "backfill.om"
    source.write_text(text)
    began = time.monotonic()
    span_hours = max(2, math.ceil((end - since) / 3600))
    result = run("promtool", "tsdb", "create-blocks-from", "openmetrics", f"--max-block-duration={span_hours}h", str(source), str(data_dir), timeout=120)
    if not result.ok:
        raise RuntimeError(f"promtool could not backfill the simulator's history:\n{result.output[-2000:]}")
    source.unlink()
    return Backfilled(count, series, time.monotonic() - began, since)
