"""Provenance: every value is either the runbook's (with its section) or assumed (with why).

A definition says where a value comes from with `provenance=`: one provenance for the whole
object (a receiver the runbook names), or a mapping from field to provenance (an alert
whose threshold is the runbook's and whose `for` is assumed). The handbook lists every
assumption of a system and marks each value that rests on one; a value left at obsgen's
default is an assumption of obsgen, listed too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Runbook:
    """The system's runbook states the value: its section and, when short, its words."""

    section: str  # e.g. '§2.1 Grafana Dashboards'
    quote: str = ""  # the runbook's own words, e.g. 'Check p99 latency is strictly under 500μs'

    def __post_init__(self) -> None:
        if not isinstance(self.section, str) or not self.section.strip():
            raise TypeError("Runbook(section=...) names the runbook's section, e.g. Runbook('§2.1 Grafana Dashboards')")
        if not isinstance(self.quote, str):
            raise TypeError(f"Runbook quote must be text, got {self.quote!r}")

    def says(self, quote: str) -> Runbook:
        """The same section, quoting its words: SECTION.says('p95 < 300ms')."""
        return Runbook(self.section, quote)

    @property
    def words(self) -> str:
        return f"runbook {self.section}" + (f': "{self.quote}"' if self.quote else "")


@dataclass(frozen=True)
class Assumed:
    """The definitions chose the value; the runbook does not state it. `reason` says why this value."""

    reason: str

    def __post_init__(self) -> None:
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise TypeError("Assumed(reason=...) says why the definitions chose the value")

    @property
    def words(self) -> str:
        return f"assumed: {self.reason}"


Provenance = Runbook | Assumed


@dataclass(frozen=True)
class Default:
    """A value left at obsgen's default: an assumption of obsgen itself."""

    reason: str

    @property
    def words(self) -> str:
        return f"obsgen default: {self.reason}"


def is_provenance(value: object) -> bool:
    return isinstance(value, (Runbook, Assumed))
