"""What the linter reports: rules (id, severity, what they catch) and findings.

Every check registers its rules here, so `--list-rules`, SARIF's rule table, the
exceptions file and the tests all see one registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)
RANK = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Rule:
    id: str  # family/name, e.g. "promql/syntax"
    severity: str
    summary: str  # one sentence: what the rule catches and why it matters

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"rule {self.id}: unknown severity {self.severity!r}")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    path: str
    message: str
    line: int | None = None
    subject: str = ""  # the alert, record, panel or receiver the finding is about

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, RANK[self.severity], self.rule, self.subject, self.message)


REGISTRY: dict[str, Rule] = {}


def rule(id: str, severity: str, summary: str) -> Rule:
    """Register a rule once; the check modules call this at import."""
    existing = REGISTRY.get(id)
    if existing is not None and existing != Rule(id, severity, summary):
        raise ValueError(f"rule {id} registered twice with different settings")
    REGISTRY[id] = Rule(id, severity, summary)
    return REGISTRY[id]


@dataclass
class Collector:
    """Findings of one check run on one file: `add` fills in the rule's severity."""

    path: str
    findings: list[Finding] = field(default_factory=list)

    def add(self, rule: Rule, message: str, line: int | None = None, subject: str = "", severity: str | None = None) -> None:
        self.findings.append(Finding(rule.id, severity or rule.severity, self.path, message, line, subject))
