"""Operator scenarios, played on each side: what fires, and who is told and paged.

Each side's generated routing tests hold its scenarios: the situation, the moment, and
the alerts its rules fire in it (`obsgen test` proves them with promtool). Those alerts
go through that side's Alertmanager configuration, inhibition and time intervals
included, in obsgen's in-process Alertmanager. A scenario is listed when what fires, who
is told or whether anyone is paged differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .paging import Paging
from .result import ScenarioDiff


@dataclass(frozen=True)
class Outcome:
    situation: str
    fires: tuple[str, ...]  # 'Name (severity)'
    told: tuple[str, ...]  # receivers reached, pagers first, as text: 'PagerDuty `oncall`', 'Slack `#ops`'
    pages: bool
    addresses: tuple = ()
    paged: tuple[str, ...] = ()  # the told receivers that page  # where each told receiver delivers: equal texts may still differ here


def _alert(labels: dict) -> str:
    return f"{labels.get('alertname', '?')} ({labels.get('severity') or 'no severity'})"


def play(scenario: dict, paging: Paging) -> Outcome:
    firing = [{str(k): str(v) for k, v in a.items()} for a in scenario.get("firing") or [] if isinstance(a, dict)]
    fires = tuple(sorted(dict.fromkeys(_alert(a) for a in firing)))
    situation = str(scenario.get("situation", ""))
    if paging.manager is None or not firing:
        return Outcome(situation, fires, (), False)
    try:
        at = datetime.fromisoformat(str(scenario.get("at")))
    except ValueError:
        at = datetime.fromisoformat("2026-01-07T14:00:00+00:00")
    notified = paging.manager.notified(firing, at)
    receivers = list(dict.fromkeys(r for reached in notified.values() for r in reached))
    pagers = paging.pagers
    told = tuple(sorted(paging.receiver_text(r) for r in receivers if r in paging.pagers)) + tuple(
        sorted(paging.receiver_text(r) for r in receivers if r not in paging.pagers))
    addresses = tuple(sorted((r, paging.address(r)) for r in receivers))
    paged = tuple(paging.receiver_text(r) for r in receivers if r in pagers)
    return Outcome(situation, fires, told, any(r in pagers for r in receivers), addresses, paged)


def compare_scenarios(before: list[dict], after: list[dict], old_paging: Paging, new_paging: Paging) -> list[ScenarioDiff]:
    old = {s["scenario"]: s for s in before}
    new = {s["scenario"]: s for s in after}
    diffs = []
    for name in dict.fromkeys([*new, *old]):
        a = play(old[name], old_paging) if name in old else None
        b = play(new[name], new_paging) if name in new else None
        if a is not None and b is not None and (a.fires, a.told, a.addresses, a.pages) == (b.fires, b.told, b.addresses, b.pages):
            continue
        kind = "added" if a is None else "removed" if b is None else "changed"
        shown = b or a
        diffs.append(ScenarioDiff(
            name=name, situation=shown.situation, kind=kind,  # type: ignore[union-attr]
            fires_before=list(a.fires) if a else [], fires_after=list(b.fires) if b else [],
            paged_before=[t for t in a.told if t in a.paged] if a else [], paged_after=[t for t in b.told if t in b.paged] if b else [],
            told_before=[t for t in a.told if t not in a.paged] if a else [], told_after=[t for t in b.told if t not in b.paged] if b else [],
            situation_before=a.situation if a and b and a.situation != b.situation else "",
            note="the same receivers now deliver elsewhere (see Receivers)" if a and b and a.told == b.told and a.addresses != b.addresses else "",
        ))
    return diffs
