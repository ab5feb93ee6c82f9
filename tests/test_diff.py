"""`obsgen diff` against a throwaway git repository: what a reviewer needs to see."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import FIXTURES, GENERATED, run_obsgen
from obsgen.diff.command import diff
from obsgen.verify.tools import route_receivers

SYSTEM = "bondx"
ALERTS = f"{SYSTEM}/rules/trading-engine.alerts.yml"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository whose HEAD holds one generated system."""
    root = tmp_path / "repo"
    shutil.copytree(GENERATED / SYSTEM, root / "generated" / SYSTEM)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


def run_diff(repo: Path, *args: str):
    return CliRunner().invoke(diff, ["--generated", str(repo / "generated"), "--definitions", str(repo / "definitions"), *args], catch_exceptions=False)


def edit(repo: Path, path: str, old: str, new: str, count: int = 1) -> None:
    file = repo / "generated" / path
    text = file.read_text()
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, count))


def receivers_of(text: str, alert: str) -> tuple[str, str]:
    row = next(l for l in text.splitlines() if l.startswith("|") and f"`{alert}`" in l)
    cells = [c.strip() for c in row.strip("|").split(" | ")]
    return cells[4], cells[5]


def test_no_change(repo):
    result = run_diff(repo)
    assert result.exit_code == 0
    assert "No changes in the generated files." in result.output


def test_moved_threshold_names_alert_old_and_new_threshold_and_receivers(repo):
    """Move HighOrderLatency's threshold and give it a priority that pages someone else;
    the receivers the diff names are the ones amtool resolves on each side."""
    config = repo / "generated" / SYSTEM / "alertmanager.yml"
    rule = next(r for g in yaml.safe_load((repo / "generated" / ALERTS).read_text())["groups"] for r in g["rules"] if r["alert"] == "HighOrderLatency")
    labels = {"alertname": "HighOrderLatency", **rule["labels"]}
    before = route_receivers(config, labels)
    priorities = sorted(set(re.findall(r'priority="(P\d)"', config.read_text())))
    moved = next(p for p in priorities if route_receivers(config, {**labels, "priority": p}) != before)
    after = route_receivers(config, {**labels, "priority": moved})
    threshold = rule["expr"].rsplit(" ", 1)[1]
    edit(repo, ALERTS, f"{rule['expr']}\n", f"{rule['expr'].rsplit(' ', 1)[0]} {float(threshold) * 2:g}\n")
    edit(repo, ALERTS, f"severity: {rule['labels']['severity']}\n      priority: {rule['labels']['priority']}", f"severity: {rule['labels']['severity']}\n      priority: {moved}")
    out = run_diff(repo).output
    assert f"threshold `> {float(threshold):g}` → `> {float(threshold) * 2:g}`" in out
    assert f"priority `{rule['labels']['priority']}` → `{moved}`" in out
    shown_before, shown_after = receivers_of(out, "HighOrderLatency")
    assert shown_before == ", ".join(f"`{r}`" for r in before)
    assert shown_after.startswith(", ".join(f"`{r}`" for r in after) + " (**")
    assert "**1 paged differently**" in out


def test_json_format(repo):
    edit(repo, ALERTS, "for: 5m", "for: 10m")
    data = json.loads(run_diff(repo, "--format", "json").output)
    alert = data["systems"][0]["alerts"][0]
    assert data["base"] == "HEAD" and alert["kind"] == "changed"
    assert {"field": "for", "before": "5m", "after": "10m"} in alert["changes"]
    assert alert["receivers_before"] == alert["receivers_after"]


def _rules(repo: Path) -> list[dict]:
    return [r for path in sorted((repo / "generated" / SYSTEM / "rules").glob("*.alerts.yml"))
            for g in yaml.safe_load(path.read_text())["groups"] for r in g["rules"]]


def _shown(receivers: list[str]) -> str:
    return ", ".join(f"`{r}`" for r in receivers) or "none"


def test_added_and_removed_alerts(repo):
    path = repo / "generated" / ALERTS
    data = yaml.safe_load(path.read_text())
    rules = data["groups"][0]["rules"]
    removed = rules.pop(0)
    added = dict(rules[0], alert="BrandNewAlert", labels=dict(rules[0]["labels"], priority="P1"))
    rules.append(added)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    out = run_diff(repo).output
    assert re.search(rf"\| removed \| `{removed['alert']}` \|", out)
    row = next(l for l in out.splitlines() if "`BrandNewAlert`" in l)
    expected = route_receivers(repo / "generated" / SYSTEM / "alertmanager.yml", {"alertname": "BrandNewAlert", **added["labels"]})
    assert row.startswith("| added |") and "P1" in row and row.endswith(f"| none | {_shown(expected)} |")


def test_routing_change_reroutes_unchanged_alerts(repo):
    """Send one child route to another receiver and rename a Slack channel: the alerts on
    that route are 'rerouted' to what amtool now resolves; the route and receiver diffs show."""
    config = repo / "generated" / SYSTEM / "alertmanager.yml"
    data = yaml.safe_load(config.read_text())
    names = [r["name"] for r in data["receivers"]]
    first = _rules(repo)[0]["labels"]["priority"]
    route = next(r for r in data["route"]["routes"] if f'priority="{first}"' in r.get("matchers", []))
    old_receiver, route["receiver"] = route["receiver"], next(n for n in names if n != route["receiver"])
    slack = next(r for r in data["receivers"] if r.get("slack_configs"))
    old_channel, slack["slack_configs"][0]["channel"] = slack["slack_configs"][0]["channel"], "#renamed"
    data["inhibit_rules"].pop()
    before = {r["alert"] + r["labels"]["severity"]: route_receivers(config, {"alertname": r["alert"], **r["labels"]}) for r in _rules(repo)}
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    out = run_diff(repo).output
    rerouted = [l for l in out.splitlines() if l.startswith("| rerouted |")]
    changed = [r for r in _rules(repo) if route_receivers(config, {"alertname": r["alert"], **r["labels"]}) != before[r["alert"] + r["labels"]["severity"]]]
    assert changed and len(rerouted) == len(changed)
    for rule in changed:
        row = next(l for l in rerouted if f"`{rule['alert']}`" in l and f"| {rule['labels']['severity']} |" in l)
        assert f"| {_shown(route_receivers(config, {'alertname': rule['alert'], **rule['labels']}))} (**" in row
    assert "#### Routes" in out and f"-> {old_receiver}" in out and f"-> {route['receiver']}" in out
    assert f"slack_configs[0].channel `{old_channel}` → `#renamed`" in out
    assert "#### Inhibitions" in out and "\n- {" in out


def test_recording_rules_and_dashboards(repo):
    edit(repo, f"{SYSTEM}/rules/trading-engine.recording.yml", "[5m]", "[10m]")
    dashboard = repo / "generated" / SYSTEM / "dashboards" / "bondx-trading-engine.json"
    data = json.loads(dashboard.read_text())
    data["panels"][0]["fieldConfig"]["defaults"]["unit"] = "ms"
    data["panels"].pop()
    dashboard.write_text(json.dumps(data, indent=2))
    out = run_diff(repo).output
    assert "#### Recording rules" in out and re.search(r"- changed `[^`]+`: expr `.*\[5m\].*` → `.*\[10m\].*`", out)
    assert "#### Dashboards" in out and "- changed `bondx-trading-engine`" in out
    assert re.search(r"panel 1 unit \(.*\) `\w+` → `ms`", out) and "(removed)" in out


def test_new_system_and_other_files(repo):
    shutil.copytree(GENERATED / "dex", repo / "generated" / "dex")
    edit(repo, f"{SYSTEM}/handbook.md", "# ", "# Edited ")
    out = run_diff(repo).output
    assert "### dex (new system)" in out and "| added |" in out
    assert "Also changed: `handbook.md`." in out


def test_base_without_generated_folder(repo):
    git(repo, "commit", "-q", "--allow-empty", "-m", "empty")
    (repo / "other").mkdir()
    out = CliRunner().invoke(diff, ["--generated", str(repo / "other"), "--base", "HEAD~1"]).output
    assert "No changes" in out


def test_unknown_ref_is_bad_input(repo):
    result = CliRunner().invoke(diff, ["--generated", str(repo / "generated"), "--base", "no-such-ref"])
    assert result.exit_code == 2 and "is not a commit" in result.output


def test_reads_the_ref_not_the_working_tree(repo):
    """A committed change is part of --base HEAD; comparing with HEAD~1 shows it."""
    edit(repo, ALERTS, "for: 5m", "for: 15m")
    git(repo, "commit", "-qam", "slower")
    assert "No changes" in run_diff(repo).output
    assert "for `5m` → `15m`" in run_diff(repo, "--base", "HEAD~1").output


def test_a_stale_generated_folder_is_said_not_hidden(tmp_path):
    """Definitions changed, generated/ not regenerated: the diff says so instead of 'no changes'."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "good", root / "definitions")
    assert run_obsgen("generate", cwd=root).returncode == 0
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    fresh = run_obsgen("diff", cwd=root)
    assert fresh.returncode == 0 and "stale" not in fresh.stdout + fresh.stderr and "No changes" in fresh.stdout
    module = next(p for p in (root / "definitions").rglob("*.py") if 'summary="' in p.read_text())
    module.write_text(module.read_text().replace('summary="', 'summary="Now: ', 1))
    stale = run_obsgen("diff", cwd=root)
    assert stale.returncode == 0, stale.stderr
    assert "generated/ is stale against the definitions" in stale.stdout and "changed " in stale.stdout
    assert "warning: generated/ is stale against definitions/" in stale.stderr
    as_json = json.loads(run_obsgen("diff", "--format", "json", cwd=root).stdout)
    assert as_json["stale"] and all(line.startswith("changed ") for line in as_json["stale"])
