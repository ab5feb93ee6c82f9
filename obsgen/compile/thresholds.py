"""Threshold numbers as every artifact writes them, and the probes tests use."""

from __future__ import annotations

from ..model.alerts import ABOVE
from ..model.units import COUNT, Quantity


def prom_number(value: float) -> str:
    """Shortest exact spelling of a float (Go parses it back to the same bits)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def probe_step(threshold: Quantity) -> float:
    """How far past a threshold a test probes: small enough to catch a moved threshold."""
    base = threshold.base
    if base == 0:
        return 1.0 if threshold.unit.dimension is COUNT else 0.001
    return abs(base) * 0.001


def beyond(threshold: Quantity, direction: str) -> float:
    """A value just past the threshold, where the alert must fire."""
    step = probe_step(threshold)
    return threshold.base + step if direction == ABOVE else threshold.base - step


def panel_boundary(direction: str, threshold: Quantity) -> float:
    """Where a Grafana step starts for a threshold.

    Grafana colours values at or above a step; alerts fire strictly past their
    threshold. For whole counts 'above N' is 'from N+1', so the step sits there and a
    healthy 0 is not painted red. Everything else steps at the threshold itself.
    """
    base = threshold.base
    if direction == ABOVE and threshold.unit.dimension is COUNT and base == int(base):
        return base + 1
    return base
