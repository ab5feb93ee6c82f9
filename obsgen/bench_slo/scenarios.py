"""The situations `make bench-slo` replays, and the raw series each one feeds promtool.

A scenario is a day of healthy history (the page windows and the 1d ticket window full;
three days where a scenario is about the 3d ticket window), then phases:
so many minutes with a share of bad requests, a traffic level, scraped or not, and the
label of the threshold bucket. It happens to app "a"; app "b" stays healthy beside it,
so an alert for "b" is a false alarm. Healthy is half the error budget. Counters are
whole numbers of requests, scraped every `scrape` seconds (1000 requests a second per
app), so "exactly 14.4x" is exactly 1.44% of requests at 99.9%.

To add a situation, add a Scenario to TABLE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ..compile.slo_inputs import GOOD, counters
from ..model.slo import SLO, LatencySLI
from ..model.units import minutes

RATE = 1000  # requests per second per app
DAY = 1440  # minutes
HEALTHY = Fraction(1, 2)  # the healthy burn rate: half the budget
SUBJECT, BYSTANDER = "a", "b"
AVAILABILITY, LATENCY = "availability", "latency"


@dataclass(frozen=True)
class Phase:
    minutes: int
    burn: Fraction | None = None  # bad requests as a multiple of the budget (None: healthy)
    bad: Fraction | None = None  # or as a share of requests (1 = every request fails)
    traffic: Fraction = Fraction(1)  # x RATE; 0: the counters stay flat
    scraped: bool = True  # False: a scrape gap, no sample of app a at all
    le: str | None = None  # the threshold bucket's le label from here on (a renamed bucket)

    def share(self, slo: SLO, healthy: Fraction = HEALTHY) -> Fraction:
        if self.bad is not None:
            return Fraction(self.bad)
        return Fraction(self.burn if self.burn is not None else healthy) * slo.budget

    @property
    def healthy(self) -> bool:
        return self.burn is None and self.bad is None and self.traffic == 1 and self.scraped and self.le is None


@dataclass(frozen=True)
class Scenario:
    name: str
    sli: str  # AVAILABILITY (the ratio SLO) or LATENCY (the histogram SLO)
    phases: tuple[Phase, ...]
    workbook: str = ""  # what the SRE workbook expects, for the table
    options: dict = field(default_factory=dict)  # SLO fields the scenario sets (e.g. no_traffic_for)
    lead: int = DAY  # minutes of healthy history first (promtool's time grows with it)
    healthy: Fraction = HEALTHY  # the burn rate outside the incident

    @property
    def start(self) -> int:
        """The minute the incident starts."""
        return self.lead

    @property
    def recovery(self) -> int | None:
        """The minute the last phase starts if it is healthy again (the incident is over)."""
        if len(self.phases) < 2 or not self.phases[-1].healthy:
            return None
        return self.lead + sum(p.minutes for p in self.phases[:-1])

    @property
    def length(self) -> int:
        return self.lead + sum(p.minutes for p in self.phases)

    def phase_at(self, minute: int) -> Phase:
        if minute < self.lead:
            return Phase(1)
        t = self.lead
        for phase in self.phases:
            if minute < t + phase.minutes:
                return phase
            t += phase.minutes
        return self.phases[-1]


def _outage(minutes: int) -> Phase:
    return Phase(minutes, bad=Fraction(1))


TABLE: tuple[Scenario, ...] = (
    Scenario("100% outage (30 min)", AVAILABILITY, (_outage(30), Phase(90)), "page after 0.86 min"),
    Scenario("exactly 14.4x (2 h)", AVAILABILITY, (Phase(120, burn=Fraction(72, 5)), Phase(120)), "page after 60 min"),
    Scenario("exactly 6x (20 h)", AVAILABILITY, (Phase(1200, burn=Fraction(6)), Phase(60)), "page after 360 min"),
    Scenario("steady 3x (30 h)", AVAILABILITY, (Phase(1800, burn=Fraction(3)), Phase(60)), "ticket after 1,440 min",
             lead=3 * DAY, healthy=Fraction(0)),  # the workbook's case: no errors before
    Scenario("3-minute 100% spike", AVAILABILITY, (_outage(3), Phase(120)), "one page"),
    Scenario("10-minute scrape gap inside an outage", AVAILABILITY,
             (_outage(15), Phase(10, bad=Fraction(1), scraped=False), _outage(15), Phase(90)), "one page, continuous"),
    Scenario("2 h latency outage", LATENCY, (_outage(120), Phase(120)), "page after 43 min"),
    Scenario('histogram bucket renamed (le="0.10")', LATENCY, (Phase(180, le="0.10"),), "no page (Pyrra: metric absent)"),
    Scenario("threshold bucket gone (le=0.1 now 0.12)", LATENCY, (Phase(180, le="0.12"),), "no page; the missing bucket named"),
    Scenario("traffic stops after an outage", AVAILABILITY, (_outage(30), Phase(120, traffic=Fraction(0))),
             "the stop is an alert", {"no_traffic_for": minutes(10)}),
)


# --- raw series ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One raw counter: its text, and its value at each sample (None: not scraped)."""

    text: str
    values: tuple[float | None, ...]


def _group(slo: SLO, app: str) -> dict[str, str]:
    return {label: app for label in slo.group_by} or {"app": app}


def samples_per_minute(scrape: int) -> int:
    if 60 % scrape:
        raise ValueError(f"scrape interval {scrape}s must divide a minute")
    return 60 // scrape


def raw_series(slo: SLO, scenario: Scenario, scrape: int = 60) -> list[Series]:
    """Every raw series of both apps, sampled every `scrape` seconds from minute 0."""
    out = []
    per = samples_per_minute(scrape)
    for app in (SUBJECT, BYSTANDER):
        subject = app == SUBJECT
        phases = [scenario.phase_at(m) if subject else Phase(1) for m in range(scenario.length)]  # b: healthy throughout
        total_inc, bad_inc = [], []
        for phase in phases:
            requests = Fraction(RATE * scrape) * phase.traffic
            bad = round(requests * phase.share(slo, scenario.healthy))
            total_inc += [int(requests)] * per
            bad_inc += [bad] * per
        scraped = [p.scraped for p in phases for _ in range(per)]
        les = [p.le for p in phases for _ in range(per)]
        out += _counters(slo, _group(slo, app), total_inc, bad_inc, scraped, les)
    return out


def _counters(slo: SLO, group: dict[str, str], total_inc, bad_inc, scraped, les) -> list[Series]:
    increments = {"total": total_inc, "bad": bad_inc, "good": [t - b for t, b in zip(total_inc, bad_inc)]}
    out = []
    for le in dict.fromkeys([None] + [le for le in les if le]):
        present = [l == le for l in les]
        for counter in counters(slo, group, le):
            bucket = isinstance(slo.sli, LatencySLI) and counter.role == GOOD
            if le is not None and not bucket:
                continue  # a renamed bucket: only the bucket series is new
            out.append(Series(counter.text, _cumulative(increments[counter.role], scraped, present if bucket else None)))
    return out


def _cumulative(increments: list[int], scraped: list[bool], present: list[bool] | None = None) -> tuple[float | None, ...]:
    """Samples of a counter from 0: None where not scraped or (a renamed bucket) not exported."""
    total, out = 0, [0.0 if present is None or present[0] else None]
    for i, inc in enumerate(increments):
        total += inc
        ok = scraped[i] and (present is None or present[i])
        out.append(float(total) if ok else None)
    return tuple(out)
