"""Checks across files: recorded metrics exist, and runbook, dashboard and handbook links
land somewhere real.

A link can only be checked against what the run read: dashboard links need the
dashboards in the run, metric names need recording rules in it. Remote documents are
checked when a Markdown file of the same name is in the run or on disk next to the rules.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from . import anchors, promql
from .dashboards import target_exprs
from .findings import ERROR, INFO, WARNING, Collector, Finding, rule
from .rules import alert_rules, recorded_names, rule_exprs
from .sources import DashboardFile, DashboardSummary, MarkdownFile, RuleFile, Sources

UNKNOWN_METRIC = rule("links/unknown-recorded-metric", WARNING, "A recorded series (level:metric:op) read by a rule or panel that no rule in the run records, and that is a near miss of one that is (a typo); otherwise info.")
RUNBOOK = rule("links/runbook-url", ERROR, "A runbook_url whose document or heading anchor does not exist.")
DASHBOARD_URL = rule("links/dashboard-url", ERROR, "A dashboard_url whose dashboard uid or viewPanel is not in the run's dashboards.")
DASHBOARD_LINK = rule("links/dashboard-link", ERROR, "A link in a dashboard or Markdown document to a dashboard uid or panel that does not exist.")
MARKDOWN_ANCHOR = rule("links/markdown-anchor", ERROR, "A Markdown link to a heading anchor (#...) or local document that does not exist.")
RELATIVE_URL = rule("links/relative-url", ERROR, "A runbook_url or dashboard_url that is not an absolute http(s) URL: it does not open from a Slack or PagerDuty notification.")
NOTIFICATION_LINKS = ("runbook_url", "dashboard_url")

DASHBOARD_PATH = re.compile(r"/d(?:-solo)?/([^/?#]+)")
TYPO_CHARACTERS = 2  # a recorded name this close to a known one is a typo of it
MAX_PARENTS = 5  # rules/ -> <system>/ -> generated/, or export/<target>/<kind>/ -> <system>/ when an export is linted: how far up a relative runbook is looked for


@dataclass
class Documents:
    """Markdown documents by resolved path, with their anchors computed once."""

    texts: dict[Path, str]
    _anchors: dict[Path, set[str]]
    _found: dict[Path, Path | None]

    @classmethod
    def of(cls, markdown: list[MarkdownFile]) -> "Documents":
        return cls({m.path.resolve(): m.text for m in markdown}, {}, {})

    def find(self, path: Path) -> Path | None:
        """The document at `path` (read from disk if the run did not), remembered per path."""
        if path not in self._found:
            self._found[path] = self._find(path)
        return self._found[path]

    def _find(self, path: Path) -> Path | None:
        path = path.resolve()
        if path in self.texts:
            return path
        if path.suffix.lower() == ".md" and path.is_file():
            self.texts[path] = path.read_text(encoding="utf-8", errors="replace")
            return path
        return None

    def by_name(self, name: str) -> list[Path]:
        return [p for p in self.texts if p.name == name]

    def anchors(self, path: Path) -> set[str]:
        if path not in self._anchors:
            self._anchors[path] = anchors.anchors(self.texts[path])
        return self._anchors[path]


def _hint(name: str, known) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _is_remote(parts) -> bool:
    return bool(parts.scheme or parts.netloc)


@lru_cache(maxsize=4096)
def _folders(rule_file: Path) -> list[Path]:
    """Where a rule file's relative runbooks are looked for: its folder and a few above."""
    resolved = rule_file.resolve()
    return [resolved.parent, *list(resolved.parents)[1:MAX_PARENTS]]


def _runbook_document(url: str, rule_file: Path, docs: Documents) -> tuple[Path | None, str | None]:
    """(the document, None) or (None, why it was not found); (None, None): not checkable."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    folders = _folders(rule_file)
    if _is_remote(parts):
        name = Path(path).name
        for folder in folders:
            found = docs.find(folder / name) if name.endswith(".md") else None
            if found:
                return found, None
        named = docs.by_name(name) if name.endswith(".md") else []
        return (named[0], None) if len(named) == 1 else (None, None)
    if not path:
        return None, "it has no document"
    for folder in folders:
        found = docs.find(folder / path)
        if found:
            return found, None
    return None, f"{path} is not found next to the rule file or in its {MAX_PARENTS - 1} parent folders"


def _check_anchor(out: Collector, which, docs: Documents, document: Path, fragment: str, url: str, line, subject: str) -> None:
    if fragment and document.suffix.lower() == ".md":
        known = docs.anchors(document)
        if unquote(fragment) not in known:
            out.add(which, f"{url}: {document.name} has no heading with anchor #{fragment}{_hint(fragment, known)}", line, subject)


def _check_absolute(out: Collector, source: RuleFile) -> None:
    """Links an alert carries into notifications open from anywhere: scheme and host."""
    for name, _, annotations, line in alert_rules(source):
        for key in NOTIFICATION_LINKS:
            url = annotations.get(key)
            if not isinstance(url, str) or url.lstrip().startswith("{{"):
                continue  # a templated base (e.g. {{ $externalURL }}) is the deployment's to fill
            parts = urlsplit(url.strip())
            if parts.scheme not in ("http", "https") or not parts.netloc:
                out.add(RELATIVE_URL, f"{key} {url!r} is not an absolute http(s) URL: a notification cannot open it", line, name)


def _check_runbooks(out: Collector, source: RuleFile, docs: Documents) -> None:
    for name, _, annotations, line in alert_rules(source):
        url = annotations.get("runbook_url")
        if not url or "{{" in url:
            continue
        document, problem = _runbook_document(url, source.path, docs)
        if problem:
            out.add(RUNBOOK, f"{url}: {problem}", line, name)
        elif document is not None:
            _check_anchor(out, RUNBOOK, docs, document, urlsplit(url).fragment, url, line, name)


def _dashboard_problem(url: str, dashboards: dict[str, frozenset[str]]) -> str | None:
    """Why a link to a dashboard (and panel) lands nowhere; `dashboards` maps uid to panel ids."""
    parts = urlsplit(url)
    match = DASHBOARD_PATH.search(parts.path)
    if not match:
        return None
    uid = unquote(match.group(1))
    if uid not in dashboards:
        return f"{url}: no dashboard with uid {uid!r} in the run{_hint(uid, dashboards)}"
    for value in parse_qs(parts.query).get("viewPanel", []):
        panel = value.removeprefix("panel-")
        ids = dashboards[uid]
        if panel not in ids:
            return f"{url}: dashboard {uid!r} has no panel with id {panel} (it has {', '.join(sorted(ids, key=lambda i: (len(i), i)))})"
    return None


def _check_dashboard_urls(out: Collector, source: RuleFile, dashboards: dict[str, frozenset[str]]) -> None:
    for name, _, annotations, line in alert_rules(source):
        url = annotations.get("dashboard_url")
        if url and "{{" not in url:
            problem = _dashboard_problem(url, dashboards)
            if problem:
                out.add(DASHBOARD_URL, problem, line, name)


def _check_dashboard_links(out: Collector, source: DashboardSummary, dashboards: dict[str, frozenset[str]]) -> None:
    for url, subject in source.links:
        problem = _dashboard_problem(url, dashboards) if isinstance(url, str) and dashboards else None
        if problem:
            out.add(DASHBOARD_LINK, problem, 1, subject)


def _check_markdown(out: Collector, source: MarkdownFile, docs: Documents, dashboards: dict[str, frozenset[str]]) -> None:
    here = source.path.resolve()
    for line, target in anchors.links(source.text):
        parts = urlsplit(target)
        if dashboards and DASHBOARD_PATH.search(parts.path):
            problem = _dashboard_problem(target, dashboards)
            if problem:
                out.add(DASHBOARD_LINK, problem, line)
            continue
        if _is_remote(parts) or target.startswith("mailto:"):
            continue
        document = here if not parts.path else docs.find(here.parent / unquote(parts.path))
        if document is None:
            if parts.path.lower().endswith(".md") and not (here.parent / unquote(parts.path)).exists():
                out.add(MARKDOWN_ANCHOR, f"{target}: {parts.path} does not exist", line)
            continue
        _check_anchor(out, MARKDOWN_ANCHOR, docs, document, parts.fragment, target, line, "")


def _near_miss(name: str, known: str) -> bool:
    if abs(len(name) - len(known)) > TYPO_CHARACTERS:
        return False
    changes = difflib.SequenceMatcher(None, name, known, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in changes if tag != "equal") <= TYPO_CHARACTERS


def _check_metrics(out: Collector, exprs, recorded: set[str]) -> None:
    """A recorded series nobody records here: a warning when it is a near miss of one that is
    (a typo); otherwise it may be recorded by rules outside the run, so only info."""
    for subject, expr, line in exprs:
        for name in sorted(n for n in promql.metric_names(expr) if ":" in n and n not in recorded):
            typo = any(_near_miss(name, known) for known in recorded)
            out.add(UNKNOWN_METRIC, f"{name} is recorded by no recording rule in the run{_hint(name, recorded)}", line, subject, severity=None if typo else INFO)


def recorded_in(rule_files: list[RuleFile]) -> set[str]:
    """Every series the run's recording rules record."""
    return {name for r in rule_files for name in recorded_names(r)}


def check_dashboard_metrics(dashboard: DashboardFile, recorded: set[str]) -> list[Finding]:
    """The recorded series a dashboard's queries read, checked while its tree is at hand
    (check_links sees only its summary)."""
    out = Collector(dashboard.display)
    if recorded:
        _check_metrics(out, ((title, expr, None) for title, expr in target_exprs(dashboard.dashboard)), recorded)
    return out.findings


def check_links(sources: Sources) -> list[Finding]:
    """Links across the run's files, once every dashboard was read (Sources.read_dashboards)."""
    findings: list[Finding] = []
    docs = Documents.of(sources.markdown)
    dashboards = {d.uid: d.panel_ids for d in sources.dashboards if isinstance(d.uid, str)}
    recorded = recorded_in(sources.rules)
    for source in sources.rules:
        out = Collector(source.display)
        _check_absolute(out, source)
        _check_runbooks(out, source, docs)
        if dashboards:
            _check_dashboard_urls(out, source, dashboards)
        if recorded:
            _check_metrics(out, rule_exprs(source), recorded)
        findings += out.findings
    for dashboard in sources.dashboards:
        out = Collector(dashboard.display)
        _check_dashboard_links(out, dashboard, dashboards)
        findings += out.findings
    for markdown in sources.markdown:
        out = Collector(markdown.display)
        _check_markdown(out, markdown, docs, dashboards)
        findings += out.findings
    return findings
