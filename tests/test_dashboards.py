"""Every dashboard is valid for Grafana and follows the conventions operators rely on."""

from __future__ import annotations

import json
import re

import pytest

from conftest import GENERATED, SCHEMA_DIR
from obsgen.verify.schema import dashboard_errors

DASHBOARDS = sorted(GENERATED.glob("*/dashboards/*.json"))


def test_there_are_dashboards():
    assert len(DASHBOARDS) >= 10


def test_grafana_schema_is_present():
    assert (SCHEMA_DIR / "dashboard.jsonschema.json").exists(), f"Grafana schema not found at {SCHEMA_DIR} (set OBSGEN_GRAFANA_SCHEMA)"


@pytest.mark.parametrize("path", DASHBOARDS, ids=[p.stem for p in DASHBOARDS])
def test_dashboard_is_valid_against_grafana_schema(path):
    dashboard = json.loads(path.read_text())
    assert dashboard_errors(dashboard, SCHEMA_DIR) == []
    assert dashboard["schemaVersion"] >= 39


@pytest.mark.parametrize("path", DASHBOARDS, ids=[p.stem for p in DASHBOARDS])
def test_dashboard_conventions(path):
    dashboard = json.loads(path.read_text())
    assert dashboard["uid"] == path.stem and len(dashboard["uid"]) <= 40
    assert dashboard["editable"] is False
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    for panel in dashboard["panels"]:
        where = f"{path.name} panel {panel['id']} {panel.get('title')!r}"
        assert panel["title"] and panel["description"], where
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, where
        assert panel["fieldConfig"]["defaults"].get("unit"), f"{where}: no unit"
        for target in panel["targets"]:
            for rng in re.findall(r"\[([^\]]+)\]", target["expr"]):
                assert rng == "$__rate_interval", f"{where}: range [{rng}] instead of $__rate_interval"
