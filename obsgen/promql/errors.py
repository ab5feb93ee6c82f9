"""Invalid PromQL, reported with the parser's message and a caret under the likely fault."""

from __future__ import annotations


class PromQLError(ValueError):
    """Invalid PromQL: the parser's message, the column and a caret line."""

    def __init__(self, expr: str, message: str, column: int | None):
        self.expr = expr
        self.reason = message
        self.column = column
        where = f" at column {column + 1}" if column is not None else ""
        caret = f"\n    {expr}\n    {' ' * column}^" if column is not None else f"\n    {expr}"
        super().__init__(f"invalid PromQL{where}: {message}{caret}")


def locate(expr: str, message: str) -> int | None:
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
    named = _quoted_name(message)
    if named and named in expr:
        return expr.index(named)
    return None


def _quoted_name(message: str) -> str | None:
    """The first 'name' the parser's message quotes (unknown function 'x', ...)."""
    start = message.find("'")
    end = message.find("'", start + 1) if start >= 0 else -1
    return message[start + 1 : end] if end > start + 1 else None
