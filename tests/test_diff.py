"""`obsgen diff` against a throwaway git repository holding a seed's generated files: the
command as CI runs it, and edits of the kind a hand (or a third-party tool) makes.

The golden cases on a fixture system are in test_diff_golden.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import GENERATED, load_yaml, run_obsgen
from obsgen.diff import describe
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
    return CliRunner().invoke(diff, ["--generated", str(repo / "generated"), "--definitions", str(repo / "definitions"), *args],
                              catch_exceptions=False)


def as_json(repo: Path, *args: str) -> dict:
    return json.loads(run_diff(repo, "--format", "json", *args).output)


def rules(repo: Path, path: str = ALERTS) -> list[dict]:
    return [r for g in load_yaml((repo / "generated" / path).read_text())["groups"] for r in g["rules"]]


def edit(repo: Path, path: str, old: str, new: str, count: int = 1) -> None:
    file = repo / "generated" / path
    text = file.read_text()
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, count))


def test_no_change(repo):
    result = run_diff(repo)
    assert result.exit_code == 0
    assert "No changes in the generated files." in result.output


def test_reads_the_ref_not_the_working_tree(repo):
    """A committed change is part of --base HEAD; comparing with HEAD~1 shows it."""
    edit(repo, ALERTS, "for: 5m", "for: 15m")
    git(repo, "commit", "-qam", "slower")
    assert "No changes" in run_diff(repo).output
    assert "for `5m` → `15m`" in run_diff(repo, "--base", "HEAD~1").output


def test_unknown_ref_is_bad_input(repo):
    result = CliRunner().invoke(diff, ["--generated", str(repo / "generated"), "--base", "no-such-ref"])
    assert result.exit_code == 2 and "is not a commit" in result.output and "Traceback" not in result.output


def test_base_without_generated_folder(repo):
    git(repo, "commit", "-q", "--allow-empty", "-m", "empty")
    (repo / "other").mkdir()
    # No definitions beside it (as in run_diff): the folder is not compared with the seeds compiled afresh.
    out = CliRunner().invoke(diff, ["--generated", str(repo / "other"), "--definitions", str(repo / "definitions"), "--base", "HEAD~1"]).output
    assert "No changes" in out


def test_priority_moved_by_hand_pages_whom_amtool_says(repo):
    """Give the first warning a priority routed elsewhere: the row's receivers on each side are
    what amtool resolves, and the headline says whether it starts paging."""
    config = repo / "generated" / SYSTEM / "alertmanager.yml"
    rule = next(r for r in rules(repo) if r["labels"]["severity"] == "warning")
    labels = {"alertname": rule["alert"], **rule["labels"]}
    before = route_receivers(config, labels)
    pagers = {r["name"] for r in load_yaml(config.read_text())["receivers"] if r.get("pagerduty_configs")}
    moved = next(p for p in ("P0", "P1", "P2", "P3") if route_receivers(config, {**labels, "priority": p}) != before)
    after = route_receivers(config, {**labels, "priority": moved})
    edit(repo, ALERTS, f"severity: warning\n      priority: {rule['labels']['priority']}", f"severity: warning\n      priority: {moved}")
    data = as_json(repo)
    row = next(a for a in data["systems"][0]["alerts"] if a["name"] == rule["alert"] and a["severity"] == "warning")
    assert {"field": "priority", "before": rule["labels"]["priority"], "after": moved} in row["changes"]
    assert len(row["reaches_before"]) == len(before) and len(row["reaches_after"]) == len(after)
    assert bool(row["pages_before"]) == bool(set(before) & pagers) and bool(row["pages_after"]) == bool(set(after) & pagers)
    if set(after) & pagers and not set(before) & pagers:
        assert row["effects"][0] == "starts paging"


def test_added_removed_and_renamed_alerts(repo):
    path = repo / "generated" / ALERTS
    data = load_yaml(path.read_text())
    group = data["groups"][0]["rules"]
    removed = group.pop(0)
    renamed = group[0]
    old_name, renamed["alert"] = renamed["alert"], renamed["alert"] + "Renamed"
    group.append(dict(renamed, alert="BrandNewAlert", expr=renamed["expr"] + " * 2"))
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    rows = {(a["kind"], a["name"]) for a in as_json(repo)["systems"][0]["alerts"]}
    assert ("removed", removed["alert"]) in rows and ("added", "BrandNewAlert") in rows
    assert ("renamed", old_name + "Renamed") in rows and ("removed", old_name) not in rows


def test_recording_rule_window_moves_its_alerts(repo):
    """A recording rule read by an alert now covers 10m: the alert fires on another condition
    (it reads a changed rule), the rule names the alert that reads it."""
    path = f"{SYSTEM}/rules/trading-engine.recording.yml"
    record = next(r for r in rules(repo, path) if "[5m]" in r["expr"])
    edit(repo, path, record["expr"], record["expr"].replace("[5m]", "[10m]"))
    system = as_json(repo)["systems"][0]
    changed = next(r for r in system["records"] if r["name"] == record["record"])
    readers = [a for a in system["alerts"] if any(record["record"] in r for r in a["reads_changed"])]
    assert changed["kind"] == "changed" and readers and changed["read_by"]
    assert {title.split("{")[0].split(" (")[0] for title in changed["read_by"]} == {a["name"] for a in readers}, "read_by names exactly the alerts reading the rule"
    assert all("fires on a different condition" in a["effects"] or "fires later" in a["effects"] for a in readers)


def test_unreadable_file_is_named_not_hidden(repo):
    edit(repo, ALERTS, "groups:", "groups: [")
    system = as_json(repo)["systems"][0]
    assert any(p.startswith(f"after: rules/trading-engine.alerts.yml") for p in system["problems"])
    note = next(f for f in system["files"] if f["path"] == "rules/trading-engine.alerts.yml")
    assert note["sections"] or note["note"].startswith("could not be read")


def test_new_system_and_dashboard_description(repo):
    shutil.copytree(GENERATED / "dex", repo / "generated" / "dex")
    dashboard = repo / "generated" / SYSTEM / "dashboards" / "bondx-trading-engine.json"
    data = json.loads(dashboard.read_text())
    data["description"] = "Edited by hand."
    dashboard.write_text(json.dumps(data, indent=2))
    out = run_diff(repo).output
    assert "- **dex** (new system):" in out and "### dex (new system)" in out
    assert "- changed `bondx-trading-engine`" in out and "`Edited by hand.`" in out


def test_describe_compares_trees_in_memory():
    """What obsgen deploy --dry-run calls: running files against generated ones, no git."""
    files = {f"{SYSTEM}/{p.relative_to(GENERATED / SYSTEM).as_posix()}": p.read_bytes()
             for p in (GENERATED / SYSTEM).rglob("*") if p.is_file()}
    assert "No changes in the generated files." in describe(files, files)
    running = dict(files)
    running[ALERTS] = running[ALERTS].replace(b"for: 5m", b"for: 1m", 1)
    text = describe(running, files, "running", "generated")
    assert "**Fires later**" in text and "for `1m` → `5m`" in text
    assert json.loads(describe(running, files, format="json"))["systems"][0]["alerts"][0]["effects"] == ["fires later"]


def _fixture_files() -> dict[str, bytes]:
    base = Path(__file__).parent / "fixtures" / "diff" / "base"
    return {f"orders/{p.relative_to(base).as_posix()}": p.read_bytes() for p in base.rglob("*") if p.is_file()}


@pytest.mark.parametrize("change, effects", [
    ((b"[5m]", b"[10m]"), ["fires later"]),
    ((b"rate(orders_latency_seconds_bucket{", b'rate(orders_latency_seconds_bucket{le!="+Inf", '), ["fires on a different condition"]),
])
def test_a_recording_rule_that_moves_moves_the_alerts_reading_it(change, effects):
    """A window moved alone: the alerts reading the rule fire later. Anything else changed in
    the rule: they fire on a different condition, even when its window moved as well."""
    base = _fixture_files()
    path = "orders/rules/order-gateway.recording.yml"
    head = {**base, path: base[path].replace(*change)}
    both = {**base, path: base[path].replace(*change).replace(b"[5m]", b"[10m]")}
    for files, expected in ((head, effects), (both, sorted({"fires later", *effects}))):
        system = json.loads(describe(base, files, format="json"))["systems"][0]
        latency = [a for a in system["alerts"] if a["name"] == "HighOrderLatency"]
        assert len(latency) == 2 and all(sorted(a["effects"]) == expected for a in latency), [a["effects"] for a in latency]


@pytest.mark.parametrize("broken", [(b"receivers:", b"receiverz:"), (b"receivers:", b"receivers: [")])
def test_a_refused_alertmanager_config_says_paging_is_unknown(broken):
    """A head config Alertmanager would refuse pages nobody new and stops no pager: the comment
    says who gets paged cannot be worked out, and why, instead of "stops paging"."""
    base = _fixture_files()
    path = "orders/alertmanager.yml"
    head = {**base, path: base[path].replace(*broken, 1)}
    system = json.loads(describe(base, head, format="json"))["systems"][0]
    assert system["paging_unknown"] and system["paging_unknown"][0].startswith("after: alertmanager.yml: line ")
    assert not system["scenarios"] and not any(set(a["effects"]) - {"fires earlier", "fires later"} for a in system["alerts"])
    assert "**Who gets paged cannot be worked out**" in describe(base, head)


def test_a_stale_generated_folder_is_said_not_hidden(small_project):
    """Definitions changed, generated/ not regenerated: the diff says so instead of 'no changes'.
    (The example without its SLOs: each diff compiles the definitions, and the SLOs' tests are
    most of that.)"""
    root = small_project
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
