"""Writing jsonnet: literals as the mixins write them, one field per line."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
KEYWORDS = {"assert", "else", "error", "false", "for", "function", "if", "import", "importstr", "importbin", "in", "local",
            "null", "tailstrict", "then", "self", "super", "true"}


@dataclass(frozen=True)
class Expr:
    """jsonnet code written as it is, where data would be a literal."""

    code: str


@dataclass(frozen=True)
class Call:
    """A function applied to data: `func(<data as jsonnet>)`."""

    func: str
    arg: Any


@dataclass(frozen=True)
class Merge:
    """Fields merged into an object (`field+: {...}`): only what moves, the rest as it is."""

    fields: dict[str, Any]


def jsonnet_string(text: str) -> str:
    """A jsonnet string literal: single-quoted, as the mixins write them, when it can be."""
    if "'" not in text and "\\" not in text and "\n" not in text and all(c.isprintable() for c in text):
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)


def jsonnet_key(name: str) -> str:
    return name if IDENTIFIER.match(name) and name not in KEYWORDS else jsonnet_string(name)


def jsonnet_value(value: Any, indent: int = 0) -> str:
    """Data as jsonnet, one field per line (readable, and every diff a line)."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, Expr):
        return value.code
    if isinstance(value, Call):
        return f"{value.func}({jsonnet_value(value.arg, indent)})"
    if isinstance(value, (dict, Merge)):
        items = value.fields if isinstance(value, Merge) else value
        if not items:
            return "{}"
        fields = "".join(f"{inner}{jsonnet_key(k)}{'+' if isinstance(v, Merge) else ''}: {jsonnet_value(v, indent + 1)},\n" for k, v in items.items())
        return "{\n" + fields + pad + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + "".join(f"{inner}{jsonnet_value(v, indent + 1)},\n" for v in value) + pad + "]"
    if isinstance(value, str):
        return jsonnet_string(value)
    return json.dumps(value)
