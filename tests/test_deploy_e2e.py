"""obsgen deploy against the real Prometheus and Alertmanager (Debian's packages) on
loopback: a good deploy, a broken one rolled back with the old alerts still evaluating,
an idempotent redeploy, and --dry-run's semantic diff."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_obsgen, tool
from obsgen.deploy import DeployFailed, DeploySettings, Deployment, deploy
from obsgen.deploy.servers import rule_groups
from obsgen.live.stack import TEST_GO_RUNTIME, Server, free_port
from obsgen.pipeline import served_files

SYSTEM = "trading-stack"
pytestmark = pytest.mark.live  # real servers, mostly waiting: `make test` runs these beside the parallel suite


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """Prometheus (lifecycle API on, rules from one folder, evaluating every second) and Alertmanager."""
    prometheus, alertmanager = tool("prometheus"), tool("prometheus-alertmanager")
    tmp = tmp_path_factory.mktemp("deploy")
    rules_dir = tmp / "rules" / SYSTEM
    am_config = tmp / "alertmanager.yml"
    am_config.write_text("route:\n  receiver: nobody\nreceivers:\n- name: nobody\n")
    prom_port, am_port = free_port(), free_port()
    (tmp / "prometheus.yml").write_text(yaml.safe_dump({
        "global": {"evaluation_interval": "1s", "scrape_interval": "1s"},
        "rule_files": [str(rules_dir / "*.yml")],
    }))  # no scrapes: a deploy's claims are about the rules Prometheus loads and evaluates, with or without data
    servers = [
        Server("alertmanager", [alertmanager, f"--config.file={am_config}", f"--storage.path={tmp / 'am-data'}", f"--web.listen-address=127.0.0.1:{am_port}",
                                "--cluster.listen-address="], tmp / "alertmanager.log", f"http://127.0.0.1:{am_port}/-/ready", TEST_GO_RUNTIME),
        Server("prometheus", [prometheus, f"--config.file={tmp / 'prometheus.yml'}", f"--storage.tsdb.path={tmp / 'prom-data'}",
                              f"--web.listen-address=127.0.0.1:{prom_port}", "--web.enable-lifecycle"], tmp / "prometheus.log", f"http://127.0.0.1:{prom_port}/-/ready", TEST_GO_RUNTIME),
    ]
    try:
        for server in servers:
            server.start(60)
        yield DeploySettings(rules_dir=str(rules_dir), prometheus_url=f"http://127.0.0.1:{prom_port}", alertmanager_config=str(am_config),
                             alertmanager_url=f"http://127.0.0.1:{am_port}", timeout=150)
    finally:
        for server in reversed(servers):
            server.stop()


@pytest.fixture(scope="module")
def generated(systems):
    """The rule files and alertmanager.yml `obsgen generate` writes (pipeline.prometheus_files
    yields the served files first, then the tests, dashboards and handbook a deploy ignores)."""
    return Deployment.of(served_files(next(s for s in systems if s.system.name == SYSTEM)))


def _flags(settings: DeploySettings) -> list[str]:
    return ["--rules-dir", settings.rules_dir, "--prometheus-url", settings.prometheus_url,
            "--alertmanager-config", settings.alertmanager_config, "--alertmanager-url", settings.alertmanager_url, "--timeout", "150"]


def _alert_evaluations(settings: DeploySettings) -> dict[str, str]:
    return {r["name"]: r["lastEvaluation"] for g in rule_groups(settings.prometheus_url) for r in g["rules"] if r["type"] == "alerting"}


def test_deploy_good_broken_and_again(live, generated):
    # --dry-run first: the diff names what would change, and nothing is written.
    dry = run_obsgen("deploy", "--system", SYSTEM, *_flags(live), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "added" in dry.stdout.lower() and not Path(live.rules_dir).exists()

    # A good deploy: written, reloaded, exactly the generated groups, all healthy.
    good = run_obsgen("deploy", "--system", SYSTEM, *_flags(live))
    assert good.returncode == 0, good.stderr + good.stdout
    assert "deployed" in good.stdout
    loaded = {(Path(g["file"]).name, g["name"]) for g in rule_groups(live.prometheus_url)}
    assert loaded == set(generated.groups())
    groups = rule_groups(live.prometheus_url)
    assert all(r["health"] == "ok" for g in groups if g["interval"] <= 150 for r in g["rules"])
    # The SLO budget groups run every 5 minutes: loaded, never unhealthy, and said to be pending.
    slow = [g for g in groups if g["interval"] > 150]
    assert slow and all(r["health"] != "err" for g in slow for r in g["rules"])
    if any(r["health"] != "ok" for g in slow for r in g["rules"]):
        assert "first evaluation due within their interval" in good.stdout and "(every 5m)" in good.stdout
    assert yaml.safe_load(Path(live.alertmanager_config).read_text()) == yaml.safe_load(generated.alertmanager)

    # Idempotent: deploying again changes nothing and verifies the same state.
    before = {p.name: p.stat().st_mtime_ns for p in Path(live.rules_dir).iterdir()}
    again = run_obsgen("deploy", "--system", SYSTEM, *_flags(live))
    assert again.returncode == 0, again.stderr
    assert "unchanged, verified" in again.stdout
    assert {p.name: p.stat().st_mtime_ns for p in Path(live.rules_dir).iterdir()} == before
    assert "no change" in run_obsgen("deploy", "--system", SYSTEM, *_flags(live), "--dry-run").stdout

    # Broken at evaluation: a rule Prometheus loads but cannot evaluate is rolled back.
    unhealthy = Deployment({**generated.rules, "broken.yml": yaml.safe_dump({"groups": [{"name": "broken", "interval": "1s", "rules": [
        {"record": "broken:duplicate:match", "expr": '(vector(1) or label_replace(vector(1), "a", "b", "", "")) * on() vector(1)'}]}]}).encode()},
        generated.alertmanager)
    with pytest.raises(DeployFailed, match="unhealthy.*restored the previous files and reloaded"):
        deploy(unhealthy, live)
    assert sorted(p.name for p in Path(live.rules_dir).iterdir()) == sorted(generated.rules)

    # Broken at load: Prometheus refuses the reload; Alertmanager refuses its config.
    refused = Deployment({**generated.rules, "refused.yml": b"groups:\n- name: refused\n  rules:\n  - alert: X\n    expr: rate(up[5m]\n"}, generated.alertmanager)
    with pytest.raises(DeployFailed, match="Prometheus: .*refused the reload"):
        deploy(refused, live)
    bad_routing = Deployment(generated.rules, generated.alertmanager + b"\nroute_typo: {}\n")
    with pytest.raises(DeployFailed, match="Alertmanager: .*refused the reload"):
        deploy(bad_routing, live)

    # After every rollback: the old files, the old groups loaded and the old alerts still evaluating.
    assert {p.name: p.read_bytes() for p in Path(live.rules_dir).iterdir()} == generated.rules
    assert Path(live.alertmanager_config).read_bytes() == generated.alertmanager
    assert {(Path(g["file"]).name, g["name"]) for g in rule_groups(live.prometheus_url)} == set(generated.groups())
    first = _alert_evaluations(live)
    time.sleep(3)
    later = _alert_evaluations(live)
    assert first and all(later[name] > first[name] for name in first), "the old alerts stopped evaluating after the rollback"
    final = run_obsgen("deploy", "--system", SYSTEM, *_flags(live))
    assert final.returncode == 0 and "unchanged, verified" in final.stdout, final.stderr


def test_a_failed_deploy_through_the_command_exits_1_saying_why(live, generated, tmp_path):
    """The command line: a Prometheus that does not answer is a failure naming it, rolled back."""
    flags = _flags(live)
    flags[flags.index("--prometheus-url") + 1] = f"http://127.0.0.1:{free_port()}"
    flags[flags.index("--rules-dir") + 1] = str(tmp_path / "rules")
    flags[flags.index("--alertmanager-config") + 1] = str(tmp_path / "am.yml")
    result = run_obsgen("deploy", "--system", SYSTEM, *flags)
    assert result.returncode == 1, result.stdout
    assert "no answer from" in result.stderr and "restored the previous files" in result.stderr
    assert not (tmp_path / "rules").exists() and not (tmp_path / "am.yml").exists()


def test_missing_settings_are_bad_input():
    result = run_obsgen("deploy", "--system", SYSTEM, "--rules-dir", "/tmp/x")
    assert result.returncode == 2 and "prometheus_url" in result.stderr and "pyproject.toml" in result.stderr
