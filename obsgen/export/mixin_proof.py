"""Proof that a committed mixin (generated/<system>/export/mixin/) is the system's rules
and dashboards: evaluated with jsonnet and its default configuration, it must give exactly
the rule groups of generated/<system>/rules/ and the dashboards of generated/<system>/dashboards/.

generate --check proves the mixin's files are what obsgen writes; this proves what they say.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _jsonnet
import yaml

MIXIN_FOLDER = Path("export") / "mixin"
FIELDS = "{prometheusAlerts: m.prometheusAlerts, prometheusRules: m.prometheusRules, grafanaDashboards: m.grafanaDashboards}"


@dataclass(frozen=True)
class Evaluated:
    """A mixin's output: rule groups by name, dashboards by file name."""

    groups: dict[str, Any]
    dashboards: dict[str, Any]


@dataclass(frozen=True)
class Mismatch:
    where: str  # the generated file
    what: str

    def render(self) -> str:
        return f"{self.where}: {self.what}"


def evaluate(folder: Path, override: str = "{}") -> Evaluated:
    """The mixin in folder, with _config overridden by a jsonnet object; RuntimeError (jsonnet's
    message, with file and line) when it does not evaluate."""
    return evaluate_each(folder, [override])[0]


def evaluate_each(folder: Path, overrides: list[str]) -> list[Evaluated]:
    """The mixin in folder once per override, in one jsonnet run: its files are parsed once
    (a third of an evaluation of a seed's mixin), each configuration evaluated on its own."""
    each = ", ".join(f"(local m = mixin + ({override}); {FIELDS})" for override in overrides)
    snippet = f"local mixin = import 'mixin.libsonnet'; [{each}]"
    data = json.loads(_jsonnet.evaluate_snippet(str(folder / "evaluate.jsonnet"), snippet, jpathdir=[str(folder)]))
    return [_evaluated(output) for output in data]


def _evaluated(data: dict[str, Any]) -> Evaluated:
    groups = data["prometheusAlerts"].get("groups", []) + data["prometheusRules"].get("groups", [])
    return Evaluated({g["name"]: g for g in groups}, data["grafanaDashboards"])


def _numbers(value: Any) -> Any:
    """JSON numbers as values: jsonnet has one number type, so 1.0 and 1 are one number."""
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def canonical(value: Any) -> str:
    """The one serialisation both sides go through: JSON with sorted keys, whole numbers as integers."""
    return json.dumps(_numbers(value), sort_keys=True, ensure_ascii=False)


def generated_output(folder: Path) -> Evaluated:
    """A system's generated rule groups and dashboards, as the mixin's output is shaped."""
    groups = {g["name"]: g for path in sorted((folder / "rules").glob("*.yml")) for g in (yaml.load(path.read_text(), Loader=yaml.CSafeLoader) or {}).get("groups", [])}
    dashboards = {p.name: json.loads(p.read_text()) for p in sorted((folder / "dashboards").glob("*.json"))}
    return Evaluated(groups, dashboards)


def differences(expected: Evaluated, got: Evaluated) -> list[str]:
    """Rule groups and dashboards that differ, missing or extra, named."""
    found = []
    for kind, want, have in (("rule group", expected.groups, got.groups), ("dashboard", expected.dashboards, got.dashboards)):
        for name in sorted(set(want) | set(have)):
            if name not in have:
                found.append(f"{kind} {name} missing")
            elif name not in want:
                found.append(f"{kind} {name} extra")
            elif canonical(want[name]) != canonical(have[name]):
                found.append(f"{kind} {name} differs")
    return found


def prove_committed_mixin(folder: Path) -> tuple[int, list[Mismatch]]:
    """(checks, mismatches) of generated/<system>/ (folder): none when it has no mixin."""
    mixin = folder / MIXIN_FOLDER
    if not (mixin / "mixin.libsonnet").is_file():
        return 0, []
    try:
        got = evaluate(mixin)
    except RuntimeError as exc:
        return 1, [Mismatch(str(mixin / "mixin.libsonnet"), f"does not evaluate: {str(exc).strip()}")]
    found = differences(generated_output(folder), got)
    return 1, [Mismatch(str(mixin / "mixin.libsonnet"), f"evaluated with its default _config, {d} from {folder}/") for d in found]
