"""The one reader is as strict as the real loaders: what promtool 2.42 or amtool 0.25
refuses, it reports with a line; what they accept, it reads without a problem.

Each case is a refused file beside a near-identical accepted one; the real tools judge
both, so a case that the tools do not agree with fails here instead of misleading the
reader. Over ../shared/corpus (third-party files) the reader and the tools agree too.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import GENERATED, shared_path, system_dirs, tool, tool_verdicts
from obsgen.artifacts import AlertingRule, RuleFile
from obsgen.artifacts.read import ALERTMANAGER, RULES, RuleChecks, UnreadableArtifact, read_alertmanager, read_artifact, read_rules
from obsgen.artifacts.write import alertmanager_bytes, rule_file_bytes
from obsgen.lint import promql, templates
from reader_cases import AM_CASES, RULE_CASES

# The reader leaves PromQL and templates to hooks; the parity checks give it the linter's.
CHECKS = RuleChecks(expr=promql.syntax_error, template=templates.template_error)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _tool_accepts(command: list[str], path: Path) -> bool:
    return subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=60).returncode == 0


@pytest.mark.parametrize("name", sorted(RULE_CASES))
def test_rule_reader_refuses_what_promtool_refuses(name: str) -> None:
    refused, accepted = RULE_CASES[name]
    bad = read_rules(refused, CHECKS)
    assert bad.problems, f"{name}: the reader accepted a file promtool refuses"
    assert all(p.line for p in bad.problems), [str(p) for p in bad.problems]
    good = read_rules(accepted, CHECKS)
    assert good.problems == (), [str(p) for p in good.problems]
    assert isinstance(good.value, RuleFile)


@pytest.mark.parametrize("name", sorted(AM_CASES))
def test_alertmanager_reader_refuses_what_amtool_refuses(name: str) -> None:
    refused, accepted = AM_CASES[name]
    assert read_alertmanager(refused).problems, f"{name}: the reader accepted a file amtool refuses"
    good = read_alertmanager(accepted)
    assert good.problems == (), [str(p) for p in good.problems]
    assert good.value is not None


@pytest.fixture(scope="module")
def tools_accept(tmp_path_factory) -> dict[str, dict[str, bool]]:
    """Per tool, whether it accepts each case's accepted file, as it does the file alone: all
    of them in one run per tool while every one is accepted (tool_verdicts). A refused file
    is run alone (below): a run that fails says no more than that one of its files failed."""
    folder = tmp_path_factory.mktemp("accepted")
    verdicts = {}
    for kind, command, cases in (("promtool", [tool("promtool"), "check", "rules"], RULE_CASES),
                                 ("amtool", [tool("amtool"), "check-config"], AM_CASES)):
        paths = {name: _write(folder, f"{kind}-{i}.yml", cases[name][1]) for i, name in enumerate(sorted(cases))}
        accepted = tool_verdicts(command, list(paths.values()))
        verdicts[kind] = {name: accepted[path] for name, path in paths.items()}
    return verdicts


@pytest.mark.parametrize("name", sorted(RULE_CASES))
def test_promtool_agrees_with_rule_case(name: str, tmp_path: Path, tools_accept) -> None:
    refused, _ = RULE_CASES[name]
    promtool = [tool("promtool"), "check", "rules"]
    assert not _tool_accepts(promtool, _write(tmp_path, "refused.yml", refused)), f"{name}: promtool accepts the refused file"
    assert tools_accept["promtool"][name], f"{name}: promtool refuses the accepted file"


@pytest.mark.parametrize("name", sorted(AM_CASES))
def test_amtool_agrees_with_alertmanager_case(name: str, tmp_path: Path, tools_accept) -> None:
    refused, _ = AM_CASES[name]
    amtool = [tool("amtool"), "check-config"]
    assert not _tool_accepts(amtool, _write(tmp_path, "refused.yml", refused)), f"{name}: amtool accepts the refused file"
    assert tools_accept["amtool"][name], f"{name}: amtool refuses the accepted file"


def test_problems_name_line_and_field() -> None:
    problem = read_rules(RULE_CASES["misspelt-key"][0]).problems[0]
    assert (problem.line, problem.where, problem.subject, problem.code) == (6, "groups[0].rules[0].annotaions", "HighLatency", "unknown-key")
    assert "did you mean annotations" in problem.message
    problem = read_alertmanager(AM_CASES["unknown-receiver"][0]).problems[0]
    assert (problem.line, problem.subject, problem.code) == (4, "team", "receiver") and "'team', which is not defined" in problem.message


def test_rule_keys_and_names_follow_the_prometheus_version() -> None:
    offset = "groups:\n- name: g\n  query_offset: 1m\n  rules: []\n"
    (old,) = read_rules(offset).problems
    assert old.code == "unknown-key" and "needs Prometheus 2.53 or later (checking for 2.42)" in old.message and old.line == 3
    newer = read_rules(offset, prometheus=(2, 53))
    assert newer.problems == () and newer.value.groups[0].query_offset == "1m"
    keep = RULE_CASES["keep-firing-for-in-words"][1]
    assert read_rules(keep).problems == () and read_rules(keep, prometheus=(2, 41)).problems[0].code == "unknown-key"
    dashed = RULE_CASES["label-name-with-dash"][0]
    assert read_rules(dashed).problems[0].code == "label-name" and read_rules(dashed, prometheus=(3, 0)).problems == ()
    assert read_rules(RULE_CASES["invalid-record-name"][0], prometheus=(3, 0)).problems == ()
    assert read_rules(RULE_CASES["label-__name__"][0], prometheus=(3, 0)).problems  # never a rule label


def test_alertmanager_keys_follow_the_version() -> None:
    teams = "route:\n  receiver: r\nreceivers:\n- name: r\n  msteams_configs:\n  - webhook_url: http://x\n"
    (old,) = read_alertmanager(teams).problems
    assert (old.code, old.line) == ("unknown-key", 5) and "needs Alertmanager 0.26 or later" in old.message
    newer = read_alertmanager(teams, alertmanager=(0, 27))
    assert newer.problems == () and newer.value.receivers[0].integrations[0].settings == {"webhook_url": "http://x"}
    intervals = "route:\n  receiver: r\nreceivers:\n- name: r\ntime_intervals: []\n"
    assert read_alertmanager(intervals).problems == ()
    assert "needs Alertmanager 0.24" in read_alertmanager(intervals, alertmanager=(0, 23)).problems[0].message


def test_require_names_every_problem() -> None:
    with pytest.raises(UnreadableArtifact, match=r"x\.yml: line 6: .*annotaions"):
        read_rules(RULE_CASES["misspelt-key"][0]).require("x.yml")
    assert read_rules(RULE_CASES["misspelt-key"][1]).require("x.yml").groups[0].name == "latency"


def test_reader_keeps_what_it_can_read() -> None:
    """A rule with a misspelt key is still read, so the linter can check the rest of it."""
    read = read_rules(RULE_CASES["misspelt-key"][0])
    (rule,) = read.value.rules
    assert isinstance(rule, AlertingRule) and rule.alert == "HighLatency" and rule.line == 4


def test_generated_files_read_back_to_the_same_bytes() -> None:
    """Reader and writer are inverse on obsgen's own output: the typed model holds every field."""
    checked = 0
    for folder in system_dirs():
        for path in sorted(folder.glob("rules/*.yml")) + [folder / "alertmanager.yml"]:
            data = path.read_bytes()
            read = read_artifact(path.name, data, CHECKS)
            assert read.problems == (), (path, [str(p) for p in read.problems])
            header = "".join(line + "\n" for line in data.decode().splitlines()[:2])
            written = rule_file_bytes(read.value, header) if read.kind == RULES else alertmanager_bytes(read.value, header)
            assert read.kind in (RULES, ALERTMANAGER) and written == data, path
            checked += 1
    assert checked > 50, f"only {checked} files under {GENERATED}"


def test_reader_agrees_with_promtool_and_amtool_on_the_corpus() -> None:
    corpus = shared_path("corpus", "third-party rule files and Alertmanager configs")
    rule_files = sorted(p for p in corpus.glob("*/*.y*ml") if p.parent.name != "am")
    configs = sorted((corpus / "am").glob("*.y*ml"))
    assert len(rule_files) > 100 and len(configs) > 15
    disagreements = []
    verdicts = tool_verdicts([tool("promtool"), "check", "rules"], rule_files)
    verdicts.update(tool_verdicts([tool("amtool"), "check-config"], configs))
    for path, accepted in verdicts.items():
        data = path.read_bytes()
        read = read_alertmanager(data) if path in configs else read_rules(data, CHECKS)
        if accepted == bool(read.problems):
            disagreements.append(f"{path.name}: tool {'accepts' if accepted else 'refuses'}, reader says {[str(p) for p in read.problems] or 'fine'}")
    assert disagreements == []
    assert sum(not v for v in verdicts.values()) >= 10, "the corpus holds invalid configs on purpose; none were refused"
