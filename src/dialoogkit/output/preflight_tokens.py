"""Content streams into instructions for the ink preflight: qpdf's tokeniser, bounded.

In: pypdf stream objects and pages of a file being checked, and the ``pdfinput.Limits``.
Out: ``Tokens``: ``decode`` (a stream's unpacked content, unpacked by qpdf where that is safe),
``page_content`` (a page's content streams joined) and ``parse`` (the instructions of a content
stream, only the operators of ``OPERATORS``), refusing a stream larger or with more parts than the
limits allow (``PdfProblem``); ``close`` frees the scratch document.
"""

from __future__ import annotations

import pikepdf

from dialoogkit.i18n import say
from dialoogkit.output.pdfinput import Limits, PdfProblem, token_bound, whole
from dialoogkit.output.preflight_spaces import entry

FAST_FILTERS = ("/FlateDecode", "/ASCII85Decode", "/ASCIIHexDecode", "/Fl", "/A85", "/AHx")
OPERATORS = ("q Q cm w gs cs CS sc scn SC SCN g G rg RG k K BT Tf Tm Tr Tj TJ ' \" "
             "f F f* B B* b b* S s sh Do BI ID EI")


class Tokens:
    """Content streams into instructions: qpdf's tokeniser in one scratch stream, bounded."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.scratch = pikepdf.Pdf.new()
        self.stream = pikepdf.Stream(self.scratch, b"")

    def decode(self, stream: object) -> bytes:
        """The content of a pypdf stream object: unpacked by qpdf when its filters cannot unpack
        past ``Limits.stream_bytes`` (Flate expands at most 1032 times), else by pypdf, bounded."""
        stream = stream.get_object() if hasattr(stream, "get_object") else stream
        raw = getattr(stream, "_data", None)
        filters = entry(stream, "/Filter")
        filters = [filters] if isinstance(filters, str) else filters
        if (isinstance(raw, bytes) and isinstance(filters, list) and filters and entry(stream, "/DecodeParms") is None
                and all(str(f) in FAST_FILTERS for f in filters) and len(raw) * 1100 <= self.limits.stream_bytes):
            try:
                self.stream.write(raw, filter=[pikepdf.Name(str(f)) for f in filters])
                return self.stream.read_bytes()
            except Exception:  # damaged: pypdf says what is wrong
                pass
        if not hasattr(stream, "get_data"):
            raise PdfProblem(say("preflight.not_a_stream"))
        return stream.get_data()

    def page_content(self, page) -> bytes:
        """A page's content streams, joined."""
        contents = entry(page, "/Contents")
        if contents is None:
            return b""
        parts = contents if isinstance(contents, list) else [contents]
        return b"\n".join(self.decode(part) for part in parts[:10_000])

    def parse(self, data: bytes) -> list:
        if len(data) > self.limits.stream_bytes:
            raise PdfProblem(say("output.pdf.limit_unpacked", limit=self.limits.stream_bytes // 2**20))
        if token_bound(data) > self.limits.stream_tokens and len(data) > self.limits.stream_tokens:
            raise PdfProblem(say("output.pdf.limit_tokens", limit=whole(self.limits.stream_tokens)))
        self.stream.write(data)
        return pikepdf.parse_content_stream(self.stream, OPERATORS)

    def close(self) -> None:
        self.scratch.close()
