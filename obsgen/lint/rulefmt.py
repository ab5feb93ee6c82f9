"""Rule files as strictly as promtool's rulefmt reads them: whatever makes Prometheus
refuse to load the file is an error with its line (unknown or misspelt keys, durations,
label names, duplicate groups, recording rules with alert fields).

Which keys and label names exist depends on the Prometheus version (`--prometheus-version`).
"""

from __future__ import annotations

import difflib
import re

from ..promql.functions import Version
from .findings import ERROR, Collector, rule
from .sources import line_of

STRUCTURE = rule("rules/structure", ERROR, "A group or rule Prometheus cannot load: no name, no expr, neither alert nor record, or a value of the wrong kind.")
UNKNOWN_KEY = rule("rules/unknown-key", ERROR, "A key promtool does not know (often a misspelling such as annotaions:): Prometheus refuses the file.")
DURATION = rule("rules/duration", ERROR, "A for, keep_firing_for, interval or query_offset that is not a Prometheus duration such as 5m or 1h30m.")
DUPLICATE_GROUP = rule("rules/duplicate-group", ERROR, "Two groups with the same name in one file: Prometheus refuses the file.")
LABEL_NAME = rule("rules/label-name", ERROR, "A label or annotation name Prometheus rejects (team-name in 2.x; __name__ as a rule label).")
RECORD_NAME = rule("rules/record-name", ERROR, "A recording rule whose name is not a valid metric name, or that has for, keep_firing_for or annotations.")

# Prometheus' model.ParseDuration: units in this order, each at most once; "0" alone is allowed.
_DURATION = re.compile(r"(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?")
_LEGACY_LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
_LEGACY_METRIC = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
UTF8_NAMES = (3, 0)  # label and metric names may be any UTF-8 from Prometheus 3.0


def _keys(version: Version) -> tuple[frozenset[str], frozenset[str]]:
    """(group keys, rule keys) that this Prometheus version's rulefmt knows."""
    group = {"name", "interval", "rules"} | ({"limit"} if version >= (2, 31) else set())
    group |= {"query_offset"} if version >= (2, 53) else set()
    group |= {"labels"} if version >= (3, 5) else set()
    rules = {"record", "alert", "expr", "for", "labels", "annotations"} | ({"keep_firing_for"} if version >= (2, 42) else set())
    return frozenset(group), frozenset(rules)


def is_duration(value) -> bool:
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    return text == "0" or (text != "" and _DURATION.fullmatch(text) is not None)


def valid_label_name(name: str, version: Version) -> bool:
    if version >= UTF8_NAMES:
        return name != ""
    return _LEGACY_LABEL.fullmatch(name) is not None


def valid_metric_name(name: str, version: Version) -> bool:
    if version >= UTF8_NAMES:
        return name != "" and "{" not in name and "}" not in name
    return _LEGACY_METRIC.fullmatch(name) is not None


def _kind(value) -> str:
    return "mapping" if isinstance(value, dict) else "list" if isinstance(value, list) else "string" if isinstance(value, str) else type(value).__name__


def _unknown(out: Collector, mapping: dict, known: frozenset[str], where: str, line, subject: str) -> None:
    for key in mapping:
        if key not in known:
            close = difflib.get_close_matches(str(key), sorted(known), n=1)
            hint = f"; did you mean {close[0]}?" if close else f"; {where} keys are {', '.join(sorted(known))}"
            out.add(UNKNOWN_KEY, f"unknown key {key!r} in {where}{hint}", line_of(mapping, key) or line, subject)


def _string_map(out: Collector, value, what: str, line, subject: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        out.add(STRUCTURE, f"{what} must be a mapping of names to strings, not a {_kind(value)}", line, subject)
        return {}
    for key, item in value.items():
        if isinstance(item, (dict, list)):
            out.add(STRUCTURE, f"{what}.{key} must be a string, not a {_kind(item)}", line, subject)
    return value


def _check_names(out: Collector, names, what: str, version: Version, line, subject: str, name_label_forbidden: bool) -> None:
    for name in names:
        text = str(name)
        if not valid_label_name(text, version) or (name_label_forbidden and text == "__name__"):
            why = "" if version >= UTF8_NAMES else f" (Prometheus {version[0]}.{version[1]} allows [a-zA-Z_][a-zA-Z0-9_]*)"
            out.add(LABEL_NAME, f"invalid {what} name {text!r}{why}", line, subject)


def _check_rule(out: Collector, item, version: Version, rule_keys: frozenset[str]) -> None:
    line = line_of(item)
    if not isinstance(item, dict):
        out.add(STRUCTURE, "a rule must be a mapping", line)
        return
    alert, record = item.get("alert"), item.get("record")
    subject = str(alert or record or "")
    _unknown(out, item, rule_keys, "a rule", line, subject)
    if bool(alert) == bool(record):
        out.add(STRUCTURE, "a rule needs exactly one of alert: and record:", line, subject)
    expr = item.get("expr")
    if not isinstance(expr, (str, int, float)) or isinstance(expr, bool) or not str(expr).strip():
        out.add(STRUCTURE, "the rule has no expr", line, subject)
    for key in ("for", "keep_firing_for"):
        if key in item and item[key] is not None and not is_duration(item[key]):
            out.add(DURATION, f"{key}: {item[key]!r} is not a duration such as 5m or 1h30m", line_of(item, key), subject)
    labels = _string_map(out, item.get("labels"), "labels", line_of(item, "labels"), subject)
    annotations = _string_map(out, item.get("annotations"), "annotations", line_of(item, "annotations"), subject)
    _check_names(out, labels, "label", version, line_of(item, "labels"), subject, True)
    _check_names(out, annotations, "annotation", version, line_of(item, "annotations"), subject, False)
    if record:
        if not valid_metric_name(str(record), version):
            out.add(RECORD_NAME, f"{record!r} is not a valid metric name", line, subject)
        wrong = [k for k in ("for", "keep_firing_for", "annotations") if item.get(k) not in (None, {}, "0", 0, "0s")]
        if wrong:
            out.add(RECORD_NAME, f"a recording rule cannot have {', '.join(wrong)}", line, subject)


def check_structure(out: Collector, data, groups, version: Version) -> list:
    """Report what promtool would refuse; returns the groups that are well-formed enough to check further."""
    group_keys, rule_keys = _keys(version)
    if isinstance(data, dict) and "groups" in data:
        _unknown(out, data, frozenset({"groups"}), "a rule file", 1, "")
    if not isinstance(groups, list):  # in a PrometheusRule, groups sit under spec:
        out.add(STRUCTURE, f"groups must be a list of groups, not a {_kind(groups)}", line_of(data, "groups") or 1)
        return []
    seen: dict[str, int | None] = {}
    usable = []
    for group in groups:
        line = line_of(group)
        if not isinstance(group, dict):
            out.add(STRUCTURE, "a rule group must be a mapping", line)
            continue
        name = group.get("name")
        subject = str(name or "")
        _unknown(out, group, group_keys, "a group", line, subject)
        if not name or not isinstance(name, str):
            out.add(STRUCTURE, "a rule group needs a name", line)
        elif name in seen:
            out.add(DUPLICATE_GROUP, f"group name {name!r} is repeated in the file (first on line {seen[name]})", line, name)
        else:
            seen[name] = line
        for key in ("interval", "query_offset"):
            if key in group and group[key] is not None and not is_duration(group[key]):
                out.add(DURATION, f"{key}: {group[key]!r} is not a duration such as 1m", line_of(group, key), subject)
        if "limit" in group and (not isinstance(group["limit"], int) or isinstance(group["limit"], bool)):
            out.add(STRUCTURE, f"limit must be a whole number, not {group['limit']!r}", line, subject)
        _check_names(out, _string_map(out, group.get("labels"), "labels", line, subject), "label", version, line, subject, True)
        rules = group.get("rules")
        if rules is not None and not isinstance(rules, list):
            out.add(STRUCTURE, f"rules must be a list, not a {_kind(rules)}", line_of(group, "rules"), subject)
            continue
        for item in rules or []:
            _check_rule(out, item, version, rule_keys)
        usable.append(group)
    return usable
