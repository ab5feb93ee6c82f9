"""In-process PromQL checks with promql-parser, and a caret under the likely fault."""

from __future__ import annotations

import re

import promql_parser


class PromQLError(ValueError):
    """Invalid PromQL: the parser's message, the column and a caret line."""

    def __init__(self, expr: str, message: str, column: int | None):
        self.expr = expr
        self.column = column
        where = f" at column {column + 1}" if column is not None else ""
        caret = f"\n    {expr}\n    {' ' * column}^" if column is not None else f"\n    {expr}"
        super().__init__(f"invalid PromQL{where}: {message}{caret}")


def _locate(expr: str, message: str) -> int | None:
    """promql-parser reports no position: find the token its message names."""
    if "parenthesis" in message:
        stack = []
        for i, ch in enumerate(expr):
            if ch == "(":
                stack.append(i)
            elif ch == ")":
                if not stack:
                    return i
                stack.pop()
        return stack[-1] if stack else None
    if "quoted string" in message:
        quotes = [i for i, ch in enumerate(expr) if ch in "\"'`"]
        return quotes[-1] if quotes else None
    named = re.search(r"'([^']+)'", message)
    if named and named.group(1) in expr:
        return expr.index(named.group(1))
    return None


def parse(expr: str) -> promql_parser.Expr:
    """The parsed expression, or PromQLError with the position where we can find it."""
    try:
        return promql_parser.parse(expr)
    except ValueError as exc:
        raise PromQLError(expr, str(exc), _locate(expr, str(exc))) from None
