"""An HTTP server on 127.0.0.1 in a daemon thread: what the simulator and the sink share."""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up before its answer (Prometheus ending a scrape at its timeout,
    a test done waiting) is not an error worth a traceback on the demo's terminal."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class LoopbackServer:
    """Serves a handler class on 127.0.0.1 (port 0 picks a free one) until stopped.

    backlog: how many connections may wait; Alertmanager flushes hundreds of groups at
    once, and socketserver's default of 5 drops them (they arrive twice after retries).
    """

    def __init__(self, handler: type[BaseHTTPRequestHandler], port: int = 0, name: str = "obsgen-http", backlog: int = 128):
        server_class = type("_Server", (_QuietServer,), {"request_queue_size": backlog})
        self.httpd = server_class(("127.0.0.1", port), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, name=name, daemon=True)

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
