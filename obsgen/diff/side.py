"""One side of a diff, system by system: its rules, Alertmanager configuration, dashboards,
handbook and scenarios, read from the generated files by the one reader, on demand.

Files both sides hold alike are read and parsed once (by digest) and their rules are the
same objects on both sides, so an unchanged rule pairs with itself at no cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import orjson
import yaml

from ..artifacts import AlertmanagerConfig, AlertingRule, DashboardFile
from ..artifacts.read import ALERTMANAGER, DASHBOARD, RULES, Read, read_alertmanager, read_artifact, read_dashboard
from .git_tree import Tree
from .identity import RuleEntry

ALERTMANAGER_FILE = "alertmanager.yml"
ROUTING_TESTS = "tests/routing.test.yml"
EXPORTS = "export/"  # the same artifacts in a deployment target's form (obsgen export)
TESTS = "tests/"
BATCH = 200  # files fetched from git in one go
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def is_semantic(path: str) -> bool:
    """A file read as rules, configuration or dashboard (tests and exports are counted, not read)."""
    return path.endswith((".yml", ".yaml", ".json")) and not path.startswith((TESTS, EXPORTS))


class Parsed:
    """Each distinct file parsed once, whichever side and system it is on."""

    def __init__(self) -> None:
        self._reads: dict[tuple[str, str], Read] = {}
        self._entries: dict[tuple[str, str], list[RuleEntry]] = {}

    def read(self, tree: Tree, path: str, inner: str) -> Read:
        """The file parsed; kept for the other side, except dashboards: each is compared once,
        and a fleet's dashboards parsed all at once would not fit the memory goal."""
        key = (tree.digest(path), inner)
        if key in self._reads:
            return self._reads[key]
        data = tree.read(path)
        if inner.endswith(".json"):
            return read_dashboard(data)
        read = read_alertmanager(data) if inner == ALERTMANAGER_FILE else read_artifact(inner, data)
        self._reads[key] = read
        return read

    def unread(self, tree: Tree, paths: list[tuple[str, str]]) -> list[str]:
        """The paths (full, inner) not parsed yet: worth fetching in one go."""
        return [path for path, inner in paths if (tree.digest(path), inner) not in self._reads]

    def entries(self, tree: Tree, path: str, inner: str) -> list[RuleEntry]:
        key = (tree.digest(path), inner)
        if key not in self._entries:
            read = self.read(tree, path, inner)
            found: list[RuleEntry] = []
            if read.kind == RULES and read.value is not None:
                for group in read.value.groups:
                    for rule in group.rules:
                        found.append(RuleEntry(rule, inner, group.name, len(found)))
            self._entries[key] = found
        return self._entries[key]


def load_data(data: bytes):
    """A generated test file: JSON under a comment header (YAML's superset), or YAML."""
    body = b"\n".join(line for line in data.splitlines() if not line.lstrip().startswith(b"#"))
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return yaml.load(data, Loader=_YAML_LOADER)


SCENARIOS_KEY = b'\n  "scenarios": '


def load_scenarios(data: bytes):
    """A generated routing test file, as far as its scenarios go. obsgen writes it as JSON
    indented by two with the top-level "scenarios" key last, so only the text from that key
    on is parsed: the routing cases before it run to tens of megabytes in a large fleet.
    Any other form (a file written by hand, YAML) is read whole."""
    at = data.rfind(SCENARIOS_KEY)
    if at >= 0:
        try:
            return orjson.loads(b"{" + data[at + 1:])
        except orjson.JSONDecodeError:
            pass
    return load_data(data)


@dataclass
class Side:
    """One system as one side holds it; paths are relative to the system's folder."""

    name: str
    tree: Tree | None
    parsed: Parsed
    paths: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)  # path -> why it could not be read (in full)

    def full(self, inner: str) -> str:
        return f"{self.name}/{inner}"

    def has(self, inner: str) -> bool:
        return inner in self._path_set

    @cached_property
    def _path_set(self) -> set[str]:
        return set(self.paths)

    def read(self, inner: str) -> Read:
        assert self.tree is not None, "only a side that has the file reads it"
        read = self.parsed.read(self.tree, self.full(inner), inner)
        if read.problems:
            self.problems[inner] = "; ".join(str(p) for p in read.problems[:3]) + (" ..." if len(read.problems) > 3 else "")
        return read

    def text(self, inner: str) -> str:
        if self.tree is None or not self.has(inner):
            return ""
        return self.tree.read(self.full(inner)).decode("utf-8", errors="replace")

    @cached_property
    def rule_paths(self) -> list[str]:
        """Files holding rules: those the reader recognises as rule files."""
        candidates = [p for p in self.paths if is_semantic(p) and p != ALERTMANAGER_FILE and not p.endswith(".json")]
        found = []
        for start in range(0, len(candidates), BATCH):  # a batch's bytes at a time, parsed before the next
            batch = candidates[start:start + BATCH]
            if self.tree is not None:
                self.tree.prefetch(self.parsed.unread(self.tree, [(self.full(p), p) for p in batch]))
            found += [p for p in batch if self.read(p).kind == RULES]
        return found

    @cached_property
    def rules(self) -> list[RuleEntry]:
        if self.tree is None:
            return []
        return [e for path in self.rule_paths for e in self.parsed.entries(self.tree, self.full(path), path)]

    @cached_property
    def alerts(self) -> list[RuleEntry]:
        return [e for e in self.rules if isinstance(e.rule, AlertingRule)]

    @cached_property
    def records(self) -> list[RuleEntry]:
        return [e for e in self.rules if not isinstance(e.rule, AlertingRule)]

    @cached_property
    def records_by_name(self) -> dict[str, list[RuleEntry]]:
        out: dict[str, list[RuleEntry]] = {}
        for e in self.records:
            out.setdefault(e.name, []).append(e)
        return out

    @cached_property
    def alertmanager(self) -> AlertmanagerConfig | None:
        if self.tree is None or not self.has(ALERTMANAGER_FILE):
            return None
        read = self.read(ALERTMANAGER_FILE)
        return read.value if read.kind == ALERTMANAGER else None

    def dashboard(self, inner: str) -> DashboardFile | None:
        if self.tree is None or not self.has(inner):
            return None
        read = self.read(inner)
        return read.value if read.kind == DASHBOARD else None

    @cached_property
    def scenarios(self) -> list[dict]:
        """The operator scenarios as the generated routing tests hold them: situation, time,
        the alerts that fire, and which receivers page."""
        if self.tree is None or not self.has(ROUTING_TESTS):
            return []
        try:
            data = load_scenarios(self.tree.read(self.full(ROUTING_TESTS)))
        except yaml.YAMLError as exc:
            self.problems[ROUTING_TESTS] = f"not valid YAML: {exc}"
            return []
        found = data.get("scenarios") if isinstance(data, dict) else None
        return [s for s in found or [] if isinstance(s, dict) and isinstance(s.get("scenario"), str)]


def split_systems(tree: Tree | None) -> dict[str, list[str]]:
    """Paths of a generated tree by system (the first folder); files at the top belong to none."""
    out: dict[str, list[str]] = {}
    for path in tree.paths() if tree is not None else []:
        if "/" in path:
            system, inner = path.split("/", 1)
            out.setdefault(system, []).append(inner)
    return out
