"""Dashboards: what an operator looking at one would see change.

Panels are paired by title (ids move when a panel above is removed), then by id. Each
named part (titles, descriptions, queries, units, threshold steps, links, variables) is
its own line; whatever else differs in the JSON is listed by path, so nothing that
changed in a dashboard goes unsaid.
"""

from __future__ import annotations

from ..artifacts import DashboardFile
from ..artifacts.read import panels as panel_dicts
from .alertmanager import leaf_changes
from .result import Change, ItemDiff

_NAMED_DASHBOARD = ("title", "description", "tags", "links", "templating", "panels", "version")
_NAMED_PANEL = ("title", "description", "type", "targets", "links", "gridPos", "id", "panels")
_DEFAULTS = ("unit", "thresholds")


def _targets(panel: dict) -> str:
    return " ; ".join(
        str(t.get("expr")) + (f" as {t['legendFormat']!r}" if t.get("legendFormat") else "")
        for t in panel.get("targets") or [] if isinstance(t, dict) and t.get("expr")
    )


def _steps(panel: dict) -> str:
    defaults = (panel.get("fieldConfig") or {}).get("defaults") or {}
    steps = (defaults.get("thresholds") or {}).get("steps") or []
    return ", ".join(
        f"{s.get('color')} from {s['value']:g}" if isinstance(s.get("value"), (int, float)) else f"{s.get('color')} base"
        for s in steps if isinstance(s, dict)
    )


def _links(items) -> str:
    return ", ".join(f"{link.get('title', '')} {link.get('url', '')}".strip() for link in items or [] if isinstance(link, dict))


def _unit(panel: dict) -> str:
    return str(((panel.get("fieldConfig") or {}).get("defaults") or {}).get("unit", ""))


def _rest(panel: dict) -> dict:
    """The panel less the parts named on their own lines."""
    out = {k: v for k, v in panel.items() if k not in _NAMED_PANEL and k != "fieldConfig"}
    field_config = dict(panel.get("fieldConfig") or {})
    defaults = {k: v for k, v in (field_config.get("defaults") or {}).items() if k not in _DEFAULTS}
    out["fieldConfig"] = {**{k: v for k, v in field_config.items() if k != "defaults"}, "defaults": defaults}
    return out


def _panel_changes(label: str, a: dict, b: dict) -> list[Change]:
    if a == b:
        return []
    changes = []
    for what, x, y in (
        ("title", str(a.get("title", "")), str(b.get("title", ""))),
        ("description", str(a.get("description", "")), str(b.get("description", ""))),
        ("type", str(a.get("type", "")), str(b.get("type", ""))),
        ("id", str(a.get("id", "")), str(b.get("id", ""))),
        ("query", _targets(a), _targets(b)),
        ("unit", _unit(a), _unit(b)),
        ("thresholds", _steps(a), _steps(b)),
        ("links", _links(a.get("links")), _links(b.get("links"))),
    ):
        if x != y:
            changes.append(Change(f"{label} {what}", x, y))
    if a.get("gridPos") != b.get("gridPos"):
        changes.append(Change(f"{label} position", _grid(a), _grid(b)))
    changes += [Change(f"{label} {c.field}", c.before, c.after) for c in leaf_changes(_rest(a), _rest(b))]
    return changes


def _grid(panel: dict) -> str:
    grid = panel.get("gridPos") or {}
    return f"x={grid.get('x')} y={grid.get('y')} w={grid.get('w')} h={grid.get('h')}"


def _pair_panels(old: list[dict], new: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """Panels paired by title and id, then title and type, then (a retitled panel) id and
    type; each key indexed once, so a dashboard of thousands of panels pairs in linear time."""
    left: dict[int, dict] = dict(enumerate(old))
    matched: dict[int, dict] = {}  # new panel's place -> its old panel
    for key in (("title", "id"), ("title", "type"), ("id", "type")):
        index: dict[tuple, list[int]] = {}
        for i, panel in left.items():
            index.setdefault(tuple(str(panel.get(k)) for k in key), []).append(i)
        for n, panel in enumerate(new):
            if n not in matched:
                candidates = index.get(tuple(str(panel.get(k)) for k in key))
                while candidates and candidates[0] not in left:
                    candidates.pop(0)
                if candidates:
                    matched[n] = left.pop(candidates.pop(0))
    pairs: list[tuple[dict | None, dict | None]] = [(matched.get(n), panel) for n, panel in enumerate(new)]
    return pairs + [(panel, None) for panel in left.values()]


def _name(panel: dict) -> str:
    return f"panel {panel.get('title') or panel.get('id')!r}" if panel.get("type") != "row" else f"row {panel.get('title')!r}"


def _variables(model: dict) -> dict:
    return {str(v.get("name")): v for v in (model.get("templating") or {}).get("list") or [] if isinstance(v, dict)}


def compare_dashboard(old: DashboardFile | None, new: DashboardFile | None, file: str) -> ItemDiff | None:
    which = new or old
    assert which is not None, "a dashboard on one side at least"
    name = which.uid or file
    if old is None or new is None:
        count = sum(1 for p in panel_dicts(which.data) if p.get("type") != "row")
        kind = "added" if old is None else "removed"
        return ItemDiff(name, kind, [Change("panels", "" if kind == "added" else str(count), str(count) if kind == "added" else "")],
                        title=which.title, file=file)
    a, b = old.data, new.data
    changes = []
    for what, x, y in (
        ("title", str(a.get("title", "")), str(b.get("title", ""))),
        ("description", str(a.get("description", "")), str(b.get("description", ""))),
        ("tags", ", ".join(map(str, a.get("tags") or [])), ", ".join(map(str, b.get("tags") or []))),
        ("links", _links(a.get("links")), _links(b.get("links"))),
    ):
        if x != y:
            changes.append(Change(what, x, y))
    old_vars, new_vars = _variables(a), _variables(b)
    for var in dict.fromkeys([*new_vars, *old_vars]):
        changes += [Change(f"variable {var} {c.field}", c.before, c.after) for c in leaf_changes(old_vars.get(var, {}), new_vars.get(var, {}))]
    for pa, pb in _pair_panels(panel_dicts(a), panel_dicts(b)):
        if pa is None and pb is not None:
            changes.append(Change(f"{_name(pb)} added", "", _targets(pb) or str(pb.get("type", ""))))
        elif pa is not None and pb is None:
            changes.append(Change(f"{_name(pa)} removed", _targets(pa) or str(pa.get("type", "")), ""))
        elif pa is not None and pb is not None:
            changes += _panel_changes(_name(pb), pa, pb)
    rest = leaf_changes({k: v for k, v in a.items() if k not in _NAMED_DASHBOARD}, {k: v for k, v in b.items() if k not in _NAMED_DASHBOARD})
    changes += rest
    if a.get("version") != b.get("version") and not changes:
        changes.append(Change("version", str(a.get("version")), str(b.get("version"))))
    return ItemDiff(name, "changed", changes, title=new.title, file=file) if changes else None
