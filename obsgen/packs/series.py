"""Series selectors of a pack: a metric with the config's matchers and its own."""

from __future__ import annotations


def series(metric: str, *matchers: str) -> str:
    """metric{a, b}: empty matchers are left out, and the braces when none is left."""
    kept = [m for m in matchers if m]
    return f"{metric}{{{', '.join(kept)}}}" if kept else metric
