"""`obsgen test`: every generated proof of a system, run against the real tools.

Rule unit tests and scenarios (promtool), routing cases (amtool and the in-process
Alertmanager, which must agree), inhibition, muting and scenario routing (in-process).
Each failure names the definition line it comes from and says expected against got.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from ..load import LoadedSystem
from . import tools
from .routing import Alertmanager


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


def _sources(loaded: LoadedSystem) -> dict[str, str]:
    """Alert and scenario names -> the definition line that made them."""
    found = {a.name: str(a.defined_at) for a in loaded.system.alerts if a.defined_at}
    found.update({f"scenario {s.name}": str(s.defined_at) for s in loaded.system.scenarios if s.defined_at})
    return found


def _load(path: Path):
    return yaml.safe_load(path.read_text())


def _promtool_failures(result: tools.ToolResult, test_file: str, sources: dict[str, str]) -> list[Failure]:
    if result.ok:
        return []
    blocks = re.split(r"\n(?=    name: )", result.output)
    failures = []
    for block in blocks[1:] or blocks:
        name = re.search(r"name: (.*?),\n", block)
        test_name = name.group(1) if name else test_file
        key = test_name.split(":")[0] if test_name.startswith("scenario ") else test_name.split(" ")[0]
        exp = re.search(r"exp:(.*?)got:", block, re.S)
        got = re.search(r"got:(.*)", block, re.S)
        failures.append(
            Failure(
                sources.get(key, test_file),
                f"promtool: {test_name}",
                " ".join(exp.group(1).split())[:600] if exp else "the test to pass",
                " ".join(got.group(1).split())[:600] if got else block.strip()[:600],
            )
        )
    return failures


def run_system(loaded: LoadedSystem, folder: Path) -> Report:
    sources = _sources(loaded)
    failures: list[Failure] = []
    checks = 0
    rule_files = sorted((folder / "rules").glob("*.yml"))
    result = tools.check_rules(*rule_files)
    checks += 1
    if not result.ok:
        failures.append(Failure(f"{folder}/rules", "promtool check rules", "valid rule files", result.output[:800]))
    for test_file in sorted((folder / "tests").glob("*.test.yml")):
        if test_file.name == "routing.test.yml":
            continue
        checks += len(_load(test_file)["tests"])
        failures += _promtool_failures(tools.run_rule_tests(test_file), str(test_file), sources)
    config_file = folder / "alertmanager.yml"
    result = tools.check_alertmanager(config_file)
    checks += 1
    if not result.ok:
        failures.append(Failure(str(config_file), "amtool check-config", "a valid configuration", result.output[:800]))
        return Report(loaded.system.name, checks, tuple(failures))
    am = Alertmanager.read(config_file.read_bytes(), str(config_file))
    routing = _load(folder / "tests" / "routing.test.yml")
    with ThreadPoolExecutor(max_workers=4) as pool:
        resolved = list(pool.map(lambda c: tools.route_receivers(config_file, c["labels"]), routing["cases"]))
    for case, by_amtool in zip(routing["cases"], resolved):
        checks += 1
        where = sources.get(case["alert"], str(config_file))
        what = f"{case['alert']} {case['labels']['severity']} ({case['labels']['priority']}) routing"
        if by_amtool != case["receivers"]:
            failures.append(Failure(where, what + " (amtool)", ", ".join(case["receivers"]), ", ".join(by_amtool)))
        in_process = am.receivers(case["labels"])
        if in_process != by_amtool:
            failures.append(Failure(where, what + ": obsgen's matcher disagrees with amtool", ", ".join(by_amtool), ", ".join(in_process)))
    for case in routing["inhibitions"]:
        checks += 1
        got = am.notified(case["firing"], datetime.fromisoformat(case["at"]))
        if got != case["notified"]:
            failures.append(Failure(str(config_file), f"inhibition: {case['why']}", json.dumps(case["notified"]), json.dumps(got)))
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
    return Report(loaded.system.name, checks, tuple(failures))


def run_all(systems: list[LoadedSystem], root: Path) -> list[Report]:
    with ThreadPoolExecutor(max_workers=len(systems) or 1) as pool:
        return list(pool.map(lambda s: run_system(s, root / s.system.name), systems))
