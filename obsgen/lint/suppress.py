"""In-file suppression, as pint does it: a comment `# obsgen-lint: ignore <rule>[, <rule>...]`
on a rule or a group (on its first line, just above it, or inside it) silences those rule
ids (globs such as promql/* too) for that rule or for every rule of the group."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from .findings import Finding
from .sources import RuleFile

MARKER = "obsgen-lint: ignore"


@dataclass(frozen=True)
class Suppression:
    path: str
    first: int
    last: int
    rules: tuple[str, ...]

    def covers(self, finding: Finding) -> bool:
        return (finding.path == self.path and finding.line is not None and self.first <= finding.line <= self.last
                and any(fnmatchcase(finding.rule, pattern) for pattern in self.rules))


def _comments(text: str) -> list[tuple[int, tuple[str, ...], bool]]:
    """(line, rule ids, whether the line holds nothing but the comment) of every marker."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        at = line.find("#")
        while at >= 0 and MARKER not in line[at:]:
            at = line.find("#", at + 1)
        if at < 0:
            continue
        rules = tuple(r.strip() for r in line[at:].split(MARKER, 1)[1].replace(",", " ").split() if r.strip())
        found.append((number, rules, not line[:at].strip()))
    return found


def _spans(source: RuleFile, total: int) -> list[tuple[int, int]]:
    """(first, last line) of every group and every rule, groups first."""
    groups = [g for g in source.rules.groups if g.line]
    spans = []
    for i, group in enumerate(groups):
        end = (groups[i + 1].line or 0) - 1 if i + 1 < len(groups) else total
        spans.append((group.line or 0, end))
        rules = [r for r in group.rules if r.line]
        for j, item in enumerate(rules):
            spans.append((item.line or 0, (rules[j + 1].line or 0) - 1 if j + 1 < len(rules) else end))
    return spans


def suppressions(source: RuleFile) -> list[Suppression]:
    lines = source.text.splitlines()
    spans = _spans(source, len(lines))
    found = []
    for number, rules, alone in _comments(source.text):
        if not rules:
            continue
        target = None
        if alone:  # a comment line: the group or rule that starts right after it
            after = number
            while after < len(lines) and (not lines[after].strip() or lines[after].strip().startswith("#")):
                after += 1
            starting = [s for s in spans if s[0] == after + 1]
            target = starting[-1] if starting else None
        if target is None:  # inside a rule or group, or on its first line: the innermost one
            containing = [s for s in spans if s[0] <= number <= s[1]]
            target = min(containing, key=lambda s: s[1] - s[0]) if containing else None
        if target is not None:
            found.append(Suppression(source.display, target[0], target[1], rules))
    return found


def apply(findings: list[Finding], rule_files: list[RuleFile]) -> list[Finding]:
    rules = [s for source in rule_files if MARKER in source.text for s in suppressions(source)]
    if not rules:
        return findings
    return [f for f in findings if not any(s.covers(f) for s in rules)]
