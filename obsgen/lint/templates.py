"""Go template checks for rule labels and annotations, as Prometheus parses them.

amlint ships a port of Go's text/template parser; Prometheus prepends the same
variable declarations we do here before parsing, so `$labels` and `$value` resolve and
a misspelled variable or function is an error, as it is for promtool.
"""

from __future__ import annotations

from functools import lru_cache

from amlint import gotemplate

# Prometheus 2.42's template functions (template/template.go), checked against promtool.
PROMETHEUS_FUNCS = frozenset({
    "query", "first", "label", "value", "strvalue", "args", "reReplaceAll", "safeHtml", "match",
    "title", "toUpper", "toLower", "graphLink", "tableLink", "sortByLabel", "humanize",
    "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "toTime",
    "pathPrefix", "externalURL", "parseDuration", "stripPort", "stripDomain",
})
PRELUDE = "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}"


def _plainly_valid(text: str) -> bool:
    """Whether every action is `$labels.name` or `$value` piped through known functions, with
    nothing else: what most templates are, checked without the full parser (it is slow)."""
    rest = text
    while "{{" in rest:
        before, _, after = rest.partition("{{")
        if "}}" in before:
            return False
        action, closed, rest = after.partition("}}")
        if not closed or "{{" in action:
            return False
        steps = [step.strip() for step in action.strip().removeprefix("-").removesuffix("-").split("|")]
        head = steps[0]
        if not (head in ("$value", ".Value") or (head.startswith("$labels.") and head[8:].isidentifier())):
            return False
        if any(step not in PROMETHEUS_FUNCS for step in steps[1:]):
            return False
    return "}}" not in rest


@lru_cache(maxsize=65536)
def template_error(text: str) -> str | None:
    """Why Prometheus would fail to parse this label or annotation value, or None."""
    if ("{{" not in text and "}}" not in text) or _plainly_valid(text):
        return None
    parsed = gotemplate.parse(PRELUDE + text, set(PROMETHEUS_FUNCS), dot=None)
    if parsed.error is None:
        return None
    column = max(parsed.error.pos - len(PRELUDE), 0)
    return f"{parsed.error.message} (at character {column + 1})"


def uses_value(text: str) -> bool:
    """Whether the text reads the sample value, which changes every evaluation."""
    compact = text.replace(" ", "")
    return "{{" in text and ("$value" in compact or ".Value" in compact)
