"""Units and rectangles shared by all geometry.

In: lengths in millimetres.
Out: points (1/72 inch, reportlab's unit) and ``Box`` rectangles with a lower-left origin.
"""

from __future__ import annotations

from dataclasses import dataclass

MM = 72.0 / 25.4


def mm(value: float) -> float:
    """Millimetres to points."""
    return value * MM


def to_mm(points: float) -> float:
    """Points to millimetres."""
    return points / MM


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in points, origin at its lower-left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width

    def inset(self, left: float, bottom: float | None = None, right: float | None = None,
              top: float | None = None) -> Box:
        """A smaller box, ``left`` in from every side unless the other sides are given."""
        bottom = left if bottom is None else bottom
        right = left if right is None else right
        top = bottom if top is None else top
        return Box(self.x + left, self.y + bottom, self.width - left - right, self.height - bottom - top)

    def moved_to_top(self, top: float) -> Box:
        """The same box moved vertically so that its top edge is at ``top``."""
        return Box(self.x, top - self.height, self.width, self.height)

    def contains(self, other: Box, tolerance: float = 0.01) -> bool:
        """True when ``other`` lies inside this box."""
        return (other.x >= self.x - tolerance and other.y >= self.y - tolerance
                and other.right <= self.right + tolerance and other.top <= self.top + tolerance)

    def overlaps(self, other: Box) -> bool:
        """True when the two boxes share an area (touching edges do not count)."""
        return (self.x < other.right and other.x < self.right and self.y < other.top and other.y < self.top)
