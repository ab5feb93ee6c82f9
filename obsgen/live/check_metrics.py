"""A real exporter's dump against what the definitions read: missing metrics, wrong types.

The dump is parsed with prometheus-client's parser (text format, or OpenMetrics when it
ends with `# EOF`). For each metric a rule reads, the dump must have it, with a type
that fits the use: a counter where the rule takes rate()/increase(), a histogram where
it takes histogram_quantile() of `_bucket`, and not a counter where the rule reads the
value as is (a counter used as a gauge). A histogram without the bucket an SLO reads
at its threshold is an error. Other label matchers are checked only on labels the
dumped metric has: job, instance and Kubernetes labels are added by the scrape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families
from prometheus_client.parser import text_string_to_metric_families

from .metrics import COUNTER, GAUGE, HISTOGRAM, PRESENCE, Use, families, raw_uses
from .rules import RuleSet

ERROR, WARNING = "error", "warning"
_SAMPLE_LINE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s")


@dataclass(frozen=True)
class Dump:
    """Sample names with the type of the family they belong to, and their label sets."""

    types: dict  # sample name -> family type (counter, gauge, histogram, summary, unknown...)
    samples: dict  # sample name -> list of label dicts


@dataclass(frozen=True)
class Finding:
    severity: str
    kind: str  # missing, type, bucket, labels
    metric: str
    message: str
    rules: tuple[str, ...]

    def render(self) -> str:
        readers = ", ".join(self.rules[:3]) + ("..." if len(self.rules) > 3 else "")
        return f"{self.severity:7} {self.kind:7} {self.metric}: {self.message} (read by {readers})"


class DumpError(ValueError):
    pass


def parse_dump(text: str) -> Dump:
    """Types and label sets per sample name, from prometheus-client's parser."""
    openmetrics = text.rstrip().endswith("# EOF")
    try:
        parsed = list(openmetrics_families(text) if openmetrics else text_string_to_metric_families(text))
    except Exception as exc:  # noqa: BLE001 - the parser raises plain ValueError/KeyError
        raise DumpError(f"not a Prometheus exposition: {exc}") from None
    raw_names = {m.group(1) for line in text.splitlines() if (m := _SAMPLE_LINE.match(line)) and not line.startswith("#")}
    types: dict[str, str] = {}
    samples: dict[str, list[dict]] = {}
    for fam in parsed:
        # The parser renames a counter's samples to <family>_total; the dump may not have.
        candidates = {
            "counter": (fam.name, f"{fam.name}_total", f"{fam.name}_created"),
            "histogram": (f"{fam.name}_bucket", f"{fam.name}_sum", f"{fam.name}_count", f"{fam.name}_created"),
            "gaugehistogram": (f"{fam.name}_bucket", f"{fam.name}_gsum", f"{fam.name}_gcount"),
            "summary": (fam.name, f"{fam.name}_sum", f"{fam.name}_count", f"{fam.name}_created"),
        }.get(fam.type, (fam.name,))
        for sample in fam.samples:
            name = sample.name
            if name not in raw_names and fam.type == "counter":
                name = next((c for c in candidates if c in raw_names), name)
            types.setdefault(name, fam.type)
            samples.setdefault(name, []).append(dict(sample.labels))
        for name in candidates:
            if name in raw_names:
                types.setdefault(name, fam.type)
    return Dump(types, samples)


def _fits(usage: str, name: str, dumped: str) -> bool:
    if dumped in ("unknown", "untyped") or usage == PRESENCE:
        return True
    if usage == HISTOGRAM:
        return dumped in ("histogram", "gaugehistogram")
    if usage == COUNTER:
        if name.endswith(("_bucket", "_sum", "_count")) and dumped in ("histogram", "summary"):
            return True
        return dumped == "counter"
    # read as a gauge: anything but a counter, or a histogram's or summary's counters
    if dumped == "summary":
        return not name.endswith(("_sum", "_count"))
    return dumped not in ("counter", "histogram")


def _bound(le: str) -> float:
    try:
        return float(le)
    except ValueError:
        return float("inf")


def check(rules: RuleSet, dump: Dump) -> list[Finding]:
    """Findings for one system's rules against one dump, errors first."""
    uses = [u for u in raw_uses(rules) if u.name not in ("up",)]
    fams = families(uses)
    by_name: dict[str, list[Use]] = {}
    for use in uses:
        if use.name.startswith("scrape_"):
            continue
        by_name.setdefault(use.name, []).append(use)
    findings: list[Finding] = []
    for name, name_uses in sorted(by_name.items()):
        readers = tuple(dict.fromkeys(u.rule for u in name_uses))
        usages = {u.usage for u in name_uses}
        expected = HISTOGRAM if HISTOGRAM in usages else (COUNTER if COUNTER in usages else GAUGE)  # for the message
        if name not in dump.types:
            fam = next((f for f in fams.values() if name in f.samples), None)
            kind = fam.kind if fam else expected
            findings.append(Finding(ERROR, "missing", name, f"not in the dump (the definitions read it as a {kind})", readers))
            continue
        dumped = dump.types[name]
        for usage in sorted(usages):
            if not _fits(usage, name, dumped):
                what = {
                    COUNTER: f"the dump says {dumped} but rules take rate()/increase() of it (a {dumped} used as a counter)",
                    HISTOGRAM: f"the dump says {dumped} but rules take histogram_quantile() of it (a {dumped} used as a histogram)",
                    GAUGE: f"the dump says {dumped} but rules read its value without rate()/increase() (a {dumped} used as a gauge)",
                }[usage]
                users = tuple(dict.fromkeys(u.rule for u in name_uses if u.usage == usage))
                findings.append(Finding(ERROR, "type", name, what, users))
        present = dump.samples.get(name, [])
        lacking: dict[str, list[str]] = {}  # the le matcher a histogram has no bucket for -> rules
        for use in name_uses:
            matchers = [m for m in use.matchers if m.name not in ("job", "instance") and any(m.name in s for s in present)]
            if not present or not matchers or any(all(m.matches(s.get(m.name, "")) for m in matchers) for s in present):
                continue
            text = ", ".join(str(m) for m in matchers)
            le = [m for m in matchers if m.name == "le"]
            if name.endswith("_bucket") and le and any(all(m.matches(s.get(m.name, "")) for m in matchers if m.name != "le") for s in present):
                # A histogram has every bucket from its first sample: the threshold's bucket is not one of them.
                lacking.setdefault(str(le[0]), []).append(use.rule)
            else:
                findings.append(Finding(WARNING, "labels", name, f"no series matches {{{text}}} (yet: a counter may start at its first event)", (use.rule,)))
        bucket_bounds = sorted({s.get("le", "") for s in present}, key=_bound)
        for matcher, bucket_readers in lacking.items():
            findings.append(Finding(ERROR, "bucket", name, f"no bucket {matcher}: the histogram's buckets are {', '.join(bucket_bounds)}; "
                                    "add the threshold to its buckets, or move the SLO's threshold to one of them", tuple(dict.fromkeys(bucket_readers))))
    findings = list(dict.fromkeys(findings))
    return sorted(findings, key=lambda f: (f.severity != ERROR, f.kind, f.metric))
