"""``canvases.pdf``: the A3 canvases, or A2/A1/A0 by scaling the A3 design as vector.

In: a ``PosterPlan``, a ``PosterSize`` and the bleed in points (0–5 mm, as for the cards).
Out: PDF bytes, one landscape page per canvas; each page is the sheet (TrimBox) plus the bleed on
every side (BleedBox = MediaBox), the design centred on the sheet; CMYK colours, embedded fonts,
invariant output. The design keeps a white margin inside the sheet (nothing on a canvas runs to
its edge), so the bleed stays white; the boxes tell the print shop where to cut.
"""

from __future__ import annotations

import io
from typing import Callable

from dialoogkit.generator.display import render_face
from dialoogkit.generator.posters.plan import PosterPlan
from dialoogkit.layouts.posters import PosterSize, placement
from dialoogkit.output.document import DocumentInfo, open_canvas


def render_canvases(plan: PosterPlan, size: PosterSize, bleed: float, info: DocumentInfo,
                    progress: Callable[[int], None] | None = None) -> bytes:
    """Draw every canvas on its own page of ``size`` plus ``bleed`` points around it, scaled from
    A3 and centred on the sheet."""
    width, height = size.page
    factor, dx, dy = placement(size)
    buffer = io.BytesIO()
    canvas = open_canvas(buffer, (width + 2 * bleed, height + 2 * bleed), info)
    canvas.setTrimBox([bleed, bleed, bleed + width, bleed + height])
    canvas.setBleedBox([0, 0, width + 2 * bleed, height + 2 * bleed])
    for _, face in plan.faces:
        canvas.saveState()
        canvas.translate(bleed + dx, bleed + dy)
        canvas.scale(factor, factor)
        render_face(canvas, face)
        canvas.restoreState()
        canvas.showPage()
        if progress:
            progress(1)
    canvas.save()
    return buffer.getvalue()
