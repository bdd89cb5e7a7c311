"""``canvases.pdf``: the A3 canvases, or A2/A1/A0 by scaling the A3 design as vector.

In: a ``PosterPlan`` and a ``PosterSize``.
Out: PDF bytes, one landscape page per canvas; CMYK colours, embedded fonts, invariant output.
"""

from __future__ import annotations

import io
from typing import Callable

from dialoogkit.generator.display import render_face
from dialoogkit.generator.posters.plan import PosterPlan
from dialoogkit.layouts.posters import A3_HEIGHT, A3_WIDTH, PosterSize
from dialoogkit.output.document import DocumentInfo, open_canvas


def render_canvases(plan: PosterPlan, size: PosterSize, info: DocumentInfo,
                    progress: Callable[[int], None] | None = None) -> bytes:
    """Draw every canvas on its own page of ``size``, scaled from A3 and centred."""
    width, height = size.page
    factor = size.factor
    buffer = io.BytesIO()
    canvas = open_canvas(buffer, (width, height), info)
    for _, face in plan.faces:
        canvas.saveState()
        canvas.translate((width - A3_WIDTH * factor) / 2, (height - A3_HEIGHT * factor) / 2)
        canvas.scale(factor, factor)
        render_face(canvas, face)
        canvas.restoreState()
        canvas.showPage()
        if progress:
            progress(1)
    canvas.save()
    return buffer.getvalue()
