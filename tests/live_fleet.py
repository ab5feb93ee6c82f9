"""A synthetic system for the live tests: many distinct alerts, each on its own gauge."""

from __future__ import annotations

from obsgen import (
    ABOVE, Alert, Fires, Holds, Level, PagerDuty, Priority, Route, Scenario, Service, Signal, Slack, System, hours,
    minutes, ratio,
)
from obsgen.load import LoadedSystem

EVERYTHING = "everything-fails"


def fleet(services: int, per_service: int, name: str = "fleet") -> LoadedSystem:
    """services x per_service alerts (P1 pages pd and #fleet, P2 tells #fleet; team-0 also #team-0)."""
    pd = PagerDuty(name="pd", service="fleet", routing_key_file="/etc/am/pd")
    slack = Slack(name="slack", channel="#fleet", api_url_file="/etc/am/slack")
    slack_team = Slack(name="slack-team-0", channel="#team-0", api_url_file="/etc/am/slack-team-0")
    p1 = Priority(name="P1", meaning="Page.", response_time=minutes(15), receivers=(pd, slack))
    p2 = Priority(name="P2", meaning="Ticket.", response_time=hours(4), receivers=(slack,))
    built, holds, fires = [], [], []
    for i in range(services):
        alerts = []
        for j in range(per_service):
            signal = Signal(
                record=f"service:fleet_s{i}_m{j}_level:max",
                expr=f"max(fleet_s{i}_m{j}_level)",
                unit=ratio,
                description=f"Service {i} level {j}",
            )
            priority = p1 if (i + j) % 2 == 0 else p2
            alert = Alert(
                name=f"FleetS{i}M{j}High",
                signal=signal,
                direction=ABOVE,
                critical=Level(ratio(0.5), priority),
                for_=minutes(1),
                summary="A fleet level is high.",
                meaning="Synthetic.",
                actions=("Look.",),
            )
            alerts.append(alert)
            holds.append(Holds(signal, ratio(0.9)))
            fires.append(Fires(alert, priority))
        built.append(Service(name=f"svc-{i}", title=f"Service {i}", team=f"team-{i % 5}", description="Synthetic.", alerts=tuple(alerts)))
    system = System(runbook_base_url="https://runbooks.example.com/", grafana_base_url="https://grafana.example.com",
        name=name,
        title="Fleet",
        description="Synthetic fleet for the live tests.",
        services=tuple(built),
        receivers=(pd, slack, slack_team),
        default_receiver=slack,
        priorities=(p1, p2),
        routes=(Route(name="team-0", team="team-0", receivers=(slack_team,), also_default=True),),
        scenarios=(
            Scenario(
                name=EVERYTHING,
                situation="Every level at 90%",
                holds=tuple(holds),
                lasting=minutes(5),
                fires=tuple(fires),
                reaches=(pd, slack, slack_team),
                pages=True,
            ),
        ),
    )
    return LoadedSystem(system, f"tests/{name}")
