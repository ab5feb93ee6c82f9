"""Which side of a threshold is bad, and whether the threshold itself is."""

from __future__ import annotations

from enum import Enum


class Direction(Enum):
    """How a value compares with a threshold when it is bad.

    ABOVE and BELOW are strict (exactly at the threshold is fine); AT_OR_ABOVE and
    AT_OR_BELOW include the threshold, for runbooks that say "strictly under 500 µs".
    """

    ABOVE = "above"
    BELOW = "below"
    AT_OR_ABOVE = "at or above"
    AT_OR_BELOW = "at or below"

    @property
    def words(self) -> str:
        """For the handbook and descriptions: 'at or above 500 µs'."""
        return self.value

    @property
    def operator(self) -> str:
        """The PromQL comparison that is true when the value is bad."""
        return _OPERATORS[self]

    @property
    def upward(self) -> bool:
        """Bad values are high ones."""
        return self in (Direction.ABOVE, Direction.AT_OR_ABOVE)

    @property
    def inclusive(self) -> bool:
        """The threshold itself is bad."""
        return self in (Direction.AT_OR_ABOVE, Direction.AT_OR_BELOW)

    def breached(self, value: float, threshold: float) -> bool:
        """Whether value is on the bad side of threshold, as the rule compares."""
        if self is Direction.ABOVE:
            return value > threshold
        if self is Direction.AT_OR_ABOVE:
            return value >= threshold
        if self is Direction.BELOW:
            return value < threshold
        return value <= threshold


def direction_problem(value: object) -> str | None:
    """Why value is not a Direction, or None."""
    if isinstance(value, Direction):
        return None
    return f"must be ABOVE, BELOW, AT_OR_ABOVE or AT_OR_BELOW (from obsgen import ABOVE, ...), got {value!r}"


def ordered(direction: Direction, warning: float, critical: float) -> bool:
    """A warning level is crossed before the critical one: below it when bad is high, above it when bad is low."""
    return warning < critical if direction.upward else warning > critical


_OPERATORS = {Direction.ABOVE: ">", Direction.BELOW: "<", Direction.AT_OR_ABOVE: ">=", Direction.AT_OR_BELOW: "<="}

ABOVE = Direction.ABOVE
BELOW = Direction.BELOW
AT_OR_ABOVE = Direction.AT_OR_ABOVE
AT_OR_BELOW = Direction.AT_OR_BELOW
