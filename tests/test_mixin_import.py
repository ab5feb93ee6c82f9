"""`obsgen import mixin`: kube-prometheus's compiled rules and a jsonnet mixin of our own
become obsgen systems that generate, lint and pass `obsgen test`, with every source alert
in the output with the same expression, `for`, labels and annotations; bad sources give
one line and exit 2, writing nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import DEFINITIONS, FIXTURES, run_obsgen, shared_path
from obsgen.artifacts import AlertingRule, RecordingRule, RuleFile
from obsgen.artifacts.read import read_rules
from obsgen.importer.compare import alert_difference, recorded_exprs, recording_difference
from obsgen.importer.sources import read_source
from obsgen.promql import parse

MIXIN = FIXTURES / "mixin"
VENDOR = MIXIN / "vendor"


def project(tmp_path: Path, definitions: Path = FIXTURES / "good") -> Path:
    """A project whose definitions are a copy of `definitions`: the import sits beside systems
    of its own (names, dashboard uids and titles are checked across systems). The example
    system by default; the seed systems for kube-prometheus, which take 15 times longer to
    load, and every command of a test loads them."""
    shutil.copytree(definitions, tmp_path / "definitions")
    return tmp_path


def imported(root: Path, source: Path, system: str, *options: str):
    result = run_obsgen("import", "mixin", str(source), "--system", system, *options, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def generated_rules(root: Path, system: str) -> list[RuleFile]:
    return [read_rules(p.read_text()).require(str(p)) for p in sorted((root / "generated" / system / "rules").glob("*.yml"))]


def source_rules(source: str, jpath: tuple[str, ...] = ()) -> list[AlertingRule | RecordingRule]:
    return [rule for group in read_source(source, jpath).groups for rule in group.group.rules]


def assert_same_rules(source: list, files: list[RuleFile], system: str) -> None:
    """Every source alert and recording rule is in the output, the same."""
    recorded = recorded_exprs(files, system)
    alerts = [r for f in files for r in f.alerting]
    recordings = [r for f in files for r in f.recording]
    for rule in source:
        if isinstance(rule, AlertingRule):
            found = [g for g in alerts if g.alert == rule.alert and all(g.labels.get(k) == v for k, v in rule.labels.items())]
            assert len(found) == 1, f"{rule.alert} {dict(rule.labels)}: {len(found)} generated alerts"
            assert alert_difference(rule, found[0], recorded, system) is None, alert_difference(rule, found[0], recorded, system)
        else:
            found_r = [g for g in recordings if g.record == rule.record and recording_difference(rule, g, system) is None]
            assert found_r, f"recording rule {rule.record} {dict(rule.labels)} is not in the output"
    assert len(alerts) == sum(isinstance(r, AlertingRule) for r in source), "the output has alerts the source does not"


def generate_lint_test(root: Path, system: str) -> None:
    generated = run_obsgen("generate", "--system", system, cwd=root)
    assert generated.returncode == 0, generated.stderr
    linted = run_obsgen("lint", f"generated/{system}", "--fail-on", "error", cwd=root)
    assert linted.returncode == 0 and linted.stdout.splitlines()[-1].startswith("0 errors"), linted.stdout + linted.stderr
    tested = run_obsgen("test", "--system", system, cwd=root)
    assert tested.returncode == 0, tested.stdout[-3000:] + tested.stderr
    assert "0 failed" in tested.stdout


def test_kube_prometheus_rules_import_generate_and_pass_their_tests(tmp_path):
    corpus = shared_path("corpus/kp-rules", "kube-prometheus's compiled rules (../shared/corpus/kp-rules)")
    root = project(tmp_path, DEFINITIONS)
    result = imported(root, corpus, "kube-prometheus")
    package = root / "definitions" / "kube_prometheus"
    assert (package / "IMPORT.md").is_file() and (package / "routing.py").is_file()
    generate_lint_test(root, "kube-prometheus")
    files = generated_rules(root, "kube-prometheus")
    assert_same_rules(source_rules(str(corpus)), files, "kube-prometheus")
    # The import models what it can: threshold alerts read from the recorded signal, not kept raw.
    modelled = [r for f in files for r in f.alerting if r.expr.startswith("alert:")]
    assert len(modelled) >= 60, f"only {len(modelled)} alert rules became Signals and Levels"
    # What is kept as written is listed, with why, in IMPORT.md and on stdout.
    report = (package / "IMPORT.md").read_text()
    assert "- Watchdog (" in report and "severity 'none'" in report
    assert "- Watchdog (" in result.stdout
    # Priorities by severity, routed to placeholder receivers (no real address).
    alertmanager = yaml.safe_load((root / "generated" / "kube-prometheus" / "alertmanager.yml").read_text())
    receivers = {r["name"] for r in alertmanager["receivers"]}
    assert receivers == {"kube-prometheus-pager-placeholder", "kube-prometheus-chat-placeholder"}


def test_a_jsonnet_mixin_imports_from_source_with_its_vendored_library(tmp_path):
    root = project(tmp_path)
    source = MIXIN / "demo" / "mixin.libsonnet"
    imported(root, source, "demo-mixin", "--jpath", str(VENDOR))
    generate_lint_test(root, "demo-mixin")
    files = generated_rules(root, "demo-mixin")
    assert_same_rules(source_rules(str(source), (str(VENDOR),)), files, "demo-mixin")
    module = (root / "definitions" / "demo_mixin" / "demo_alerts.py").read_text()
    # Readable definitions: the threshold a Level, the severity a priority, `for` a time quantity.
    assert "warning=Level(80, P2)," in module and "critical=Level(95, P1)," in module
    assert "for_=minutes(15)," in module
    assert "summary='CPU usage is above {threshold}%.'" in module
    assert "name='DemoExporterAbsent'" in module and "RawAlert(" in module  # absent(): kept as written
    alerts = {(r.alert, r.labels["severity"]): r for f in files for r in f.alerting}
    assert alerts[("DemoHighCPU", "warning")].expr == 'alert:demo_high_cpu:value{system="demo-mixin"} > 80'
    assert alerts[("DemoHighCPU", "critical")].annotations["summary"] == "CPU usage is above 95%."
    assert alerts[("DemoInfo", "info")].labels["priority"] == "P3"


def test_prometheus_rule_manifests_and_a_dashboard_in_a_folder(tmp_path):
    root = project(tmp_path)
    source = MIXIN / "compiled"
    result = imported(root, source, "shop-compiled")
    generate_lint_test(root, "shop-compiled")
    assert_same_rules(source_rules(str(source)), generated_rules(root, "shop-compiled"), "shop-compiled")
    latency = (root / "definitions" / "shop_compiled" / "shop_latency.py").read_text()
    stock = (root / "definitions" / "shop_compiled" / "shop_stock.py").read_text()
    # `0.5 < x` is x above 0.5; `<=` is AT_OR_BELOW; keep_firing_for kept.
    assert "direction=ABOVE," in latency and "warning=Level(0.5, P2)," in latency and "keep_firing_for=minutes(5)," in latency
    assert "direction=AT_OR_BELOW," in stock and "critical=Level(10, P1)," in stock and "for_=seconds(0)," in stock
    assert "record='shop:stock_items:sum'" in stock  # the recording rule, a Signal
    assert "labels={\n        'component': 'web',\n    }," in latency  # a label besides severity: kept on the Alert
    assert "shop-dashboard.json: Shop" in result.stdout and "shop-dashboard.json: Shop" in (root / "definitions" / "shop_compiled" / "IMPORT.md").read_text()
    assert "group shop-stock" in result.stdout and "interval 30s (obsgen's groups use Prometheus's global settings)" in result.stdout
    listed = run_obsgen("list", "--system", "shop-compiled", cwd=root)
    assert "ShopStockUnknown (as written)" in listed.stdout, listed.stdout


def test_an_override_of_one_threshold_in_config_moves_that_level_only(tmp_path):
    root = project(tmp_path)
    imported(root, MIXIN / "demo" / "mixin.libsonnet", "demo-default", "--jpath", str(VENDOR))
    imported(root, MIXIN / "demo" / "override.jsonnet", "demo-tuned", "--jpath", str(VENDOR))
    default = (root / "definitions" / "demo_default" / "demo_alerts.py").read_text()
    tuned = (root / "definitions" / "demo_tuned" / "demo_alerts.py").read_text()
    assert "warning=Level(80, P2)," in default and "warning=Level(85, P2)," in tuned
    assert "critical=Level(95, P1)," in tuned
    changed = [(a, b) for a, b in zip(default.splitlines(), tuned.splitlines()) if a != b]
    assert [b.strip() for _, b in changed if "override.jsonnet" not in b and "demo-tuned" not in b] == ["warning=Level(85, P2),"], changed


def test_the_comparison_catches_a_moved_threshold_for_label_or_annotation():
    source = AlertingRule(alert="A", expr="x > 1", for_="5m", labels={"severity": "warning"}, annotations={"summary": "S."})
    recorded = {"alert:a:value": parse("x")}
    good = AlertingRule(alert="A", expr='alert:a:value{system="s"} > 1', for_="5m", labels={"severity": "warning", "system": "s"},
                        annotations={"summary": "S.", "runbook_url": "https://r.example/"})
    assert alert_difference(source, good, recorded, "s") is None
    flipped = AlertingRule(alert="A", expr="1 < x", for_="5m", labels=source.labels, annotations=source.annotations)
    assert alert_difference(flipped, good, recorded, "s") is None  # the vector's value is kept either way
    wrong_side = AlertingRule(alert="A", expr="1 > x", for_="5m", labels=source.labels, annotations=source.annotations)
    assert alert_difference(wrong_side, good, recorded, "s") is not None
    # `(x > 1) and on (a) y` is `(x and on (a) y) > 1`: the signal records the gated expression.
    gated = AlertingRule(alert="A", expr="x > 1 and on (a) y", for_="5m", labels=source.labels, annotations=source.annotations)
    assert alert_difference(gated, good, {"alert:a:value": parse("x and on (a) y")}, "s") is None
    assert alert_difference(gated, good, {"alert:a:value": parse("x and on (b) y")}, "s") is not None
    assert alert_difference(gated, good, {"alert:a:value": parse("x unless on (a) y")}, "s") is not None
    either = AlertingRule(alert="A", expr="x > 1 or y", for_="5m", labels=source.labels, annotations=source.annotations)
    assert alert_difference(either, good, {"alert:a:value": parse("x or y")}, "s") is not None  # `or` adds series: not lifted
    for bad in (
        AlertingRule(alert="A", expr='alert:a:value{system="s"} > 2', for_="5m", labels=good.labels, annotations=good.annotations),
        AlertingRule(alert="A", expr='alert:a:value{system="s"} >= 1', for_="5m", labels=good.labels, annotations=good.annotations),
        AlertingRule(alert="A", expr='alert:a:value{system="s"} > 1', for_="10m", labels=good.labels, annotations=good.annotations),
        AlertingRule(alert="A", expr='alert:a:value{system="s"} > 1', for_="5m", labels={"severity": "critical"}, annotations=good.annotations),
        AlertingRule(alert="A", expr='alert:a:value{system="s"} > 1', for_="5m", labels=good.labels, annotations={"summary": "T."}),
        AlertingRule(alert="A", expr='alert:a:value{system="t"} > 1', for_="5m", labels=good.labels, annotations=good.annotations),
    ):
        assert alert_difference(source, bad, recorded, "s") is not None, bad


@pytest.mark.parametrize("source, options, expected", [
    ("bad-syntax.jsonnet", (), "bad-syntax.jsonnet:3: jsonnet does not evaluate: unexpected"),
    ("demo/mixin.libsonnet", (), "mixin.libsonnet:3: jsonnet does not evaluate: couldn't open import \"demo-utils/alerts.libsonnet\""),
    ("missing-lib.jsonnet", ("--jpath", "VENDOR"), "missing-lib.jsonnet:2: jsonnet does not evaluate: couldn't open import"),
    ("not-rules.yml", (), "not-rules.yml:1: not a rule file or PrometheusRule manifest"),
    ("README.md", (), "README.md: not a mixin"),
])
def test_a_bad_source_is_one_line_exit_2_and_nothing_written(tmp_path, source, options, expected):
    root = project(tmp_path)
    options = tuple(str(VENDOR) if o == "VENDOR" else o for o in options)
    before = sorted(p.name for p in (root / "definitions").iterdir())
    result = run_obsgen("import", "mixin", str(MIXIN / source), "--system", "broken", *options, cwd=root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (root / "definitions").iterdir()) == before
    assert not list(root.glob(".obsgen-import-*"))


def test_an_existing_system_is_kept_unless_forced(tmp_path):
    root = project(tmp_path)
    source = MIXIN / "demo" / "mixin.libsonnet"
    imported(root, source, "demo", "--jpath", str(VENDOR))
    (root / "definitions" / "demo" / "mine.py").write_text("# my edit\n")
    again = run_obsgen("import", "mixin", str(source), "--system", "demo", "--jpath", str(VENDOR), cwd=root)
    assert again.returncode == 2 and "already exists; give --force" in again.stderr
    assert (root / "definitions" / "demo" / "mine.py").exists()
    imported(root, source, "demo", "--jpath", str(VENDOR), "--force")
    assert not (root / "definitions" / "demo" / "mine.py").exists()


def test_a_raw_alert_is_validated_like_any_definition():
    from obsgen import Alert, Level, Priority, RawAlert, Service, Signal, Slack, System, count, minutes
    from obsgen.model import DefinitionError
    from obsgen.model.directions import ABOVE

    chat = Slack(name="chat", channel="#c", api_url_file="/etc/secret")
    p3 = Priority(name="P3", meaning="Lowest.", response_time=minutes(60), receivers=(chat,))
    with pytest.raises(DefinitionError, match="'service' is set by obsgen"):
        RawAlert(name="A", expr="up == 0", priority=p3, why="kept", labels={"service": "x"})
    with pytest.raises(DefinitionError, match="field 'expr'"):
        RawAlert(name="A", expr="up ==", priority=p3, why="kept")
    with pytest.raises(DefinitionError, match="not a valid label name"):
        RawAlert(name="A", expr="up == 0", priority=p3, why="kept", annotations={"bad-key": "x"})
    signal = Signal(record="alert:a:value", expr="up", unit=count, description="Up")
    alert = Alert(name="A", signal=signal, direction=ABOVE, warning=Level(1, p3), summary="S.", meaning="M.", actions=("Act.",))
    raw = RawAlert(name="A", expr="up == 0", priority=p3, why="kept")
    service = Service(name="s", title="S", team="t", description="D.", alerts=(alert,), raw_alerts=(raw,))
    with pytest.raises(DefinitionError, match="'severity' is set by obsgen"):
        Alert(name="B", signal=signal, direction=ABOVE, warning=Level(1, p3), summary="S.", meaning="M.", actions=("Act.",),
              labels={"severity": "page"})
    with pytest.raises(DefinitionError, match="must be an absolute|not an absolute"):
        Alert(name="B", signal=signal, direction=ABOVE, warning=Level(1, p3), summary="S.", meaning="M.", actions=("Act.",),
              runbook_url="runbooks/b.md")
    with pytest.raises(DefinitionError, match="also the name of alert"):
        System(name="x", title="X", description="D.", services=(service,), priorities=(p3,), receivers=(chat,), default_receiver=chat,
               runbook_base_url="https://r.example.invalid/", grafana_base_url="https://g.example.invalid")


def test_a_label_obsgen_sets_itself_is_replaced_and_said(tmp_path):
    root = project(tmp_path)
    rules = tmp_path / "team-rules.yml"
    rules.write_text(
        "groups:\n- name: teams\n  rules:\n  - alert: QueueDeep\n    expr: queue_depth > 100\n    for: 5m\n"
        "    labels: {severity: warning, team: payments}\n    annotations: {summary: Deep queue., description: 'Depth {{ $value }}.'}\n"
    )
    result = imported(root, rules, "teams")
    assert "QueueDeep" in result.stdout and "its label team=payments is replaced by obsgen's" in result.stdout
    generate_lint_test(root, "teams")
    alerts = [r for f in generated_rules(root, "teams") for r in f.alerting]
    assert [(r.alert, r.labels["team"], r.labels["severity"]) for r in alerts] == [("QueueDeep", "teams", "warning")]
