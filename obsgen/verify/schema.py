"""Grafana's strict dashboard JSON Schema, and the per-panel option schemas."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jsonschema

FIELD_CONFIG = {"timeseries": "GraphFieldConfig"}


@lru_cache(maxsize=None)
def _validator(schema_file: str, definition: str) -> jsonschema.Draft7Validator:
    schema = dict(json.loads(Path(schema_file).read_text()))
    schema["$ref"] = f"#/definitions/{definition}"
    return jsonschema.Draft7Validator(schema)


def _errors(validator: jsonschema.Draft7Validator, instance, where: str) -> list[str]:
    return [f"{where}{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(instance)]


def dashboard_errors(dashboard: dict, schema_dir: Path) -> list[str]:
    """Every way the dashboard breaks Grafana's schemas; empty when valid."""
    errors = _errors(_validator(str(schema_dir / "dashboard.jsonschema.json"), "Dashboard"), dashboard, "")
    return errors + _panel_errors(dashboard.get("panels", []), schema_dir, "panels/")


def _panel_errors(panels: list, schema_dir: Path, where: str) -> list[str]:
    """The panel schemas' verdicts, inside collapsed rows too (the dashboard schema covers rows whole)."""
    errors: list[str] = []
    for i, panel in enumerate(panels):
        if panel.get("type") == "row":
            errors += _panel_errors(panel.get("panels", []), schema_dir, f"{where}{i}/panels/")
            continue
        panel_schema = schema_dir / f"{panel.get('type')}.jsonschema.json"
        if not panel_schema.exists():
            errors.append(f"{where}{i}: no schema for panel type {panel.get('type')!r}")
            continue
        errors += _errors(_validator(str(panel_schema), "Options"), panel.get("options", {}), f"{where}{i}/options/")
        custom_def = FIELD_CONFIG.get(panel["type"], "FieldConfig")
        if custom_def in json.loads(panel_schema.read_text())["definitions"]:
            custom = panel.get("fieldConfig", {}).get("defaults", {}).get("custom", {})
            errors += _errors(_validator(str(panel_schema), custom_def), custom, f"{where}{i}/fieldConfig/defaults/custom/")
    return errors
