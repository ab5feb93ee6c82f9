"""Metric types the user knows, given to lint with --metric-types: a Prometheus exposition
dump (`# TYPE name counter` lines, as /metrics serves them) or the JSON of Prometheus'
/api/v1/metadata. Types are evidence; a metric's name alone is only a guess."""

from __future__ import annotations

import json
from pathlib import Path


def load(path: Path) -> dict[str, str]:
    """metric family -> type (counter, gauge, histogram, summary, ...). ValueError when unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the metric types: {exc}") from None
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"{path}: not valid JSON: {exc}") from None
        metadata = data.get("data", data) if isinstance(data, dict) else {}
        return {
            str(name): str(entries[0].get("type", "")).lower()
            for name, entries in (metadata.items() if isinstance(metadata, dict) else [])
            if isinstance(entries, list) and entries and isinstance(entries[0], dict)
        }
    types = {}
    for line in text.splitlines():
        words = line.split()
        if len(words) >= 4 and words[0] == "#" and words[1] == "TYPE":
            types[words[2]] = words[3].lower()
    if not types:
        raise ValueError(f"{path}: no '# TYPE name type' lines and not /api/v1/metadata JSON")
    return types
