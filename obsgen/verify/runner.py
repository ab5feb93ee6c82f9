"""`obsgen test`: every generated proof of a system, run against the real tools.

It proves what is committed: generated/ must be byte for byte what the definitions
compile to (a hand edit fails, naming the file and its first edited line), and the
proofs run on generated/ itself. Rule unit tests and scenarios (promtool, one process
per test file, several at once), routing cases (amtool, once per distinct combination
of the labels the routes read, and the in-process Alertmanager on every case; they must
agree), inhibition, muting and scenario routing (in-process), and a committed mixin
evaluated back to the rules and dashboards. Each failure names the
definition line it comes from (or the generated file) and says expected against got.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import orjson
import yaml

from ..load import LoadedSystem
from ..render.writer import Difference
from . import tools
from .routing import Alertmanager

ROUTING = "routing.test.yml"
WORKERS = os.cpu_count() or 2


@dataclass(frozen=True)
class Failure:
    where: str  # definition file:line, or the generated file
    what: str
    expected: str
    got: str
    detail: str = ""

    def render(self) -> str:
        text = f"FAIL {self.where}: {self.what}\n  expected: {self.expected}\n  got:      {self.got}"
        return text + (f"\n{self.detail}" if self.detail else "")


@dataclass(frozen=True)
class Report:
    system: str
    checks: int
    failures: tuple[Failure, ...]


def read_yaml(path: Path):
    """A generated YAML file: the JSON form test files are written in (read by orjson),
    anything else with libyaml."""
    text = path.read_bytes()
    body = b"\n".join(line for line in text.split(b"\n") if not line.startswith(b"#"))
    if body.lstrip()[:1] == b"{":
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
    return yaml.load(text, Loader=yaml.CSafeLoader)


# --- generated/ is what the definitions compile to ------------------------------------------


def stale_failure(root: Path, difference: Difference) -> Failure:
    got = {"changed": f"edited by hand or stale: {difference.detail}", "missing": "missing",
           "extra": "a file obsgen does not generate", "leftover": f"beside it: {difference.detail}"}[difference.kind]
    where = root.parent / difference.path if difference.kind == "leftover" else root / difference.path
    return Failure(str(where), "generated/ is not what the definitions compile to", "the output of `obsgen generate`", got,
                   "  run `obsgen generate` (make generate) and commit the result")


# --- promtool --------------------------------------------------------------------------------


def _sources(loaded: LoadedSystem) -> dict[str, str]:
    """Alert and scenario names -> the definition line that made them."""
    found = {a.name: str(a.defined_at) for a in loaded.system.alerts if a.defined_at}
    found.update({f"scenario {s.name}": str(s.defined_at) for s in loaded.system.scenarios if s.defined_at})
    return found


def _field(pattern: str, block: str) -> str | None:
    found = re.search(pattern, block, re.S)
    return found.group(1) if found else None


def promtool_failures(result: tools.ToolResult, test_file: Path, sources: dict[str, str]) -> list[Failure]:
    """promtool's report of a failed test file, one Failure per failed check."""
    if result.ok:
        return []
    if result.timed_out:
        return [Failure(str(test_file), "promtool test rules", "an answer", result.output)]
    failures = []
    blocks = re.split(r"\n(?=\s*name: )", result.output)
    for block in blocks[1:] or blocks:
        test_name = _field(r"name: (.*?),\n", block) or test_file.name
        alertname = _field(r"alertname: (.*?),", block)
        at = _field(r"time: (\S*?),", block)
        scenario = test_name.split(":")[0] if test_name.startswith("scenario ") else None
        where = sources.get(scenario or "") or sources.get(alertname or "") or str(test_file)
        what = f"promtool: {test_name}" + (f": {alertname} at {at}" if alertname else "")
        exp, got = _field(r"exp:(.*?)got:", block), _field(r"got:(.*)", block)
        failures.append(Failure(
            where, what,
            " ".join(exp.split())[:600] if exp else "the test to pass",
            " ".join(got.split())[:600] if got else block.strip()[:600],
        ))
    return failures


def _count_checks(test_file: Path) -> int:
    try:
        tests = read_yaml(test_file).get("tests") or []
        return sum(len(t.get("alert_rule_test") or []) + len(t.get("promql_expr_test") or []) for t in tests)
    except (OSError, ValueError, yaml.YAMLError, AttributeError, TypeError):
        return 1  # promtool says what is wrong with it


def promtool_proofs(loaded: LoadedSystem, folder: Path, pool: ThreadPoolExecutor, timeout: float):
    """Start every promtool run of a system; returns a function that waits and reports."""
    rule_files = sorted((folder / "rules").glob("*.yml"))
    test_files = [p for p in sorted((folder / "tests").glob("*.test.yml")) if p.name != ROUTING]
    checked = pool.submit(tools.check_rules, *rule_files, timeout=timeout) if rule_files else None
    runs = [(p, pool.submit(tools.run_rule_tests, p, timeout)) for p in test_files]

    def report() -> tuple[int, list[Failure]]:
        failures: list[Failure] = []
        checks = 0
        if checked is not None:
            result = checked.result()
            checks += 1
            if not result.ok:
                failures.append(Failure(f"{folder}/rules", "promtool check rules", "valid rule files", result.output[:800]))
        sources = _sources(loaded)
        for test_file, run in runs:
            checks += _count_checks(test_file)
            failures += promtool_failures(run.result(), test_file, sources)
        return checks, failures

    return report


# --- a committed mixin ------------------------------------------------------------------------


def mixin_proof(folder: Path) -> tuple[int, list[Failure]]:
    """A committed mixin (export/mixin/) evaluates to the system's generated rules and dashboards."""
    from ..export.mixin_proof import prove_committed_mixin  # jsonnet, only where a system commits a mixin

    checks, mismatches = prove_committed_mixin(folder)
    return checks, [Failure(m.where, "the committed mixin is not the generated rules and dashboards", "what generated/ holds", m.what)
                    for m in mismatches]


# --- Alertmanager ----------------------------------------------------------------------------


def routing_proofs(loaded: LoadedSystem, folder: Path, pool: ThreadPoolExecutor, timeout: float) -> tuple[int, list[Failure]]:
    """amtool check-config, then every routing case; a file edited past reading is one failure naming it."""
    config_file = folder / "alertmanager.yml"
    result = tools.check_alertmanager(config_file, timeout=timeout)
    if not result.ok:
        return 1, [Failure(str(config_file), "amtool check-config", "a valid configuration", result.output[:800])]
    try:
        am = Alertmanager.read(config_file.read_bytes(), str(config_file))
    except (ValueError, KeyError, TypeError, AttributeError, yaml.YAMLError) as exc:
        return 1, [Failure(str(config_file), "obsgen's Alertmanager model", "a configuration it can read", f"{type(exc).__name__}: {exc}"[:800])]
    try:
        return _routing_cases(loaded, folder, am, pool, timeout)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, yaml.YAMLError) as exc:
        routing_file = folder / "tests" / ROUTING
        return 1, [Failure(str(routing_file), "routing cases", "the cases obsgen generates", f"unreadable: {type(exc).__name__}: {exc}"[:800])]


def _routing_cases(loaded: LoadedSystem, folder: Path, am: Alertmanager, pool: ThreadPoolExecutor, timeout: float) -> tuple[int, list[Failure]]:
    sources = _sources(loaded)
    config_file = folder / "alertmanager.yml"
    routing = read_yaml(folder / "tests" / ROUTING)
    failures: list[Failure] = []
    checks = 1
    # amtool answers once per combination of the labels the routes read: the rest cannot change its answer.
    read = am.labels_read()
    combinations = {tuple(case["labels"].get(name) for name in read): case["labels"] for case in routing["cases"]}
    keys = list(combinations)
    answers = dict(zip(keys, pool.map(lambda k: _amtool_routes(config_file, combinations[k], timeout), keys)))
    for case in routing["cases"]:
        checks += 1
        where = sources.get(case["alert"], str(config_file))
        what = f"{case['alert']} {case['labels']['severity']} ({case['labels']['priority']}) routing"
        by_amtool = answers[tuple(case["labels"].get(name) for name in read)]
        if isinstance(by_amtool, tools.ToolFailed):
            failures.append(Failure(str(config_file), what + ": amtool config routes test", "the receivers", str(by_amtool)[:800]))
            continue
        if by_amtool != case["receivers"]:
            failures.append(Failure(where, what + " (amtool)", ", ".join(case["receivers"]), ", ".join(by_amtool)))
        in_process = am.receivers(case["labels"])
        if in_process != by_amtool:
            failures.append(Failure(where, what + ": obsgen's matcher disagrees with amtool", ", ".join(by_amtool), ", ".join(in_process)))
    for case in routing["inhibitions"]:
        checks += 1
        got = am.notified(case["firing"], datetime.fromisoformat(case["at"]))
        if got != case["notified"]:
            failures.append(Failure(str(config_file), f"inhibition: {case['why']}", orjson.dumps(case["notified"]).decode(), orjson.dumps(got).decode()))
    for case in routing["muting"]:
        checks += 1
        got = am.notified([case["labels"]], datetime.fromisoformat(case["at"]))
        key = f"{case['labels']['alertname']}/{case['labels']['severity']}"
        if got[key] != case["receivers"]:
            failures.append(Failure(str(config_file), f"time intervals: {case['why']}", ", ".join(case["receivers"]) or "nobody", ", ".join(got[key]) or "nobody"))
    for case in routing["scenarios"]:
        checks += 1
        got = am.notified(case["firing"], datetime.fromisoformat(case["at"]))
        reached = sorted({r for receivers in got.values() for r in receivers})
        where = sources.get(f"scenario {case['scenario']}", str(config_file))
        if reached != case["reaches"]:
            failures.append(Failure(where, f"scenario {case['scenario']}: who is told", ", ".join(case["reaches"]) or "nobody", ", ".join(reached) or "nobody"))
        pages = any(r in case["pagers"] for r in reached)
        if pages != case["pages"]:
            failures.append(Failure(where, f"scenario {case['scenario']}: paging", "pages" if case["pages"] else "nothing pages", "pages" if pages else "nothing pages"))
    return checks, failures


def _amtool_routes(config: Path, labels: dict[str, str], timeout: float) -> list[str] | tools.ToolFailed:
    try:
        return tools.route_receivers(config, labels, timeout=timeout)
    except tools.ToolFailed as exc:
        return exc


# --- Everything ------------------------------------------------------------------------------


def run_all(systems: list[LoadedSystem], root: Path, stale: list[Difference] | None = None, timeout: float = tools.TIMEOUT) -> list[Report]:
    """Prove each system's folder under root. stale: how root differs from what the
    definitions compile to (None: not compared); each difference is a failure."""
    for tool in ("promtool", "amtool"):
        tools.require(tool)
    by_system: dict[str, list[Failure]] = {}
    for difference in stale or []:
        owner = difference.path.split("/", 1)[0] if difference.kind != "leftover" and "/" in difference.path else root.name
        by_system.setdefault(owner, []).append(stale_failure(root, difference))
    reports = []
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        pending = [(loaded, promtool_proofs(loaded, root / loaded.system.name, pool, timeout)) for loaded in systems]
        for loaded, promtool_report in pending:
            folder = root / loaded.system.name
            failures = by_system.pop(loaded.system.name, [])
            checks = 1 if stale is not None else 0
            routing_checks, routing_failures = 0, list[Failure]()
            if (folder / "alertmanager.yml").is_file():  # else: reported missing above
                routing_checks, routing_failures = routing_proofs(loaded, folder, pool, timeout)
            promtool_checks, promtool_found = promtool_report()
            mixin_checks, mixin_found = mixin_proof(folder)
            reports.append(Report(loaded.system.name, checks + routing_checks + promtool_checks + mixin_checks,
                                  tuple(failures + promtool_found + routing_failures + mixin_found)))
    for owner, failures in sorted(by_system.items()):  # outside every system's folder
        reports.append(Report(owner, len(failures), tuple(failures)))
    return reports
