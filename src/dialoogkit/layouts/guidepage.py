"""The page of the facilitator guide: A4 portrait with margins and a footer line.

In: nothing.
Out: the page size, margins and the frame the guide's story flows in (points), and the room inside
that frame (reportlab pads a frame by 6 pt on each side), so the story can be checked against a
page before it is laid out.
"""

from __future__ import annotations

from dialoogkit.layouts.units import Box, mm

PAGE_WIDTH = mm(210)
PAGE_HEIGHT = mm(297)
MARGIN = mm(20)
FOOTER = mm(6)  # room for the footer line below the frame
FRAME_PADDING = 6.0  # reportlab's default padding inside a Frame
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN


def frame_box() -> Box:
    """Where the story flows on every page."""
    return Box(MARGIN, MARGIN + FOOTER, PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - 2 * MARGIN - FOOTER)


def room() -> tuple[float, float]:
    """Width and height a flowable may take inside the frame."""
    frame = frame_box()
    return frame.width - 2 * FRAME_PADDING, frame.height - 2 * FRAME_PADDING
