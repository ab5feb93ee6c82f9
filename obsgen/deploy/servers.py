"""The Prometheus and Alertmanager HTTP APIs a deploy uses: reload, loaded rules, running config."""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass


class Unreachable(Exception):
    """The server did not answer: the message says which and why."""


@dataclass(frozen=True)
class Reload:
    ok: bool
    message: str


def _request(url: str, method: str = "GET", timeout: float = 30.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError) as exc:
        raise Unreachable(f"{url}: {getattr(exc, 'reason', exc)}") from None


def reload(base_url: str) -> Reload:
    """POST /-/reload: Prometheus (with --web.enable-lifecycle) and Alertmanager answer 200,
    or 500 with why the new configuration was refused."""
    status, body = _request(f"{base_url.rstrip('/')}/-/reload", "POST")
    text = body.decode(errors="replace").strip()
    if status == 200:
        return Reload(True, "")
    if status == 403 and "lifecycle" in text.lower():
        return Reload(False, f"{base_url} refuses /-/reload: start Prometheus with --web.enable-lifecycle")
    return Reload(False, f"{base_url} refused the reload (HTTP {status}): {text[:500]}")


def _json(url: str) -> dict:
    status, body = _request(url)
    if status != 200:
        raise Unreachable(f"{url}: HTTP {status}: {body[:200].decode(errors='replace')}")
    return json.loads(body)


def rule_groups(prometheus_url: str) -> list[dict]:
    """GET /api/v1/rules: every loaded group with its file, rules, health and last error."""
    return _json(f"{prometheus_url.rstrip('/')}/api/v1/rules")["data"]["groups"]


def running_config(alertmanager_url: str) -> str:
    """GET /api/v2/status: the configuration text Alertmanager runs."""
    return _json(f"{alertmanager_url.rstrip('/')}/api/v2/status")["config"]["original"]


def config_hash(alertmanager_url: str) -> float | None:
    """alertmanager_config_hash from /metrics: a hash of the bytes of the file it loaded."""
    status, body = _request(f"{alertmanager_url.rstrip('/')}/metrics")
    if status != 200:
        raise Unreachable(f"{alertmanager_url}/metrics: HTTP {status}")
    for line in body.decode(errors="replace").splitlines():
        if line.startswith("alertmanager_config_hash "):
            return float(line.split()[1])
    return None


def file_hash(data: bytes) -> float:
    """What Alertmanager reports as alertmanager_config_hash for a file's bytes
    (md5HashAsMetricValue: the first 48 bits of the MD5 sum, little-endian)."""
    return float(int.from_bytes(hashlib.md5(data).digest()[:6], "little"))  # noqa: S324 - Alertmanager's own choice
