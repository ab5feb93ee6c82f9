"""obsgen lint on the third-party corpus (../shared/corpus, read only): no crash; every file
promtool or amtool rejects has an error with a line; and every error or warning is in the
committed triage (tests/lint_corpus_triage.yml) with a verdict of true."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED, load_yaml, shared_path, tool, tool_verdicts
from obsgen.lint.run import lint_paths
from obsgen.lint.settings import Settings

CORPUS = SHARED / "corpus"
TRIAGE = Path(__file__).parent / "lint_corpus_triage.yml"


@pytest.fixture(scope="module")
def corpus_lint():
    shared_path("corpus", "the third-party corpus")  # skips without ../shared; mandatory in CI
    return lint_paths([CORPUS], Settings.installed())


def test_every_file_promtool_or_amtool_rejects_has_an_error(corpus_lint):
    promtool, amtool = tool("promtool"), tool("amtool")
    rule_files = [p for folder in ("apa", "kp-rules") for p in sorted((CORPUS / folder).glob("*.y*ml"))]
    verdicts = tool_verdicts([promtool, "check", "rules"], rule_files) | tool_verdicts([amtool, "check-config"], sorted((CORPUS / "am").glob("*.y*ml")))
    rejected = {p.relative_to(CORPUS).as_posix() for p, accepted in verdicts.items() if not accepted}
    assert rejected, "expected the corpus's invalid Alertmanager configs to be rejected"
    errors = {f.path.replace("\\", "/").split("corpus/", 1)[1] for f in corpus_lint.findings if f.severity == "error" and f.line}
    assert rejected - errors == set(), "rejected by the real tool, but no error with a line from obsgen lint"


def test_every_error_and_warning_is_triaged_and_true(corpus_lint):
    triage = load_yaml(TRIAGE.read_text(encoding="utf-8"))["findings"]
    assert all(entry["verdict"] == "true" and entry["reason"].strip() for entry in triage), "a finding known to be false: fix the linter"
    listed = {(e["rule"], e["path"], e["line"], e["subject"], e["severity"]) for e in triage}
    found = {
        (f.rule, f.path.replace("\\", "/").split("corpus/", 1)[1], f.line, f.subject, f.severity)
        for f in corpus_lint.findings if f.severity != "info"
    }
    assert sorted(found - listed) == [], "new findings: triage them in tests/lint_corpus_triage.yml"
    assert sorted(listed - found) == [], "triaged findings that no longer appear: update tests/lint_corpus_triage.yml"


def test_the_corpus_finds_every_kind_of_file(corpus_lint):
    sources = corpus_lint.sources
    assert len(sources.rules) >= 120 and len(sources.alertmanagers) >= 19 and len(sources.dashboards) >= 49
