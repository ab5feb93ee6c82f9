"""`obsgen diff` on realistic changes to a fixture system (tests/fixtures/diff/): the comment
a reviewer reads, and the JSON, exactly as committed; and, apart from the golden text, the
facts each comment must state, so an expectation regenerated without reading still fails
when it hides or misattributes a change of who gets paged.

After a deliberate change to the diff's output:
    .venv/bin/python tests/fixtures/diff/regenerate.py expected   # then read what moved
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from obsgen.verify.tools import route_receivers

FIXTURES = Path(__file__).parent / "fixtures" / "diff"
sys.path.insert(0, str(FIXTURES))
from regenerate import FORMATS, SYSTEM, cases, lay_out, run_case  # noqa: E402
from conftest import load_yaml

CASES = cases()
REGENERATE = ".venv/bin/python tests/fixtures/diff/regenerate.py expected"


@lru_cache(maxsize=None)
def output(case: str, fmt: str) -> str:
    return run_case(case, fmt)


def report(case: str) -> dict:
    data = json.loads(output(case, "json"))
    assert [s["name"] for s in data["systems"]] == [SYSTEM]
    return data["systems"][0]


def alerts(case: str) -> dict[tuple[str, str, tuple], dict]:
    """The alert rows by (name, severity, distinguishing labels): each row one rule."""
    rows = {}
    for a in report(case)["alerts"]:
        key = (a["name"], a["severity"], tuple(sorted(a["labels"].items())))
        assert key not in rows, f"two rows for one rule: {key}"
        rows[key] = a
    return rows


def scenarios(case: str) -> dict[str, dict]:
    return {s["name"]: s for s in report(case)["scenarios"]}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_the_committed_expectation(case, fmt):
    expected = (FIXTURES / case / FORMATS[fmt]).read_text()
    assert output(case, fmt) == expected, f"obsgen diff's {fmt} for case {case!r} moved: read it, then run {REGENERATE}"


@pytest.mark.parametrize("case", CASES)
def test_every_changed_file_is_accounted_for(case):
    """Each file the change touches is named by a section of the comment, or said to change in form only."""
    changed = sorted({p.relative_to(FIXTURES / case / "head").as_posix() for p in (FIXTURES / case / "head").rglob("*") if p.is_file()}
                     | set((FIXTURES / case / "removed.txt").read_text().split() if (FIXTURES / case / "removed.txt").exists() else []))
    files = {f["path"]: f for f in report(case)["files"]}
    assert sorted(files) == changed
    for path, note in files.items():
        assert note["sections"] or note["note"], f"{case}: {path} is in no section"
        if path.startswith("rules/") or path == "alertmanager.yml":
            assert note["sections"], f"{case}: {path} holds rules or routing yet no section speaks of it"


def _receiver_texts(config: Path, labels: dict[str, str]) -> set[str]:
    """What amtool says these labels reach, in the comment's words (from the config's own receivers)."""
    receivers = {r["name"]: r for r in load_yaml(config.read_text())["receivers"]}
    texts = set()
    for name in route_receivers(config, labels):
        r = receivers[name]
        if r.get("slack_configs"):
            texts.add(f"Slack `{r['slack_configs'][0]['channel']}`")
        elif r.get("email_configs"):
            texts.add(f"email `{r['email_configs'][0]['to']}`")
        elif r.get("pagerduty_configs"):
            texts.add(f"PagerDuty `{name}`")
        else:
            texts.add(name)
    return texts


@pytest.mark.parametrize("case", CASES)
def test_receivers_are_what_amtool_resolves_on_each_side(case, tmp_path):
    """Every alert row's receivers, before and after, are the ones amtool routes it to with
    that side's alertmanager.yml."""
    config_before = FIXTURES / "base" / "alertmanager.yml"
    config_after = FIXTURES / case / "head" / "alertmanager.yml"
    config_after = config_after if config_after.exists() else config_before
    head = lay_out(case, tmp_path) / SYSTEM
    static = {}
    for side, root in (("before", FIXTURES / "base"), ("after", head)):
        for path in (root / "rules").glob("*.alerts.yml"):
            for group in load_yaml(path.read_text())["groups"]:
                for rule in group["rules"]:
                    labels = {k: v for k, v in rule["labels"].items() if "{{" not in v}
                    static[(side, rule["alert"], labels["severity"], labels.get("long", ""))] = {"alertname": rule["alert"], **labels}
    rows = report(case)["alerts"]
    assert rows or case == "removed-panel"
    for row in rows:
        long = row["labels"].get("long", "")
        if row["kind"] != "added":
            before_name = row["renamed_from"] or row["name"]
            labels = static[("before", before_name, row["severity"] if row["kind"] != "renamed" else _old_severity(row), long)]
            assert set(row["reaches_before"]) == _receiver_texts(config_before, labels), row["name"]
        if row["kind"] != "removed":
            labels = static[("after", row["name"], row["severity"], long)]
            assert set(row["reaches_after"]) == _receiver_texts(config_after, labels), row["name"]


def _old_severity(row: dict) -> str:
    return next((c["before"] for c in row["changes"] if c["field"] == "severity"), row["severity"])


# -- what each change must say, whatever the golden text ------------------------------------------


def test_threshold_fires_later_and_dashboards_say_so():
    rows = alerts("threshold")
    assert list(rows) == [("HighOrderLatency", "warning", ())]
    row = rows[("HighOrderLatency", "warning", ())]
    assert row["effects"] == ["fires later"]
    assert [(t["what"], t["before"], t["after"], t["verdict"]) for t in row["timing"]] == [("threshold", "> 0.1", "> 0.15", "later")]
    dashboards = {d["name"]: [c["field"] for c in d["changes"]] for d in report("threshold")["dashboards"]}
    assert set(dashboards) == {"orders-order-gateway", "orders-overview"}  # descriptions and red lines: none left out
    assert all(any(f.endswith("description") for f in fields) for fields in dashboards.values())


def test_for_fires_later():
    row = alerts("for")[("MatchingEngineDown", "critical", ())]
    assert row["effects"] == ["fires later"] and row["timing"][0]["what"] == "for"
    assert len(alerts("for")) == 1


def test_priority_stops_paging_and_the_scenario_says_who_was_paged():
    rows = alerts("priority")
    assert list(rows) == [("HighOrderLatency", "critical", ())]
    row = rows[("HighOrderLatency", "critical", ())]
    assert row["effects"] == ["stops paging"]
    assert row["pages_before"] == ["PagerDuty `pagerduty-platform`"] and row["pages_after"] == []
    moved = scenarios("priority")
    assert list(moved) == ["slow-orders"]  # engine-down still pages: MatchingEngineDown is P1 and silences the latency alert
    assert moved["slow-orders"]["paged_before"] == ["PagerDuty `pagerduty-platform`"] and moved["slow-orders"]["paged_after"] == []
    headline = output("priority", "markdown").split("#### Alerts")[0]
    assert "**Stops paging** (1)" in headline and "`slow-orders`" in headline and "pages nobody" in headline


def test_route_tells_someone_else():
    rows = alerts("route")
    assert list(rows) == [("RiskCheckSlow", "warning", ())]
    assert rows[("RiskCheckSlow", "warning", ())]["effects"] == ["tells someone else"]
    assert list(scenarios("route")) == ["slow-risk-checks"]
    assert "Slack `#alerts-ops`" in scenarios("route")["slow-risk-checks"]["told_before"]
    assert "Slack `#alerts-ops`" not in scenarios("route")["slow-risk-checks"]["told_after"]


def test_rename_is_one_row_that_starts_paging():
    rows = report("rename")["alerts"]
    assert [(r["kind"], r["renamed_from"], r["name"]) for r in rows] == [("renamed", "OrderRejectsHigh", "OrderRejectRatioHigh")]
    assert rows[0]["effects"] == ["starts paging"]
    assert "(renamed from `OrderRejectsHigh`)" in output("rename", "markdown").split("#### Alerts")[0]


def test_new_slo_adds_its_own_rows_and_leaves_the_other_slo_alone():
    """Each tier is its own row; nothing of order-success is said to change (its file is untouched)."""
    rows = alerts("new-slo")
    assert {r["kind"] for r in rows.values()} == {"added"}
    assert {(n, s, dict(k)["long"]) for n, s, k in rows} == {
        ("MatchLatencyBudgetBurn", "critical", "1h"), ("MatchLatencyBudgetBurn", "critical", "6h"),
        ("MatchLatencyBudgetBurn", "warning", "1d"), ("MatchLatencyBudgetBurn", "warning", "3d")}
    assert sorted(r["name"] for r in rows.values() if r["effects"] == ["starts paging"]) == ["MatchLatencyBudgetBurn"] * 2
    records = report("new-slo")["records"]
    assert records and {r["kind"] for r in records} == {"added"} and {r["labels"]["slo"] for r in records} == {"match-latency"}


def test_slo_selector_changes_what_pages_and_names_the_rules_file():
    rows = alerts("slo-selector")
    assert len(rows) == 4 and all(r["effects"] == ["fires on a different condition"] and r["reads_changed"] for r in rows.values())
    files = {f["path"]: f["sections"] for f in report("slo-selector")["files"]}
    assert files["rules/slo-order-success.recording.yml"] == ["Recording rules"]


def test_removed_panel_is_named():
    dashboards = report("removed-panel")["dashboards"]
    assert [(d["name"], [c["field"] for c in d["changes"]]) for d in dashboards] == [("orders-overview", ["panel 'Risk check time' removed"])]
    assert not report("removed-panel")["alerts"] and "no change" in output("removed-panel", "markdown")


def test_receiver_change_pages_someone_else():
    rows = alerts("receiver-change")
    pagers = {k for k, r in rows.items() if "pages someone else" in r["effects"]}
    assert pagers == {k for k, r in rows.items() if r["pages_after"]} and len(pagers) == 4
    assert all("tells someone else" in r["effects"] for r in rows.values())
    assert set(scenarios("receiver-change")) == {"slow-orders", "engine-down", "slow-risk-checks"}
    assert "now delivers elsewhere" in output("receiver-change", "markdown")
