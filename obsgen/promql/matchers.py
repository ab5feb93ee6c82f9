"""Label matchers: the one `name op "value"` that PromQL selectors, SLI selectors and
Alertmanager routes share, matched as Prometheus and Alertmanager match it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

OPS = ("=", "!=", "=~", "!~")


@lru_cache(maxsize=4096)
def compiled(pattern: str) -> re.Pattern | None:
    """The anchored regex, or None when Python cannot compile it (it then matches nothing)."""
    try:
        return re.compile(pattern)
    except re.error:
        return None


def quote(value: str) -> str:
    """A PromQL double-quoted string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@dataclass(frozen=True)
class Matcher:
    name: str
    op: str  # '=', '!=', '=~' or '!~'
    value: str

    def matches(self, value: str) -> bool:
        """As Prometheus matches: a missing label is the empty string; regexes are anchored."""
        if self.op == "=":
            return value == self.value
        if self.op == "!=":
            return value != self.value
        pattern = compiled(self.value)
        hit = pattern is not None and pattern.fullmatch(value) is not None
        return hit if self.op == "=~" else not hit

    def matches_labels(self, labels: dict[str, str]) -> bool:
        return self.matches(labels.get(self.name, ""))

    @property
    def positive(self) -> bool:
        return self.op in ("=", "=~")

    @property
    def regex(self) -> bool:
        return self.op in ("=~", "!~")

    def __str__(self) -> str:
        return f"{_label(self.name)}{self.op}{quote(self.value)}"


def _label(name: str) -> str:
    """A label name as PromQL writes it: quoted when it is not a classic identifier."""
    return name if is_label_name(name) else quote(name)


_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


def is_label_name(name: object) -> bool:
    """A classic (Prometheus 2.x) label name."""
    return isinstance(name, str) and _LABEL_NAME.fullmatch(name) is not None
