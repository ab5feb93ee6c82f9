"""Target `thanos`: rule files for the Thanos ruler (`--rule-file`), groups sized for it and
each with a `partial_response_strategy`.

`abort` everywhere: a rule evaluated on the answer of only some stores computes a ratio
from part of the traffic or sees an absent series, and an alert then fires or resolves on
data that is not there. With `abort` the evaluation fails instead, which the ruler reports
(and its own alerts page on) rather than notifying on half the data.
"""

from __future__ import annotations

from ..artifacts import RuleFile
from ..artifacts.write import rule_file_data
from ..render.yaml_file import render_yaml
from .compiled import Compiled
from .sizing import THANOS, sized_groups
from .targets import ExportOptions, target

PARTIAL_RESPONSE_STRATEGY = "abort"


def thanos_rule_file(rule_file: RuleFile, name: str) -> dict:
    data = rule_file_data(RuleFile(tuple(sized_groups({name: rule_file}, THANOS))))
    data["groups"] = [{"name": g["name"], "partial_response_strategy": PARTIAL_RESPONSE_STRATEGY, **{k: v for k, v in g.items() if k != "name"}} for g in data["groups"]]
    return data


@target("thanos", "rule files for the Thanos ruler, with partial_response_strategy per group")
def export_thanos(compiled: Compiled, options: ExportOptions) -> dict[str, bytes]:
    return {
        f"rules/{name}": render_yaml(thanos_rule_file(rule_file, name), compiled.header("Thanos ruler rules"))
        for name, rule_file in compiled.rule_files.items()
    }
