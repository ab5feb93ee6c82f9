"""One test per lint check: a file that must be flagged and a near-identical one that must
not. Files are written here, small, so each pair shows exactly what the check keys on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from obsgen.lint.findings import INFO, WARNING
from obsgen.lint.run import lint_paths
from obsgen.lint.settings import Settings

V2, V3 = (2, 42), (3, 5)


def _lint(tmp_path: Path, files: dict[str, str], **settings) -> list:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return lint_paths([tmp_path], Settings(**{"prometheus": V2, "alertmanager": (0, 25), **settings})).findings


def _rules(*rules: dict, group: str = "g", extra: str = "") -> str:
    return yaml.safe_dump({"groups": [{"name": group, "rules": list(rules)}]}, sort_keys=False) + extra


def _alert(expr: str, **fields) -> dict:
    return {"alert": "A", "expr": expr, "for": "5m", "labels": {"severity": "warning"},
            "annotations": {"summary": "S.", "description": "{{ $value }}", "runbook_url": "https://x/r"}, **fields}


def _ids(findings, rule_id: str, at_least: str = INFO) -> list:
    rank = {"error": 0, "warning": 1, "info": 2}
    return [f for f in findings if f.rule == rule_id and rank[f.severity] <= rank[at_least]]


def _pair(tmp_path, rule_id, bad: str, good: str, at_least: str = WARNING, name: str = "rules.yml", **settings):
    flagged = _ids(_lint(tmp_path / "bad", {name: bad}, **settings), rule_id, at_least)
    clean = _ids(_lint(tmp_path / "good", {name: good}, **settings), rule_id, INFO)
    assert flagged, f"{rule_id} missed:\n{bad}"
    assert not clean, [f.message for f in clean]
    return flagged


# -- strict where promtool is strict ---------------------------------------------------------------


def test_misspelt_key_is_an_error(tmp_path):
    bad = _rules(_alert("up == 0")).replace("annotations:", "annotaions:")
    found = _pair(tmp_path, "rules/unknown-key", bad, _rules(_alert("up == 0")), at_least="error")
    assert "did you mean annotations" in found[0].message
    assert bad.splitlines()[found[0].line - 1].strip().startswith("annotaions:")  # the key's own line, as promtool says


@pytest.mark.parametrize("key, value", [("for", "10 minutes"), ("keep_firing_for", "5 min"), ("for", "30m1h")])
def test_bad_durations_are_errors(tmp_path, key, value):
    bad = _rules(_alert("up == 0", **{key: value}))
    found = _pair(tmp_path, "rules/duration", bad, _rules(_alert("up == 0", **{key: "10m"})), at_least="error")
    assert bad.splitlines()[found[0].line - 1].strip().startswith(f"{key}:")


def test_duplicate_group_name_is_an_error(tmp_path):
    two = {"groups": [{"name": "g", "rules": [_alert("up == 0")]}, {"name": "g", "rules": []}]}
    other = {"groups": [{"name": "g", "rules": [_alert("up == 0")]}, {"name": "h", "rules": []}]}
    _pair(tmp_path, "rules/duplicate-group", yaml.safe_dump(two), yaml.safe_dump(other), at_least="error")


def test_label_names_depend_on_the_prometheus_version(tmp_path):
    bad = _rules(_alert("up == 0", labels={"team-name": "x", "severity": "warning"}))
    _pair(tmp_path, "rules/label-name", bad, _rules(_alert("up == 0", labels={"team_name": "x", "severity": "warning"})), at_least="error")
    assert not _ids(_lint(tmp_path / "v3", {"r.yml": bad}, prometheus=V3), "rules/label-name")


def test_labels_as_a_list_and_groups_as_a_mapping_are_errors(tmp_path):
    listed = _rules(_alert("up == 0")).replace("labels:\n      severity: warning", "labels:\n    - severity: warning")
    _pair(tmp_path, "rules/structure", listed, _rules(_alert("up == 0")), at_least="error")
    _pair(tmp_path / "groups", "rules/structure", "groups: {}\n", "groups: []\n", at_least="error")


def test_empty_groups_are_valid(tmp_path):
    assert not [f for f in _lint(tmp_path, {"r.yml": yaml.safe_dump({"groups": [{"name": "g", "rules": []}]})}) if f.severity != INFO]


def test_recording_rule_with_alert_fields_is_an_error(tmp_path):
    bad = _rules({"record": "a:b:c", "expr": "sum(up)", "for": "5m"})
    _pair(tmp_path, "rules/record-name", bad, _rules({"record": "a:b:c", "expr": "sum(up)"}), at_least="error")


def test_duplicate_yaml_key_is_an_error(tmp_path):
    bad = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    expr: up == 1\n"
    found = _pair(tmp_path, "input/duplicate-key", bad, bad.replace("    expr: up == 1\n", ""), at_least="error")
    assert found[0].line == 6


def test_functions_depend_on_the_prometheus_version(tmp_path):
    holt = _rules({"record": "a:b:c", "expr": "holt_winters(x[5m], 0.5, 0.5)"})
    assert not _ids(_lint(tmp_path / "v2", {"r.yml": holt}), "promql/function-version")
    assert not _ids(_lint(tmp_path / "v2b", {"r.yml": holt}), "promql/syntax")
    assert _ids(_lint(tmp_path / "v3", {"r.yml": holt}, prometheus=V3), "promql/function-version", "error")
    limit = _rules({"record": "a:b:c", "expr": "limitk(2, x)"})
    assert _ids(_lint(tmp_path / "l2", {"r.yml": limit}), "promql/function-version", "error")
    assert _ids(_lint(tmp_path / "l3", {"r.yml": limit}, prometheus=V3), "promql/function-version", "error")  # experimental
    assert not _ids(_lint(tmp_path / "lf", {"r.yml": limit}, prometheus=V3, features=frozenset({"promql-experimental-functions"})), "promql/function-version")


def test_alertmanager_keys_depend_on_the_version(tmp_path):
    config = "route:\n  receiver: r\nreceivers:\n- name: r\n"
    found = _pair(tmp_path, "alertmanager/unknown-key", config.replace("receiver: r\n", "receiver: r\n  recevier: x\n"), config,
                  at_least="error", name="alertmanager.yml")
    assert found[0].line == 3
    newer = config + "  msteams_configs: []\n"
    assert _ids(_lint(tmp_path / "old", {"alertmanager.yml": newer}), "alertmanager/unknown-key", "error")
    assert not _ids(_lint(tmp_path / "new", {"alertmanager.yml": newer}, alertmanager=(0, 27)), "alertmanager/unknown-key")


def test_group_keys_depend_on_the_prometheus_version(tmp_path):
    offset = "groups:\n- name: g\n  query_offset: 1m\n  rules: []\n"
    (found,) = _ids(_lint(tmp_path / "old", {"r.yml": offset}), "rules/unknown-key", "error")
    assert found.line == 3 and "needs Prometheus 2.53 or later" in found.message
    assert not _ids(_lint(tmp_path / "new", {"r.yml": offset}, prometheus=V3), "rules/unknown-key")


ROUTING = "route:\n  receiver: r\n{route}receivers:\n- name: r\n{receiver}"


@pytest.mark.parametrize("route, receiver, line", [
    ("  group_wait: 30 seconds\n", "", 3),  # a bad duration
    ("  routes:\n  - receiver: team\n", "", 4),  # an undefined receiver (amlint's finding of it is left out)
    ("  routes:\n  - matchers: ['team=~\"(a\"']\n", "", 4),  # a regex Go cannot compile
    ("", "  webhook_configs:\n  - url: ftp://hooks\n", 6),  # a URL Alertmanager refuses
    ("", "  email_configs:\n  - to: ops@example.com\n", 6),  # no smarthost anywhere
])
def test_what_amtool_refuses_is_one_error_with_its_line(tmp_path, route, receiver, line):
    found = [f for f in _lint(tmp_path, {"alertmanager.yml": ROUTING.format(route=route, receiver=receiver)}) if f.severity == "error"]
    assert [(f.rule, f.line) for f in found] == [("alertmanager/structure", line)], [f.message for f in found]


def test_integrations_of_later_alertmanagers_are_amlints_to_judge(tmp_path):
    webhook = ROUTING.format(route="", receiver="  webhook_configs:\n  - send_resolved: true\n")
    assert [f.rule for f in _lint(tmp_path / "25", {"alertmanager.yml": webhook}) if f.severity == "error"] == ["alertmanager/structure"]
    later = [f.rule for f in _lint(tmp_path / "27", {"alertmanager.yml": webhook}, alertmanager=(0, 27)) if f.severity == "error"]
    assert later == ["amlint/webhook-no-url"]


def test_a_config_that_is_not_a_mapping_is_an_error(tmp_path):
    found = _lint(tmp_path, {"alertmanager.yml": "BAD\n"})
    assert [f for f in found if f.severity == "error"]


def test_test_files_are_counted_not_parsed(tmp_path):
    result = lint_paths([_write(tmp_path, {"tests/a.test.yml": "rule_files: [x.yml]\ntests: []\n"})], Settings())
    assert result.sources.skipped == {"promtool tests": 1} and not result.findings


def _write(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


# -- pint's offline checks ------------------------------------------------------------------------


def test_template_label_the_query_cannot_return(tmp_path):
    bad = _alert("sum by (job) (up) == 0", annotations={"summary": "S.", "description": "{{ $labels.instance }} down"})
    good = _alert("sum by (job, instance) (up) == 0", annotations={"summary": "S.", "description": "{{ $labels.instance }} down"})
    _pair(tmp_path, "alerts/template-label", _rules(bad), _rules(good))


def test_template_label_from_absent(tmp_path):
    bad = _alert('absent(up{job="a"} == 1)', annotations={"summary": "S.", "description": "{{ $labels.job }} gone"})
    good = _alert('absent(up{job="a"})', annotations={"summary": "S.", "description": "{{ $labels.job }} gone"})
    found = _pair(tmp_path, "alerts/template-label", _rules(bad), _rules(good))
    assert "absent()" in found[0].message


def test_value_in_labels(tmp_path):
    _pair(tmp_path, "alerts/value-in-labels", _rules(_alert("up == 0", labels={"v": "{{ $value }}"})),
          _rules(_alert("up == 0", labels={"v": "{{ $labels.job }}"})), at_least="error")


def test_impossible_join(tmp_path):
    bad = _rules({"record": "a:b:c", "expr": "sum by (job) (x) / on (instance) sum by (instance) (y)"})
    good = _rules({"record": "a:b:c", "expr": "sum by (job, instance) (x) / on (instance) sum by (instance) (y)"})
    _pair(tmp_path, "promql/impossible-join", bad, good)


def test_selector_that_never_matches(tmp_path):
    _pair(tmp_path, "promql/selector-never-matches", _rules(_alert('up{job="a", job="b"} == 0')), _rules(_alert('up{job="a", instance="b"} == 0')))
    _pair(tmp_path / "re", "promql/selector-never-matches", _rules(_alert('up{job=~"a|b", job=~"c|d"} == 0')), _rules(_alert('up{job=~"a|b", job=~"b|d"} == 0')))


def test_comparison_always_false(tmp_path):
    _pair(tmp_path, "promql/comparison-always", _rules(_alert("count by (job) (up) == 0")), _rules(_alert("max by (job) (up) == 0")), at_least=WARNING)


def test_histogram_quantile_without_le(tmp_path):
    bad = _rules({"record": "a:b:p99", "expr": "histogram_quantile(0.99, sum by (job) (rate(x_bucket[5m])))"})
    good = _rules({"record": "a:b:p99", "expr": "histogram_quantile(0.99, sum by (job, le) (rate(x_bucket[5m])))"})
    _pair(tmp_path, "promql/histogram-without-le", bad, good)


def test_bucket_compared_without_le(tmp_path):
    _pair(tmp_path, "promql/histogram-without-le", _rules(_alert("rate(x_bucket[5m]) > 1")), _rules(_alert('rate(x_bucket{le="0.5"}[5m]) > 1')))


def test_rate_over_a_recorded_rate(tmp_path):
    record = {"record": "job:x:rate5m", "expr": "sum by (job) (rate(x_total[5m]))"}
    bad = _rules(record, _alert("rate(job:x:rate5m[5m]) > 1"))
    good = _rules(record, _alert("job:x:rate5m > 1"))
    _pair(tmp_path, "promql/rate-over-rate", bad, good)


def test_rate_over_a_gauge_when_the_type_is_known(tmp_path):
    types = {"temperature_celsius": "gauge", "x_total": "counter"}
    _pair(tmp_path, "promql/rate-over-gauge", _rules(_alert("rate(temperature_celsius[5m]) > 1")), _rules(_alert("deriv(temperature_celsius[5m]) > 1")), metric_types=types)


def test_counter_detection_needs_evidence(tmp_path):
    alert = _rules(_alert("ceph_pg_total > 5"))
    guessed = _ids(_lint(tmp_path / "guess", {"r.yml": alert}), "promql/counter-without-rate")
    assert guessed and {f.severity for f in guessed} == {INFO}  # a _total suffix is only a guess
    assert not _ids(_lint(tmp_path / "gauge", {"r.yml": alert}, metric_types={"ceph_pg_total": "gauge"}), "promql/counter-without-rate")
    _pair(tmp_path / "known", "promql/counter-without-rate", _rules(_alert("ceph_pg_total > 5")), _rules(_alert("rate(ceph_pg_total[5m]) > 5")),
          metric_types={"ceph_pg_total": "counter"})
    _pair(tmp_path / "bucket", "promql/counter-without-rate", _rules(_alert('x_bucket{le="1"} > 5')), _rules(_alert('rate(x_bucket{le="1"}[5m]) > 5')))


def test_alert_without_for_on_a_raw_availability_signal(tmp_path):
    bad = _alert("up == 0")
    del bad["for"]
    _pair(tmp_path, "alerts/for-missing", _rules(bad), _rules(_alert("up == 0")))


def test_unless_is_a_condition(tmp_path):
    kubelet = _alert('count by (cluster) (kube_node_info) unless on (cluster) count by (cluster) (up{job="kubelet"} == 1)')
    _pair(tmp_path, "alerts/no-comparison", _rules(_alert("count by (cluster) (kube_node_info)")), _rules(kubelet))


def test_fragile_topk_in_an_alert(tmp_path):
    _pair(tmp_path, "promql/fragile", _rules(_alert("topk(3, rate(x_total[5m])) > 1")), _rules(_alert("rate(x_total[5m]) > 1")))


def test_duplicate_rules_in_one_folder(tmp_path):
    record = {"record": "a:b:c", "expr": "sum(up)"}
    flagged = _ids(_lint(tmp_path / "dup", {"a.yml": _rules(record), "b.yml": _rules(record)}), "rules/duplicate-rule", WARNING)
    other = {"record": "a:b:c", "expr": 'sum(up{job="x"})'}
    clean = _ids(_lint(tmp_path / "ok", {"a.yml": _rules(record), "b.yml": _rules(other)}), "rules/duplicate-rule")
    assert flagged and not clean


def test_in_file_suppression_on_a_rule_and_a_group(tmp_path):
    bad = _alert("sum by (job) (up) == 0", annotations={"summary": "S.", "description": "{{ $labels.instance }}"})
    text = _rules(bad)
    on_rule = text.replace("  - alert: A", "  # obsgen-lint: ignore alerts/template-label\n  - alert: A")
    on_group = text.replace("- name: g", "- name: g  # obsgen-lint: ignore alerts/*")
    other = text.replace("  - alert: A", "  # obsgen-lint: ignore promql/syntax\n  - alert: A")
    assert not _ids(_lint(tmp_path / "r", {"r.yml": on_rule}), "alerts/template-label")
    assert not _ids(_lint(tmp_path / "g", {"r.yml": on_group}), "alerts/template-label")
    assert _ids(_lint(tmp_path / "o", {"r.yml": other}), "alerts/template-label")


# -- dashboards ---------------------------------------------------------------------------------------


def _dashboard(uid="d", panels=None, variables=None, inputs=None) -> str:
    data = {"uid": uid, "title": uid, "editable": False, "schemaVersion": 39,
            "templating": {"list": variables if variables is not None else [{"name": "datasource", "type": "datasource", "query": "prometheus"}]},
            "panels": panels if panels is not None else []}
    if inputs is not None:
        data["__inputs"] = inputs
    return json.dumps(data)


def _panel(pid=1, expr="sum(rate(x_total[$__rate_interval]))", datasource="${datasource}", **extra) -> dict:
    return {"id": pid, "type": "timeseries", "title": f"P{pid}", "description": "d", "datasource": {"uid": datasource},
            "fieldConfig": {"defaults": {"unit": "s"}}, "targets": [{"refId": "A", "expr": expr}], **extra}


def test_duplicate_panel_ids(tmp_path):
    _pair(tmp_path, "dashboard/duplicate-panel-id", _dashboard(panels=[_panel(1), _panel(1)]), _dashboard(panels=[_panel(1), _panel(2)]), name="d.json")


def test_duplicate_uids_across_files(tmp_path):
    flagged = _ids(_lint(tmp_path / "dup", {"a.json": _dashboard("same"), "b.json": _dashboard("same")}), "dashboard/duplicate-uid", "error")
    clean = _ids(_lint(tmp_path / "ok", {"a.json": _dashboard("one"), "b.json": _dashboard("two")}), "dashboard/duplicate-uid")
    assert flagged and not clean


def test_undefined_variable(tmp_path):
    _pair(tmp_path, "dashboard/undefined-variable", _dashboard(panels=[_panel(expr='sum(rate(x_total{job="$job"}[$__rate_interval]))')]),
          _dashboard(panels=[_panel(expr='sum(rate(x_total{job="$job"}[$__rate_interval]))')],
                     variables=[{"name": "datasource", "type": "datasource", "query": "prometheus"}, {"name": "job", "type": "custom"}]), name="d.json")


def test_variable_query_that_does_not_parse(tmp_path):
    variables = [{"name": "datasource", "type": "datasource", "query": "prometheus"}, {"name": "job", "type": "query", "query": "label_values(up{job=, job)"}]
    good = [variables[0], {"name": "job", "type": "query", "query": "label_values(up{job!=\"\"}, job)"}]
    _pair(tmp_path, "dashboard/variable-query", _dashboard(variables=variables), _dashboard(variables=good), name="d.json")


@pytest.mark.parametrize("name, reference", [("DS_PROMETHEUS", "${DS_PROMETHEUS}"), ("ds_prometheus", "$ds_prometheus"), ("prom", "[[prom]]")])
def test_datasource_variables_named_any_way(tmp_path, name, reference):
    good = _dashboard(panels=[_panel(datasource=reference)], variables=[{"name": name, "type": "datasource", "query": "prometheus"}])
    bad = _dashboard(panels=[_panel(datasource="P1809F7CD0C75ACF3")], variables=[{"name": name, "type": "datasource", "query": "prometheus"}])
    _pair(tmp_path, "dashboard/panel-datasource", bad, good, at_least=INFO, name="d.json")


def test_import_inputs_name_the_datasource(tmp_path):
    good = _dashboard(panels=[_panel(datasource="${DS_PROM}")], variables=[], inputs=[{"name": "DS_PROM", "type": "datasource", "pluginId": "prometheus"}])
    found = _lint(tmp_path, {"d.json": good})
    assert not _ids(found, "dashboard/panel-datasource") and not _ids(found, "dashboard/undefined-variable")


def test_loki_queries_are_left_alone(tmp_path):
    loki = [{"name": "datasource", "type": "datasource", "query": "prometheus"}, {"name": "logs", "type": "datasource", "query": "loki"}]
    logql = '{app="x"} |= "error"'
    assert not _ids(_lint(tmp_path / "l", {"d.json": _dashboard(panels=[_panel(expr=logql, datasource="${logs}")], variables=loki)}), "dashboard/target-promql")
    assert _ids(_lint(tmp_path / "p", {"d.json": _dashboard(panels=[_panel(expr=logql)], variables=loki)}), "dashboard/target-promql", "error")


def test_job_and_instance_variables_are_used(tmp_path):
    variables = [{"name": "datasource", "type": "datasource", "query": "prometheus"}, {"name": "job", "type": "custom"}]
    bad = _dashboard(panels=[_panel(expr="sum(rate(x_total[$__rate_interval]))")], variables=variables)
    good = _dashboard(panels=[_panel(expr='sum(rate(x_total{job=~"$job"}[$__rate_interval]))')], variables=variables)
    _pair(tmp_path, "dashboard/target-job-instance", bad, good, at_least=INFO, name="d.json")


# -- the version tables against the installed tools -------------------------------------------------

FUNCTION_CALLS = {
    "absent_over_time": "absent_over_time(x[5m])", "clamp": "clamp(x, 0, 1)", "last_over_time": "last_over_time(x[5m])",
    "sgn": "sgn(x)", "present_over_time": "present_over_time(x[5m])", "histogram_count": "histogram_count(x)",
    "histogram_sum": "histogram_sum(x)", "histogram_fraction": "histogram_fraction(0, 1, x)", "histogram_stddev": "histogram_stddev(x)",
    "histogram_stdvar": "histogram_stdvar(x)", "histogram_avg": "histogram_avg(x)", "sort_by_label": 'sort_by_label(x, "a")',
    "sort_by_label_desc": 'sort_by_label_desc(x, "a")', "mad_over_time": "mad_over_time(x[5m])", "limitk": "limitk(1, x)",
    "limit_ratio": "limit_ratio(0.5, x)", "double_exponential_smoothing": "double_exponential_smoothing(x[5m], 0.5, 0.5)",
    "info": "info(x)", "holt_winters": "holt_winters(x[5m], 0.5, 0.5)", "ts_of_max_over_time": "ts_of_max_over_time(x[5m])",
    "first_over_time": "first_over_time(x[5m])",
}


@pytest.mark.parametrize("name", sorted(FUNCTION_CALLS))
def test_function_table_agrees_with_the_installed_promtool(tmp_path, name):
    """What lint says of a function for the installed version is what promtool does with it."""
    import subprocess

    from conftest import tool
    from obsgen.lint.settings import installed_version
    from obsgen.promql.functions import problem

    path = tmp_path / "r.yml"
    path.write_text(_rules({"record": "a:b:c", "expr": FUNCTION_CALLS[name]}))
    accepted = subprocess.run([tool("promtool"), "check", "rules", str(path)], capture_output=True).returncode == 0
    assert accepted == (problem(name, installed_version("promtool", V2)) is None), name


@pytest.mark.parametrize("section, key", [
    ("top", "time_intervals"), ("top", "tracing"), ("route", "active_time_intervals"), ("route", "labels"),
    *[("receiver", k) for k in ("telegram_configs", "webex_configs", "discord_configs", "msteams_configs", "jira_configs", "msteamsv2_configs", "mattermost_configs")],
])
def test_alertmanager_keys_agree_with_the_installed_amtool(tmp_path, section, key):
    import subprocess

    from conftest import tool
    from obsgen.lint.settings import installed_version

    config = {"route": {"receiver": "r"}, "receivers": [{"name": "r"}]}
    target = {"top": config, "route": config["route"], "receiver": config["receivers"][0]}[section]
    target[key] = [] if key.endswith(("_configs", "_intervals")) else {}
    (tmp_path / "alertmanager.yml").write_text(yaml.safe_dump(config))
    accepted = subprocess.run([tool("amtool"), "check-config", str(tmp_path / "alertmanager.yml")], capture_output=True).returncode == 0
    found = _ids(lint_paths([tmp_path], Settings(alertmanager=installed_version("amtool", (0, 25)))).findings, "alertmanager/unknown-key", "error")
    assert accepted == (not found), (key, [f.message for f in found])
