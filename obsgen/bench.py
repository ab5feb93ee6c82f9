"""`make bench`: CPU time and peak memory of every command, on the seeds and synthetic fleets.

CPU time (user + system, child processes such as promtool included), not wall time, so a
figure does not move with the machine's load. Each command runs as the user runs it
(`python -m obsgen.cli ...` in a project folder) in its own process, so its peak RSS is
its own (the largest process of the command, promtool and amtool included).

The fleets: N services of 10 alerts and one SLO each (the shape of a real fleet), one
system with many SLOs, and one service with many alerts. For each figure the bench
prints its growth against linear ((t_big / t_small) / (n_big / n_small): 1.00 is
linear) and its ratio to `promtool check rules` on the same generated rules, and states
each goal of the performance issue as met or not.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

LINEAR = 1.5  # growth at most this many times linear counts as linear (constant costs make small cases dear)
TIMEOUT = 1800  # seconds of wall time before a command is stopped and reported as too slow (with its CPU time so far)


def fleet(services: int, alerts: int = 10, slos: int = 0, variant: int = 0):
    """A synthetic system: `services` services of `alerts` alerts each, `slos` SLOs spread over them.

    Each alert has its own signal, warning and critical levels; teams cycle over 20, the
    first has its own route. `variant` 1 moves every tenth threshold and objective (a diff to read).
    """
    from obsgen import (
        ABOVE, BELOW, SLO, Alert, Level, PagerDuty, Priority, RatioSLI, Route, Service, Signal, Slack, System, hours, minutes, ms,
        percent, seconds,
    )

    pd = PagerDuty(name="pd", service="fleet", routing_key_file="/etc/am/pd")
    slack = Slack(name="slack", channel="#fleet", api_url_file="/etc/am/slack")
    p1 = Priority(name="P1", meaning="Page.", response_time=minutes(15), receivers=(pd, slack))
    p2 = Priority(name="P2", meaning="Ticket.", response_time=hours(4), receivers=(slack,))
    slack_team = Slack(name="slack-team-0", channel="#team-0", api_url_file="/etc/am/slack-team-0")
    built = []
    for i in range(services):
        made = []
        for j in range(alerts):
            signal = Signal(
                record=f"service:fleet_s{i}_m{j}_seconds:p95_5m",
                expr=f"histogram_quantile(0.95, sum by (le, instance) (rate(fleet_s{i}_m{j}_seconds_bucket[5m])))",
                unit=seconds,
                description=f"Service {i} metric {j} p95",
            )
            up = j % 2 == 0
            moved = 10 if variant and (i + j) % 10 == 0 else 0
            made.append(
                Alert(
                    name=f"FleetS{i}M{j}{'High' if up else 'Low'}",
                    signal=signal,
                    direction=ABOVE if up else BELOW,
                    warning=Level(ms((200 if up else 50) + moved), p2),
                    critical=Level(ms((500 if up else 10) + moved), p1),
                    for_=minutes(5),
                    summary="A fleet metric is out of range.",
                    meaning="Synthetic.",
                    actions=("Look.",),
                )
            )
        built.append(Service(name=f"svc-{i}", title=f"Service {i}", team=f"team-{i % 20}", description="Synthetic.", alerts=tuple(made)))
    objectives = []
    for k in range(slos):
        service = built[k % services]
        selector = f'fleet_requests_total{{service="{service.name}", slo="{k}"}}'
        objectives.append(
            SLO(
                name=f"slo-{k}",
                title=f"Requests of SLO {k}",
                description="Requests are answered without a 5xx.",
                service=service,
                sli=RatioSLI(total=selector, errors=selector[:-1] + ', code=~"5.."}'),
                objective=percent(99.5 if variant and k % 10 == 0 else 99.9),
                page_priority=p1,
                ticket_priority=p2,
                actions=("Look.",),
            )
        )
    return System(runbook_base_url="https://runbooks.example.com/", grafana_base_url="https://grafana.example.com",
        name="fleet",
        title="Fleet",
        description="Synthetic fleet for the benchmark.",
        services=tuple(built),
        receivers=(pd, slack, slack_team),
        default_receiver=slack,
        priorities=(p1, p2),
        routes=(Route(name="team-0", team="team-0", receivers=(slack_team,), also_default=True),),
        slos=tuple(objectives),
    )


# --- Running a command and measuring it -------------------------------------------------


@dataclass(frozen=True)
class Measure:
    cpu: float  # seconds, user + system, children included
    peak_mb: float  # the largest process of the command
    ok: bool
    note: str = ""

    def cell(self) -> str:
        if not self.ok:
            return f"{self.note:>15}"
        return f"{self.cpu:>8.2f}s {self.peak_mb:>5.0f}M"


def run(args: list[str], cwd: Path, ok_codes: tuple[int, ...] = (0,)) -> Measure:
    """Run a command to completion and measure it with wait4 (children included)."""
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(args, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + TIMEOUT
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                cpu = usage.ru_utime + usage.ru_stime
                return Measure(cpu, usage.ru_maxrss / 1024, False, f">{TIMEOUT}s wall, {cpu:.0f}s CPU")
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu, peak = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
        if proc.returncode not in ok_codes:
            log.seek(0)
            tail = log.read().decode(errors="replace").strip().splitlines()[-3:]
            print(f"  ! {' '.join(args[2:])} exited {proc.returncode}: {' | '.join(tail)[:300]}", file=sys.stderr)
            return Measure(cpu, peak, False, f"exit {proc.returncode}")
        return Measure(cpu, peak, True)


def obsgen(*args: str) -> list[str]:
    return [sys.executable, "-m", "obsgen.cli", *args]


def _write_definitions(project: Path, services: int, alerts: int, slos: int, variant: int) -> None:
    package = project / "definitions" / "fleet"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(
        f"from obsgen.bench import fleet\n\nSYSTEM = fleet({services}, alerts={alerts}, slos={slos}, variant={variant})\n"
    )


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=project, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@localhost",
                        "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@localhost"})


def measure_case(project: Path, services: int, alerts: int, slos: int, commands: set[str]) -> dict[str, Measure]:
    """Generate a fleet in a fresh project, then run the other commands on what it wrote."""
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    _write_definitions(project, services, alerts, slos, variant=0)
    found = {"generate": run(obsgen("generate"), project)}
    if not found["generate"].ok:
        return found
    rule_files = sorted(str(p.relative_to(project)) for p in (project / "generated" / "fleet" / "rules").glob("*.yml"))
    found["promtool"] = run([shutil.which("promtool") or "promtool", "check", "rules", *rule_files], project)
    if "test" in commands:
        found["test"] = run(obsgen("test"), project)
    if "lint" in commands:
        found["lint"] = run(obsgen("lint"), project, ok_codes=(0, 1))  # findings are not the bench's business
        if services >= 1000:
            from .lint.bench import compare

            print(f"  lint, {services} services: {compare(project / 'generated')}")
    if "diff" in commands:
        _git(project, "init", "-q")
        _git(project, "add", "-A")
        _git(project, "commit", "-qm", "base")
        _write_definitions(project, services, alerts, slos, variant=1)
        moved = run(obsgen("generate"), project)
        found["diff"] = run(obsgen("diff", "--base", "HEAD"), project) if moved.ok else moved
    return found


# --- The cases and the goals -------------------------------------------------------------

COMMANDS = ("generate", "test", "lint", "diff", "promtool")


@dataclass(frozen=True)
class Family:
    name: str
    title: str
    size_name: str
    sizes: tuple[int, ...]
    shape: Callable[[int], tuple[int, int, int]]  # size -> (services, alerts, slos)
    commands: Callable[[int], set[str]]  # size -> the commands run at that size

    def label(self, size: int) -> str:
        services, alerts, slos = self.shape(size)
        return f"{services} svc x {alerts} alerts, {slos} SLOs"


FAMILIES = (
    Family("fleet", "N services of 10 alerts and one SLO each", "services", (10, 30, 100, 300, 1000),
           lambda n: (n, 10, n), lambda n: ({"test"} if n <= 100 else set()) | ({"lint", "diff"} if n >= 100 else set())),
    Family("alerts", "N services of 10 alerts, no SLOs", "services", (10, 30, 100),
           lambda n: (n, 10, 0), lambda n: {"test"}),
    Family("slos", "one system of 10 services with N SLOs", "SLOs", (10, 30, 100, 300),
           lambda n: (10, 10, n), lambda n: set()),
    Family("service", "one service with N alerts and one SLO", "alerts", (1000, 3000, 10000),
           lambda n: (1, n, 1), lambda n: {"test"} if n <= 3000 else set()),
    Family("big", "10,000 services of 10 alerts, no SLOs (memory)", "services", (10000,),
           lambda n: (n, 10, 0), lambda n: set()),
)


def growth(results: dict[int, dict[str, Measure]], command: str) -> tuple[float, int, int] | None:
    """Growth against linear between the smallest and the largest size that ran the command."""
    sizes = [n for n, r in sorted(results.items()) if command in r and r[command].ok]
    if len(sizes) < 2:
        return None
    small, big = sizes[0], sizes[-1]
    return (results[big][command].cpu / max(results[small][command].cpu, 1e-3)) / (big / small), small, big


def _print_family(family: Family, results: dict[int, dict[str, Measure]]) -> None:
    print(f"\n{family.name}: {family.title}  (CPU seconds, peak RSS MB; then each as a multiple of `promtool check rules`)")
    print(f"{family.size_name:>9}  " + "".join(f"{c:>16}" for c in COMMANDS))
    for size, found in sorted(results.items()):
        print(f"{size:>9}  " + "".join(f" {found[c].cell()}" if c in found else f"{'-':>16}" for c in COMMANDS))
    print(f"{'':>9}  as multiples of `promtool check rules` on the same rule files:")
    for size, found in sorted(results.items()):
        reference = found.get("promtool")
        if reference and reference.ok and reference.cpu > 0:
            cells = [f"{found[c].cpu / reference.cpu:>15.1f}x" if c in found and found[c].ok else f"{'-':>16}" for c in COMMANDS[:-1]]
            print(f"{size:>9}  " + "".join(cells))
    for command in COMMANDS:
        g = growth(results, command)
        if g:
            print(f"  {command}: growth from {g[1]} to {g[2]} {family.size_name}: {g[0]:.2f}x linear")


def _goal(text: str, met: bool | None, figure: str) -> None:
    verdict = "met" if met else ("NOT met" if met is not None else "not measured")
    print(f"goal: {text}: {verdict} ({figure})")


def _goals(found: dict[str, dict[int, dict[str, Measure]]]) -> None:
    fleet_ = found.get("fleet", {})

    def at(family: str, size: int, command: str) -> Measure | None:
        return found.get(family, {}).get(size, {}).get(command)

    print()
    for family, what in (("alerts", "no SLOs"), ("fleet", "and their 100 SLOs")):
        m = at(family, 100, "test")
        _goal(f"`obsgen test` on 100 services (1,000 alerts), {what}, under 60 s CPU", (m.ok and m.cpu < 60) if m else None,
              f"{m.cpu:.1f} s" if m and m.ok else (m.note if m else "-"))
    for family, command, what in (("alerts", "test", "`obsgen test` linear in alerts"),
                                  ("service", "test", "`obsgen test` linear in alerts per service"),
                                  ("fleet", "test", "`obsgen test` linear in services with SLOs"),
                                  ("slos", "generate", "`generate` linear in SLOs per system"),
                                  ("service", "generate", "`generate` linear in alerts per service"),
                                  ("fleet", "generate", "`generate` linear in services")):
        g = growth(found.get(family, {}), command)
        _goal(what, g[0] <= LINEAR if g else None, f"{g[0]:.2f}x linear from {g[1]} to {g[2]}, goal <= {LINEAR}" if g else "-")
    big = at("big", 10000, "generate")
    _goal("`generate` of 10,000 services under 1 GB peak", (big.ok and big.peak_mb < 1024) if big else None,
          f"{big.peak_mb:.0f} MB, {big.cpu:.1f} s CPU" if big and big.ok else (big.note if big else "-"))
    for command in ("diff", "lint"):
        m, ref = at("fleet", 1000, command), at("fleet", 1000, "promtool")
        if m is None or ref is None:
            _goal(f"`obsgen {command}` of 1,000 services under 2x `promtool check rules` and 400 MB", None, "-")
        else:
            good = m.ok and ref.ok
            _goal(f"`obsgen {command}` of 1,000 services under 2x `promtool check rules` and 400 MB",
                  good and m.cpu < 2 * ref.cpu and m.peak_mb < 400,
                  f"{m.cpu:.1f} s = {m.cpu / ref.cpu:.1f}x of {ref.cpu:.1f} s, {m.peak_mb:.0f} MB" if good else m.note)
        g = growth(fleet_, command)
        _goal(f"`obsgen {command}` linear in services", g[0] <= LINEAR if g else None, f"{g[0]:.2f}x linear from {g[1]} to {g[2]}" if g else "-")


def _seeds(root: Path, work: Path) -> None:
    """The seed systems: each command on the project's own definitions."""
    out = work / "seeds-generated"
    found = {
        "generate": run(obsgen("generate", "--output", str(out)), root),
        "test": run(obsgen("test"), root),
        "lint": run(obsgen("lint"), root, ok_codes=(0, 1)),
        "diff": run(obsgen("diff", "--base", "HEAD"), root),
        "promtool": run([shutil.which("promtool") or "promtool", "check", "rules", *map(str, sorted(out.glob("*/rules/*.yml")))], root),
    }
    print("seeds: the five systems in definitions/  (CPU seconds, peak RSS MB)")
    print(f"{'':>9}  " + "".join(f"{c:>16}" for c in COMMANDS))
    print(f"{'seeds':>9}  " + "".join(f" {found[c].cell()}" for c in COMMANDS))


def _print_slo_rules(root: Path) -> None:
    """Rules per SLO in the seeds, against Sloth's 17 (recording and alerting)."""
    from obsgen.compile.slo_rules import slo_rule_counts
    from obsgen.load import load_systems

    counts = {f"{s.system.name}/{name}": n for s in load_systems(root / "definitions") for name, n in slo_rule_counts(s.system).items()}
    if counts:
        print(f"\nrules per SLO (Sloth writes 17): {len(counts)} SLOs, {min(counts.values())} to {max(counts.values())} rules each")


def main() -> None:
    only = set(sys.argv[1:])  # e.g. `python -m obsgen.bench fleet slos`: those families only
    unknown = only - {f.name for f in FAMILIES} - {"seeds"}
    if unknown:
        raise SystemExit(f"unknown bench families: {', '.join(sorted(unknown))} (known: seeds, {', '.join(f.name for f in FAMILIES)})")
    root = Path.cwd()
    found: dict[str, dict[int, dict[str, Measure]]] = {}
    with tempfile.TemporaryDirectory(prefix="obsgen-bench-") as tmp:
        work = Path(tmp)
        if not only or "seeds" in only:
            _seeds(root, work)
            _print_slo_rules(root)
        for family in FAMILIES:
            if only and family.name not in only:
                continue
            results: dict[int, dict[str, Measure]] = {}
            for size in family.sizes:
                services, alerts, slos = family.shape(size)
                results[size] = measure_case(work / "project", services, alerts, slos, family.commands(size))
            found[family.name] = results
            _print_family(family, results)
    _goals(found)


if __name__ == "__main__":
    main()
