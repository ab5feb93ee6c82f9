"""One deploy: write, reload, verify; on any failure put the previous files back and reload.

Prometheus reads the system's rule files from a folder of their own (`rule_files:
[<rules_dir>/*.yml]`), Alertmanager its configuration file. "Deployed" means: both reloads
succeeded, /api/v1/rules lists exactly the generated groups of that folder with exactly
their rules, every rule has been evaluated since and none is unhealthy, and /api/v2/status
shows Alertmanager running the configuration written. A group that evaluates less often than
the timeout (an SLO's budget group, every 5m) is checked loaded and not unhealthy, and the
outcome names it as pending rather than waiting minutes for its first run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..artifacts import AlertmanagerConfig, Route
from ..artifacts.read import UnreadableArtifact, read_alertmanager, read_rules
from ..model.durations import parse_duration
from ..render.writer import read_tree, write_tree
from . import servers
from .settings import DeploySettings, SettingsError


class DeployFailed(Exception):
    """The deploy did not hold; the message says why and what the rollback did."""


@dataclass(frozen=True)
class Deployment:
    """What one system deploys: rule files by name, and the Alertmanager configuration."""

    rules: dict[str, bytes]
    alertmanager: bytes

    @classmethod
    def of(cls, files: dict[str, bytes]) -> "Deployment":
        """From a system's generated files (the `prometheus` target)."""
        rules = {path.removeprefix("rules/"): data for path, data in files.items() if path.startswith("rules/")}
        return cls(rules, files["alertmanager.yml"])

    def groups(self) -> dict[tuple[str, str], list[str]]:
        """(file name, group name) -> the group's rule names, in order."""
        found = {}
        for name, data in self.rules.items():
            for group in read_rules(data).require(name).groups:
                found[(name, group.name)] = [r.name for r in group.rules]
        return found


@dataclass(frozen=True)
class Outcome:
    changed: bool
    groups: int
    rules: int
    pending: tuple[str, ...] = ()  # slow groups loaded but not yet evaluated, as "name (every 5m)"


def _rules_folder(settings: DeploySettings) -> Path:
    folder = Path(settings.rules_dir)
    if folder.exists():
        if not folder.is_dir():
            raise SettingsError(f"rules_dir {folder}: not a folder")
        foreign = sorted(p.name for p in folder.iterdir() if not (p.is_file() and p.suffix == ".yml"))
        if foreign:
            raise SettingsError(f"rules_dir {folder}: holds {foreign[0]!r}, which is not a rule file; give each system a rules folder of its own")
    return folder


def _write_file(path: Path, data: bytes | None) -> None:
    """Replace (or, for None, remove) one file atomically."""
    if data is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def _write_rules(folder: Path, rules: dict[str, bytes] | None) -> None:
    if rules is None:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        write_tree(folder, rules)


def _loaded_groups(settings: DeploySettings) -> dict[tuple[str, str], dict]:
    folder = Path(settings.rules_dir).resolve()
    return {
        (Path(g["file"]).name, g["name"]): g
        for g in servers.rule_groups(settings.prometheus_url)
        if Path(g["file"]).resolve().parent == folder
    }


def _rules_problem(deployment: Deployment, settings: DeploySettings, log: Callable[[str], None], pending: list[str]) -> str | None:
    """None when Prometheus runs exactly the deployment's groups, every rule evaluated and healthy
    (slow groups: loaded and not unhealthy, those not yet evaluated added to `pending`)."""
    expected = deployment.groups()
    deadline = time.monotonic() + settings.timeout
    while True:
        loaded = _loaded_groups(settings)
        missing, extra = sorted(set(expected) - set(loaded)), sorted(set(loaded) - set(expected))
        if missing or extra:
            parts = [f"missing {f}:{g}" for f, g in missing[:5]] + [f"not generated {f}:{g}" for f, g in extra[:5]]
            return f"Prometheus does not run exactly the generated rule groups ({len(missing)} missing, {len(extra)} extra): {', '.join(parts)}"
        for key, group in loaded.items():
            names = [r["name"] for r in group["rules"]]
            if names != expected[key]:
                return f"Prometheus runs other rules in {key[0]}:{key[1]} than generated"
        broken = [(k, r) for k, g in sorted(loaded.items()) for r in g["rules"] if r.get("health") == "err"]
        if broken:
            (file, group_name), rule = broken[0]
            return f"rule {rule['name']} in {file} (group {group_name}) is unhealthy: {rule.get('lastError') or 'health err'} ({len(broken)} unhealthy rules)"
        slow = {key for key, g in loaded.items() if float(g.get("interval") or 0) > settings.timeout}
        waiting = [r["name"] for key, g in loaded.items() if key not in slow for r in g["rules"] if r.get("health") != "ok"]
        if not waiting:
            pending += [f"{key[1]} (every {_interval(loaded[key])})" for key in sorted(slow)
                        if any(r.get("health") != "ok" for r in loaded[key]["rules"])]
            return None
        if time.monotonic() >= deadline:
            return f"{len(waiting)} rules not evaluated within {settings.timeout:.0f} s (first: {waiting[0]})"
        log(f"waiting for the first evaluation of {len(waiting)} rules")
        time.sleep(min(2.0, max(0.2, deadline - time.monotonic())))


def _interval(group: dict) -> str:
    seconds = int(float(group.get("interval") or 0))
    return f"{seconds // 60}m" if seconds % 60 == 0 else f"{seconds}s"


def _seconds(value: str | None) -> int | None:
    return parse_duration(value) if value else None


def _route_view(route: Route) -> tuple:
    """What routing depends on; Alertmanager's status sorts matchers and spells durations its way."""
    return (
        route.receiver, route.group_by, tuple(sorted(str(m) for m in route.matchers)), route.continue_,
        tuple(_seconds(getattr(route, k)) for k in ("group_wait", "group_interval", "repeat_interval")),
        route.mute_time_intervals, route.active_time_intervals, tuple(_route_view(r) for r in route.routes),
    )


def routing_view(config: AlertmanagerConfig) -> dict:
    """A configuration's routes, inhibitions, receivers and time intervals, compared as values."""
    return {
        "route": _route_view(config.route),
        "inhibit_rules": [(sorted(map(str, r.source_matchers)), sorted(map(str, r.target_matchers)), r.equal) for r in config.inhibit_rules],
        "receivers": [(r.name, sorted({i.kind for i in r.integrations})) for r in config.receivers],
        "time_intervals": sorted(config.intervals),
    }


def _alertmanager_problem(deployment: Deployment, settings: DeploySettings) -> str | None:
    """/api/v2/status shows the generated routing; the config hash says it is the file's bytes."""
    try:
        running = routing_view(read_alertmanager(servers.running_config(settings.alertmanager_url)).require("/api/v2/status"))
    except UnreadableArtifact as exc:
        return f"Alertmanager at {settings.alertmanager_url} reports a configuration obsgen cannot read: {exc}"
    wanted = routing_view(read_alertmanager(deployment.alertmanager).require(settings.alertmanager_config))
    if running != wanted:
        differs = sorted(k for k in wanted if running[k] != wanted[k])
        return f"Alertmanager at {settings.alertmanager_url} does not run the generated configuration (its {', '.join(differs)} differ)"
    if servers.config_hash(settings.alertmanager_url) != servers.file_hash(deployment.alertmanager):
        return f"Alertmanager at {settings.alertmanager_url} runs other bytes than {settings.alertmanager_config} holds"
    return None


def _reload_both(settings: DeploySettings) -> str | None:
    for name, url in (("Prometheus", settings.prometheus_url), ("Alertmanager", settings.alertmanager_url)):
        result = servers.reload(url)
        if not result.ok:
            return f"{name}: {result.message}"
    return None


def _apply(deployment: Deployment, settings: DeploySettings, log: Callable[[str], None], pending: list[str]) -> str | None:
    try:
        return _reload_both(settings) or _alertmanager_problem(deployment, settings) or _rules_problem(deployment, settings, log, pending)
    except servers.Unreachable as exc:
        return f"no answer from {exc}"


def deploy(deployment: Deployment, settings: DeploySettings, log: Callable[[str], None] = lambda message: None) -> Outcome:
    """Write, reload, verify; on failure restore the previous files, reload, raise DeployFailed."""
    folder = _rules_folder(settings)
    am_path = Path(settings.alertmanager_config)
    previous_rules = read_tree(folder) if folder.is_dir() else None
    previous_am = am_path.read_bytes() if am_path.is_file() else None
    changed = previous_rules != deployment.rules or previous_am != deployment.alertmanager
    if changed:
        _write_rules(folder, deployment.rules)
        _write_file(am_path, deployment.alertmanager)
        log(f"wrote {len(deployment.rules)} rule files to {folder} and {am_path}")
    pending: list[str] = []
    problem = _apply(deployment, settings, log, pending)
    if problem is None:
        return Outcome(changed, len(deployment.groups()), sum(len(r) for r in deployment.groups().values()), tuple(pending))
    if not changed:
        raise DeployFailed(f"{problem}; the files were already these, nothing to roll back")
    _write_rules(folder, previous_rules)
    _write_file(am_path, previous_am)
    try:
        again = _reload_both(settings)
    except servers.Unreachable as exc:
        again = f"no answer from {exc}"
    rollback = "restored the previous files and reloaded" if again is None else f"restored the previous files, but the reload failed too: {again}"
    raise DeployFailed(f"{problem}; {rollback}")


def current(settings: DeploySettings) -> Deployment | None:
    """What is deployed now, as files (None before the first deploy)."""
    folder = _rules_folder(settings)
    am_path = Path(settings.alertmanager_config)
    if not folder.is_dir() and not am_path.is_file():
        return None
    return Deployment(read_tree(folder) if folder.is_dir() else {}, am_path.read_bytes() if am_path.is_file() else b"")
