"""Theme icons as small vector drawings, so a theme is never told by colour alone.

In: an icon name from the deck (``people``, ``house``, ``link``, ``handshake``, ``chat``, ``key``,
``heart``, ``star``), a position and a size in points.
Out: the icon painted in the canvas's current fill/stroke colour.
"""

from __future__ import annotations

import math
from typing import Callable

Drawer = Callable[[object, float, float, float], None]


def _people(c, x: float, y: float, s: float) -> None:
    for cx, scale in ((0.33, 0.9), (0.67, 1.0)):
        r = 0.14 * s * scale
        c.circle(x + cx * s, y + 0.70 * s * (0.95 if scale < 1 else 1.0), r, stroke=0, fill=1)
        path = c.beginPath()
        w = 0.30 * s * scale
        base = y + 0.08 * s
        path.moveTo(x + cx * s - w, base)
        path.lineTo(x + cx * s - w, base + 0.22 * s * scale)
        path.curveTo(x + cx * s - w, base + 0.45 * s * scale, x + cx * s + w, base + 0.45 * s * scale,
                     x + cx * s + w, base + 0.22 * s * scale)
        path.lineTo(x + cx * s + w, base)
        path.close()
        c.drawPath(path, stroke=0, fill=1)


def _house(c, x: float, y: float, s: float) -> None:
    path = c.beginPath()
    path.moveTo(x + 0.5 * s, y + 0.95 * s)
    path.lineTo(x + 0.02 * s, y + 0.52 * s)
    path.lineTo(x + 0.16 * s, y + 0.52 * s)
    path.lineTo(x + 0.16 * s, y + 0.05 * s)
    path.lineTo(x + 0.40 * s, y + 0.05 * s)
    path.lineTo(x + 0.40 * s, y + 0.32 * s)
    path.lineTo(x + 0.60 * s, y + 0.32 * s)
    path.lineTo(x + 0.60 * s, y + 0.05 * s)
    path.lineTo(x + 0.84 * s, y + 0.05 * s)
    path.lineTo(x + 0.84 * s, y + 0.52 * s)
    path.lineTo(x + 0.98 * s, y + 0.52 * s)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


def _link(c, x: float, y: float, s: float) -> None:
    c.saveState()
    c.setLineWidth(0.11 * s)
    c.circle(x + 0.36 * s, y + 0.5 * s, 0.25 * s, stroke=1, fill=0)
    c.circle(x + 0.64 * s, y + 0.5 * s, 0.25 * s, stroke=1, fill=0)
    c.restoreState()


def _handshake(c, x: float, y: float, s: float) -> None:
    c.saveState()
    c.setLineWidth(0.12 * s)
    c.setLineCap(1)
    c.line(x + 0.08 * s, y + 0.35 * s, x + 0.55 * s, y + 0.72 * s)
    c.line(x + 0.92 * s, y + 0.35 * s, x + 0.45 * s, y + 0.72 * s)
    c.restoreState()
    c.circle(x + 0.5 * s, y + 0.62 * s, 0.13 * s, stroke=0, fill=1)


def _chat(c, x: float, y: float, s: float) -> None:
    c.roundRect(x + 0.05 * s, y + 0.30 * s, 0.90 * s, 0.60 * s, 0.14 * s, stroke=0, fill=1)
    path = c.beginPath()
    path.moveTo(x + 0.22 * s, y + 0.32 * s)
    path.lineTo(x + 0.18 * s, y + 0.08 * s)
    path.lineTo(x + 0.45 * s, y + 0.32 * s)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


def _key(c, x: float, y: float, s: float) -> None:
    c.circle(x + 0.28 * s, y + 0.5 * s, 0.22 * s, stroke=0, fill=1)
    c.rect(x + 0.40 * s, y + 0.44 * s, 0.55 * s, 0.12 * s, stroke=0, fill=1)
    c.rect(x + 0.78 * s, y + 0.30 * s, 0.10 * s, 0.16 * s, stroke=0, fill=1)


def _heart(c, x: float, y: float, s: float) -> None:
    path = c.beginPath()
    path.moveTo(x + 0.5 * s, y + 0.08 * s)
    path.curveTo(x + 0.05 * s, y + 0.40 * s, x + 0.0 * s, y + 0.90 * s, x + 0.5 * s, y + 0.72 * s)
    path.curveTo(x + 1.0 * s, y + 0.90 * s, x + 0.95 * s, y + 0.40 * s, x + 0.5 * s, y + 0.08 * s)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


def _star(c, x: float, y: float, s: float) -> None:
    path = c.beginPath()
    for i in range(10):
        r = 0.48 * s if i % 2 == 0 else 0.2 * s
        angle = math.pi / 2 + i * math.pi / 5
        px, py = x + 0.5 * s + r * math.cos(angle), y + 0.48 * s + r * math.sin(angle)
        path.moveTo(px, py) if i == 0 else path.lineTo(px, py)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


ICONS: dict[str, Drawer] = {
    "people": _people, "house": _house, "link": _link, "handshake": _handshake,
    "chat": _chat, "key": _key, "heart": _heart, "star": _star,
}


def draw_icon(canvas, name: str, x: float, y: float, size: float) -> None:
    """Paint icon ``name`` in a ``size``-point square with its lower-left corner at ``(x, y)``."""
    ICONS[name](canvas, x, y, size)
