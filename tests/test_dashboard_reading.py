"""What an operator reads on the generated dashboards at the start of a shift: the trend
behind each number, missing data that does not pass for healthy, green when healthy and the
alert's colour when it fires, filters, firing alerts on the graphs, the way to the
Alertmanager, and how often each check is read.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import GENERATED
from obsgen.compile.dashboards import FILTER_LABELS, frequency_words
from obsgen.compile.rules import grouping_labels
from obsgen.compile.thresholds import probe_values
from obsgen.render.grafana import NO_DATA, NO_DATA_COLOUR

DASHBOARDS = sorted(GENERATED.glob("*/dashboards/*.json"))
SEVERITY_COLOUR = {"critical": "red", "warning": "orange"}
RANK = {"green": 0, "orange": 1, "red": 2}


def _load(path) -> dict:
    return json.loads(path.read_text())


def _panels(panels: list[dict]):
    """Every panel, those inside collapsed rows too."""
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))


def _colour(panel: dict, value: float) -> str:
    """The colour Grafana gives a value: the highest step at or below it."""
    colour = None
    for step in panel["fieldConfig"]["defaults"]["thresholds"]["steps"]:
        if step["value"] is None or value >= step["value"]:
            colour = step["color"]
    return colour


def _record(expr: str) -> str:
    return re.match(r"[\w:]+", expr).group(0)


def _by_system(systems):
    return {loaded.system.name: loaded.system for loaded in systems}


@pytest.mark.parametrize("path", DASHBOARDS, ids=[p.stem for p in DASHBOARDS])
def test_stat_panels_show_the_trend_and_say_no_data(path):
    for panel in _panels(_load(path)["panels"]):
        if panel["type"] != "stat":
            continue
        where = f"{path.name} panel {panel['title']!r}"
        assert panel["options"]["graphMode"] == "area", f"{where}: no sparkline"
        defaults = panel["fieldConfig"]["defaults"]
        assert defaults["noValue"] == NO_DATA, f"{where}: missing data reads {defaults.get('noValue')!r}"
        special = [m for m in defaults["mappings"] if m["type"] == "special" and m["options"]["match"] == "null+nan"]
        assert special and special[0]["options"]["result"] == {"text": NO_DATA, "color": NO_DATA_COLOUR, "index": 0}, where
        assert NO_DATA_COLOUR not in ("green", "transparent")


def test_overview_panels_are_green_when_healthy_and_the_alerts_colour_when_firing(systems):
    """For every alert on a signal an overview check shows: the value just inside its line
    is not painted worse than healthy by that line, the value past it has its severity's
    colour (or worse, where a more severe line also covers it)."""
    checked = 0
    for name, system in _by_system(systems).items():
        panels = [p for p in _panels(_load(GENERATED / name / "dashboards" / f"{name}-overview.json")["panels"]) if p["type"] == "stat"]
        by_record = {}
        for panel in panels:
            by_record.setdefault(_record(panel["targets"][0]["expr"]), []).append(panel)
        for alert in system.alerts:
            for panel in by_record.get(alert.signal.record, []):
                for severity, level in alert.levels:
                    _, firing = probe_values(level.threshold, alert.direction)
                    got = _colour(panel, firing)
                    assert RANK[got] >= RANK[SEVERITY_COLOUR[severity]], (
                        f"{name} overview {panel['title']!r}: {alert.name} {severity} fires at {firing} but the panel is {got}")
                    checked += 1
    assert checked >= 20


@pytest.mark.parametrize("system, title, value, colour", [
    # trading stack checklist: "No pending orders blocked": 0 blocked orders is the healthy state
    ("trading-stack", "No pending orders blocked", 0.0, "green"),
    # trading engine runbook: "Zero WebSocket connections" is a P0 complete service outage
    ("trading-engine", "Active WebSocket connections", 0.0, "red"),
    ("trading-engine", "Active WebSocket connections", 20_000.0, "green"),
    # surveillance: gap frequency > 5 gaps/hour warning, > 20 critical; increase() gives 5.4
    ("surveillance", "Gap frequency", 5.0, "green"),
    ("surveillance", "Gap frequency", 5.4, "orange"),
    ("surveillance", "Gap frequency", 20.5, "red"),
])
def test_runbook_states_have_their_colour(system, title, value, colour):
    panels = _panels(_load(GENERATED / system / "dashboards" / f"{system}-overview.json")["panels"])
    panel = next(p for p in panels if p["title"].startswith(title))
    assert _colour(panel, value) == colour


def test_gap_frequency_reads_in_gaps_per_hour():
    for path in (GENERATED / "surveillance" / "dashboards").glob("*.json"):
        for panel in _panels(_load(path)["panels"]):
            if "surveillance_data_gaps:increase1h" in json.dumps(panel.get("targets", [])):
                assert panel["fieldConfig"]["defaults"]["unit"] == "suffix: gaps/hour", f"{path.name} {panel['title']!r}"


def test_filter_variables_where_the_signals_carry_the_label(systems):
    for name, system in _by_system(systems).items():
        carried = {s.record: set(grouping_labels(s)) for s in system.signals}
        for path in (GENERATED / name / "dashboards").glob("*.json"):
            dashboard = _load(path)
            variables = {v["name"] for v in dashboard["templating"]["list"] if v["type"] == "query"}
            queries = [t["expr"] for p in _panels(dashboard["panels"]) for t in p.get("targets", [])]
            records = {_record(q) for q in queries} & set(carried)
            wanted = {label for r in records for label in carried.get(r, ()) if label in FILTER_LABELS}
            if not all("instance" in carried.get(r, ()) for r in records):
                wanted.discard("instance")  # an instance filter would blank the panels without one
            assert variables == wanted, f"{path.name}: variables {sorted(variables)}, signals carry {sorted(wanted)}"
            for query in queries:
                for label in carried.get(_record(query), set()) & variables:
                    assert f'{label}=~"${label}"' in query, f"{path.name}: {query} ignores the {label} filter"
    assert "exchange" in {v["name"] for v in _load(GENERATED / "surveillance/dashboards/surveillance-overview.json")["templating"]["list"]}


def test_every_dashboard_draws_firing_alerts_and_links_to_the_alertmanager(systems):
    for name, system in _by_system(systems).items():
        assert system.alertmanager_url, f"{name} declares no Alertmanager"
        for path in (GENERATED / name / "dashboards").glob("*.json"):
            dashboard = _load(path)
            annotations = {a["iconColor"]: a["expr"] for a in dashboard["annotations"]["list"]}
            for severity, colour in SEVERITY_COLOUR.items():
                assert f'system="{name}"' in annotations[colour] and f'severity="{severity}"' in annotations[colour], path.name
                assert annotations[colour].startswith("ALERTS{") and 'alertstate="firing"' in annotations[colour], path.name
            assert system.alertmanager_url in [link["url"] for link in dashboard["links"]], f"{path.name}: no Alertmanager link"


def test_each_check_says_how_often_it_is_read_and_long_overviews_collapse(systems):
    for name, system in _by_system(systems).items():
        panels = _load(GENERATED / name / "dashboards" / f"{name}-overview.json")["panels"]
        rows = [p for p in panels if p["type"] == "row"]
        shown = {}
        for row in rows:
            for panel in row["panels"]:
                shown[panel["id"]] = row["title"]
        current = None
        for panel in panels:
            if panel["type"] == "row":
                current = panel["title"]
            else:
                shown[panel["id"]] = current or panel["title"]
        checks = list(system.checklist)
        stats = [p for p in _panels(panels) if p["type"] == "stat"]
        assert len(stats) == len(checks)
        for check, panel in zip(checks, stats):
            assert frequency_words(check) in shown[panel["id"]] + " " + panel["title"], f"{name} {check.title!r}"
            assert f"Check {frequency_words(check)}." in panel["description"]
        if len(rows) > 3:
            assert not rows[0]["collapsed"] and all(r["collapsed"] and r["panels"] for r in rows[1:]), name
    bondx = _load(GENERATED / "bondx" / "dashboards" / "bondx-overview.json")["panels"]
    assert max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in bondx) <= 25


def test_the_runbooks_latency_histogram_is_generated():
    """seeds/001 "Alert Troubleshooting": Panel: `alert_delivery_latency_seconds` histogram."""
    dashboard = _load(GENERATED / "trading-stack" / "dashboards" / "trading-stack-alert-delivery.json")
    panel = next(p for p in _panels(dashboard["panels"]) if p["title"] == "alert_delivery_latency_seconds histogram")
    assert panel["type"] == "bargauge"
    assert panel["targets"] == [{
        "expr": "sum by (le) (rate(alert_delivery_latency_seconds_bucket[$__rate_interval]))",
        "format": "heatmap", "legendFormat": "{{le}}", "refId": "A",
    }]
    handbook = (GENERATED / "trading-stack" / "handbook.md").read_text()
    assert "alert_delivery_latency_seconds histogram, is generated on the Alert Delivery dashboard" in handbook
