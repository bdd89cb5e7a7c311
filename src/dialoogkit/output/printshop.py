"""``cards-printshop.pdf``: one card face per page with bleed, for a print shop.

In: a ``DeckPlan``, the bleed in points (0–5 mm) and the document facts (with the output intent).
Out: PDF bytes: front then back per card (each face drawn once and, when ``Recordings`` are
given, its ``generator.recording.Recording`` kept by the face's id, for the office sheets and the
card images to replay); each page is trim plus bleed on every side, with
TrimBox and BleedBox set (MediaBox = BleedBox); bands and backgrounds run into the bleed; colours
are CMYK. With an output intent in the facts the file is PDF/X-1a:2001 (``output.document``):
identified, with its output intent, and without annotations (QR codes are not clickable here).
"""

from __future__ import annotations

import io
from typing import Callable

from dialoogkit.generator.plan import DeckPlan
from dialoogkit.generator.recording import Recordings, plan_seed, record_face, seed_fonts
from dialoogkit.output.document import DocumentInfo, open_canvas


def render_printshop(plan: DeckPlan, bleed: float, info: DocumentInfo,
                     progress: Callable[[int], None] | None = None,
                     recordings: Recordings | None = None) -> bytes:
    """Draw every face on its own page with ``bleed`` points around the trim; each face's recording
    goes into ``recordings`` (by ``id(face)``), with the seed of the file's fonts."""
    geo = plan.geometry
    page = (geo.width + 2 * bleed, geo.height + 2 * bleed)
    buffer = io.BytesIO()
    canvas = open_canvas(buffer, page, info)
    canvas.setTrimBox([bleed, bleed, bleed + geo.width, bleed + geo.height])
    canvas.setBleedBox([0, 0, page[0], page[1]])
    seed = plan_seed(plan.all_faces)
    seed_fonts(canvas, seed)
    if recordings is not None:
        recordings.seed = seed
    for front, back in plan.printed_faces:
        for face in (front, back):
            canvas.saveState()
            canvas.translate(bleed, bleed)
            recording = record_face(canvas, face, bleed)
            if recordings is not None:
                recordings.faces[id(face)] = recording
            canvas.restoreState()
            canvas.showPage()
        if progress:
            progress(2)
    canvas.save()
    return buffer.getvalue()
