"""Threshold numbers as every artifact writes them, and the probes tests use."""

from __future__ import annotations

import math

from ..model.directions import Direction
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


def probe_values(threshold: Quantity, direction: Direction) -> tuple[float, float]:
    """(quiet, firing): the values a test holds on either side of the line.

    A strict comparison is probed at the threshold itself (quiet) and one probe step past
    it (firing); an inclusive one fires at the threshold itself and stays quiet one step
    inside it. Either way a moved threshold or a flipped strictness changes a verdict.
    """
    step = probe_step(threshold) * (1 if direction.upward else -1)
    if direction.inclusive:
        return threshold.base - step, threshold.base
    return threshold.base, threshold.base + step


def beyond(threshold: Quantity, direction: Direction) -> float:
    """The value nearest the threshold at which the alert must fire."""
    return probe_values(threshold, direction)[1]


def panel_boundary(direction: Direction, threshold: Quantity) -> float:
    """Where the Grafana step of a threshold starts.

    Grafana colours a value with the highest step at or below it. A line bad at and
    above N steps at N; a line bad strictly above N steps at the next float above N, so N
    itself (a healthy 0 blocked orders) keeps the healthy colour and 5.4 gaps in an hour
    (increase() extrapolates) is past 5. A line bad below N steps its healthy colour at N;
    bad at or below N at the next float above N, so N itself shows bad.
    """
    if direction in (Direction.ABOVE, Direction.AT_OR_BELOW):
        return math.nextafter(threshold.base, math.inf)
    return threshold.base
