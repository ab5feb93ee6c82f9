"""Is a generated rule the source's rule? The check the importer holds itself to.

An imported threshold alert compiles to `record{system="S"} > 0.9`, with the recording
rule `record: <the source's left side>`; put the recorded expression back in place of
its selector and it must print as the source's expression does. The `for`, the source's
labels and annotations must be there with the same values (obsgen adds its own).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..artifacts import AlertingRule, RecordingRule, RuleFile
from ..promql import Binary, Node, Number, Selector, parse
from ..promql.rewrite import map_selectors


FLIPPED = {">": "<", "<": ">", ">=": "<=", "<=": ">="}


def canonical(node: Node) -> Node:
    """A threshold comparison lifted to the top, where the importer reads it.

    `number OP expr` is `expr OP' number`: Prometheus keeps the vector's value either way.
    `(expr OP number) and gate` is `(expr and gate) OP number`, and so for `unless`: the set
    operator and the comparison each only drop series of the left side, keeping its values,
    so either order keeps the same series with the same values."""
    if not isinstance(node, Binary) or node.bool_:
        return node
    if node.op in FLIPPED and isinstance(node.lhs, Number) and not isinstance(node.rhs, Number):
        return Binary(FLIPPED[node.op], node.rhs, node.lhs)
    if node.op in ("and", "unless"):
        left = canonical(node.lhs)
        if isinstance(left, Binary) and left.op in FLIPPED and not left.bool_ and isinstance(left.rhs, Number) and not isinstance(left.lhs, Number):
            return Binary(left.op, replace(node, lhs=left.lhs), left.rhs)
    return node


def recorded_exprs(files: list[RuleFile], system: str) -> dict[str, Node]:
    """Each series a system records with only its system label, to put back where it is read."""
    found: dict[str, Node] = {}
    for rule_file in files:
        for rule in rule_file.recording:
            if dict(rule.labels) == {"system": system}:
                found[rule.record] = parse(rule.expr)
    return found


def inlined(expr: str, recorded: Mapping[str, Node], system: str) -> str:
    """expr with every `record{system="S"}` replaced by what the record records, printed."""

    def back(selector: Selector) -> Node:
        only_system = [(m.name, m.op, m.value) for m in selector.matchers] == [("system", "=", system)]
        if selector.name is not None and selector.name in recorded and only_system and selector.range is None and not selector.offset and selector.at is None:
            return recorded[selector.name]
        return selector

    return str(canonical(map_selectors(parse(expr), back)))


def alert_difference(source: AlertingRule, generated: AlertingRule, recorded: Mapping[str, Node], system: str) -> str | None:
    """Why the generated alert is not the source's, or None when it is."""
    if source.alert != generated.alert:
        return f"name {generated.alert!r} is not {source.alert!r}"
    want, got = str(canonical(parse(source.expr))), inlined(generated.expr, recorded, system)
    if want != got:
        return f"expression {got!r} is not {want!r}"
    if source.for_seconds != generated.for_seconds:
        return f"for {generated.for_ or '0s'} is not {source.for_ or '0s'}"
    if (source.keep_firing_for or None) != (generated.keep_firing_for or None):
        return f"keep_firing_for {generated.keep_firing_for} is not {source.keep_firing_for}"
    for what, want_map, got_map in (("label", source.labels, generated.labels), ("annotation", source.annotations, generated.annotations)):
        for key, value in want_map.items():
            if got_map.get(key) != value:
                return f"{what} {key} is {got_map.get(key)!r}, not {value!r}"
    return None


def recording_difference(source: RecordingRule, generated: RecordingRule, system: str) -> str | None:
    """Why a generated recording rule does not record what the source's does, or None."""
    if source.record != generated.record:
        return f"record {generated.record!r} is not {source.record!r}"
    if str(parse(source.expr)) != str(parse(generated.expr)):
        return f"expression {generated.expr!r} is not {source.expr!r}"
    extra = {k: v for k, v in generated.labels.items() if not (k == "system" and v == system and k not in source.labels)}
    if extra != dict(source.labels):
        return f"labels {dict(generated.labels)} are not {dict(source.labels)}"
    return None
