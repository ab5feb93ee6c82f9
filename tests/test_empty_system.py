"""A valid system with no alerts yet (a team starting out) works through every gate:
generate, test and lint succeed, with no usage error and no warnings."""

from __future__ import annotations

from conftest import run_obsgen, tool

QUIET = '''
from obsgen import Priority, Service, Slack, System, minutes

SLACK = Slack(name="slack-ops", channel="#ops", api_url_file="/etc/alertmanager/secrets/slack")
P3 = Priority(name="P3", meaning="Look soon.", response_time=minutes(60), receivers=(SLACK,))
SYSTEM = System(
    name="quiet", title="Quiet", description="A system with no alerts yet.",
    services=(Service(name="api", title="API", team="web", description="Serves requests."),),
    priorities=(P3,), receivers=(SLACK,), default_receiver=SLACK,
    runbook_base_url="https://runbooks.example.com/quiet/", grafana_base_url="https://grafana.example.com",
)
'''


def test_a_system_without_alerts_passes_every_gate(tmp_path):
    tool("promtool"), tool("amtool")
    package = tmp_path / "definitions" / "quiet"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(QUIET)

    generated = run_obsgen("generate", cwd=tmp_path)
    assert generated.returncode == 0, generated.stderr
    assert not list((tmp_path / "generated" / "quiet").glob("rules/*.yml"))
    assert "This system defines no threshold alerts." in (tmp_path / "generated" / "quiet" / "handbook.md").read_text()

    tested = run_obsgen("test", cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "0 failed" in tested.stdout and "usage" not in tested.stdout + tested.stderr

    linted = run_obsgen("lint", "--fail-on", "info", "generated", cwd=tmp_path)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "0 errors, 0 warnings, 0 info" in linted.stdout + linted.stderr
