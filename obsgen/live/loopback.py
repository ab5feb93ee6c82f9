"""An HTTP server on 127.0.0.1 in a daemon thread: what the simulator and the sink share."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LoopbackServer:
    """Serves a handler class on 127.0.0.1 (port 0 picks a free one) until stopped.

    backlog: how many connections may wait; Alertmanager flushes hundreds of groups at
    once, and socketserver's default of 5 drops them (they arrive twice after retries).
    """

    def __init__(self, handler: type[BaseHTTPRequestHandler], port: int = 0, name: str = "obsgen-http", backlog: int = 128):
        server_class = type("_Server", (ThreadingHTTPServer,), {"request_queue_size": backlog, "daemon_threads": True})
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
