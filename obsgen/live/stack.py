"""Prometheus, Alertmanager, the simulator and the sink, on loopback, started and stopped together.

Prometheus (Debian's `prometheus`, 2.42) loads the system's compiled rule files and
scrapes the simulator, one job per scrape path, with honor_labels so the series keep
their own labels. Alertmanager (Debian's `prometheus-alertmanager`, 0.25) runs a copy of
the generated alertmanager.yml whose receivers all point at the local sink; routes,
inhibitions, time intervals and repeat intervals are kept as generated. With a speedup,
the rules' durations and the routes' group_wait/group_interval are divided by it (a
test-only copy, see rules.TimeScale); repeat_interval is never scaled, so a repeat in a
test is a bug, not a timer. Every process runs in a temporary folder, on ports the
kernel found free, and is stopped by stop() (also when the parent dies: PDEATHSIG).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

import yaml

from ..artifacts import AlertmanagerConfig, Integration, Receiver, Route
from ..artifacts.read import read_alertmanager
from ..artifacts.write import alertmanager_bytes, alertmanager_data
from ..load import LoadedSystem
from ..model.durations import format_duration, parse_duration
from ..verify.tools import go_env, require
from .backfill import Backfilled, backfill
from .rules import TimeScale
from .rules import rule_files as read_rule_files
from .simulator import Simulation, SimulatorServer, write_files
from .sink import Notification, Sink

# Defaults of each integration's send_resolved in Alertmanager 0.25, when a config omits it.
SEND_RESOLVED_DEFAULT = {"webhook_configs": True, "pagerduty_configs": True, "slack_configs": False, "email_configs": False, "opsgenie_configs": True}


@dataclass(frozen=True)
class Settings:
    speedup: float = 1.0
    scrape_interval: int = 5  # seconds; also the evaluation interval
    resend_delay: int = 60  # Prometheus re-sends firing alerts this often (seconds)
    startup_timeout: float = 60.0
    go_runtime: tuple[tuple[str, str], ...] = ()  # environment of the servers (Go runtime settings)
    rule_interval_floor: int = 1  # seconds: no rule group evaluates more often (rules.TimeScale.min_interval)

    @classmethod
    def fast(cls, speedup: float = 60.0) -> "Settings":
        """For tests: minutes become seconds, scrape and evaluate every second.

        Prometheus re-sends firing alerts every 5 s: an alert is valid in Alertmanager for
        four re-sends (20 s), so a Prometheus slowed by a busy machine does not let its
        alerts expire and fire again (a second notification). New and resolved alerts
        are sent at once whatever the delay.

        Rule groups evaluate every 2 s at most (a 1m group scaled by 60 would run every
        second): what a test claims (steady-state values, which alerts fire, whom they
        reach, that they resolve) does not depend on it, and rule evaluation is most of
        each Prometheus' CPU. Scrapes stay every second: the windows' rates read them.
        Tests run many small servers at once on a few shared cores: TEST_GO_RUNTIME."""
        return cls(speedup=speedup, scrape_interval=1, resend_delay=5, go_runtime=TEST_GO_RUNTIME, rule_interval_floor=2)


# For servers that tests start by the dozen on a few shared cores, each mostly idle: Go
# code on one OS thread (no idle threads spinning for work beside it) and a garbage
# collection when the heap has tripled rather than doubled. What the servers compute
# and when is unchanged; measured on the live tests, about a fifth less CPU per server.
TEST_GO_RUNTIME = (("GOMAXPROCS", "1"), ("GOGC", "200"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: the child gets SIGTERM if the process that started it dies."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Server:
    """One external server process, its log file and its readiness URL."""

    def __init__(self, name: str, command: list[str], log: Path, ready_url: str, env: tuple[tuple[str, str], ...] = ()):
        self.name = name
        self.command = command
        self.log_path = log
        self.ready_url = ready_url
        self.env = go_env(dict(env)) if env else None
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float) -> "Server":
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=self.env,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        finally:
            log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.ready_url, timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} not ready after {timeout:.0f}s:\n{self.log_tail()}")

    def stop(self, timeout: float = 15.0) -> None:
        self.terminate()
        self.wait_stopped(time.monotonic() + timeout)

    def terminate(self) -> None:
        """Ask the server to shut down (SIGTERM) without waiting for it."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def wait_stopped(self, deadline: float) -> None:
        """Wait until the server has exited; past the deadline (a shutdown stuck on a
        busy machine) it is killed, so nothing outlives its stack."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def reload(self) -> None:
        """SIGHUP: the server rereads its configuration."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGHUP)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def sink_alertmanager_config(generated: AlertmanagerConfig, sink_url: str, scale: TimeScale) -> AlertmanagerConfig:
    """The generated config with every receiver redirected to the sink (and timers scaled)."""
    receivers = []
    for receiver in generated.receivers:
        resolved = None
        for integration in receiver.integrations:
            if integration.kind in SEND_RESOLVED_DEFAULT:
                value = integration.settings.get("send_resolved", SEND_RESOLVED_DEFAULT[integration.kind])
                resolved = value if resolved is None else (resolved or value)
        url = f"{sink_url}/{urllib.parse.quote(receiver.name)}"
        settings = {"url": url, "send_resolved": bool(resolved if resolved is not None else True), "max_alerts": 0}
        receivers.append(Receiver(receiver.name, (Integration("webhook_configs", settings),)))

    def timers(route: Route) -> Route:
        scaled: dict[str, Any] = {
            key: format_duration(scale.scaled(parse_duration(getattr(route, key)), 1))
            for key in ("group_wait", "group_interval") if getattr(route, key) is not None
        }
        return replace(route, routes=tuple(timers(child) for child in route.routes), **scaled)

    return replace(generated, receivers=tuple(receivers), route=timers(generated.route))


def prometheus_config(rule_files: list[Path], sim_port: int, am_port: int, layout, settings: Settings) -> dict:
    every = f"{settings.scrape_interval}s"
    return {
        "global": {"scrape_interval": every, "evaluation_interval": every, "scrape_timeout": every},
        "rule_files": [str(p) for p in rule_files],
        "alerting": {"alertmanagers": [{"api_version": "v2", "static_configs": [{"targets": [f"127.0.0.1:{am_port}"]}]}]},
        "scrape_configs": [
            {
                "job_name": target.job,
                "honor_labels": True,
                "metrics_path": f"/metrics/{target.job}",
                "static_configs": [{"targets": [f"127.0.0.1:{sim_port}"], **({"labels": dict(target.labels)} if target.labels else {})}],
            }
            for target in layout.targets
        ],
    }


class Stack:
    """The whole path for one system; use as a context manager or call start()/stop()."""

    def __init__(self, loaded: LoadedSystem, workdir: Path, settings: Settings = Settings(), on_notification: Callable[[Notification], None] | None = None,
                 log: Callable[[str], None] | None = None, simulation: Simulation | None = None):
        self.loaded = loaded
        self.workdir = Path(workdir)
        self.settings = settings
        self.on_notification = on_notification
        self.log = log or (lambda message: None)
        self.simulation = simulation
        self.sink: Sink | None = None
        self.simulator: SimulatorServer | None = None
        self.prometheus: Server | None = None
        self.alertmanager: Server | None = None
        self.prometheus_port = 0
        self.alertmanager_port = 0
        self.backfilled: Backfilled | None = None
        self.warm_until = 0.0
        self.alertmanager_config: dict = {}

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> "Stack":
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        prometheus, alertmanager = require("prometheus"), require("prometheus-alertmanager")
        require("promtool")
        self.workdir.mkdir(parents=True, exist_ok=True)
        scale = TimeScale(self.settings.speedup, min_interval=self.settings.rule_interval_floor)
        self.sink = Sink(on_notification=self.on_notification).start()
        if self.simulation is None:
            self.simulation = Simulation(self.loaded, scale)
        simulation = self.simulation
        simulator = self.simulator = SimulatorServer(simulation, log=self.log).start()
        files = simulation.files
        config_dir = self.workdir / "config"
        write_files({p: c for p, c in files.items() if p.startswith("rules/")}, config_dir)
        rule_files = sorted(config_dir.glob("rules/**/*.yml"))
        generated = read_alertmanager(files["alertmanager.yml"]).require("alertmanager.yml")
        sink = sink_alertmanager_config(generated, self.sink.url, scale)
        self.alertmanager_config = alertmanager_data(sink)
        (config_dir / "alertmanager.yml").write_bytes(alertmanager_bytes(sink, "# obsgen demo: the generated routing, every receiver sent to the local sink.\n"))
        instance = f"127.0.0.1:{simulator.port}"
        simulation.world.instance = instance
        # History up to Prometheus' first scrape (see backfill.py); until then the TSDB
        # refuses newer samples ("out of bounds"), so start() waits that long.
        self.warm_until = time.time() + 6 + self.settings.scrape_interval
        self.backfilled = backfill(simulation, self.workdir / "prometheus-data", instance, self.warm_until, self.settings.scrape_interval)
        self._start_alertmanager()
        self.prometheus_port = free_port()
        config_file = config_dir / "prometheus.yml"

        def write_config(rules: list[Path]) -> None:
            config = prometheus_config(rules, simulator.port, self.alertmanager_port, simulation.layout, self.settings)
            config_file.write_text(yaml.safe_dump(config, sort_keys=False))

        write_config([])  # rules come once the scrapes are live (see below)
        retention = "60d"
        self.prometheus = Server(
            "prometheus",
            [
                prometheus,
                f"--config.file={config_dir / 'prometheus.yml'}",
                f"--storage.tsdb.path={self.workdir / 'prometheus-data'}",
                f"--storage.tsdb.retention.time={retention}",
                f"--web.listen-address=127.0.0.1:{self.prometheus_port}",
                f"--rules.alert.resend-delay={self.settings.resend_delay}s",
                "--log.level=info",
            ],
            self.workdir / "prometheus.log",
            f"http://127.0.0.1:{self.prometheus_port}/-/ready",
            self.settings.go_runtime,
        )
        self.prometheus.start(self.settings.startup_timeout)  # known to stop() while it starts
        self.log(f"warming up: backfilled {self.backfilled.samples} samples; Prometheus scrapes live from {max(0.0, self.warm_until - time.time()):.0f} s on")
        jobs = {t.job for t in self.simulation.layout.targets}

        def scraping() -> bool:
            if time.time() < self.warm_until + self.settings.scrape_interval:
                return False
            live = {r["metric"].get("job") for r in self.query("scrape_samples_scraped")}
            return jobs <= live

        if not wait_until(scraping, self.settings.startup_timeout + 20, 0.2):
            raise RuntimeError(f"Prometheus did not scrape every simulator job in time:\n{self.prometheus.log_tail()}")
        # Until now the TSDB refused new samples, so a recording rule would have written
        # nothing and an absent() alert would have fired: load the rules only now.
        write_config(rule_files)
        self.prometheus.reload()
        groups = sum(len(rule_file.groups) for rule_file in read_rule_files(files).values())

        def loaded() -> bool:
            return len(self._get(f"{self.prometheus_url}/api/v1/rules")["data"]["groups"]) == groups

        if not wait_until(loaded, 30, 0.2):
            raise RuntimeError(f"Prometheus did not load the {groups} rule groups:\n{self.prometheus.log_tail()}")
    def _start_alertmanager(self, port: int | None = None) -> None:
        self.alertmanager_port = port or free_port()
        self.alertmanager = Server(
            "alertmanager",
            [
                require("prometheus-alertmanager"),
                f"--config.file={self.workdir / 'config' / 'alertmanager.yml'}",
                f"--storage.path={self.workdir / 'alertmanager-data'}",
                "--data.retention=120h",
                f"--web.listen-address=127.0.0.1:{self.alertmanager_port}",
                "--cluster.listen-address=",  # no gossip: a single instance, nothing on 0.0.0.0:9094
                "--log.level=info",
            ],
            self.workdir / "alertmanager.log",
            f"http://127.0.0.1:{self.alertmanager_port}/-/ready",
            self.settings.go_runtime,
        )
        self.alertmanager.start(self.settings.startup_timeout)  # known to stop() while it starts

    def restart_alertmanager(self) -> float:
        """Stop Alertmanager gracefully and start it on the same port and storage; seconds down."""
        assert self.alertmanager is not None
        began = time.monotonic()
        self.alertmanager.stop()
        self._start_alertmanager(self.alertmanager_port)
        return time.monotonic() - began

    def stop(self, timeout: float = 15.0) -> None:
        """Stop everything that was started; safe to call twice. Both servers are asked
        at once and share one deadline, so stopping takes at most `timeout` seconds
        (then they are killed) however slow the machine is."""
        servers = [s for s in (self.prometheus, self.alertmanager) if s is not None]
        for server in servers:
            server.terminate()
        deadline = time.monotonic() + timeout
        for server in servers:
            try:
                server.wait_stopped(deadline)
            except Exception as exc:  # noqa: BLE001 - keep stopping the rest
                self.log(f"stopping {server.name}: {exc}")
        for part in (self.simulator, self.sink):
            if part is not None:
                try:
                    part.stop()
                except Exception as exc:  # noqa: BLE001
                    self.log(f"stopping: {exc}")
        self.simulator = self.sink = None

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def pids(self) -> list[int]:
        return [s.pid for s in (self.prometheus, self.alertmanager) if s is not None and s.pid]

    # -- URLs and APIs --------------------------------------------------------------------------

    @property
    def prometheus_url(self) -> str:
        return f"http://127.0.0.1:{self.prometheus_port}"

    @property
    def alertmanager_url(self) -> str:
        return f"http://127.0.0.1:{self.alertmanager_port}"

    def _get(self, url: str, timeout: float = 5.0):
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.loads(response.read())

    def query(self, expr: str) -> list[dict]:
        url = f"{self.prometheus_url}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        return self._get(url)["data"]["result"]

    def prometheus_alerts(self) -> list[dict]:
        """Prometheus' alerts (pending and firing) with labels and state."""
        return self._get(f"{self.prometheus_url}/api/v1/alerts")["data"]["alerts"]

    def alertmanager_alerts(self) -> list[dict]:
        return self._get(f"{self.alertmanager_url}/api/v2/alerts")

    def silences(self) -> list[dict]:
        return self._get(f"{self.alertmanager_url}/api/v2/silences")

    def add_silence(self, matchers: dict[str, str], seconds: float, comment: str) -> str:
        now = time.time()
        body = {
            "matchers": [{"name": k, "value": v, "isRegex": False, "isEqual": True} for k, v in matchers.items()],
            "startsAt": _iso(now - 1),
            "endsAt": _iso(now + seconds),
            "createdBy": "obsgen live",
            "comment": comment,
        }
        request = urllib.request.Request(f"{self.alertmanager_url}/api/v2/silences", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())["silenceID"]


def _iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int((t % 1) * 1000):03d}Z"


def wait_until(condition: Callable[[], object], timeout: float, interval: float = 0.25):
    """condition()'s first truthy value, or None at the deadline (errors count as not yet)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except (urllib.error.URLError, OSError, KeyError, ValueError):
            value = None
        if value:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
