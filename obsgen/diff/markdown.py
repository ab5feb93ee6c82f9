"""A diff as Markdown for a pull request comment: who gets paged differently first, in
plain words, then the evidence, section by section, long texts folded in <details>."""

from __future__ import annotations

from .result import (
    EFFECTS, FIRES_EARLIER, FIRES_LATER, NEW_CONDITION, PAGED_AT_OTHER_TIMES, PAGES_SOMEONE_ELSE, SILENCED_DIFFERENTLY, STARTS_PAGING,
    STOPS_PAGING, TELLS_SOMEONE_ELSE, TOLD_AT_OTHER_TIMES, AlertDiff, Change, ConfigDiff, FileNote, ItemDiff, RecordDiff, Report, ScenarioDiff, SystemDiff,
)
from .text import unified

SHORT = 80  # longer values are folded, not put in a table cell
LISTED = 12  # names listed per headline line before "and N more"
FILES_LISTED = 60
LIMIT = 60_000  # GitHub refuses comments over 65,536 characters
STATUS = {"added": " (new system)", "removed": " (system removed)"}
HEADLINE_NAMES = {
    STARTS_PAGING: "Starts paging", STOPS_PAGING: "Stops paging", PAGES_SOMEONE_ELSE: "Pages someone else",
    PAGED_AT_OTHER_TIMES: "Paged at other times", TELLS_SOMEONE_ELSE: "Tells someone else", TOLD_AT_OTHER_TIMES: "Told at other times", FIRES_EARLIER: "Fires earlier",
    FIRES_LATER: "Fires later", NEW_CONDITION: "Fires on a different condition", SILENCED_DIFFERENTLY: "Silenced differently",
}


def code(text: str) -> str:
    text = str(text).replace("\n", " ")
    if not text:
        return "(none)"
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _count(n: int, noun: str, plural: str = "") -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _list(items: list[str], limit: int = LISTED, more: str = "") -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more{more}" if len(items) > limit else "")


def _targets(items: list[str]) -> str:
    return ", ".join(items) if items else "nobody"


def _fold(summary: str, body: list[str]) -> list[str]:
    return ["<details>", f"<summary>{summary}</summary>", "", *body, "", "</details>", ""]


def _before_after(before: str, after: str) -> list[str]:
    if "\n" in before or "\n" in after or max(len(before), len(after)) > 3 * SHORT:
        return ["```diff", *unified(before, after, context=2), "```"]
    return [f"- before: {code(before)}", f"- after: {code(after)}"]


# -- the headline -------------------------------------------------------------------------------


def alert_label(a: AlertDiff) -> str:
    levels = ", ".join(x for x in (a.severity, a.priority) if x)
    return code(a.title) + (f" ({levels})" if levels else "")


def _timing_text(a: AlertDiff) -> str:
    parts = [f"{t.what} {code(t.before)} → {code(t.after)}" for t in a.timing if t.what != "expression"]
    if any(t.what == "expression" for t in a.timing):
        parts.append("expression changed")
    if a.reads_changed:
        parts.append("reads changed " + ", ".join(code(r) for r in a.reads_changed))
    return "; ".join(parts)


def _effect_text(effect: str, a: AlertDiff) -> str:
    who = alert_label(a) + (" (new)" if a.kind == "added" else " (removed)" if a.kind == "removed" else "")
    if a.kind == "renamed":
        who += f" (renamed from {code(a.renamed_from)})"
    if effect == STARTS_PAGING:
        return f"{who}: {_targets(a.pages_after)}"
    if effect == STOPS_PAGING:
        return f"{who}: was {_targets(a.pages_before)}"
    if effect == PAGES_SOMEONE_ELSE and sorted(a.pages_before) == sorted(a.pages_after):
        return f"{who}: {_targets(a.pages_after)} now delivers elsewhere (see Receivers)"
    if effect == PAGES_SOMEONE_ELSE or effect == PAGED_AT_OTHER_TIMES:
        return f"{who}: before {_targets(a.pages_before)}; after {_targets(a.pages_after)}"
    if effect == TELLS_SOMEONE_ELSE:
        gained = [t for t in a.reaches_after if t not in a.reaches_before and t not in a.pages_after]
        lost = [t for t in a.reaches_before if t not in a.reaches_after and t not in a.pages_before]
        said = ([f"now also tells {', '.join(gained)}"] if gained else []) + ([f"no longer tells {', '.join(lost)}"] if lost else [])
        return f"{who}: " + ("; ".join(said) or f"before {_targets(a.reaches_before)}; after {_targets(a.reaches_after)}")
    if effect == TOLD_AT_OTHER_TIMES:
        told_before = [t for t in a.reaches_before if t not in a.pages_before]
        told_after = [t for t in a.reaches_after if t not in a.pages_after]
        return f"{who}: before {_targets(told_before)}; after {_targets(told_after)}"
    if effect in (FIRES_EARLIER, FIRES_LATER, NEW_CONDITION):
        return f"{who}: {_timing_text(a)}"
    if effect == SILENCED_DIFFERENTLY:
        return f"{who}: silenced by {', '.join(a.silenced_by_before) or 'nothing'} before; by {', '.join(a.silenced_by_after) or 'nothing'} after"
    return who


def scenario_outcome(fires: list[str], paged: list[str], told: list[str]) -> str:
    if not fires:
        return "nothing fires"
    who = f"pages {_targets(paged)}" if paged else "pages nobody"
    if told:
        who += f", tells {_targets(told)}"
    return f"{', '.join(fires)} {'fires' if len(fires) == 1 else 'fire'}: {who}"


def _scenario_text(s: ScenarioDiff) -> str:
    head = f"{code(s.name)} ({s.situation})"
    if s.kind == "added":
        return f"{head}, new: {scenario_outcome(s.fires_after, s.paged_after, s.told_after)}"
    if s.kind == "removed":
        return f"{head}, removed: was {scenario_outcome(s.fires_before, s.paged_before, s.told_before)}"
    text = (f"{head}: before {scenario_outcome(s.fires_before, s.paged_before, s.told_before)}; "
            f"after {scenario_outcome(s.fires_after, s.paged_after, s.told_after)}")
    return text + (f" ({s.note})" if s.note else "")


def _bullets(title: str, items: list[str], where: str) -> list[str]:
    lines = [f"- **{title}** ({len(items)}):", *[f"  - {item}" for item in items[:LISTED]]]
    if len(items) > LISTED:
        lines.append(f"  - and {len(items) - LISTED} more (see {where})")
    return lines


def headline(d: SystemDiff) -> list[str]:
    """Who gets paged differently and when alerts fire, in plain words."""
    lines = []
    if d.paging_unknown:
        lines.append("- **Who gets paged cannot be worked out**: Alertmanager would refuse the configuration "
                     f"({'; '.join(d.paging_unknown)}). The receivers below are what its routes say, not what would happen.")
    for effect in EFFECTS:
        hits = [a for a in d.alerts if effect in a.effects]
        if hits:
            lines += _bullets(HEADLINE_NAMES[effect], [_effect_text(effect, a) for a in hits], "Alerts")
    if d.scenarios:
        lines += _bullets("Scenarios with another outcome", [_scenario_text(s) for s in d.scenarios], "Scenarios")
    quiet_added = [code(a.title) for a in d.alerts if a.kind == "added" and not a.pages_after]
    quiet_removed = [code(a.title) for a in d.alerts if a.kind == "removed" and not a.pages_before]
    if not lines:
        lines.append("- **Who gets paged, and when alerts fire: no change.**" if not d.problems else
                     "- **Who gets paged could not be worked out in full**: see the problems below.")
    if quiet_added:
        lines.append(f"- New alerts that page nobody ({len(quiet_added)}): {_list(quiet_added)}")
    if quiet_removed:
        lines.append(f"- Removed alerts that paged nobody ({len(quiet_removed)}): {_list(quiet_removed)}")
    return lines


def summary(d: SystemDiff) -> str:
    """One line per system for the top of the comment."""
    parts = []
    for effect in EFFECTS:
        n = sum(1 for a in d.alerts if effect in a.effects)
        if n:
            verb, tail = effect.split(" ", 1)
            parts.append(f"1 alert {effect}" if n == 1 else f"{n} alerts {verb.removesuffix('s')} {tail}")
    if d.scenarios:
        parts.append(f"{_count(len(d.scenarios), 'scenario')} with another outcome")
    counted = [(len(d.alerts), "alert"), (len(d.records), "recording rule"), (len(d.groups), "rule group"),
               (len(d.alertmanager.receivers), "receiver"), (len(d.alertmanager.time_intervals), "time interval"),
               (len(d.dashboards), "dashboard"), (len(d.handbook), "handbook section")]
    rest = [_count(n, noun) for n, noun in counted if n]
    if d.alertmanager.routes_added or d.alertmanager.routes_removed:
        rest.append("routes")
    if d.alertmanager.inhibitions_added or d.alertmanager.inhibitions_removed:
        rest.append("inhibitions")
    text = ", ".join(parts) if parts else "nobody is paged differently"
    if d.paging_unknown:
        text = "**who gets paged cannot be worked out** (alertmanager.yml refused)" + (f", {text}" if parts else "")
    if rest:
        text += "; changed: " + ", ".join(rest)
    return f"- **{d.name}**{STATUS.get(d.status, '')}: {text}."


# -- the sections -------------------------------------------------------------------------------


def _what(a: AlertDiff) -> str:
    if a.kind in ("added", "removed"):
        return code(a.condition)
    parts = [f"{t.what} {code(t.before)} → {code(t.after)} ({t.verdict})" for t in a.timing if t.what != "expression"]
    if any(t.what == "expression" for t in a.timing):
        parts.append("expression changed")
    if a.reads_changed:
        parts.append("reads changed " + ", ".join(code(r) for r in a.reads_changed))
    for c in a.changes:
        if c.field.startswith("annotation"):
            parts.append(f"{c.field} changed")
        else:
            parts.append(f"{c.field} {code(c.before)} → {code(c.after)}")
    if a.silenced_by_before != a.silenced_by_after:
        parts.append(f"silenced by {', '.join(a.silenced_by_after) or 'nothing'} (was {', '.join(a.silenced_by_before) or 'nothing'})")
    if a.kind == "renamed":
        parts.insert(0, f"renamed from {code(a.renamed_from)}")
    return "; ".join(parts) or "receivers changed"


def _alerts(alerts: list[AlertDiff]) -> list[str]:
    if not alerts:
        return []
    lines = ["#### Alerts", "", "| | Alert | What changed | Reaches before | Reaches after |", "|---|---|---|---|---|"]
    for a in alerts:
        cells = [a.kind, alert_label(a), _what(a), _targets(a.reaches_before) if a.kind != "added" else "",
                 _targets(a.reaches_after) if a.kind != "removed" else ""]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines.append("")
    for a in alerts:
        folded = [c for c in a.changes if c.field.startswith("annotation")]
        expression = [t for t in a.timing if t.what == "expression"]
        if not folded and not expression:
            continue
        body = []
        for t in expression:
            body += ["expression:", "", *_before_after(t.before, t.after), ""]
        for c in folded:
            body += [f"{c.field.removeprefix('annotation ')}:", "", *_before_after(c.before, c.after), ""]
        names = [t.what for t in expression] + [c.field.removeprefix("annotation ") for c in folded]
        lines += _fold(f"{code(a.title)} ({a.severity or 'no severity'}): {', '.join(names)}, before and after", body)
    return lines


def _scenarios(scenarios: list[ScenarioDiff]) -> list[str]:
    if not scenarios:
        return []
    lines = ["#### Scenarios whose outcome changes", "", "| Scenario | Situation | Before | After |", "|---|---|---|---|"]
    for s in scenarios:
        before = scenario_outcome(s.fires_before, s.paged_before, s.told_before) if s.kind != "added" else "(no such scenario)"
        after = scenario_outcome(s.fires_after, s.paged_after, s.told_after) if s.kind != "removed" else "(no such scenario)"
        situation = s.situation + (f" (was: {s.situation_before})" if s.situation_before else "")
        lines.append("| " + " | ".join(_cell(c) for c in (code(s.name), situation, before, after + (f" ({s.note})" if s.note else ""))) + " |")
    return lines + [""]


def _records(records: list[RecordDiff]) -> list[str]:
    if not records:
        return []
    lines = ["#### Recording rules", ""]
    whole: dict[tuple[str, str], list[RecordDiff]] = {}
    for r in records:
        if r.kind in ("added", "removed"):
            whole.setdefault((r.kind, r.file), []).append(r)
    for (kind, file), items in whole.items():
        if len(items) > 3:
            lines += _fold(f"{kind} {_count(len(items), 'recording rule')} in {code(file)}",
                           [f"- {code(r.title)}: {code(r.changes[0].after or r.changes[0].before)}" for r in items])
    for r in records:
        if r.kind in ("added", "removed") and len(whole[(r.kind, r.file)]) > 3:
            continue
        readers = f"; read by {_list(r.read_by)}" if r.read_by else ""
        head = f"- {r.kind} {code(r.title)} in {code(r.file)}" + (f" (renamed from {code(r.renamed_from)})" if r.renamed_from else "") + readers
        if r.kind in ("added", "removed"):
            lines.append(f"{head}: {code(r.changes[0].after or r.changes[0].before)}")
            continue
        lines.append(head)
        for c in r.changes:
            if c.field == "expr":
                lines += ["", *["  " + line for line in _fold("expr, before and after", _before_after(c.before, c.after))]]
            else:
                lines.append(f"  - {c.field} {code(c.before)} → {code(c.after)}")
    return lines + [""]


def _items(title: str, items: list[ItemDiff], fold_long: bool = True) -> list[str]:
    if not items:
        return []
    lines = [f"#### {title}", ""]
    for item in items:
        name = code(item.name) + (f" ({item.title})" if item.title and item.title != item.name else "")
        where = f" in {code(item.file)}" if item.file and title not in ("Dashboards",) else ""
        shown = [c for c in item.changes if c.before or c.after]
        if item.kind != "changed":
            detail = f": {shown[0].after or shown[0].before} {shown[0].field}" if shown else ""
            lines.append(f"- {item.kind} {name}{where}{detail}")
            continue
        lines.append(f"- changed {name}{where}:")
        for c in shown:
            if c.field.endswith((" added", " removed")) and not (c.before and c.after):  # a panel: its queries
                value = c.after or c.before
                if len(value) > SHORT:
                    lines += ["", *["  " + line for line in _fold(c.field, [code(value)])]]
                else:
                    lines.append(f"  - {c.field}: {code(value)}")
            elif max(len(c.before), len(c.after)) > SHORT:
                lines += ["", *["  " + line for line in _fold(f"{c.field}, before and after", _before_after(c.before, c.after))]]
            else:
                lines.append(f"  - {c.field} {code(c.before)} → {code(c.after)}")
    return lines + [""]


def _lines_diff(title: str, removed: list[str], added: list[str]) -> list[str]:
    if not removed and not added:
        return []
    return [f"#### {title}", "", "```diff", *[f"- {line}" for line in removed], *[f"+ {line}" for line in added], "```", ""]


def _routing(c: ConfigDiff) -> list[str]:
    lines = _items("Receivers", c.receivers)
    lines += _lines_diff("Routes", c.routes_removed, c.routes_added)
    lines += _lines_diff("Inhibitions", c.inhibitions_removed, c.inhibitions_added)
    lines += _items("Time intervals", c.time_intervals)
    if c.settings:
        lines += ["#### Alertmanager settings", "", *[f"- {s.field} {code(s.before)} → {code(s.after)}" for s in c.settings], ""]
    return lines


def _handbook(sections: list[ItemDiff]) -> list[str]:
    if not sections:
        return []
    lines = ["#### Handbook", ""]
    for s in sections:
        c = s.changes[0]
        body = ["```diff", *unified(c.before, c.after, context=2), "```"] if s.kind == "changed" else ["```markdown", c.before or c.after, "```"]
        lines += _fold(f"{s.kind}: {code(s.name)} ({s.file})", body)
    return lines


def _file_row(f: FileNote) -> str:
    where = ", ".join(f.sections)
    if f.note:
        where = f.note + (f" (+{f.lines_added} −{f.lines_removed} lines)" if f.lines_added or f.lines_removed else "")
    return f"| {code(f.path)} | {f.status} | {_cell(where)} |"


def _files(files: list[FileNote]) -> list[str]:
    if not files:
        return []
    shown = sorted(files, key=lambda f: (not f.note, f.path))[:FILES_LISTED]
    lines = ["<details>", f"<summary>{_count(len(files), 'changed file')}, and where this comment speaks of each</summary>", "",
             "| File | Change | Where |", "|---|---|---|", *[_file_row(f) for f in shown]]
    if len(files) > FILES_LISTED:
        lines.append(f"| and {len(files) - FILES_LISTED} more | | |")
    return lines + ["", "</details>", ""]


def _system(d: SystemDiff) -> list[str]:
    lines = [f"### {d.name}{STATUS.get(d.status, '')}", "", *headline(d), ""]
    if d.problems:
        lines += ["> **Could not be read or simulated in full:**", *[f"> - {p}" for p in d.problems], ""]
    lines += _alerts(d.alerts)
    lines += _scenarios(d.scenarios)
    lines += _records(d.records)
    lines += _items("Rule groups", d.groups)
    lines += _routing(d.alertmanager)
    lines += _items("Dashboards", d.dashboards)
    lines += _handbook(d.handbook)
    form_only = [f for f in d.files if f.note]
    if form_only:
        lines += ["#### Other changes", "", *[f"- {code(f.path)}: {f.note}" + (f" (+{f.lines_added} −{f.lines_removed} lines)" if f.lines_added or f.lines_removed else "") for f in form_only], ""]
    lines += _files(d.files)
    return lines


def render(report: Report) -> str:
    lines = [f"## obsgen diff: {code(report.base)} → {report.target}", ""]
    if report.stale:
        lines += [
            f"> **generated/ is stale against the definitions** ({len(report.stale)} files differ): run `make generate` and commit "
            "the result; what follows compares the generated files as they are, not what the definitions now say.",
            "", *[f"> - {line}" for line in report.stale[:20]], *(["> - ..."] if len(report.stale) > 20 else []), "",
        ]
    if not report.systems and not report.other_files:
        return "\n".join(lines + ["No changes in the generated files.", ""])
    lines += [summary(d) for d in report.systems]
    if report.other_files:
        lines.append("- Outside any system's folder: " + ", ".join(f"{code(f.path)} ({f.status})" for f in report.other_files))
    lines.append("")
    for d in report.systems:
        lines += _system(d)
    return _fit("\n".join(lines).rstrip() + "\n")


def _fit(text: str) -> str:
    """The comment within GitHub's size limit: cut at a line, saying so."""
    if len(text) <= LIMIT:
        return text
    cut = text.rfind("\n", 0, LIMIT - 400)
    kept = text[:cut]
    if kept.count("```") % 2:
        kept += "\n```"
    if kept.count("<details>") > kept.count("</details>"):
        kept += "\n\n</details>" * (kept.count("<details>") - kept.count("</details>"))
    return (kept + f"\n\n> **This comment is cut at {LIMIT:,} characters** (GitHub's limit is 65,536); "
            f"{len(text) - cut:,} more characters follow. Run `obsgen diff --format json` for everything.\n")
