"""An alert's threshold, its panel's red line, its handbook value and its test probe
are one number."""

from __future__ import annotations

import json
import re


from conftest import GENERATED, load_yaml
from obsgen.compile import links
from obsgen.compile.rule_tests import alert_batches, level_labels, series_name, service_test_file
from obsgen.compile.thresholds import panel_boundary, prom_number


def _rules(folder):
    for path in sorted((folder / "rules").glob("*.yml")):
        for group in load_yaml(path.read_text())["groups"]:
            yield from (r for r in group["rules"] if "alert" in r)


def test_thresholds_agree_everywhere(systems):
    checked = 0
    for loaded in systems:
        system = loaded.system
        folder = GENERATED / system.name
        rules = {(r["alert"], r["labels"]["severity"]): r for r in _rules(folder)}
        handbook = (folder / "handbook.md").read_text()
        for service in system.services:
            tests = load_yaml((folder / "tests" / service_test_file(service)).read_text())["tests"] if service.alerts else []
            batch_of = {a.name: k for k, alerts in enumerate(alert_batches(service)) for a in alerts}
            dashboard = json.loads((folder / "dashboards" / f"{links.service_uid(system, service)}.json").read_text())
            panels = {p["id"]: p for p in dashboard["panels"]}
            for alert in service.alerts:
                panel = panels[links.panel_ids(service)[alert.signal.record]]
                steps = [s["value"] for s in panel["fieldConfig"]["defaults"]["thresholds"]["steps"]]
                section = handbook.split(f"#### {alert.name}\n", 1)[1].split("\n#### ", 1)[0]
                for severity, level in alert.levels:
                    number = level.threshold.base
                    rule = rules[(alert.name, severity)]
                    assert rule["expr"].endswith(f" {alert.operator} {prom_number(number)}"), rule["expr"]
                    boundary = panel_boundary(alert.direction, level.threshold)
                    assert boundary in steps, f"{alert.name} {severity}: panel steps {steps} lack {boundary}"
                    cell = re.escape(f"| {severity} | {links.direction_words(alert.direction)} {level.threshold}")
                    assert re.search(cell + r"( \[A\d+\]\(#a\d+\))? \|", section), f"{alert.name} {severity} not in its handbook section"
                    probe = series_name(alert.signal, level_labels(system, alert, severity))
                    series = next(s for s in tests[batch_of[alert.name]]["input_series"] if s["series"] == probe)
                    # a strict comparison is probed quiet at the threshold, an inclusive one fires at it
                    probed = [token.split("x")[0] for token in series["values"].split(" ")]
                    assert prom_number(number) in probed, f"{alert.name} {severity}: {probed} never holds {prom_number(number)}"
                    checked += 1
    assert checked > 50, f"only {checked} alert levels checked"
