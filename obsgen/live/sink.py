"""The webhook sink every receiver is redirected to: it records who was told what.

Alertmanager POSTs each notification to /<receiver name>; the sink keeps the receiver
(from the path, checked against the payload), the status and each alert's labels, and
lets tests wait for a condition with a deadline. GET / lists what arrived.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from http.server import BaseHTTPRequestHandler
from typing import Callable

from .loopback import LoopbackServer


@dataclass(frozen=True)
class Delivered:
    """One alert in one notification to one receiver."""

    receiver: str
    status: str  # the alert's status: firing or resolved
    labels: tuple[tuple[str, str], ...]
    group_key: str
    at: float  # time.time() when the sink got it

    @cached_property
    def alertname(self) -> str:
        return dict(self.labels).get("alertname", "")

    @cached_property
    def severity(self) -> str:
        return dict(self.labels).get("severity", "")


@dataclass(frozen=True)
class Notification:
    receiver: str
    status: str  # the group's status
    group_key: str
    alerts: tuple[Delivered, ...]
    at: float


class Sink(LoopbackServer):
    """A thread-safe record of notifications, served on 127.0.0.1 (port 0: a free one)."""

    def __init__(self, port: int = 0, on_notification: Callable[[Notification], None] | None = None):
        self.notifications: list[Notification] = []
        self.errors: list[str] = []
        self.changed = threading.Condition()
        self.on_notification = on_notification
        super().__init__(_handler(self), port, name="obsgen-sink", backlog=1024)

    def record(self, receiver: str, payload: dict) -> None:
        now = time.time()
        if payload.get("receiver") not in (None, receiver):
            self.errors.append(f"path says {receiver!r} but the payload says {payload.get('receiver')!r}")
        alerts = tuple(
            Delivered(receiver, a.get("status", ""), tuple(sorted((a.get("labels") or {}).items())), payload.get("groupKey", ""), now)
            for a in payload.get("alerts", [])
        )
        notification = Notification(receiver, payload.get("status", ""), payload.get("groupKey", ""), alerts, now)
        with self.changed:
            self.notifications.append(notification)
            self.changed.notify_all()
        if self.on_notification:
            self.on_notification(notification)

    def delivered(self) -> list[Delivered]:
        with self.changed:
            return [a for n in self.notifications for a in n.alerts]

    def wait_for(self, condition: Callable[[list[Delivered]], bool], timeout: float, settle: float = 0.2) -> bool:
        """True once condition(delivered) holds; False at the deadline.

        The condition is checked once more after the deadline, and otherwise only when
        something arrived, at most every `settle` seconds and outside the lock: a burst of
        hundreds of notifications (one per alert group) is one check, not one each, and
        the server's threads never wait on a check to record what they got."""
        deadline = time.monotonic() + timeout
        seen = -1
        while True:
            with self.changed:
                if len(self.notifications) == seen:
                    self.changed.wait(max(0.0, min(deadline - time.monotonic(), 0.5)))
                seen = len(self.notifications)
                delivered = [a for n in self.notifications for a in n.alerts]
            if condition(delivered):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(settle, max(0.0, deadline - time.monotonic())))

def _handler(sink: Sink):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: Alertmanager posts hundreds of notifications at once, each on a connection (and a thread) of its own otherwise

        def log_message(self, fmt, *args):
            pass

        def do_POST(self):  # noqa: N802
            length = min(int(self.headers.get("Content-Length") or 0), 32 * 1024 * 1024)
            body = self.rfile.read(length)
            receiver = self.path.strip("/").split("?")[0]
            try:
                sink.record(receiver, json.loads(body or b"{}"))
                code = 200
            except (ValueError, TypeError) as exc:
                sink.errors.append(f"bad payload for {receiver}: {exc}")
                code = 400
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):  # noqa: N802
            data = [
                {"receiver": n.receiver, "status": n.status, "at": n.at, "alerts": [{"status": a.status, "labels": dict(a.labels)} for a in n.alerts]}
                for n in list(sink.notifications)
            ]
            body = json.dumps(data, indent=2).encode() + b"\n"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler
