"""Every link an operator can click in a handbook or on a dashboard opens something obsgen
generated (a dashboard, one of its panels, a handbook section, the system's Alertmanager) or
an absolute URL the definitions declare as external. Commands in code spans are not links.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import GENERATED
from obsgen.lint import anchors

URL = re.compile(r"(?:https?|wss?)://[^\s)\"'`<>|]+|(?<![\w/.])/d/[\w-]+(?:\?viewPanel=\d+)?")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
MARKDOWN_LINK = re.compile(r"\]\((#[^)\s]+)\)")


def _panels(panels):
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))


def _urls(text: str) -> list[str]:
    return [u.rstrip(".,:;") for u in URL.findall(CODE.sub(" ", text))]


def _dashboards(name: str) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in (GENERATED / name / "dashboards").glob("*.json")}


def _clickable(name: str) -> list[tuple[str, str]]:
    """(where, url) for every link of the system's handbook and dashboards."""
    found = [("handbook.md", u) for u in _urls((GENERATED / name / "handbook.md").read_text())]
    for uid, dashboard in _dashboards(name).items():
        found += [(f"{uid} links", link["url"]) for link in dashboard["links"]]
        found += [(f"{uid} description", u) for u in _urls(dashboard.get("description", ""))]
        for panel in _panels(dashboard["panels"]):
            where = f"{uid} panel {panel.get('title')!r}"
            found += [(where, link["url"]) for link in panel.get("links", [])]
            found += [(where, u) for u in _urls(panel.get("description", ""))]
    return found


def _problem(system, url: str, dashboards: dict[str, dict], handbook_anchors: set[str]) -> str | None:
    parts = urlsplit(url)
    base = system.grafana_base_url
    if parts.path.startswith("/d/") and (not parts.netloc or url.startswith(f"{base}/d/")):
        uid = parts.path.split("/")[2]
        if uid not in dashboards:
            return f"dashboard {uid!r} is not generated"
        for panel_id in parse_qs(parts.query).get("viewPanel", []):
            if int(panel_id) not in {p.get("id") for p in _panels(dashboards[uid]["panels"])}:
                return f"dashboard {uid!r} has no panel {panel_id}"
        return None
    if system.alertmanager_url and url.startswith(system.alertmanager_url):
        return None
    if system.runbook_base_url and url.startswith(system.runbook_base_url):
        section = parts.fragment
        return None if not section or section in handbook_anchors else f"the handbook has no section #{section}"
    for external in system.externals:
        if url == external.url or url.startswith(external.url.rstrip("/") + "/"):
            return None
    return "neither generated nor declared as an External of the system"


@pytest.mark.parametrize("name", ["bondx", "dex", "surveillance", "trading-engine", "trading-stack"])
def test_every_link_opens_something_generated_or_declared(systems, name):
    system = next(loaded.system for loaded in systems if loaded.system.name == name)
    dashboards = _dashboards(name)
    handbook = (GENERATED / name / "handbook.md").read_text()
    handbook_anchors = anchors.anchors(handbook)
    links = _clickable(name)
    assert links, f"{name}: no links found"
    bad = [f"{where}: {url}: {why}" for where, url in links if (why := _problem(system, url, dashboards, handbook_anchors))]
    assert not bad, "\n".join(sorted(set(bad)))
    for target in MARKDOWN_LINK.findall(CODE.sub(" ", handbook)):
        assert target[1:] in handbook_anchors, f"{name} handbook links to {target}, which is no section"


def test_the_check_finds_a_link_to_something_not_generated():
    """The check itself: a runbook dashboard obsgen does not build is refused."""

    class Bare:
        grafana_base_url = "https://grafana.example.com"
        alertmanager_url = ""
        runbook_base_url = ""
        externals = ()

    assert _problem(Bare, "https://grafana.example.com/d/system-health", {"x-overview": {"panels": []}}, set())
    assert _problem(Bare, "https://grafana.example.com/d/x-overview?viewPanel=3", {"x-overview": {"panels": [{"id": 2}]}}, set())
    assert _problem(Bare, "https://grafana.example.com/d/x-overview?viewPanel=2", {"x-overview": {"panels": [{"id": 2}]}}, set()) is None
