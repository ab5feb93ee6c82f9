"""A diff as Markdown for a pull request comment: per system, what pages differently first."""

from __future__ import annotations

from .compare import AlertDiff, Change, ItemDiff, SystemDiff

LONG = 80  # longer values (annotations) are named as changed, not quoted
STATUS = {"added": " (new system)", "removed": " (system removed)"}


def code(text: str) -> str:
    text = str(text).replace("\n", " ")
    if not text:
        return "(none)"
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _change(c: Change) -> str:
    if c.field.startswith("annotation") and max(len(c.before), len(c.after)) > LONG:
        return f"{c.field} changed"
    return f"{c.field} {code(c.before)} → {code(c.after)}"


def _added(changes: list[Change], side: str) -> str:
    values = {c.field: getattr(c, side) for c in changes}
    condition = f"{values.get('expression', '')} {values.get('threshold', '')}".strip()
    parts = [code(condition)]
    if values.get("for") not in (None, "", "0s"):
        parts.append(f"for {values['for']}")
    if values.get("priority"):
        parts.append(values["priority"])
    return ", ".join(parts)


def _receivers(names: list[str]) -> str:
    return ", ".join(code(n) for n in names) if names else "none"


def _receivers_after(alert: AlertDiff) -> str:
    text = _receivers(alert.receivers_after)
    if not alert.paged_differently or alert.kind in ("added", "removed"):
        return text
    plus = [n for n in alert.receivers_after if n not in alert.receivers_before]
    minus = [n for n in alert.receivers_before if n not in alert.receivers_after]
    delta = " ".join([f"+{n}" for n in plus] + [f"−{n}" for n in minus]) or "reordered"
    return f"{text} (**{delta}**)"


def _alert_row(alert: AlertDiff) -> str:
    if alert.kind == "added":
        what = _added(alert.changes, "after")
    elif alert.kind == "removed":
        what = _added(alert.changes, "before")
    elif alert.kind == "rerouted":
        what = "routing changed"
    else:
        what = "; ".join(_change(c) for c in alert.changes)
    cells = [alert.kind, code(alert.name), alert.severity or "(none)", what, _receivers(alert.receivers_before), _receivers_after(alert)]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _alerts(alerts: list[AlertDiff]) -> list[str]:
    if not alerts:
        return []
    lines = ["#### Alerts", "", "| | Alert | Severity | What changed | Receivers before | Receivers after |", "|---|---|---|---|---|---|"]
    return lines + [_alert_row(a) for a in alerts] + [""]


def _items(title: str, items: list[ItemDiff]) -> list[str]:
    if not items:
        return []
    lines = [f"#### {title}", ""]
    for item in items:
        name = code(item.name) + (f" ({item.title})" if item.title else "")
        shown = [c for c in item.changes if c.before or c.after]
        if item.kind == "changed" and len(shown) == 1:
            lines.append(f"- changed {name}: {_change(shown[0])}")
        elif item.kind == "changed":
            lines += [f"- changed {name}:"] + [f"  - {_change(c)}" for c in shown]
        elif shown:
            lines.append(f"- {item.kind} {name}: {code(shown[0].after or shown[0].before)}")
        else:
            lines.append(f"- {item.kind} {name}")
    return lines + [""]


def _lines_diff(title: str, removed: list[str], added: list[str]) -> list[str]:
    if not removed and not added:
        return []
    return [f"#### {title}", "", "```diff"] + [f"- {l}" for l in removed] + [f"+ {l}" for l in added] + ["```", ""]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _headline(d: SystemDiff) -> str:
    kinds: dict[str, int] = {}
    for a in d.alerts:
        kinds[a.kind] = kinds.get(a.kind, 0) + 1
    parts = [f"{_count(n, 'alert')} {kind}" for kind, n in kinds.items()]
    paged = sum(1 for a in d.alerts if a.paged_differently)
    if paged:
        parts.append(f"**{paged} paged differently**")
    for noun, items in (("recording rule", d.records), ("receiver", d.receivers), ("time interval", d.time_intervals), ("dashboard", d.dashboards)):
        if items:
            parts.append(f"{_count(len(items), noun)} changed")
    if d.routes_added or d.routes_removed:
        parts.append("routes changed")
    if d.inhibitions_added or d.inhibitions_removed:
        parts.append("inhibitions changed")
    status = STATUS.get(d.status, "")
    return f"- **{d.name}**{status}: " + (", ".join(parts) or "other files only")


def render(diffs: list[SystemDiff], base: str, target: str, stale: list[str] | None = None) -> str:
    lines = [f"## obsgen diff: {code(base)} → {target}", ""]
    if stale:
        lines += [
            f"> **generated/ is stale against the definitions** ({len(stale)} files differ): run `make generate` and commit "
            "the result; what follows compares the generated files as they are, not what the definitions now say.",
            "", *[f"> - {line}" for line in stale[:20]], *(["> - ..."] if len(stale) > 20 else []), "",
        ]
    if not diffs:
        return "\n".join(lines + ["No changes in the generated files.", ""])
    lines += [_headline(d) for d in diffs] + [""]
    for d in diffs:
        lines += [f"### {d.name}{STATUS.get(d.status, '')}", ""]
        if d.routing_error:
            lines += [f"> Routing could not be simulated: {d.routing_error}", ""]
        lines += _alerts(d.alerts)
        lines += _items("Recording rules", d.records)
        lines += _items("Receivers", d.receivers)
        lines += _lines_diff("Routes", d.routes_removed, d.routes_added)
        lines += _lines_diff("Inhibitions", d.inhibitions_removed, d.inhibitions_added)
        lines += _items("Time intervals", d.time_intervals)
        lines += _items("Dashboards", d.dashboards)
        if d.other_files:
            lines += ["Also changed: " + ", ".join(code(f) for f in d.other_files) + ".", ""]
    return "\n".join(lines).rstrip() + "\n"
