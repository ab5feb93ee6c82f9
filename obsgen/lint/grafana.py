"""Grafana's template variables in dashboard queries ($name, ${name:format}, [[name]]),
replaced by values PromQL accepts so the query can be parsed and checked."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache

from .promql import syntax_error

# Grafana's variables, as dashboards write them: $name, ${name}, ${name:format}, [[name]].
GRAFANA_VARIABLE = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]")
RATE_INTERVAL_STANDIN = timedelta(seconds=7777)  # a range nobody writes: marks $__rate_interval


def variables(text: str) -> list[str]:
    """Names of the variables the text uses, in order."""
    return [m.group(1) or m.group(2) or m.group(3) for m in GRAFANA_VARIABLE.finditer(text)]


def is_whole_variable(text: str) -> bool:
    """Whether the text is one variable and nothing else ($ds, ${ds:raw}, [[ds]])."""
    match = GRAFANA_VARIABLE.fullmatch(text.strip())
    return match is not None


def _call_argument(query: str, function: str) -> str | None:
    """The text inside function(...) when the query is that call, else None."""
    text = query.strip()
    if not text.startswith(function) or not text[len(function):].lstrip().startswith("("):
        return None
    inner = text[len(function):].lstrip()[1:]
    return inner[:-1] if inner.endswith(")") else None


def _split_last_argument(text: str) -> tuple[str, str]:
    """(everything before the last top-level comma, the last argument)."""
    depth, quote = 0, None
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'`":
            quote = ch
        elif ch in ")]}":
            depth += 1
        elif ch in "([{":
            depth -= 1
        elif ch == "," and depth == 0:
            return text[:i], text[i + 1:]
    return "", text


def variable_query_problem(query: str) -> str | None:
    """Why Grafana's Prometheus variable query cannot work, or None (label_values, query_result...)."""
    if not query.strip() or _call_argument(query, "label_names") is not None or _call_argument(query, "metrics") is not None:
        return None
    inner = _call_argument(query, "label_values")
    if inner is not None:
        selector, label = _split_last_argument(inner)
        if not label.strip():
            return f"{query}: label_values() needs a label name"
        expr = selector.strip()
    else:
        inner = _call_argument(query, "query_result")
        expr = inner.strip() if inner is not None else query.strip()
    if not expr:
        return None
    error = syntax_error(expand_grafana_variables(expr))
    return f"{query}: {error.splitlines()[0]}" if error else None


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


@lru_cache(maxsize=65536)
def expand_grafana_variables(expr: str) -> str:
    """The query with Grafana's variables replaced by values PromQL accepts (remembered: the
    dashboard checks and the link checks each expand every query).

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
