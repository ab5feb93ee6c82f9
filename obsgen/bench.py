"""`make bench`: generation time and peak memory, for the seeds and synthetic fleets.

Each case runs in its own process so its peak RSS is its own. Goal: the 1,000-service
fleet (10 alerts and 1 dashboard each) under 10 s and 1 GB, growing linearly.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLEETS = (100, 300, 1000)


def fleet(services: int):
    """A synthetic system: every service with 10 signals, 10 alerts, one dashboard."""
    from obsgen import ABOVE, BELOW, Alert, Level, PagerDuty, Priority, Service, Signal, Slack, System, hours, minutes, ms, seconds

    pd = PagerDuty(name="pd", service="fleet", routing_key_file="/etc/am/pd")
    slack = Slack(name="slack", channel="#fleet", api_url_file="/etc/am/slack")
    p1 = Priority(name="P1", meaning="Page.", response_time=minutes(5), receivers=(pd, slack))
    p2 = Priority(name="P2", meaning="Ticket.", response_time=hours(1), receivers=(slack,))
    built = []
    for i in range(services):
        alerts = []
        for j in range(10):
            signal = Signal(
                record=f"service:fleet_s{i}_m{j}_seconds:p95_5m",
                expr=f'histogram_quantile(0.95, sum by (le, instance) (rate(fleet_s{i}_m{j}_seconds_bucket[5m])))',
                unit=seconds,
                description=f"Service {i} metric {j} p95",
            )
            up = j % 2 == 0
            alerts.append(
                Alert(
                    name=f"FleetS{i}M{j}{'High' if up else 'Low'}",
                    signal=signal,
                    direction=ABOVE if up else BELOW,
                    warning=Level(ms(200 if up else 50), p2),
                    critical=Level(ms(500 if up else 10), p1),
                    for_=minutes(5),
                    summary="A fleet metric is out of range.",
                    meaning="Synthetic.",
                    actions=("Look.",),
                )
            )
        built.append(Service(name=f"svc-{i}", title=f"Service {i}", team=f"team-{i % 20}", description="Synthetic.", alerts=tuple(alerts)))
    return System(
        name="fleet",
        title="Fleet",
        description="Synthetic fleet for the benchmark.",
        services=tuple(built),
        receivers=(pd, slack),
        default_receiver=slack,
        priorities=(p1, p2),
    )


def _run_case(case: str) -> None:
    """Child: build and generate one case into a temp dir, print seconds and file count."""
    from obsgen.load import LoadedSystem, load_systems
    from obsgen.pipeline import system_files
    from obsgen.render.writer import write_tree

    gc.disable()  # as the command line does
    start = time.perf_counter()
    if case == "seeds":
        systems = load_systems("definitions")
    else:
        systems = [LoadedSystem(fleet(int(case.split(":")[1])), "bench")]
    files = 0
    with tempfile.TemporaryDirectory() as out:
        for loaded in systems:
            tree = system_files(loaded)
            write_tree(Path(out) / loaded.system.name, tree)
            files += len(tree)
    elapsed = time.perf_counter() - start
    alerts = sum(len(s.system.alerts) for s in systems)
    services = sum(len(s.system.services) for s in systems)
    print(f"{elapsed:.3f} {files} {alerts} {services}")


def _measure(case: str) -> tuple[float, float, int, int, int]:
    proc = subprocess.Popen([sys.executable, "-m", "obsgen.bench", "--case", case], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None  # stdout=PIPE
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS, in KiB on Linux
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"bench case {case} failed")
    peak_mb = usage.ru_maxrss / 1024
    seconds, files, alerts, services = out.split()
    return float(seconds), peak_mb, int(files), int(alerts), int(services)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        _run_case(sys.argv[2])
        return
    print(f"{'case':<14}{'services':>9}{'alerts':>8}{'files':>7}{'seconds':>9}{'ms/service':>11}{'peak MB':>9}")
    rows, peaks = [], []
    for case in ["seeds"] + [f"fleet:{n}" for n in FLEETS]:
        seconds, peak, files, alerts, services = _measure(case)
        rows.append((case, services, seconds))
        peaks.append(peak)
        print(f"{case:<14}{services:>9}{alerts:>8}{files:>7}{seconds:>9.2f}{1000 * seconds / services:>11.2f}{peak:>9.0f}")
    _print_slo_rules()
    fleet_rows = [r for r in rows if r[0].startswith("fleet")]
    small, large = fleet_rows[0], fleet_rows[-1]
    growth = (large[2] / small[2]) / (large[1] / small[1])
    print(f"\ngrowth from {small[1]} to {large[1]} services: {growth:.2f}x of linear (1.00 = linear)")
    print(f"goal: {large[1]} services under 10 s: {'met' if large[2] < 10 else 'NOT met'} ({large[2]:.2f} s)")
    print(f"goal: {large[1]} services under 1 GB: {'met' if peaks[-1] < 1024 else 'NOT met'} ({peaks[-1]:.0f} MB)")
    from .lint.bench import main as lint_bench

    lint_bench(FLEETS[-1])


def _print_slo_rules() -> None:
    """Rules per SLO in the seeds, against Sloth's 17 (recording and alerting)."""
    from obsgen.compile.slo_rules import slo_rule_counts
    from obsgen.load import load_systems

    counts = {f"{s.system.name}/{name}": n for s in load_systems("definitions") for name, n in slo_rule_counts(s.system).items()}
    if not counts:
        return
    print(f"\nrules per SLO (Sloth writes 17): {len(counts)} SLOs, {min(counts.values())} to {max(counts.values())} rules each")
    for name, n in counts.items():
        print(f"  {name:<40}{n:>4}")


if __name__ == "__main__":
    main()
