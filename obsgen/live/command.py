"""The click commands: simulate, demo and check-metrics.

They are registered on obsgen's command line (obsgen/cli.py) and also run on their own:
`python -m obsgen.live.command simulate --system bondx --list`.
"""

from __future__ import annotations

import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import click

from ..load import LoadError, LoadedSystem, load_systems
from ..model import DefinitionError
from ..pipeline import served_files
from ..verify.tools import ToolMissing

EXIT_FAILED, EXIT_BAD_INPUT = 1, 2

definitions_option = click.option(
    "--definitions", default="definitions", show_default=True, type=click.Path(file_okay=False), help="Folder of definition packages."
)


def _system(definitions: str, name: str) -> LoadedSystem:
    try:
        return load_systems(definitions, only=name)[0]
    except (LoadError, DefinitionError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)


def _raise_interrupt(*_) -> None:
    raise KeyboardInterrupt


def run_until_interrupted(run: Callable[[], None], cleanup: Callable[[], None]) -> None:
    """run(), then wait for Ctrl-C or SIGTERM. An interrupt at any moment (during
    startup too) ends the wait quietly; cleanup() always runs, with both signals ignored
    so that a second Ctrl-C cannot cut it short and leave servers behind."""
    watched = (signal.SIGINT, signal.SIGTERM)
    previous = {s: signal.getsignal(s) for s in watched}
    for sig in watched:
        signal.signal(sig, _raise_interrupt)
    try:
        run()
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        for sig in watched:
            signal.signal(sig, signal.SIG_IGN)
        try:
            cleanup()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def _fmt(values) -> str:
    if not values:
        return "(no series)"
    return ", ".join(f"{v:.6g}" for v in values)


def _listing(sim) -> None:
    reports = sim.signal_reports()
    healthy = sum(1 for r in reports if r.ok)
    click.echo(f"{sim.system.name}: {len(sim.layout.series)} series in {len(sim.layout.families)} metric families, "
               f"{len(sim.layout.targets)} scrape jobs ({', '.join(t.job for t in sim.layout.targets)})")
    click.echo(f"\nsignals: {healthy} of {len(reports)} healthy")
    for r in reports:
        mark = "ok " if r.ok else "NO "
        click.echo(f"  {mark} {r.record}  = {_fmt(r.healthy)}  [{r.goal}; {r.shape}]")
    for record, why in sim.outcome.unreached.items():
        click.echo(f"  cannot make {record} healthy: {why}")
    if sim.outcome.firing:
        click.echo("  alerting rules firing although every signal is healthy: " + ", ".join(sorted({a['alertname'] for a in sim.outcome.firing})))
    playable = [p for p in sim.plays.values() if p.playable]
    click.echo(f"\nscenarios: {len(playable)} of {len(sim.plays)} playable")
    for name, play in sim.plays.items():
        if play.playable:
            click.echo(f"  ok  {name}: {play.scenario.situation}")
            for record, knob in play.knobs.items():
                click.echo(f"        {record} <- {knob}")
            if play.extra:
                click.echo(f"        also fires in steady state: {', '.join(play.extra)}")
        else:
            click.echo(f"  NO  {name}: {play.reason}")
    for note in sim.layout.notes:
        click.echo(f"  note: {note}")


@click.command()
@definitions_option
@click.option("--system", "system", required=True, metavar="NAME", help="The system, by name (`obsgen list` shows them).")
@click.option("--scenario", default=None, help="Play this operator scenario from the start.")
@click.option("--port", default=0, show_default=True, help="Port on 127.0.0.1 (0: a free one).")
@click.option("--list", "list_only", is_flag=True, help="Show signals, healthy values and which scenarios can be played; serve nothing.")
@click.option("--speedup", default=1.0, show_default=True, help="Solve against rules whose durations are divided by this (as demo --speedup).")
def simulate(definitions: str, system: str, scenario: str | None, port: int, list_only: bool, speedup: float) -> None:
    """Serve every raw metric the system's rules read, healthy or playing a scenario.

    One scrape path per job (/metrics/<job>); POST /scenario/<name> and POST /healthy
    play scenarios on demand.
    """
    from .rules import TimeScale
    from .simulator import Simulation, SimulatorServer

    loaded = _system(definitions, system)
    sim = Simulation(loaded, TimeScale(speedup))
    if list_only:
        _listing(sim)
        return
    if scenario is not None:
        try:
            sim.play(scenario)
        except (KeyError, ValueError) as exc:
            click.echo(f"error: {exc.args[0]}", err=True)
            sys.exit(EXIT_BAD_INPUT)
    try:
        server = SimulatorServer(sim, port, log=click.echo).start()
    except OSError as exc:
        click.echo(f"error: cannot listen on 127.0.0.1:{port}: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    def announce() -> None:
        click.echo(f"simulating {system} on {server.url} ({'playing ' + scenario if scenario else 'healthy'})")
        for job in sim.jobs():
            click.echo(f"  scrape  {server.url}/metrics/{job}")
        click.echo(f"  status  curl {server.url}/")
        for name, play in sim.plays.items():
            if play.playable:
                click.echo(f"  play    curl -X POST {server.url}/scenario/{name}")
        click.echo(f"  heal    curl -X POST {server.url}/healthy")
        click.echo("Ctrl-C stops.")

    def stop() -> None:
        server.stop()
        click.echo("simulator stopped")

    run_until_interrupted(announce, stop)


@click.command()
@definitions_option
@click.option("--system", "system", required=True, metavar="NAME", help="The system, by name (`obsgen list` shows them).")
@click.option("--scenario", default=None, help="Play this operator scenario once everything runs.")
@click.option("--speedup", default=1.0, show_default=True,
              help="Divide the rules' windows, for durations and group timers by this (a demo copy; 60 turns minutes into seconds).")
def demo(definitions: str, system: str, scenario: str | None, speedup: float) -> None:
    """Run a system for real: simulator, Prometheus with the generated rules, Alertmanager
    with the generated routing (receivers redirected to a local sink). Ctrl-C stops all."""
    from .stack import Settings, Stack

    loaded = _system(definitions, system)
    settings = Settings() if speedup == 1 else Settings(speedup=speedup, scrape_interval=1, resend_delay=5)
    workdir = Path(tempfile.mkdtemp(prefix=f"obsgen-demo-{system}-"))

    def show(notification) -> None:
        for alert in notification.alerts:
            labels = dict(alert.labels)
            click.echo(f"  -> {notification.receiver}: {alert.status.upper()} {labels.get('alertname')} {labels.get('priority', '')} ({labels.get('severity', '')})")

    stack = Stack(loaded, workdir, settings, on_notification=show, log=click.echo)

    def start() -> None:
        click.echo(f"starting {system} in {workdir} ...")
        try:
            stack.start()
        except ToolMissing as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except RuntimeError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_FAILED)
        simulator, sink, simulation = stack.simulator, stack.sink, stack.simulation
        assert simulator and sink and simulation, "Stack.start() sets them"
        sim_url = simulator.url
        click.echo(f"\n{system} is running on loopback{f' (time x{speedup:g})' if speedup != 1 else ''}:")
        click.echo(f"  Prometheus    {stack.prometheus_url}  (alerts: {stack.prometheus_url}/alerts)")
        click.echo(f"  Alertmanager  {stack.alertmanager_url}")
        click.echo(f"  simulator     {sim_url}  (scrape paths /metrics/<job>)")
        click.echo(f"  sink          {sink.url}  (every receiver posts here; GET lists notifications)")
        playable = [n for n, p in simulation.plays.items() if p.playable]
        click.echo(f"  scenarios     curl -X POST {sim_url}/scenario/<name>  ({', '.join(playable) or 'none playable'})")
        click.echo(f"  heal          curl -X POST {sim_url}/healthy")
        if scenario:
            try:
                simulation.play(scenario)
                click.echo(f"playing {scenario}")
            except (KeyError, ValueError) as exc:
                click.echo(f"error: {exc.args[0]}", err=True)
        click.echo("Notifications appear below. Ctrl-C stops everything.")

    def stop() -> None:
        click.echo("stopping ...")
        stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        click.echo("stopped: Prometheus, Alertmanager, simulator and sink are down.")

    run_until_interrupted(start, stop)


@click.command("check-metrics")
@definitions_option
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--system", "system_name", default=None, help="Only this system (default: every system).")
def check_metrics(definitions: str, file: str, system_name: str | None) -> None:
    """Report metrics the definitions read that FILE (an exposition dump) lacks, and type mismatches.

    Exit 1 on an error (missing metric, counter used as a gauge, ...), 2 on bad input.
    """
    from .check_metrics import ERROR, DumpError, check, parse_dump
    from .rules import RuleSet

    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text()
    except OSError as exc:
        click.echo(f"error: cannot read {file}: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    try:
        dump = parse_dump(text)
    except DumpError as exc:
        click.echo(f"error: {file}: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    try:
        systems = load_systems(definitions, only=system_name)
    except (LoadError, DefinitionError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    errors = 0
    for loaded in systems:
        rules = RuleSet.from_files(served_files(loaded))
        findings = check(rules, dump)
        used = {u for u in _used(rules)}
        bad = sum(1 for f in findings if f.severity == ERROR)
        errors += bad
        missing = sum(1 for f in findings if f.kind == "missing")
        types = sum(1 for f in findings if f.kind == "type")
        click.echo(f"{loaded.system.name}: {len(used)} metrics read, {missing} missing, {types} type mismatches, {len(findings) - bad} warnings")
        for finding in findings:
            click.echo(f"  {finding.render()}")
    sys.exit(EXIT_FAILED if errors else 0)


def _used(rules) -> set[str]:
    from .metrics import raw_uses

    return {u.name for u in raw_uses(rules) if u.name != "up" and not u.name.startswith("scrape_")}


@click.group()
def live() -> None:
    """obsgen live: the generated rules and routing in real Prometheus and Alertmanager."""


live.add_command(simulate)
live.add_command(demo)
live.add_command(check_metrics)

if __name__ == "__main__":
    live()
