"""Rule groups sized for a distributed ruler (Mimir, Cortex, Thanos).

A horizontally scaled ruler shards by rule group: each group is evaluated whole by one
replica, in order, every `interval`. Groups therefore stay under the ruler's per-group rule
limit, carry an explicit interval the ruler accepts, and are of even size: a group over the
limit is cut into the fewest near-equal parts (21 rules: 11 + 10, not 20 + 1), keeping rule
order so a recording rule still runs before the rules after it. Each SLO already has its own
recording group and its own alerting group, so SLOs spread over the replicas one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..artifacts import RuleFile, RuleGroup
from ..model.durations import parse_duration
from .targets import ExportError


@dataclass(frozen=True)
class RulerLimits:
    max_rules_per_group: int
    interval: str  # the evaluation interval of a group that sets none
    min_interval: str = "1s"


# Mimir's defaults: -ruler.max-rules-per-rule-group=20, -ruler.evaluation-interval=1m
# (Cortex has the same flags). Thanos ruler: --eval-interval=1m, no per-group limit; obsgen
# keeps its own limit of 20 (DESIGN: at most 20 rules per group).
MIMIR = RulerLimits(max_rules_per_group=20, interval="1m")
THANOS = RulerLimits(max_rules_per_group=20, interval="1m")


def _parts(group: RuleGroup, limit: int) -> list[RuleGroup]:
    count = -(-len(group.rules) // limit)
    if count <= 1:
        return [group]
    size, extra = divmod(len(group.rules), count)
    parts, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        parts.append(replace(group, name=f"{group.name}-{i + 1}", rules=group.rules[start:end]))
        start = end
    return parts


def sized_groups(rule_files: dict[str, RuleFile], limits: RulerLimits) -> list[RuleGroup]:
    """Every group of the rule files, cut to the limit, each with an explicit interval."""
    groups: list[RuleGroup] = []
    for name, rule_file in rule_files.items():
        for group in rule_file.groups:
            interval = group.interval or limits.interval
            if parse_duration(interval) < parse_duration(limits.min_interval):
                raise ExportError(f"rule file {name}, group {group.name!r}, field interval: {interval} is below what the ruler accepts ({limits.min_interval})")
            groups += _parts(replace(group, interval=interval), limits.max_rules_per_group)
    seen: set[str] = set()
    for group in groups:
        if group.name in seen:
            raise ExportError(f"rule group {group.name!r}: two groups of one namespace share the name")
        seen.add(group.name)
    return groups
