"""Export targets: every exported object of every seed system is valid for what reads it,
and the routing still holds after the prometheus-operator rewrites it."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SHARED, run_obsgen, shared_path, tool
from obsgen.artifacts import AlertingRule, RecordingRule, RuleFile, RuleGroup
from obsgen.export import TARGETS, Compiled, ExportError, ExportOptions, export_files
from obsgen.export.mimir import inline_secrets
from obsgen.export.operator_proof import prove_operator_routing
from obsgen.export.prometheus_operator import operator_alertmanager_config
from obsgen.export.secrets import env_name, secret_keys
from obsgen.export.sizing import MIMIR, sized_groups
from obsgen.verify.crd import object_errors
from obsgen.verify.routing import Alertmanager
from obsgen.verify.tools import check_alertmanager, check_rules, route_receivers

CRDS = Path(os.environ.get("OBSGEN_CRD_SCHEMAS", SHARED / "schemas"))


@pytest.fixture
def crds() -> Path:
    """The operators' CRDs: skipped without ../shared, mandatory in CI (OBSGEN_REQUIRE_SHARED=1)."""
    return shared_path("schemas", "the prometheus-operator and grafana-operator CRDs (or set OBSGEN_CRD_SCHEMAS)", CRDS)
KUBERNETES_TARGETS = ("prometheus-operator", "grafana-operator")


@pytest.fixture(scope="module")
def compiled(systems):
    return {s.system.name: Compiled(s) for s in systems}


def _load(data: str | bytes):
    return yaml.load(data, Loader=yaml.CSafeLoader)  # libyaml: the dashboards inside the objects are large


def _objects(files: dict[str, bytes]) -> dict[str, dict]:
    return {path: _load(data) for path, data in files.items() if path.endswith(".yaml")}


def _rule_file_without(data: dict, key: str, path: Path) -> Path:
    """A rule file promtool can read: the target's extra keys dropped (JSON, which is YAML)."""
    plain = {"groups": [{k: v for k, v in g.items() if k != key} for g in data["groups"]]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(plain))
    return path


def test_every_target_is_registered():
    assert {"prometheus", "prometheus-operator", "mimir", "thanos", "grafana-operator"} <= set(TARGETS)


@pytest.mark.parametrize("target", KUBERNETES_TARGETS)
def test_every_exported_object_validates_against_its_crd(compiled, target, crds):
    errors, kinds = [], set()
    for name, system in compiled.items():
        for path, obj in _objects(export_files(system, target)).items():
            kinds.add(obj["kind"])
            errors += [f"{name}/{path}: {e}" for e in object_errors(obj, crds)]
    assert not errors, "\n".join(errors[:30])
    assert kinds == ({"PrometheusRule", "AlertmanagerConfig"} if target == "prometheus-operator" else {"GrafanaDashboard", "GrafanaFolder", "ConfigMap"})


def test_the_crd_check_refuses_wrong_objects(compiled, crds):
    """The schema check has teeth: each mutant is one mistake an exporter could make."""
    objects = _objects(export_files(compiled["bondx"], "prometheus-operator")) | _objects(export_files(compiled["bondx"], "grafana-operator"))
    amc = next(o for o in objects.values() if o["kind"] == "AlertmanagerConfig")
    rule = next(o for o in objects.values() if o["kind"] == "PrometheusRule")
    dashboard = next(o for o in objects.values() if o["kind"] == "GrafanaDashboard")
    mutants = []
    bad = copy.deepcopy(amc); bad["spec"]["route"]["routes"][0]["matchers"][0]["matchType"] = "=="; mutants.append(bad)
    bad = copy.deepcopy(amc); bad["spec"]["receivers"][0]["slackConfigs"][0]["apiURL"] = "https://hooks.slack.com/x"; mutants.append(bad)
    bad = copy.deepcopy(amc); bad["spec"]["route"]["groupWait"] = "30 seconds"; mutants.append(bad)
    bad = copy.deepcopy(rule); bad["spec"]["groups"].append(copy.deepcopy(bad["spec"]["groups"][0])); mutants.append(bad)
    bad = copy.deepcopy(rule); bad["spec"]["groups"][0]["partial_response_strategy"] = "ignore"; mutants.append(bad)
    bad = copy.deepcopy(dashboard); bad["spec"]["folderUID"] = "x"; mutants.append(bad)
    bad = copy.deepcopy(dashboard); del bad["spec"]["instanceSelector"]; mutants.append(bad)
    bad = copy.deepcopy(dashboard); bad["metadata"]["name"] = "Bondx_Overview"; mutants.append(bad)
    for mutant in mutants:
        assert object_errors(mutant, crds), json.dumps(mutant)[:300]


@pytest.mark.parametrize("system_name", ["bondx", "dex", "surveillance", "trading-engine", "trading-stack"])
def test_routing_holds_after_the_operators_namespace_transformation(compiled, system_name, tmp_path):
    """Every routing, inhibition, muting and scenario case, through the AlertmanagerConfig as
    the operator rewrites it; amtool agrees on the routes and accepts the config."""
    proof = prove_operator_routing(compiled[system_name])
    assert proof.checks > 20
    assert not proof.mismatches, "\n".join(m.render() for m in proof.mismatches)
    config_file = tmp_path / "alertmanager.yml"
    config_file.write_text(yaml.safe_dump(proof.config, sort_keys=False))
    tool("amtool")
    result = check_alertmanager(config_file)
    assert result.ok, result.output
    am = Alertmanager.read(config_file.read_bytes())
    for case in compiled[system_name].routing_cases["cases"][:8]:
        labels = {**case["labels"], "namespace": system_name}
        assert route_receivers(config_file, labels) == am.receivers(labels)


def test_the_operator_proof_catches_a_broken_export(compiled, monkeypatch):
    """A route that loses its matchers in export must fail the proof, not pass it."""
    from obsgen.export import operator_proof, prometheus_operator

    real = prometheus_operator._matchers
    monkeypatch.setattr(prometheus_operator, "_matchers", lambda matchers: real(tuple(m for m in matchers if m.name != "priority")))
    proof = operator_proof.prove_operator_routing(compiled["bondx"])
    assert any(m.case.startswith("routing ") for m in proof.mismatches)


def test_operator_transformation_matches_the_operator():
    """The rewriting as operator 0.93 does it: prefixed names, namespace matchers, continue."""
    amc = {
        "metadata": {"name": "cfg", "namespace": "team"},
        "spec": {
            "route": {"receiver": "a", "routes": [{"receiver": "b", "matchers": [{"name": "x", "value": "1", "matchType": "="}], "muteTimeIntervals": ["night"]}]},
            "receivers": [{"name": "a"}, {"name": "b", "webhookConfigs": [{"urlSecret": {"name": "s", "key": "k"}}]}],
            "inhibitRules": [{"sourceMatch": [{"name": "severity", "value": "critical", "matchType": "="}], "targetMatch": [{"name": "severity", "value": "warning", "matchType": "="}], "equal": ["alertname"]}],
            "muteTimeIntervals": [{"name": "night", "timeIntervals": [{"times": [{"startTime": "00:00", "endTime": "06:00"}], "daysOfMonth": [{"start": 1, "end": 5}]}]}],
        },
    }
    config = operator_alertmanager_config([amc], {("s", "k"): "http://hook.invalid/"})
    top = config["route"]["routes"][0]
    assert config["route"]["receiver"] == "null"
    assert top["receiver"] == "team/cfg/a" and top["continue"] is True and top["matchers"] == ['namespace="team"']
    assert top["routes"][0] == {"receiver": "team/cfg/b", "matchers": ['x="1"'], "mute_time_intervals": ["team/cfg/night"]}
    assert config["inhibit_rules"][0]["source_matchers"] == ['severity="critical"', 'namespace="team"']
    assert config["inhibit_rules"][0]["target_matchers"] == ['severity="warning"', 'namespace="team"']
    assert config["receivers"][2] == {"name": "team/cfg/b", "webhook_configs": [{"url": "http://hook.invalid/"}]}
    assert config["mute_time_intervals"][0]["time_intervals"][0]["days_of_month"] == ["1:5"]


def test_a_time_zone_the_alertmanagerconfig_cannot_hold_is_an_export_error(compiled):
    from dataclasses import replace

    from obsgen.export.prometheus_operator import alertmanager_config_spec

    config = compiled["trading-engine"].alertmanager
    zoned = replace(config, time_intervals=tuple(replace(t, time_intervals=tuple(replace(s, location="Europe/London") for s in t.time_intervals)) for t in config.time_intervals))
    assert zoned.time_intervals
    with pytest.raises(ExportError, match="Europe/London"):
        alertmanager_config_spec(zoned, "trading-engine")


def test_prometheus_rules_keep_every_rule_and_label_alerts_with_the_namespace(compiled):
    for name, system in compiled.items():
        objects = _objects(export_files(system, "prometheus-operator", ExportOptions(namespace="alerting")))
        exported = [(r.get("alert") or r.get("record"), r["expr"]) for o in objects.values() if o["kind"] == "PrometheusRule" for g in o["spec"]["groups"] for r in g["rules"]]
        source = [(r.name, r.expr) for f in system.rule_files.values() for r in f.rules]
        assert sorted(exported) == sorted(source), name
        assert {o["metadata"]["namespace"] for o in objects.values()} == {"alerting"}


def test_mimir_rule_namespaces_are_valid_sized_and_complete(compiled, tmp_path):
    tool("promtool")
    plain = []
    for name, system in compiled.items():
        files = export_files(system, "mimir", ExportOptions(tenant="trading"))
        namespace = _load(files[f"trading/rules/{name}.yaml"])
        assert namespace["namespace"] == name
        groups = namespace["groups"]
        assert all(len(g["rules"]) <= MIMIR.max_rules_per_group and g.get("interval") for g in groups)
        assert len({g["name"] for g in groups}) == len(groups)
        rules = sorted(r.get("alert") or r.get("record") for g in groups for r in g["rules"])
        assert rules == sorted(r.name for f in system.rule_files.values() for r in f.rules)
        plain.append(_rule_file_without(namespace, "namespace", tmp_path / f"{name}.yml"))
    result = check_rules(*plain)  # one promtool for every system: it names the file it refuses
    assert result.ok, result.output


def test_mimir_alertmanager_has_no_secret_files_and_fills_placeholders(compiled, tmp_path):
    tool("amtool")
    for name, system in compiled.items():
        form = _load(export_files(system, "mimir")[f"{name}/alertmanager.yaml"])
        assert set(form) == {"template_files", "alertmanager_config"}
        text = form["alertmanager_config"]
        assert "_file:" not in text, f"{name}: Mimir refuses *_file secrets"
        keys = secret_keys(system.alertmanager)
        assert all("${" + env_name(k) + "}" in text for k in keys)
        values = {k: f"https://filled.invalid/{k}" for k in keys}
        filled = _load(export_files(system, "mimir", ExportOptions(secrets=values))[f"{name}/alertmanager.yaml"])["alertmanager_config"]
        assert "${OBSGEN_SECRET_" not in filled
        config_file = tmp_path / f"{name}.yml"
        config_file.write_text(filled)
        result = check_alertmanager(config_file)
        assert result.ok, f"{name}: {result.output}"
        assert Alertmanager.read(filled).receivers(system.routing_cases["cases"][0]["labels"]) == system.routing_cases["cases"][0]["receivers"]


def test_a_missing_secret_is_named_and_never_echoed(compiled):
    config = compiled["bondx"].alertmanager
    keys = secret_keys(config)
    partial = {k: "s3cret-value" for k in keys[1:]}
    with pytest.raises(ExportError) as caught:
        inline_secrets(config, partial)
    assert keys[0] in str(caught.value) and "s3cret-value" not in str(caught.value)


def test_thanos_groups_carry_a_partial_response_strategy(compiled, tmp_path):
    tool("promtool")
    plain = []
    for name, system in compiled.items():
        files = export_files(system, "thanos")
        assert set(files) == {f"rules/{n}" for n in system.rule_files}
        for path, data in files.items():
            rule_file = _load(data)
            assert all(g["partial_response_strategy"] == "abort" and len(g["rules"]) <= 20 for g in rule_file["groups"])
            plain.append(_rule_file_without(rule_file, "partial_response_strategy", tmp_path / name / path.split("/")[-1]))
    result = check_rules(*plain)  # one promtool for every file of every system: it names the file it refuses
    assert result.ok, result.output


def test_a_group_over_the_limit_is_cut_into_even_parts_in_order():
    rules = tuple(RecordingRule(f"r{i}", "vector(1)") for i in range(41)) + (AlertingRule("A", "r40 > 0"),)
    groups = sized_groups({"big.yml": RuleFile((RuleGroup("big", rules),))}, MIMIR)
    assert [len(g.rules) for g in groups] == [14, 14, 14]
    assert [g.name for g in groups] == ["big-1", "big-2", "big-3"]
    assert tuple(r for g in groups for r in g.rules) == rules
    assert {g.interval for g in groups} == {MIMIR.interval}


def test_slo_rules_shard_one_slo_per_group(compiled):
    """A ruler shards by group: each SLO's rules are in groups of their own, of even size."""
    for name, system in compiled.items():
        groups = _load(export_files(system, "mimir")[f"{name}/rules/{name}.yaml"])["groups"]
        slo_groups = [g for g in groups if g["name"].startswith("slo-")]
        for group in slo_groups:
            slos = {r.get("labels", {}).get("slo") for r in group["rules"]} - {None}
            assert len(slos) <= 1, f"{name}/{group['name']}: rules of several SLOs {slos}"
        for kind in ("", "-budget"):  # the every-minute recording groups, and the slower budget groups
            sizes = [len(g["rules"]) for g in slo_groups if not g["name"].endswith("-alerts") and g["name"].endswith("-budget") == bool(kind)]
            if sizes:
                assert max(sizes) - min(sizes) <= 3, f"{name}: SLO recording groups{kind} of uneven size {sizes}"


def test_grafana_objects_carry_the_generated_dashboards(compiled):
    for name, system in compiled.items():
        objects = _objects(export_files(system, "grafana-operator"))
        generated = {p.name: p.read_text() for p in (ROOT / "generated" / name / "dashboards").glob("*.json")}
        in_crs = {f"{o['spec']['uid']}.json": o["spec"]["json"] for o in objects.values() if o["kind"] == "GrafanaDashboard"}
        in_maps = {k: v for o in objects.values() if o["kind"] == "ConfigMap" for k, v in o["data"].items()}
        assert in_crs == generated == in_maps
        folders = [o for o in objects.values() if o["kind"] == "GrafanaFolder"]
        assert len(folders) == 1
        for obj in objects.values():
            if obj["kind"] == "GrafanaDashboard":
                assert obj["spec"]["folderRef"] == folders[0]["metadata"]["name"]
            if obj["kind"] == "ConfigMap":
                assert obj["metadata"]["labels"]["grafana_dashboard"] == "1"


def test_export_command_writes_and_refuses_a_foreign_folder(small_project, tmp_path_factory):
    """The command's handling of its folder, on the example (what it exports from each seed is
    checked above): each run loads the project's definitions, the seeds' 15 times the example's."""
    tmp_path = tmp_path_factory.mktemp("exports")
    out = tmp_path / "operator"
    result = run_obsgen("export", "--target", "prometheus-operator", "--system", "example", "--out", str(out), cwd=small_project)
    assert result.returncode == 0, result.stderr
    assert (out / "alertmanagerconfig" / "example.yaml").is_file()
    again = run_obsgen("export", "--target", "prometheus-operator", "--system", "example", "--out", str(out), cwd=small_project)
    assert again.returncode == 0, again.stderr
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    refused = run_obsgen("export", "--target", "thanos", "--system", "example", "--out", str(foreign), cwd=small_project)
    assert refused.returncode == 2 and "not written by obsgen" in refused.stderr and (foreign / "keep.txt").read_text() == "mine"
    unknown = run_obsgen("export", "--target", "nagios", "--system", "example", "--out", str(tmp_path / "x"), cwd=small_project)
    assert unknown.returncode == 2 and "nagios" in unknown.stderr


def test_export_fills_mimir_secrets_from_a_file_outside_generated(tmp_path):
    secrets = tmp_path / "secrets.yml"
    keys = ["slack-bondx-ops", "slack-bondx-incidents", "smtp-password", "pagerduty-oncall"]
    secrets.write_text("".join(f"{k}: https://secret.invalid/{k}\n" for k in keys))
    result = run_obsgen("export", "--target", "mimir", "--system", "bondx", "--out", str(tmp_path / "m"), "--secrets-file", str(secrets))
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "m" / "bondx" / "alertmanager.yaml").read_text()
    assert "https://secret.invalid/slack-bondx-ops" in text and "${" not in text
    missing = run_obsgen("export", "--target", "mimir", "--system", "bondx", "--out", str(tmp_path / "n"), "--secrets-from-env", env={k: "" for k in ()})
    assert missing.returncode == 2 and "no value for the secrets" in missing.stderr


def test_committed_targets_come_from_pyproject(small_project):
    """Without the example's SLOs: which targets are committed is the point, and each of the
    four runs would compile the SLOs' tests again."""
    pyproject = small_project / "pyproject.toml"
    pyproject.write_text('[tool.obsgen.export]\nexample = ["thanos"]\n')
    systems = [p.name for p in (small_project / "generated").iterdir()]
    pyproject.write_text(f'[tool.obsgen.export]\n{systems[0]} = ["thanos", "mimir"]\n')
    assert run_obsgen("generate", "--check", cwd=small_project).returncode == 1
    assert run_obsgen("generate", cwd=small_project).returncode == 0
    exported = small_project / "generated" / systems[0] / "export"
    assert sorted(p.name for p in exported.iterdir()) == ["mimir", "thanos"]
    assert run_obsgen("generate", "--check", cwd=small_project).returncode == 0
    pyproject.write_text(f'[tool.obsgen.export]\n{systems[0]} = ["nagios"]\n')
    bad = run_obsgen("generate", cwd=small_project)
    assert bad.returncode == 2 and "pyproject.toml" in bad.stderr and "nagios" in bad.stderr and bad.stderr.count("\n") == 1
