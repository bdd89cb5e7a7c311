"""PDFium is not thread-safe: every call into it holds one lock, so previews drawn in the studio's
worker threads and a kit built in another thread never call it at the same time (a server process
once died with a corrupted heap when two did)."""

from __future__ import annotations

import threading

import pypdfium2

from dialoogkit.output import png
from dialoogkit.output.pdfium_lock import PDFIUM


def a_pdf(pages: int = 3) -> bytes:
    import io

    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(200, 200))
    for number in range(pages):
        canvas.drawString(20, 100, f"pagina {number + 1}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_every_pdfium_call_of_the_rendering_holds_the_lock(monkeypatch):
    held: list[bool] = []
    real_document = pypdfium2.PdfDocument

    class Watched(real_document):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs):
            held.append(PDFIUM._is_owned())
            super().__init__(*args, **kwargs)

        def __getitem__(self, index):
            held.append(PDFIUM._is_owned())
            return super().__getitem__(index)

        def close(self):
            held.append(PDFIUM._is_owned())
            return super().close()

    monkeypatch.setattr(png.pdfium, "PdfDocument", Watched)
    images = list(png.render_pages(a_pdf(), width_px=100))
    assert len(images) == 3 and held and all(held)


def test_threads_rendering_at_once_get_every_page_right():
    data = a_pdf(4)
    expected = [image.tobytes() for image in png.render_pages(data, width_px=120)]
    results: list[list[bytes]] = []
    start = threading.Barrier(6)

    def render() -> None:
        start.wait()
        results.append([image.tobytes() for image in png.render_pages(data, width_px=120)])

    threads = [threading.Thread(target=render) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 6
