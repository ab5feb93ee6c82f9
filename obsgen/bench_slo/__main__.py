"""python -m obsgen.bench_slo [--no-cost] [--no-scenarios] [--scenario WORDS] [--slos N --apps N ...]"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..model.slo import PAGE
from .cost import Fleet, fleet_slos, measure
from .scenarios import AVAILABILITY, LATENCY, TABLE, Scenario
from .subjects import obsgen_rules, sloth_rules, subject
from .timeline import Outcome, run


def _minutes(value: int | None) -> str:
    return "-" if value is None else f"+{value}m" if value >= 0 else f"{value}m"


def scenario_rows(scenario: Scenario, scrape: int, log=print) -> list[list[str]]:
    try:
        system, slo = subject(scenario.sli, scenario.options)
        note = ""
    except ValueError as exc:
        system, slo = subject(scenario.sli)
        note = f" ({exc}: run without it)"
    rows = []
    partial = scenario.lead < max((t.long_seconds // 60 for t in slo.burn_tiers if t.kind is not PAGE), default=0)
    for rules in (obsgen_rules(system, [slo]), sloth_rules([slo])):
        began = time.monotonic()
        outcome = Outcome.of(run(rules, slo, scenario, scrape), scenario, rules.burn_alerts)
        others = ", ".join(f"{name} {_minutes(at)}" for name, at in outcome.others.items()) or "-"
        rows.append([
            scenario.name + note if rules.name == "obsgen" else "", scenario.workbook if rules.name == "obsgen" else "", rules.name,
            _minutes(outcome.page_at),
            _minutes(outcome.page_clears) if scenario.recovery is not None else (f"ends {_minutes(outcome.page_ends)}" if outcome.page_ends is not None else "-"),
            str(outcome.pages),
            _minutes(outcome.ticket_at) + ("*" if partial and outcome.ticket_at is not None else ""), str(outcome.tickets),
            others, str(outcome.false_alarms + outcome.before), f"{time.monotonic() - began:.0f}s",
        ])
        log(f"  {scenario.name}, {rules.name}: " + ", ".join(f"{h} {v}" for h, v in zip(HEADER[3:], rows[-1][3:])), flush=True)
    return rows


HEADER = ["scenario", "workbook", "rules", "page at", "page clears", "pages", "ticket at", "tickets", "other alerts", "false", "took"]


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def scenarios(words: str | None, scrape: int, jobs: int) -> None:
    chosen = [s for s in TABLE if not words or words.lower() in s.name.lower()]
    print(f"\nScenarios: promtool test rules (Prometheus 2.42's rule engine), raw counters every {scrape}s, rules every 1m; "
          "times from the incident's start (page clears: from recovery, or when it ends without one); alerts of app a (b stays healthy)\n", flush=True)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda s: scenario_rows(s, scrape), chosen))
    print()
    print(_table(HEADER, [row for rows in results for row in rows]))
    print("\nfalse: alert episodes of healthy app b, or of app a before the incident. "
          "*: a ticket with less history than the 3d window (a one-day lead), where the 1x tier fires early for both.")


def cost(fleet: Fleet) -> None:
    system, availability = subject(AVAILABILITY)
    _, latency = subject(LATENCY)
    system, slos = fleet_slos(system, [availability, latency], fleet)
    sets = [obsgen_rules(system, slos), sloth_rules(slos)]
    print(f"\nCost: a real Prometheus 2.42 on loopback, {fleet.slos} SLOs x {fleet.apps} apps x {fleet.instances} instances, "
          f"raw samples every {fleet.scrape}s, rules every 1m (run {fleet.speedup}x faster for {fleet.seconds}s)\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="obsgen-bench-slo-") as work:
        results = measure(sets, slos, fleet, Path(work))
    rows = []
    for name, c in results.items():
        rows.append([name, str(c.rules), str(c.recorded_series), f"{c.eval_seconds_per_minute:.3f}", f"{c.cpu_seconds_per_minute:.3f}", str(c.rounds), f"{c.backfilled_samples:,}"])
    o, s = results["obsgen"], results["Sloth"]
    rows.append(["obsgen/Sloth", f"{o.rules / s.rules:.2f}", f"{o.recorded_series / s.recorded_series:.2f}",
                 f"{o.eval_seconds_per_minute / s.eval_seconds_per_minute:.2f}", f"{o.cpu_seconds_per_minute / max(s.cpu_seconds_per_minute, 1e-9):.2f}", "", ""])
    print(_table(["rules", "rules", "recorded series", "eval s/min (a round)", "CPU s/min", "rounds", "backfilled samples"], rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench-slo", description=__doc__)
    parser.add_argument("--no-cost", action="store_true", help="skip the real-Prometheus cost run")
    parser.add_argument("--no-scenarios", action="store_true", help="skip the scenario table")
    parser.add_argument("--scenario", help="only scenarios whose name contains these words")
    parser.add_argument("--scrape", type=int, default=60, help="seconds between raw samples in the scenarios (default 60)")
    parser.add_argument("--jobs", type=int, default=2, help="scenarios run at once (default 2)")
    defaults = Fleet()
    for field in ("slos", "apps", "instances", "speedup", "seconds"):
        parser.add_argument(f"--{field}", type=int, default=getattr(defaults, field), help=f"cost run (default {getattr(defaults, field)})")
    parser.add_argument("--cost-scrape", type=int, default=defaults.scrape, help=f"seconds between raw samples in the cost run (default {defaults.scrape})")
    args = parser.parse_args(argv)
    if not args.no_cost:
        cost(Fleet(args.slos, args.apps, args.instances, args.cost_scrape, args.speedup, args.seconds))
    if not args.no_scenarios:
        scenarios(args.scenario, args.scrape, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
