"""The exceptions file: findings a team has decided to accept, each with its reason.

    exceptions:
      - rule: mixin/summary            # a rule id, or a glob such as amlint/*
        path: generated/dex/rules/*    # optional: a glob on the reported path
        subject: DexMaintenanceMode    # optional: a glob on the alert, record, panel or receiver
        reason: Maintenance mode is announced, not paged.

An exception that matches nothing is reported, so the file cannot go stale silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import yaml

from .findings import INFO, Finding, rule

UNUSED = rule("input/unused-exception", INFO, "An entry in the exceptions file that matched no finding: remove it.")
DEFAULT_FILE = ".obsgen-lint.yml"


class ExceptionsError(ValueError):
    pass


@dataclass(frozen=True)
class Accepted:
    rule: str
    reason: str
    path: str = "*"
    subject: str = "*"
    line: int | None = None

    def matches(self, finding: Finding) -> bool:
        return (
            fnmatchcase(finding.rule, self.rule)
            and fnmatchcase(finding.path.replace("\\", "/"), self.path)
            and fnmatchcase(finding.subject, self.subject)
        )


def load(path: Path) -> list[Accepted]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ExceptionsError(f"{path}: cannot read the exceptions file: {exc}") from None
    entries = data.get("exceptions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ExceptionsError(f"{path}: expected a list under `exceptions:`")
    loaded = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("rule") or not str(entry.get("reason") or "").strip():
            raise ExceptionsError(f"{path}: exceptions[{i}] needs a rule and a reason")
        unknown = set(entry) - {"rule", "reason", "path", "subject"}
        if unknown:
            raise ExceptionsError(f"{path}: exceptions[{i}] has unknown keys: {', '.join(sorted(unknown))}")
        loaded.append(Accepted(str(entry["rule"]), str(entry["reason"]), str(entry.get("path", "*")), str(entry.get("subject", "*")), i))
    return loaded


def apply(findings: list[Finding], exceptions: list[Accepted], source: str) -> tuple[list[Finding], list[Finding]]:
    """(findings kept, findings excepted), plus a finding for each exception never used."""
    kept, excepted, used = [], [], set()
    for finding in findings:
        match = next((e for e in exceptions if e.matches(finding)), None)
        if match is None:
            kept.append(finding)
        else:
            excepted.append(finding)
            used.add(match)
    for e in exceptions:
        if e not in used:
            kept.append(Finding(UNUSED.id, UNUSED.severity, source, f"exceptions[{e.line}] ({e.rule}, path {e.path}, subject {e.subject}) matched no finding", None, e.rule))
    return kept, excepted
