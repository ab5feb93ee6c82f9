"""`obsgen lint` as users run it: the project's generated files lint clean, output formats,
--fail-on, the exceptions file, and link checks that really follow generated links."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml
from click.testing import CliRunner

from conftest import FIXTURES, GENERATED, ROOT, load_yaml, system_dirs
from obsgen.lint.command import lint
from obsgen.lint.findings import REGISTRY

LINT = FIXTURES / "lint"
BROKEN = LINT / "broken"


def run_lint(*args: str):
    return CliRunner().invoke(lint, list(args), catch_exceptions=False)


def test_generated_files_lint_clean_at_warning():
    """The lint of generated/ that `make test` runs, once (its speed is `make bench`'s)."""
    result = run_lint(str(GENERATED), "--fail-on", "warning")
    assert result.exit_code == 0, result.output
    # Clean at warning: info findings (a guess such as the assumed 1m scrape interval) may remain.
    assert result.output.splitlines()[-1].startswith("0 errors, 0 warnings"), result.output


def test_default_path_is_generated(monkeypatch, tmp_path):
    shutil.copytree(GENERATED / "dex", tmp_path / "generated" / "dex")  # one system: all of generated/ is linted above
    monkeypatch.chdir(tmp_path)
    result = run_lint("--fail-on", "warning")
    assert result.exit_code == 0, result.output
    assert result.output == run_lint(str(tmp_path / "generated"), "--fail-on", "warning").output
    assert int(re.search(r"in (\d+) files", result.output).group(1)) >= 4


def test_missing_path_is_bad_input(tmp_path):
    result = run_lint(str(tmp_path / "nope"))
    assert result.exit_code == 2 and "no such file or folder" in result.output


@pytest.fixture
def system_copy(tmp_path):
    """One generated system, copied so a test can break it."""
    folder = system_dirs()[0]
    shutil.copytree(folder, tmp_path / folder.name)
    return tmp_path / folder.name


def _alerts(folder):
    for path in sorted((folder / "rules").glob("*.alerts.yml")):
        for group in load_yaml(path.read_text())["groups"]:
            yield from group["rules"]


def test_every_generated_runbook_url_resolves_into_the_handbook(system_copy):
    """Drop every alert and SLO heading from the handbook: each alert rule's runbook_url must fail."""
    handbook = system_copy / "handbook.md"
    # Alert sections are level 4, SLO sections level 3: drop both.
    handbook.write_text(re.sub(r"^#{3,4} .*$", "#### Gone", handbook.read_text(), flags=re.M))
    result = run_lint(str(system_copy), "--format", "json")
    broken = [f for f in json.loads(result.output)["findings"] if f["rule"] == "links/runbook-url"]
    rules = list(_alerts(system_copy))
    assert rules and len(broken) == len(rules)
    assert {f["subject"] for f in broken} == {r["alert"] for r in rules}


def test_generated_dashboard_urls_and_recorded_metrics_are_checked(system_copy):
    alerts = next((system_copy / "rules").glob("*.alerts.yml"))
    text = alerts.read_text()
    alerts.write_text(re.sub(r"viewPanel=\d+", "viewPanel=999", text, count=1))
    recording = next((system_copy / "rules").glob("*.recording.yml"))
    recording.write_text(re.sub(r"record: (\S+)", r"record: \1_renamed", recording.read_text(), count=1))
    findings = json.loads(run_lint(str(system_copy), "--format", "json").output)["findings"]
    rules = {f["rule"] for f in findings}
    assert {"links/dashboard-url", "links/unknown-recorded-metric"} <= rules


def test_fail_on_sets_the_exit_code(tmp_path):
    info_only = tmp_path / "alertmanager.yml"
    info_only.write_text("route:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs: [{url: \"http://sink.example.com/\"}]\n")
    assert run_lint(str(info_only)).exit_code == 0
    assert run_lint(str(info_only), "--fail-on", "warning").exit_code == 0
    assert run_lint(str(info_only), "--fail-on", "info").exit_code == 1
    assert run_lint(str(BROKEN)).exit_code == 1
    assert run_lint(str(BROKEN), "--fail-on", "never").exit_code == 0


def test_text_output_names_file_line_severity_and_rule():
    result = run_lint(str(BROKEN / "rules"))
    assert re.search(r"broken\.rules\.yml:\d+: info mixin/severity \[SeverityNotKnown\]: ", result.output)
    assert re.search(r"^\d+ errors, \d+ warnings, \d+ info in 1 files$", result.output.splitlines()[-1])


def test_json_output():
    data = json.loads(run_lint(str(BROKEN), "--format", "json").output)
    assert data["summary"]["error"] == sum(1 for f in data["findings"] if f["severity"] == "error") > 0
    assert {"rule", "severity", "path", "line", "subject", "message"} == set(data["findings"][0])


def test_github_annotations():
    lines = run_lint(str(BROKEN), "--format", "github").output.splitlines()
    annotations = [l for l in lines if l.startswith("::")]
    assert annotations and all(re.match(r"::(error|warning|notice) file=[^,]+(,line=\d+)?,title=[a-z-]+/[a-z-]+::", l) for l in annotations)
    assert all("\n" not in l for l in annotations)
    assert any("%0A" in l for l in annotations)  # a multi-line message (PromQL caret) stays one annotation


def test_sarif_output():
    sarif = json.loads(run_lint(str(BROKEN), "--format", "sarif").output)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == set(REGISTRY)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]


def test_exceptions_file_accepts_findings_and_reports_unused_entries(tmp_path):
    exceptions = tmp_path / "exceptions.yml"
    exceptions.write_text(yaml.safe_dump({"exceptions": [
        {"rule": "mixin/*", "path": "*broken.rules.yml", "reason": "third-party rules, kept as shipped"},
        {"rule": "promql/syntax", "subject": "NoSuchRule", "reason": "stale"},
    ]}))
    data = json.loads(run_lint(str(BROKEN), "--format", "json", "--exceptions", str(exceptions)).output)
    rules = [f["rule"] for f in data["findings"]]
    assert not [r for r in rules if r.startswith("mixin/")]
    assert data["summary"]["excepted"] == 6
    assert rules.count("input/unused-exception") == 1 and "promql/syntax" in rules


def test_exceptions_need_a_reason(tmp_path):
    exceptions = tmp_path / "exceptions.yml"
    exceptions.write_text("exceptions:\n  - rule: mixin/summary\n")
    result = run_lint(str(BROKEN), "--exceptions", str(exceptions))
    assert result.exit_code == 2 and "needs a rule and a reason" in result.output


def test_default_exceptions_file_is_read_from_the_working_folder(tmp_path, monkeypatch):
    shutil.copytree(BROKEN, tmp_path / "broken")
    (tmp_path / ".obsgen-lint.yml").write_text(yaml.safe_dump({"exceptions": [{"rule": "*", "reason": "all accepted"}]}))
    monkeypatch.chdir(tmp_path)
    result = run_lint("broken", "--fail-on", "info")
    assert result.exit_code == 0, result.output


def test_list_rules_names_every_rule_with_its_severity():
    output = run_lint("--list-rules").output
    for rule in REGISTRY.values():
        assert re.search(rf"^{re.escape(rule.id)}\s+{rule.severity}\s", output, re.M)


def test_make_lint_and_the_cli_share_one_fail_on_default(tmp_path):
    """`make lint` passes no --fail-on: the CLI's default (warning) is the one gate."""
    makefile = (ROOT / "Makefile").read_text()
    assert "$(BIN)/obsgen lint\n" in makefile and "--fail-on" not in makefile
    warning_only = tmp_path / "alertmanager.yml"
    warning_only.write_text(
        "route:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs: [{url: \"http://sink.example.com/\"}]\n"
        "  - name: b\n    webhook_configs: [{url: \"http://sink.example.com/\"}]\n"
    )
    result = run_lint(str(warning_only))
    assert "routing/unused-receiver" in result.output and "warning" in result.output
    assert result.exit_code == 1
