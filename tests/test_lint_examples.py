"""The CI examples users copy: valid YAML that runs what `make test` runs, and a verify
script that passes on the project's generated files and fails on a broken one."""

from __future__ import annotations

import shutil
import subprocess


from conftest import GENERATED, ROOT, load_yaml, tool
from obsgen.lint import exceptions

EXAMPLES = ROOT / "examples"


def test_workflow_runs_generate_check_lint_tests_and_diff():
    workflow = load_yaml((EXAMPLES / "ci" / "github-workflow.yml").read_text())
    commands = " ".join(step.get("run", "") for step in workflow["jobs"]["check"]["steps"])
    for command in ("obsgen generate --check", "obsgen lint --fail-on warning --format github", "--format sarif", "obsgen test", "obsgen diff --base"):
        assert command in commands


def test_pre_commit_hooks_run_generate_check_lint_and_tests():
    config = load_yaml((EXAMPLES / "pre-commit-config.yaml").read_text())
    entries = [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    assert entries == ["obsgen generate --check", "obsgen lint --fail-on warning", "obsgen test"]


def test_example_exceptions_file_loads():
    assert [e.rule for e in exceptions.load(EXAMPLES / "obsgen-lint.yml")] == ["mixin/summary", "amlint/*"]


def test_verify_script_passes_on_generated_and_fails_on_a_wrong_route(tmp_path):
    tool("promtool"), tool("amtool")
    script = str(EXAMPLES / "ci" / "verify-generated.sh")
    system = GENERATED / "dex"  # the smallest; its SLO tests left out: `obsgen test` runs them, and they cost seconds
    shutil.copytree(system, tmp_path / system.name, ignore=shutil.ignore_patterns("slo-*.test.yml"))
    ok = subprocess.run(["sh", script, str(tmp_path)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    cases = tmp_path / system.name / "tests" / "routing.test.yml"
    cases.write_text(cases.read_text().replace('"receivers": [', '"receivers": [\n        "nobody",', 1))
    bad = subprocess.run(["sh", script, str(tmp_path)], capture_output=True, text=True)
    assert bad.returncode == 1 and "expected ['nobody'" in bad.stdout
