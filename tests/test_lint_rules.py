"""Every lint rule catches its known problem in tests/fixtures/lint/broken, and nothing else
fires there or on the clean fixture: each rule has a test that fails when it breaks."""

from __future__ import annotations

import subprocess
from collections import Counter
from datetime import timedelta

import pytest
import yaml

from conftest import FIXTURES, tool
from obsgen.lint import grafana, promql, semantics, templates
from obsgen.lint.anchors import anchors, slug
from obsgen.lint.findings import REGISTRY
from obsgen.lint.run import lint_paths
from obsgen.lint.settings import Settings

LINT = FIXTURES / "lint"
BROKEN = LINT / "broken"

# rule id -> the subjects (alert, record, panel, receiver; "" for a file) it must report, with repeats.
EXPECTED = {
    "input/unreadable": [""],
    "input/unrecognised": [""],
    "rules/structure": [""],
    "promql/syntax": ["job:http_requests:syntax_error"],
    "promql/counter-without-rate": ["CounterWithoutRate"],
    "promql/rate-range-too-short": ["RateRangeTooShort"],
    "alerts/no-comparison": ["NoComparison"],
    "alerts/value-in-labels": ["ValueInLabels"],
    "alerts/template-syntax": ["TemplateSyntax"],
    "mixin/alert-name": ["alert_name_not_camel_case"],
    "mixin/severity": ["SeverityNotKnown"],
    "mixin/summary": ["SummaryWithoutPeriod"],
    "mixin/description": ["DescriptionStatic"],
    "mixin/runbook-url": ["RunbookMissing"],
    "mixin/record-name": ["job_http_errors_rate5m"],
    "dashboard/uid": ["Legacy dashboard"],
    "dashboard/editable": ["Legacy dashboard"],
    "dashboard/schema-version": ["Legacy dashboard"],
    "dashboard/template-datasource": ["Legacy dashboard"],
    "dashboard/panel-datasource": ["Hard-coded datasource", "Request rate"],
    "dashboard/undefined-variable": ["Request rate"],  # legacy.json's $datasource is no variable of it
    "dashboard/panel-title-description": ["Panel without description"],
    "dashboard/panel-units": ["Panel without unit"],
    "dashboard/panel-no-targets": ["Stat without queries"],
    "dashboard/target-promql": ["Query with a syntax error"],
    "dashboard/target-rate-interval": ["Rate over a fixed range"],
    "dashboard/target-counter-without-rate": ["Counter read as a value"],
    "routing/unrouted-alert": ["UnroutedAlert"],
    "routing/unused-receiver": ["receivers[unused]"],
    "routing/literal-secret": ["receivers[team-app].pagerduty_configs[0]"],
    "links/unknown-recorded-metric": ["UnknownRecordedMetric"],
    "links/runbook-url": ["RunbookAnchorMissing", "RunbookDocumentMissing"],
    "links/dashboard-url": ["DashboardUrlBroken"],
    "links/dashboard-link": ["", "Legacy dashboard"],
    "links/markdown-anchor": [""],
    # every alert of the broken rules links its runbook relatively (the runbook checks need them)
    "links/relative-url": ["CounterWithoutRate", "DashboardUrlBroken", "DescriptionStatic", "NoComparison", "RateRangeTooShort",
                           "RunbookAnchorMissing", "RunbookDocumentMissing", "SeverityNotKnown", "SummaryWithoutPeriod", "TemplateSyntax",
                           "UnknownRecordedMetric", "UnroutedAlert", "ValueInLabels", "alert_name_not_camel_case"],
    "secrets/credential": [""],  # a password in a URL in runbook.md (the routing key in alertmanager.yml is routing/literal-secret, once)
    # amlint's own checks come through under amlint/<code>, with amlint's severity
    "amlint/inhibit-no-equal": ["inhibit_rules[0]"],
    "amlint/global-resolve-timeout-missing": ["global"],
}
TESTED_ELSEWHERE = {"input/unused-exception": "tests/test_lint_cli.py"} | {
    rule_id: "tests/test_lint_checks.py" for rule_id in (
        "rules/unknown-key", "rules/duration", "rules/duplicate-group", "rules/label-name", "rules/record-name", "rules/duplicate-rule",
        "input/duplicate-key", "promql/function-version", "alertmanager/unknown-key", "alertmanager/structure",
        "alerts/template-label", "alerts/for-missing", "promql/impossible-join", "promql/selector-never-matches",
        "promql/comparison-always", "promql/histogram-without-le", "promql/rate-over-rate", "promql/rate-over-gauge", "promql/fragile",
        "dashboard/duplicate-uid", "dashboard/duplicate-panel-id", "dashboard/undefined-variable", "dashboard/variable-query",
        "dashboard/target-job-instance",
    )
}


@pytest.fixture(scope="module")
def broken():
    return lint_paths([BROKEN, LINT / "unrecognised.yml"], Settings(scrape_interval_given=True)).findings


def test_every_obsgen_rule_has_a_fixture():
    own = {r for r in REGISTRY if not r.startswith("amlint/")}
    assert own - set(EXPECTED) - set(TESTED_ELSEWHERE) == set()


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_rule_reports_exactly_its_fixture(broken, rule_id):
    found = sorted(f.subject for f in broken if f.rule == rule_id)
    assert found == sorted(EXPECTED[rule_id]), [f"{f.path}:{f.line} {f.message}" for f in broken if f.rule == rule_id]
    assert {f.severity for f in broken if f.rule == rule_id} == {REGISTRY[rule_id].severity}


def test_nothing_else_fires_on_the_broken_fixture(broken):
    assert set(Counter(f.rule for f in broken)) == set(EXPECTED)


def test_findings_point_at_the_line_of_their_alert(broken):
    text = (BROKEN / "rules" / "broken.rules.yml").read_text().splitlines()
    for f in broken:
        if f.path.endswith("broken.rules.yml") and f.subject and f.line:
            assert f.subject in text[f.line - 1], f


def test_the_clean_fixture_has_no_finding():
    assert lint_paths([LINT / "clean"]).findings == []


def test_scrape_interval_sets_the_shortest_rate_range():
    fast = lint_paths([BROKEN], Settings(scrape_interval=timedelta(seconds=15), scrape_interval_given=True)).findings
    slow = lint_paths([BROKEN], Settings(scrape_interval=timedelta(minutes=5), scrape_interval_given=True)).findings
    assert not [f for f in fast if f.rule == "promql/rate-range-too-short"]
    short_at_5m = {f.subject for f in slow if f.rule == "promql/rate-range-too-short"}
    assert {"RateRangeTooShort", "job:http_requests:rate5m"} <= short_at_5m  # [5m] is one scrape at 5m


@pytest.mark.parametrize("expr, counters", [
    ("rate(http_requests_total[5m])", []),
    ("sum by (le) (rate(http_request_duration_seconds_bucket[5m]))", []),
    ("count(http_requests_total)", []),
    ("up and on() http_requests_total", []),
    ("absent(http_requests_total)", []),
    ("pg_stat_activity_count > 80", []),  # postgres_exporter's gauge: _count is not a counter suffix
    ("http_requests_total > 5", [("http_requests_total", "info")]),  # the suffix alone is a guess
    ("sum(http_request_duration_seconds_bucket)", [("http_request_duration_seconds_bucket", "warning")]),
    ("delta(http_requests_total[5m])", [("http_requests_total", "info")]),
])
def test_counter_evidence(expr, counters):
    found = [(message.split()[0], severity or "warning") for _, message, severity in semantics.check_counters(promql.tree(expr), semantics.RunFacts())]
    assert found == counters


@pytest.mark.parametrize("expr, conditional", [
    ("x > 1", True),
    ("sum(rate(x_total[5m])) > 1", True),
    ("absent(up{job='a'})", True),
    ("vector(1)", True),
    ("x > bool 1", False),
    ("x", False),
    ("x > 1 or y", False),
    ("x and on() (y > 1)", True),
    ("x unless y > 1", True),  # fires only where y is not above 1 (kube-prometheus KubeletDown)
])
def test_comparison_detection(expr, conditional):
    assert promql.filters(promql.tree(expr)) is conditional


def test_template_functions_are_the_ones_promtool_knows(tmp_path):
    """Our list of Prometheus template functions against the real promtool (2.42)."""
    rules = [
        {"alert": f"Uses{i}", "expr": "up == 0", "annotations": {"d": f'{{{{ "x" | {name} }}}}'}}
        for i, name in enumerate(sorted(templates.PROMETHEUS_FUNCS))
    ]
    good = tmp_path / "good.yml"
    good.write_text(yaml.safe_dump({"groups": [{"name": "g", "rules": rules}]}))
    result = subprocess.run([tool("promtool"), "check", "rules", str(good)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    for text in ('{{ "x" | toDuration }}', "{{ $labels.job }"):
        bad = tmp_path / "bad.yml"
        bad.write_text(yaml.safe_dump({"groups": [{"name": "g", "rules": [{"alert": "A", "expr": "up == 0", "annotations": {"d": text}}]}]}))
        promtool = subprocess.run([tool("promtool"), "check", "rules", str(bad)], capture_output=True, text=True)
        assert promtool.returncode != 0 and templates.template_error(text), text


def test_github_slugs_and_repeated_headings():
    assert slug("Hello, World: (P1) — x_y") == "hello-world-p1--x_y"
    assert anchors("## Same\n\n## Same\n\nText\n===\n") == {"same", "same-1", "text"}
    assert anchors("```\n# not a heading\n```\n") == set()


def test_grafana_variables_expand_to_valid_promql():
    expanded = grafana.expand_grafana_variables('sum(rate(x_total{job=~"$job",i="${instance:regex}"}[$__rate_interval] offset $__interval)) by (job) > $threshold')
    assert promql.syntax_error(expanded) is None
    assert '"$job"' in expanded and "[7777s]" in expanded


def test_secret_fields_are_searched_only_where_a_piece_of_their_name_is():
    """The gate skips a text only when no secret field can match: every field name holds a
    piece, and a field the gate skipped would not be found."""
    import re

    from obsgen.lint.secrets import FIELD_PIECES, SECRET_FIELDS, check_secrets

    fields = re.search(r"\(([a-z_|]+)\)", SECRET_FIELDS.pattern).group(1).split("|")
    assert len(fields) >= 13 and all(any(piece in f for piece in FIELD_PIECES) for f in fields)
    for field in fields:
        integration = "slack_configs" if field == "api_url" else "pagerduty_configs"  # SECRET_ONLY_IN
        text = f"receivers:\n- name: x\n  {integration}:\n  - {field}: abc\n"
        assert [f.line for f in check_secrets("a.yml", text, structured=True)] == [4], field
