"""obsgen.promql: the one PromQL layer. The parser is imported nowhere else; the tree
prints back to itself; result types, kept labels and rewriting are what Prometheus does."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REQUIRE_SHARED, ROOT, SHARED, shared_path
from obsgen.artifacts.read import RULES, read_artifact
from obsgen.compile.rules import grouping_labels
from obsgen.live.rules import TimeScale
from obsgen.model import Signal, count
from obsgen.promql import Matcher, PromQLError, Selector, parse
from obsgen.promql.analysis import MATRIX, SCALAR, STRING, VECTOR, comparison_threshold, labels, named_labels, result_type
from obsgen.promql.rewrite import map_selectors
from obsgen.promql.series import example_labels, parse_selector

PACKAGE = ROOT / "obsgen"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_obsgen_promql_imports_the_parser():
    importers = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if "promql_parser" in _imports(p))
    assert importers and all(p.startswith("promql/") for p in importers), importers


# Modules that handle PromQL and must do it on the tree, not with regular expressions.
PROMQL_READERS = ("compile/rules.py", "live/rules.py", "live/metrics.py", "verify/routing.py", "diff/compare.py", "lint/promql.py")


@pytest.mark.parametrize("module", PROMQL_READERS)
def test_promql_is_not_read_with_regular_expressions(module):
    assert "re" not in _imports(PACKAGE / module), f"{module} imports re"


def _rule_exprs(folder: Path) -> list[str]:
    """Every rule expression of the rule files under folder, read by the one reader."""
    exprs = []
    for path in sorted(folder.rglob("*.y*ml")):
        read = read_artifact(path.name, path.read_bytes())
        if read.kind == RULES and read.value is not None:
            exprs += [rule.expr for rule in read.value.rules]
    return exprs


def test_printer_round_trips_every_generated_and_corpus_expression():
    exprs = _rule_exprs(ROOT / "generated")
    assert len(exprs) > 400  # generated/ alone has about 490
    if (SHARED / "corpus").is_dir() or REQUIRE_SHARED:
        exprs += _rule_exprs(shared_path("corpus", "the third-party corpus"))
    for expr in exprs:
        try:
            tree = parse(expr)
        except PromQLError:
            continue
        assert parse(str(tree)) == tree, (expr, str(tree))


@pytest.mark.parametrize("expr, text", [
    ("(a + b) * c", "(a + b) * c"),
    ("a - (b - c)", "a - (b - c)"),
    ("2 ^ 3 ^ 4", "2 ^ 3 ^ 4"),
    ("(2 ^ 3) ^ 4", "(2 ^ 3) ^ 4"),
    ("-(a + b)", "-(a + b)"),
    ('sum by (job) (rate(x{a=~"b.*"}[5m] offset 1h))', 'sum by (job) (rate(x{a=~"b.*"}[5m] offset 1h))'),
    ("a > bool on (x) group_left (y) b", "a > bool on (x) group_left (y) b"),
    ("max_over_time((a + b)[1h:30s])", "max_over_time((a + b)[1h:30s])"),
    ("x @ end()", "x @ end()"),
    ('{__name__=~"a.+"}', '{__name__=~"a.+"}'),
    ('label_replace(x, "dst", "$1", "src", "(.*)")', 'label_replace(x, "dst", "$1", "src", "(.*)")'),
])
def test_printer_writes_what_it_read(expr, text):
    assert str(parse(expr)) == text


def test_parse_errors_point_at_the_fault():
    with pytest.raises(PromQLError) as caught:
        parse("sum(rate(x[5m])")
    assert caught.value.column == 3 and "^" in str(caught.value)
    with pytest.raises(PromQLError, match="unknown function"):
        parse("no_such_function(x)")


@pytest.mark.parametrize("expr, kind", [
    ("x", VECTOR), ("x[5m]", MATRIX), ("x[5m:1m]", MATRIX), ("1 + 2", SCALAR), ('"s"', STRING),
    ("scalar(x)", SCALAR), ("time()", SCALAR), ("x * 2", VECTOR), ("rate(x[5m])", VECTOR),
])
def test_result_types(expr, kind):
    assert result_type(parse(expr)) == kind


@pytest.mark.parametrize("expr, present, missing", [
    ("sum by (job) (x)", {"job"}, {"instance", "__name__"}),
    ("sum without (instance) (x)", {"job"}, {"instance", "__name__"}),
    ("rate(x[5m])", {"instance"}, {"__name__"}),
    ("x > 1", {"__name__", "instance"}, set()),
    ('absent(up{job="a", instance=~"b"})', {"job"}, {"instance"}),
    ("absent(sum by (job) (x))", set(), {"job"}),
    ('label_replace(sum by (job) (x), "team", "$1", "job", "(.*)")', {"job", "team"}, {"instance"}),
    ("sum by (job) (x) / on (job) group_left (team) y", {"job", "team"}, {"instance"}),
    ("x / on (job) y", {"job"}, {"instance"}),
    ("x / ignoring (instance) y", {"job"}, {"instance"}),
    ("topk(3, x)", {"instance", "__name__"}, set()),
    ("sum by (job) (x) or sum by (instance) (y)", {"job", "instance"}, {"pod"}),
    ("histogram_quantile(0.9, sum by (le, job) (rate(x_bucket[5m])))", {"job"}, {"le"}),
    ('count_values("version", x)', {"version"}, {"instance"}),
    ('x{instance=""}', {"job"}, {"instance"}),
    ("vector(1)", set(), {"job"}),
])
def test_labels_kept(expr, present, missing):
    kept = labels(parse(expr))
    assert all(kept.can_have(label) for label in present), (expr, kept)
    assert not any(kept.can_have(label) for label in missing), (expr, kept)


def test_grouping_labels_follow_the_tree_not_the_first_by():
    healthy = Signal(record="a:b:sum", expr='sum(min by (job) (up) or min by (job) (probe_success)) or vector(0)', unit=count, description="d")
    assert grouping_labels(healthy) == ()  # sum() drops job, whatever the inner by (job) says
    p95 = Signal(record="a:b:p95", expr="histogram_quantile(0.95, sum by (le, exchange) (rate(x_bucket[5m])))", unit=count, description="d")
    assert grouping_labels(p95) == ("exchange",)
    assert named_labels(parse('label_replace(up, "svc", "$1", "job", "(.*)")')) == ("svc",)


def test_time_scale_rewrites_durations_on_the_tree():
    scale = TimeScale(60)
    assert scale.expr('rate(x{a=~"[5m]"}[5m] offset 1h)') == 'rate(x{a=~"[5m]"}[10s] offset 1m)'
    assert scale.expr("max_over_time(rate(x[1h])[6h:5m])") == "max_over_time(rate(x[1m])[6m:10s])"
    assert scale.expr('label_replace(x, "a", "5m", "b", "[5m]")') == 'label_replace(x, "a", "5m", "b", "[5m]")'


def test_selectors_are_rewritten_on_the_tree():
    node = map_selectors(parse("a / b"), lambda s: s.renamed(f"{s.name}_total", (Matcher("job", "=", "x"),)))
    assert str(node) == 'a_total{job="x"} / b_total{job="x"}'


def test_one_matcher_for_selectors_slis_and_routes():
    assert Matcher("code", "=~", "5..").matches("503") and not Matcher("code", "=~", "5..").matches("5030")
    assert Matcher("a", "!~", "x.*").matches("") and not Matcher("a", "=~", "(").matches("(")
    assert Matcher("a", "!=", "x").matches_labels({}) and str(Matcher("a", "=", 'q"')) == 'a="q\\""'


def test_sli_selectors_and_example_labels():
    total, errors = parse_selector('req_total{job="api"}'), parse_selector('req_total{job="api", code=~"5.."}')
    assert isinstance(total, Selector) and str(total.renamed("req_count")) == 'req_count{job="api"}'
    assert example_labels(errors) == {"job": "api", "code": "500"}
    other = example_labels(total, avoid=errors)
    assert other is not None and total.matches({"__name__": "req_total", **other}) and not errors.matches({"__name__": "req_total", **other})
    with pytest.raises(ValueError, match="plain series selector"):
        parse_selector("rate(x[5m])")


def test_comparison_threshold():
    assert comparison_threshold(parse('a:b:c{s="x"} > 0.25')) == ('a:b:c{s="x"}', ">", 0.25)
    assert comparison_threshold(parse("a > bool 1")) is None
