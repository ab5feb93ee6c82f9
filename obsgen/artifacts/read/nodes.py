"""YAML as the Go loaders see it: composed once by libyaml, walked with line numbers.

Prometheus (yaml.v3) and Alertmanager (yaml.v2) decode into Go structs, strictly: a key
the struct does not have, a key given twice, a list where a mapping belongs are errors.
Walking the composed nodes (not PyYAML's Python values) keeps each value's line and its
text as written, so `team: on` stays "on" and `version: 1.10` stays "1.10", as in Go.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field

import yaml

from ...promql.functions import Version

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml (C) where PyYAML was built with it
NULL = "tag:yaml.org,2002:null"
MERGE = "tag:yaml.org,2002:merge"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
_GO_DURATION = re.compile(r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$")
LABEL_NAME_PATTERN = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
METRIC_NAME_PATTERN = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")


# What kind of problem a Problem is (Problem.code), so a caller can sort them (lint's rule ids).
SYNTAX = "syntax"  # not YAML or JSON at all
DUPLICATE_KEY = "duplicate-key"  # a key given twice in one mapping
UNKNOWN_KEY = "unknown-key"  # a key the loader does not know, or not in this version
STRUCTURE = "structure"  # a value of the wrong kind, a name or expr missing
DURATION = "duration"  # not a Prometheus duration
VALUE = "value"  # a URL, address or setting of the right kind that the loader refuses
LABEL_NAME = "label-name"  # an invalid label or annotation name
RECORD_NAME = "record-name"  # an invalid recording rule name, or a recording rule with alert fields
DUPLICATE_GROUP = "duplicate-group"  # two rule groups of one name
EXPR = "expr"  # PromQL the RuleChecks hook refuses
TEMPLATE = "template"  # a Go template the RuleChecks hook refuses
RECEIVER = "receiver"  # a receiver undefined, unnamed or defined twice
MATCHER = "matcher"  # a matcher or regular expression Alertmanager cannot parse
TIME_INTERVAL = "time-interval"  # a time interval malformed, undefined or defined twice
INTEGRATION = "integration"  # a notification integration without what it cannot go without
ROOT_ROUTE = "root-route"  # what the root route cannot have or must have
GROUP_BY = "group-by"  # a group_by label repeated, invalid, or '...' with others


@dataclass(frozen=True)
class Problem:
    """Why a real loader would refuse the file, and where."""

    line: int | None  # 1-based; None when the file as a whole is at fault
    where: str  # the path in the document: 'groups[0].rules[2].for'
    message: str
    subject: str = ""  # the rule, group, receiver or route the problem is about
    code: str = STRUCTURE  # what kind of problem: one of the constants above

    def __str__(self) -> str:
        at = f"line {self.line}: " if self.line else ""
        return f"{at}{self.where + ': ' if self.where else ''}{self.message}"


def version_text(version: Version) -> str:
    return f"{version[0]}.{version[1]}"


def line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def compose(data: bytes | str) -> yaml.Node | None:
    """The first document's node tree (None for an empty file); yaml.YAMLError when it is not YAML.

    Go's decoders read the first document of a stream and ignore the rest.
    """
    for document in yaml.compose_all(data, Loader=YAML_LOADER):
        return document
    return None


def compose_documents(data: bytes | str) -> list[yaml.Node | None]:
    """Every document's node tree, for streams of several manifests (kubectl's `---`)."""
    return list(yaml.compose_all(data, Loader=YAML_LOADER))


def syntax_problem(exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    problem = getattr(exc, "problem", None)
    message = f"not valid YAML: {problem or first}"
    return Problem(mark.line + 1 if mark is not None else None, "", message, code=SYNTAX)


def is_null(node: yaml.Node | None) -> bool:
    return node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL)


def peek(node: yaml.Node, key: str) -> str:
    """A scalar field's text before the mapping is checked: the subject of its problems ("" if none)."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.ScalarNode):
                return v.value
    return ""


def kind_name(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"{node.value!r}"


def go_duration_problem(text: str) -> str | None:
    """Why Prometheus' model.ParseDuration refuses text, or None."""
    if text == "0":
        return None
    if text == "":
        return "empty duration string"
    if not _GO_DURATION.match(text):
        return f"not a valid duration string: {text!r} (write e.g. 30s, 5m, 1h30m)"
    return None


def is_zero(duration: str | None) -> bool:
    """An unset duration, or one of zero length ("0", "0s", "0m")."""
    if duration is None or duration == "0":
        return True
    match = _GO_DURATION.match(duration)
    return match is not None and not any(int(part) for part in match.groups() if part)


def hint(name: str, known) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_key_message(name: str, known, what: str) -> str:
    """As lint has always said it: the closest known key, or the keys there are."""
    close = difflib.get_close_matches(name, sorted(known), n=1)
    where = f" in {what}" if what else ""
    if close:
        return f"unknown key {name!r}{where}; did you mean {close[0]}?"
    return f"unknown key {name!r}{where}; the keys of {what or 'this mapping'} are {', '.join(sorted(known))}"


@dataclass
class Walker:
    """Collects problems while a reader walks the nodes of one document."""

    problems: list[Problem] = field(default_factory=list)

    def report(self, node: yaml.Node | None, where: str, message: str, subject: str = "", code: str = STRUCTURE) -> None:
        self.problems.append(Problem(line(node), where, message, subject, code))

    def report_at(self, line_no: int | None, where: str, message: str, subject: str = "", code: str = STRUCTURE) -> None:
        self.problems.append(Problem(line_no, where, message, subject, code))

    def pairs(self, node: yaml.Node, where: str) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
        """(key text, key node, value node) of a mapping, merge keys (<<) expanded."""
        for key, value in node.value:
            if key.tag == MERGE:
                sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
                for source in sources:
                    if isinstance(source, yaml.MappingNode):
                        yield from self.pairs(source, where)
                continue
            if not isinstance(key, yaml.ScalarNode):
                self.report(key, where, f"a key must be a scalar, not {kind_name(key)}")
                continue
            yield key.value, key, value

    def mapping(
        self, node: yaml.Node | None, where: str, known: Collection[str] | None = None, what: str = "", subject: str = "",
        later: Mapping[str, str] | None = None,
    ) -> dict[str, yaml.Node]:
        """A mapping's values by key: each key once, and (when known is given) only known keys.

        `later` names the keys a later version of the loader knows, with why this one
        refuses them ("needs Prometheus 2.53 or later"). null reads as an empty mapping, as
        in Go; anything else that is not a mapping is a problem.
        """
        if is_null(node):
            return {}
        assert node is not None
        if not isinstance(node, yaml.MappingNode):
            self.report(node, where, f"must be a mapping{' (' + what + ')' if what else ''}, not {kind_name(node)}", subject)
            return {}
        out: dict[str, yaml.Node] = {}
        first_line: dict[str, int | None] = {}
        for name, key, value in self.pairs(node, where):
            path = f"{where}.{name}" if where else name
            if name in out or name in first_line:
                self.report(key, path, f"key {name!r} is written twice in the same mapping (first on line {first_line[name]})", subject, DUPLICATE_KEY)
                continue
            first_line[name] = line(key)
            if known is not None and name not in known:
                if later and name in later:
                    self.report(key, path, f"{name} {later[name]}", subject, UNKNOWN_KEY)
                else:
                    self.report(key, path, unknown_key_message(name, known, what), subject, UNKNOWN_KEY)
                continue
            out[name] = value
        return out

    def sequence(self, node: yaml.Node | None, where: str, what: str = "", subject: str = "") -> list[yaml.Node]:
        if is_null(node):
            return []
        assert node is not None
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, where, f"must be a list{' of ' + what if what else ''}, not {kind_name(node)}", subject)
            return []
        return list(node.value)

    def text(self, node: yaml.Node | None, where: str, subject: str = "") -> str | None:
        """A scalar's text as Go decodes it into a string ("" for null); None if not a scalar."""
        if is_null(node):
            return ""
        assert node is not None
        if not isinstance(node, yaml.ScalarNode):
            self.report(node, where, f"must be a single value, not {kind_name(node)}", subject)
            return None
        return node.value

    def texts(self, node: yaml.Node | None, where: str, subject: str = "") -> list[str]:
        out = []
        for i, item in enumerate(self.sequence(node, where, subject=subject)):
            value = self.text(item, f"{where}[{i}]", subject)
            if value is not None:
                out.append(value)
        return out

    def text_map(self, node: yaml.Node | None, where: str, what: str, subject: str = "",
                 check_key: Callable[[str], str | None] | None = None) -> dict[str, str]:
        """A map of strings (labels, annotations, headers); check_key says why a key is invalid."""
        out: dict[str, str] = {}
        if is_null(node):
            return out
        assert node is not None
        if not isinstance(node, yaml.MappingNode):
            self.report(node, where, f"{what} must be a mapping of names to values, not {kind_name(node)}", subject)
            return out
        for name, key, value in self.pairs(node, where):
            path = f"{where}.{name}"
            if name in out:
                self.report(key, path, f"key {name!r} is written twice in the same mapping", subject, DUPLICATE_KEY)
                continue
            why = check_key(name) if check_key else None
            if why:
                self.report(key, path, why, subject, LABEL_NAME)
            text = self.text(value, path, subject)
            if text is not None:
                out[name] = text
        return out

    def duration(self, node: yaml.Node | None, where: str, subject: str = "") -> str | None:
        """A duration as written (an invalid one too, reported), or None when unset."""
        if is_null(node):
            return None
        text = self.text(node, where, subject)
        if text is None:
            return None
        why = go_duration_problem(text)
        if why:
            self.report(node, where, why, subject, DURATION)
        return text

    def integer(self, node: yaml.Node | None, where: str, subject: str = "") -> int | None:
        if is_null(node):
            return None
        assert node is not None
        if isinstance(node, yaml.ScalarNode) and re.fullmatch(r"[-+]?(0|[1-9][0-9_]*)", node.value):
            return int(node.value.replace("_", ""))
        self.report(node, where, f"must be a whole number, not {kind_name(node)}", subject)
        return None

    def boolean(self, node: yaml.Node | None, where: str, subject: str = "") -> bool | None:
        if is_null(node):
            return None
        assert node is not None
        if isinstance(node, yaml.ScalarNode) and node.tag == BOOL:
            return node.value.lower() in ("true", "yes", "on", "y")
        self.report(node, where, f"must be true or false, not {kind_name(node)}", subject)
        return None


UTF8_NAMES: Version = (3, 0)  # Prometheus takes any UTF-8 label and metric name from 3.0


def label_name_problem(name: str, utf8: bool = False, what: str = "label") -> str | None:
    """Why a label (or annotation) name is invalid: a classic name, or with utf8 any non-empty one."""
    if utf8:
        return None if name else f"an empty {what} name"
    if not LABEL_NAME_PATTERN.match(name):
        return f"invalid {what} name {name!r}: use letters, digits and underscores, not starting with a digit"
    return None
