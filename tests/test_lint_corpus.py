"""obsgen lint on the third-party corpus (../shared/corpus, read only): no crash; every file
promtool or amtool rejects has an error with a line; and every error or warning is in the
committed triage (tests/lint_corpus_triage.yml) with a verdict of true."""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from conftest import SHARED, shared_path, tool
from obsgen.lint.run import lint_paths
from obsgen.lint.settings import Settings

CORPUS = SHARED / "corpus"
TRIAGE = Path(__file__).parent / "lint_corpus_triage.yml"


@pytest.fixture(scope="module")
def corpus_lint():
    shared_path("corpus", "the third-party corpus")  # skips without ../shared; mandatory in CI
    return lint_paths([CORPUS], Settings.installed())


def _rejected(command: list[str], path: Path) -> bool:
    return subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=120).returncode != 0


def test_every_file_promtool_or_amtool_rejects_has_an_error(corpus_lint):
    promtool, amtool = tool("promtool"), tool("amtool")
    checks = [([promtool, "check", "rules"], p) for folder in ("apa", "kp-rules") for p in sorted((CORPUS / folder).glob("*.y*ml"))]
    checks += [([amtool, "check-config"], p) for p in sorted((CORPUS / "am").glob("*.y*ml"))]
    with ThreadPoolExecutor(max_workers=4) as pool:
        verdicts = list(pool.map(lambda c: _rejected(*c), checks))
    rejected = {p.relative_to(CORPUS).as_posix() for (_, p), bad in zip(checks, verdicts) if bad}
    assert rejected, "expected the corpus's invalid Alertmanager configs to be rejected"
    errors = {f.path.replace("\\", "/").split("corpus/", 1)[1] for f in corpus_lint.findings if f.severity == "error" and f.line}
    assert rejected - errors == set(), "rejected by the real tool, but no error with a line from obsgen lint"


def test_every_error_and_warning_is_triaged_and_true(corpus_lint):
    triage = yaml.safe_load(TRIAGE.read_text(encoding="utf-8"))["findings"]
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
