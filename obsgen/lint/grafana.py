"""Grafana's template variables in dashboard queries ($name, ${name:format}, [[name]]),
replaced by values PromQL accepts so the query can be parsed and checked."""

from __future__ import annotations

import re
from datetime import timedelta

# Grafana's variables, as dashboards write them: $name, ${name}, ${name:format}, [[name]].
GRAFANA_VARIABLE = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]")
RATE_INTERVAL_STANDIN = timedelta(seconds=7777)  # a range nobody writes: marks $__rate_interval


def _quoted_spans(expr: str) -> list[tuple[int, int]]:
    spans, quote, start, escaped = [], None, 0, False
    for i, ch in enumerate(expr):
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                spans.append((start, i))
                quote = None
        elif ch in "\"'`":
            quote, start = ch, i
    return spans


def expand_grafana_variables(expr: str) -> str:
    """The query with Grafana's variables replaced by values PromQL accepts.

    Inside quotes a variable is a label value and stays; in a range it becomes a
    duration ($__rate_interval a marker duration); anywhere else, a number.
    """
    quoted = _quoted_spans(expr)

    def replace(match: re.Match) -> str:
        if any(a < match.start() < b for a, b in quoted):
            return match.group(0)
        name = match.group(1) or match.group(2) or match.group(3)
        before = expr[: match.start()].rstrip()
        if before.endswith(("[", ":", "offset")):
            return f"{int(RATE_INTERVAL_STANDIN.total_seconds())}s" if name == "__rate_interval" else "5m"
        return "300" if name.startswith("__range") or name.startswith("__interval") else "1"

    return GRAFANA_VARIABLE.sub(replace, expr)
