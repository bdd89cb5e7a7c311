"""One lock for PDFium, which is not thread-safe: the studio draws previews in worker threads while
a kit builds in another, and the team server does the same for many people.

In: nothing.
Out: ``PDFIUM``, a re-entrant lock that every call into ``pypdfium2`` holds (opening a document,
rendering or closing a page, closing the document). The lock is held per call, never across the
work between calls, so one long build does not keep the previews waiting.
"""

from __future__ import annotations

import threading

PDFIUM = threading.RLock()
