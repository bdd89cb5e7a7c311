"""Open a PDF for checking, safely: bounded in pages, objects, unpacked streams, pixels and time.

In: the bytes of a PDF (a file read within ``Limits.file_bytes``, or a build's own output) and the
``Limits`` to keep.
Out: ``token_bound`` (the most tokens a content stream can hold, counted before parsing it); inside
``bounded(limits)`` (pypdf's safety limits set, its log and warnings kept off the
terminal, a deadline running), ``open_reader`` gives a ``pypdf.PdfReader`` whose page tree was
walked and counted; or ``PdfProblem`` saying in plain words what is wrong with the file (not a
PDF, cut off, encrypted, no page tree, a looping page tree, no pages, too many pages or objects)
and what to do. ``describe_error`` puts any error a hostile file can cause inside pypdf or pdfium
into such words; ``CheckTimedOut`` is raised when the deadline passes. ``exit_after`` is the last
resort of the command line for time spent inside C code (rendering), where no deadline can reach.
"""

from __future__ import annotations

import io
import logging
import math
import os
import re
import signal
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING


from dialoogkit.errors import printable, quoted
from dialoogkit.i18n import current_language, say

if TYPE_CHECKING:
    import pypdf
    from pypdf.generic import DictionaryObject

MB = 1024 * 1024
_XREF_ENTRY = re.compile(rb"\d{10} \d{5} [fn]")
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")


@dataclass(frozen=True)
class Limits:
    """What preflight reads of one PDF at most (a kit of 1000 lessons stays far below each)."""

    file_bytes: int = 200 * MB  # such a kit's largest PDF is about 12 MB
    pages: int = 5000  # such a kit's cards-printshop.pdf has 2000 pages
    objects: int = 500_000  # our PDFs hold 3 to 4 objects per page
    stream_bytes: int = 50 * MB  # unpacked, per stream; our largest page content is 100 KB
    stream_tokens: int = 1_000_000  # operators and operands per content stream; ours have 5000
    pixels: int = 25_000_000  # per rendered page (100 MB of bitmap); A3 at 200 dpi is 15.5 million
    seconds: float = 120.0  # per file to open it, plus ``page_seconds_each`` for each of its pages
    page_seconds_each: float = 1.0  # an A3 canvas with its QR check takes 0.5 s, a card 0.03 s
    page_seconds: float = 30.0  # at most for any one page
    page_points: float = 14_400.0  # the largest page side a PDF allows (200 inches, 5080 mm)
    form_depth: int = 12  # form XObjects drawn inside form XObjects; ours nest at most 1 deep
    state_depth: int = 256  # graphics states saved (q) and not yet restored; ours reach 4
    page_operators: int = 2_000_000  # operators interpreted for one page, forms included; ours: 300

    def file_seconds(self, pages: int) -> float:
        """The time budget for checking a PDF of ``pages`` pages."""
        return self.seconds + self.page_seconds_each * pages


LIMITS = Limits()


def whole(number: int) -> str:
    """A whole number with thousands marked as the user's language writes them (500,000 / 500.000)."""
    text = f"{number:,}"
    return text.replace(",", ".") if current_language() == "nl" else text


def _unreadable(key: str, **fields: object) -> str:
    """``not a readable PDF: …`` with what to do about a damaged file."""
    return say(key, fix=say("output.pdf.damaged_fix"), **fields)


class PdfProblem(Exception):
    """What is wrong with a PDF as a whole, in words for the user, with what to do."""


class CheckTimedOut(BaseException):
    """The check of one PDF ran past its time budget (a BaseException, so that no ``except
    Exception`` inside pypdf swallows it); ``page`` is the page that took too long, or 0."""

    def __init__(self, page: int = 0):
        super().__init__(page)
        self.page = page


class Deadline:
    """When the check of one PDF must stop: a budget for the file, grown by ``allow_pages`` once
    its pages are counted, and one for the page being checked (``start_page``). ``check()`` raises
    ``CheckTimedOut`` once either has passed; with the alarm on, that happens by itself."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.end = time.monotonic() + limits.seconds
        self.page, self.page_end = 0, math.inf
        self.alarm = False
        self.held = 0

    @contextmanager
    def holding(self) -> Iterator[None]:
        """No ``CheckTimedOut`` from the alarm in this block (calls into pdfium or zxing, whose
        state an exception raised between two of their steps could leave broken); the deadline is
        checked when the block ends."""
        self.held += 1
        try:
            yield
        finally:
            self.held -= 1
        self.check()
        self.arm()

    def allow_pages(self, pages: int) -> None:
        self.end += self.limits.page_seconds_each * pages
        self.arm()

    def start_page(self, page: int) -> None:
        self.check()
        self.page, self.page_end = page, time.monotonic() + self.limits.page_seconds
        self.arm()

    def remaining(self) -> float:
        return min(self.end, self.page_end) - time.monotonic()

    def check(self) -> None:
        if self.remaining() <= 0:
            raise CheckTimedOut(self.page if self.page_end < self.end else 0)

    def arm(self) -> None:
        """(Re)start the interval timer for the time that remains, when the alarm is in use."""
        if self.alarm:
            signal.setitimer(signal.ITIMER_REAL, max(self.remaining(), 0.001))


def pypdf_limits(limits: Limits) -> dict[str, object]:
    """pypdf's configuration for untrusted files: every unpacking and parsing bounded, no external
    decoder program run."""
    return {
        "maximum_declared_stream_length": limits.file_bytes,
        "zlib_maximum_output_length": limits.stream_bytes,
        "zlib_maximum_recovery_input_length": 1 * MB,
        "lzw_maximum_output_length": limits.stream_bytes,
        "run_length_maximum_output_length": limits.stream_bytes,
        "brotli_maximum_output_length": limits.stream_bytes,
        "jbig2_maximum_output_length": limits.stream_bytes,
        "array_based_stream_maximum_output_length": limits.stream_bytes,
        "image_maximum_buffer_size": limits.stream_bytes,
        "stream_decoding_work_maximum_length": 2 * limits.stream_bytes,
        "stream_parsing_work_maximum_count": limits.stream_tokens,
        "page_tree_maximum_entries": 2 * limits.pages,
        "page_tree_maximum_page_entries": 100 * limits.pages,
        "jbig2dec_binary": None,
    }


@contextmanager
def bounded(limits: Limits = LIMITS) -> Iterator[Deadline]:
    """Run the check of one PDF with pypdf's limits set, its messages silenced and a deadline."""
    import pypdf  # here: a build checks its own files from what it knows, without pypdf

    deadline = Deadline(limits)
    with pypdf.apply_configuration(**pypdf_limits(limits)), _quiet_pypdf(), _alarm(deadline):
        yield deadline


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs and warns about broken files on stderr; a hostile file must not reach the
    terminal that way (findings are reported, cleaned, instead)."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


AGAIN_SECONDS = 0.05  # the alarm rings again this soon after a timeout nobody heard


@contextmanager
def _alarm(deadline: Deadline) -> Iterator[None]:
    """Raise ``CheckTimedOut`` when the deadline passes, even inside a pypdf loop. Only in the main
    thread and only when no one else uses the interval timer; elsewhere ``Deadline.check`` alone."""
    usable = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
              and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
              and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None))
    if not usable:
        yield
        return

    def stop(signum, frame):
        if deadline.held:
            return  # ``holding`` checks when its block ends
        if deadline.remaining() <= 0:
            # Python ignores an exception raised inside a finaliser or a garbage collector
            # callback, where the signal may land: the alarm rings again until one gets through
            signal.setitimer(signal.ITIMER_REAL, AGAIN_SECONDS)
            deadline.check()
        deadline.arm()  # a little early: wait for the rest

    previous = signal.signal(signal.SIGALRM, stop)
    deadline.alarm = True
    deadline.arm()
    try:
        yield
    finally:
        deadline.alarm = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def exit_after(seconds: float, message: str) -> Iterator[None]:
    """The command line's last resort: when still running after ``seconds`` (stuck inside C code,
    where ``CheckTimedOut`` cannot be raised), print ``Error: message`` and exit with status 1."""
    text = say("problem.error", message=printable(message))

    def stop() -> None:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
        os._exit(1)

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


_SPACES = tuple(bytes([c]) for c in b" \n\r\t\f\x00")
_DELIMITERS = tuple(bytes([c]) for c in b"()<>[]{}/%")


def token_bound(data: bytes) -> int:
    """At most how many tokens the content stream ``data`` holds (a token ends at a white space,
    at a delimiter or at the end, and a delimiter may be a token of its own): counted before a
    parser builds them in memory."""
    return 1 + sum(data.count(c) for c in _SPACES) + 2 * sum(data.count(c) for c in _DELIMITERS)


def check_envelope(data: bytes) -> None:
    """A PDF starts with ``%PDF-`` and ends with ``%%EOF``; a file cut off in a copy or a download
    lacks the end."""
    if not data:
        raise PdfProblem(say("output.pdf.empty"))
    if b"%PDF-" not in data[:1024]:
        raise PdfProblem(say("output.pdf.no_header"))
    if b"%%EOF" not in data[-1024:]:
        raise PdfProblem(_unreadable("output.pdf.cut_off"))


def open_reader(data: bytes, limits: Limits = LIMITS) -> pypdf.PdfReader:
    """A reader of ``data`` whose catalog and page tree are sound and within the limits (call it
    inside ``bounded``)."""
    import pypdf

    check_envelope(data)
    check_object_count(data, limits)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), xref_stream_maximum_entries=limits.objects)
    except Exception as exc:  # a hostile file can break pypdf in any way
        raise PdfProblem(_unreadable("output.pdf.unreadable", reason=describe_error(exc, limits))) from None
    if reader.is_encrypted:
        raise PdfProblem(say("output.pdf.encrypted_file"))
    count_objects(reader, limits)
    check_page_tree(reader)
    count_pages(reader, limits)
    return reader


def check_object_count(data: bytes, limits: Limits) -> None:
    """Before pypdf reads a cross-reference table (its memory grows with the entries, 250 MB for a
    million): at most ``limits.objects`` table entries and objects in the file."""
    for pattern, quick in ((_XREF_ENTRY, (b" n", b" f")), (_OBJECT, (b"obj",))):
        if sum(data.count(word) for word in quick) <= limits.objects:
            continue  # a fast upper bound: nothing to count
        for count, _ in enumerate(pattern.finditer(data), 1):
            if count > limits.objects:
                raise PdfProblem(say("output.pdf.too_many_objects", limit=whole(limits.objects)))


def count_objects(reader: pypdf.PdfReader, limits: Limits) -> int:
    """The number of objects in the cross-reference table, at most ``limits.objects``."""
    count = sum(len(table) for table in reader.xref.values()) + len(reader.xref_objStm)
    if count > limits.objects:
        raise PdfProblem(say("output.pdf.objects_counted", count=whole(count), limit=whole(limits.objects)))
    return count


def check_page_tree(reader: pypdf.PdfReader) -> None:
    """The catalog (/Root) holds a page tree (/Pages) with a list of pages (/Kids)."""
    from pypdf.generic import DictionaryObject

    root = _resolved(reader.trailer, "/Root")
    if not isinstance(root, DictionaryObject):
        raise PdfProblem(_unreadable("output.pdf.no_catalog"))
    pages = _resolved(root, "/Pages")
    if not isinstance(pages, DictionaryObject):
        raise PdfProblem(_unreadable("output.pdf.no_page_tree"))
    if not isinstance(_resolved(pages, "/Kids"), list):
        raise PdfProblem(_unreadable("output.pdf.no_kids"))


def _resolved(holder: DictionaryObject, key: str) -> object:
    try:
        value = holder[key]
        return value.get_object() if value is not None else None
    except Exception:  # a missing, dangling or unparsable reference
        return None


def count_pages(reader: pypdf.PdfReader, limits: Limits) -> int:
    """The number of pages, between 1 and ``limits.pages``, from walking the page tree."""
    try:
        count = len(reader.pages)
    except Exception as exc:
        raise PdfProblem(_page_tree_problem(exc, limits)) from None
    if count == 0:
        raise PdfProblem(say("output.pdf.no_pages"))
    if count > limits.pages:
        raise PdfProblem(say("output.pdf.too_many_pages", count=whole(count), limit=whole(limits.pages)))
    return count


def _page_tree_problem(exc: Exception, limits: Limits) -> str:
    from pypdf.errors import LimitReachedError

    if "cycl" in str(exc).lower():
        return _unreadable("output.pdf.page_tree_loop")
    if isinstance(exc, LimitReachedError):
        return say("output.pdf.page_tree_too_large", limit=whole(limits.pages))
    return _unreadable("output.pdf.unreadable", reason=describe_error(exc, limits))


def describe_error(exc: BaseException, limits: Limits = LIMITS) -> str:
    """What a pypdf, pdfium or Python error raised by a damaged or hostile PDF means, in words."""
    from pypdf.errors import EmptyFileError, FileNotDecryptedError, LimitReachedError, PyPdfError

    text = str(exc).lower()
    if isinstance(exc, PdfProblem):
        return str(exc)
    if isinstance(exc, RecursionError) or isinstance(_root_cause(exc), RecursionError):
        return say("output.pdf.nested")
    if isinstance(exc, MemoryError):
        return say("output.pdf.memory")
    if isinstance(exc, LimitReachedError):
        return _describe_limit(text, limits)
    if isinstance(exc, FileNotDecryptedError):
        return say("output.pdf.encrypted")
    if isinstance(exc, EmptyFileError):
        return say("output.pdf.empty_file")
    if "cyclic" in text or "cycle" in text or "loop" in text:
        return say("output.pdf.object_loop")
    if isinstance(exc, PyPdfError):
        return say("output.pdf.damaged", detail=quoted(exc, 80))
    return say("output.pdf.damaged_kind", kind=type(exc).__name__, detail=quoted(exc, 80))


def _root_cause(exc: BaseException) -> BaseException:
    """The first error of a chain (pypdf wraps some in ``PdfReadError``), at most 20 links down."""
    for _ in range(20):
        cause = exc.__cause__ or exc.__context__
        if cause is None:
            break
        exc = cause
    return exc


def _describe_limit(text: str, limits: Limits) -> str:
    if "page tree" in text:
        return say("output.pdf.limit_page_tree", limit=whole(limits.pages))
    if "token" in text or "parsing" in text:
        return say("output.pdf.limit_tokens", limit=whole(limits.stream_tokens))
    if any(word in text for word in ("decompress", "decoding", "length", "buffer", "size")):
        return say("output.pdf.limit_unpacked", limit=limits.stream_bytes // MB)
    return say("output.pdf.limit_other", detail=quoted(text, 80))
