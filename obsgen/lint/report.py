"""Findings as text for people, JSON for tools, GitHub annotations and SARIF for code review."""

from __future__ import annotations

import json
from collections import Counter

from .findings import ERROR, INFO, REGISTRY, WARNING, Finding

FORMATS = ("text", "json", "github", "sarif")
_GITHUB_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "notice"}
_SARIF_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def summary(findings: list[Finding], files: int, excepted: int, skipped: dict[str, int] | None = None) -> str:
    counts = Counter(f.severity for f in findings)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 and s != INFO else ''}" for s in (ERROR, WARNING, INFO)]
    notes = [f"{excepted} excepted"] if excepted else []
    notes += [f"{n} {kind} not checked" for kind, n in sorted((skipped or {}).items())]
    return f"{', '.join(parts)} in {files} files" + (f" ({'; '.join(notes)})" if notes else "")


def as_text(findings: list[Finding], files: int, excepted: int, skipped: dict[str, int] | None = None) -> str:
    lines = []
    for f in findings:
        where = f"{f.path}:{f.line}" if f.line else f.path
        subject = f" [{f.subject}]" if f.subject else ""
        lines.append(f"{where}: {f.severity} {f.rule}{subject}: {f.message}")
    return "\n".join(lines + [summary(findings, files, excepted, skipped)]) + "\n"


def as_json(findings: list[Finding], files: int, excepted: int, skipped: dict[str, int] | None = None) -> str:
    counts = Counter(f.severity for f in findings)
    data = {
        "findings": [
            {"rule": f.rule, "severity": f.severity, "path": f.path, "line": f.line, "subject": f.subject, "message": f.message}
            for f in findings
        ],
        "summary": {"files": files, "excepted": excepted, "skipped": dict(sorted((skipped or {}).items())), **{s: counts[s] for s in (ERROR, WARNING, INFO)}},
    }
    return json.dumps(data, indent=2) + "\n"


def _escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def as_github(findings: list[Finding], files: int, excepted: int, skipped: dict[str, int] | None = None) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on the PR."""
    lines = []
    for f in findings:
        props = [f"file={_escape(f.path, True)}"] + ([f"line={f.line}"] if f.line else []) + [f"title={_escape(f.rule, True)}"]
        subject = f"{f.subject}: " if f.subject else ""
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {','.join(props)}::{_escape(subject + f.message)}")
    return "\n".join(lines + [summary(findings, files, excepted, skipped)]) + "\n"


def as_sarif(findings: list[Finding], files: int, excepted: int, skipped: dict[str, int] | None = None) -> str:
    """SARIF 2.1.0, for GitHub code scanning (upload-sarif) and other review tools."""
    ids = sorted(REGISTRY)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    rules = [
        {
            "id": rule_id,
            "shortDescription": {"text": REGISTRY[rule_id].summary},
            "defaultConfiguration": {"level": _SARIF_LEVEL[REGISTRY[rule_id].severity]},
        }
        for rule_id in ids
    ]
    results = []
    for f in findings:
        region = {"startLine": f.line} if f.line else {}
        location = {"physicalLocation": {"artifactLocation": {"uri": f.path.replace("\\", "/")}, **({"region": region} if region else {})}}
        result: dict[str, object] = {"ruleId": f.rule, "level": _SARIF_LEVEL[f.severity], "message": {"text": f"{f.subject}: {f.message}" if f.subject else f.message}, "locations": [location]}
        if f.rule in index:
            result["ruleIndex"] = index[f.rule]
        results.append(result)
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "obsgen lint", "rules": rules}}, "results": results}],
    }
    return json.dumps(sarif, indent=2) + "\n"


RENDERERS = {"text": as_text, "json": as_json, "github": as_github, "sarif": as_sarif}
