"""The bad-input corpus: every broken or hostile deck file in ``tests/corpus/`` (plus a few made at
test time: huge, binary, deeply nested, symbolic links) with the exact error it must give.

Every entry runs the real command line in a subprocess (``python -m dialoogkit``), the way a deck
author or a server would, and must:

* exit with status 1 (0 for the files that are accepted), never show a traceback;
* print ``Error: `` and one line per problem, each naming the file, the line (``NAME.yaml:LINE:``)
  and the field where there is one, plus a distinctive phrase;
* never echo control characters (terminal escapes) or bidi overrides from the deck;
* stay under ``MEMORY_CAP`` of address space: a resource limit (``RLIMIT_AS``) set on the child,
  so a run that needs more fails there and then (MemoryError or a crash) and the test says it
  exceeded the memory cap; and end before ``TIMEOUT``, a guard against hangs only. How fast the
  runs are is measured by ``benchmarks/bench_corpus.py``, never asserted here (wall time flakes
  on a loaded machine);
* write nothing: not in the working folder, not next to the deck, and for ``build`` not in the
  output folder.

Stages: ``load`` problems fail ``check`` and ``build``; ``fit`` problems pass a plain ``check`` but
fail ``check --format a6`` and ``build``; ``build`` problems fail only ``build`` (canvases); ``ok``
files are accepted and build. The reportlab-markup decks must build and show their markup literally.

The entries run in parallel threads (one subprocess each); every test then checks its own results.
"""

from __future__ import annotations

import io
import os
import pty
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"
TIMEOUT = 60.0  # seconds before a run is killed: a hang guard, not a speed limit (see benchmarks/bench_corpus.py)
# Address space per run (RLIMIT_AS, set in the child before it starts dialoogkit). A full
# `dialoogkit build` of the standard deck, PNGs included, needs about 136 MiB of address space
# (Python, reportlab, pypdfium2 and PIL map a lot; found by bisecting `prlimit --as=N` on Linux
# x86-64, Python 3.11); `check` of it about 73 MiB, a `--no-png` build about 97 MiB, and the
# heaviest corpus runs (the accepted decks' builds) about 93 MiB. The cap allows a little over
# twice the full build: 320 MiB.
MEMORY_CAP = 320 * 2**20
# `report` checks every text for names with the name finder, whose tables map about 1 GiB: a report
# in four scripts needs about 1.3 GiB of address space (bisected the same way), so its cap is 2.5 GiB.
REPORT_MEMORY_CAP = 2560 * 2**20
# What a run says when it hits the cap: Python's MemoryError (dialoogkit reports it as an internal
# error), or a library that cannot map or allocate memory. Any other unexpected end (an internal
# error, a crash) is run again without the cap to tell whether the cap caused it.
OUT_OF_MEMORY = re.compile(r"MemoryError|failed to map segment|cannot allocate memory|bad_alloc|out of memory",
                           re.IGNORECASE)
WORKERS = max(1, min(2, os.cpu_count() or 1))
# C0 controls except newline, DEL, C1 controls and bidi overrides/isolates: never echoed from a deck.
FORBIDDEN_CHARS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "200"}


# --------------------------------------------------------------------------- files made at test time


def _png(width: int = 200, height: int = 200) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (29, 92, 122)).save(buffer, format="PNG")
    return buffer.getvalue()


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "deck" / f"{name}.yaml"
        path.parent.mkdir()
        path.write_bytes(data)
        return path

    return make


def _huge(folder: Path) -> Path:
    """About 5 MB: a valid deck head followed by the same lesson over and over."""
    text = (CORPUS / "bom_accepted.yaml").read_bytes()[3:].decode("utf-8")
    head, _, lesson = text.partition("lessons:\n")
    body = "".join(lesson.replace("buren-kennen", f"les-{i}") for i in range(5 * 1024 * 1024 // len(lesson) + 1))
    return _write("huge_file", f"# about 5 MB of lessons\n{head}lessons:\n{body}".encode())(folder)


def _many_values(folder: Path) -> Path:
    """Just under the size limit: one flow list of about a million one-letter values."""
    count = (2 * 1024 * 1024 - 64) // 2
    return _write("many_values", b"id: corpus\nregion: [" + b",".join([b"a"] * count) + b"]\n")(folder)


def _deep_brackets(folder: Path) -> Path:
    return _write("deep_brackets", b"id: corpus\nregion: " + b"[" * 10000 + b"]" * 10000 + b"\n")(folder)


def _deep_braces(folder: Path) -> Path:
    return _write("deep_braces", b"id: corpus\nregion: " + b"{a: " * 10000 + b"b" + b"}" * 10000 + b"\n")(folder)


def _random_bytes(folder: Path) -> Path:
    data = bytearray(random.Random(7).randbytes(64 * 1024))
    data[100] = 0
    return _write("binary_random", bytes(data))(folder)


def _random_high_bytes(folder: Path) -> Path:
    rng = random.Random(8)
    return _write("binary_no_nul", bytes(rng.randrange(0x80, 0x100) for _ in range(4096)))(folder)


def _png_renamed(folder: Path) -> Path:
    return _write("png_renamed", _png(64, 64))(folder)


def _logo_link(name: str, folder_link: bool) -> Callable[[Path], Path]:
    """The corpus deck in its own folder, with a logo that is a symbolic link to a real PNG outside it
    (``folder_link``: the link is the folder ``beeld`` the logo sits in)."""

    def make(folder: Path) -> Path:
        deck_dir, outside = folder / "deck", folder / "outside"
        deck_dir.mkdir()
        outside.mkdir()
        (outside / "logo.png").write_bytes(_png())
        if folder_link:
            (deck_dir / "beeld").symlink_to(outside, target_is_directory=True)
        else:
            (deck_dir / "logo.png").symlink_to(outside / "logo.png")
        return Path(shutil.copy(CORPUS / f"{name}.yaml", deck_dir))

    return make


def _beside(name: str, setup: Callable[[Path, Path], None]) -> Callable[[Path], Path]:
    """The corpus deck copied into ``folder/deck``, after ``setup(deck_folder, folder)`` made the
    files it names (links, pipes, broken images) there or around it."""

    def make(folder: Path) -> Path:
        deck_dir = folder / "deck"
        deck_dir.mkdir()
        setup(deck_dir, folder)
        return Path(shutil.copy(CORPUS / f"{name}.yaml", deck_dir))

    return make


SECRET = "root:x:0:0:root:/root:/bin/bash\n"


def _secret_outside(deck_dir: Path, folder: Path) -> None:
    (folder / "outside").mkdir()
    (folder / "outside" / "geheim.yaml").write_text(SECRET, encoding="utf-8")
    (deck_dir / "ouder.yaml").symlink_to(folder / "outside" / "geheim.yaml")


def _png_header(width: int, height: int) -> bytes:
    """A PNG signature and IHDR claiming ``width``×``height``, with one tiny IDAT and IEND."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _lying_jpeg(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header is changed to claim ``width``×``height``."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 60)).save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


def _truncated_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (400, 400), random.Random(3).randbytes(400 * 400 * 3)).save(buffer, format="PNG")
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


def _special_deck(name: str, kind: str) -> Callable[[Path], Path]:
    """The deck itself is a named pipe, or a link to a device."""

    def make(folder: Path) -> Path:
        path = folder / "deck" / f"{name}.yaml"
        path.parent.mkdir()
        if kind == "fifo":
            os.mkfifo(path)
        else:
            path.symlink_to("/dev/zero")
        return path

    return make


# --------------------------------------------------------------------------- checks of accepted decks


def _normalised(text: str) -> str:
    """Text without white space and hyphens: line breaks and hyphenation may fall anywhere."""
    return re.sub(r"[\s\-\u00ad]", "", text)


def _strings(value, path: str = ""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index + 1}]")
    elif isinstance(value, str):
        yield path, value


def _printed_literally(deck: Path, kit: Path) -> list[str]:
    """Every text of the deck with markup characters appears as typed in the kit's PDFs."""
    import yaml
    from pypdf import PdfReader

    pdfs = sorted(kit.glob("*.pdf"))
    if not pdfs:
        return [f"no PDFs in {kit}"]
    printed = _normalised("".join(page.extract_text() for pdf in pdfs for page in PdfReader(pdf).pages))
    data = yaml.safe_load(deck.read_text(encoding="utf-8"))
    return [f"{path} is not printed literally: {text!r}" for path, text in _strings(data)
            if re.search(r"[<&]", text) and not path.endswith("url") and _normalised(text) not in printed]


def _built(deck_id: str, parts: tuple[str, ...]) -> Callable[[Path, Path], list[str]]:
    def verify(deck: Path, out: Path) -> list[str]:
        kit = out / deck_id
        return [f"{name} was not written" for name in parts if not (kit / name).is_file()]

    return verify


def _markup(deck: Path, out: Path) -> list[str]:
    kit = out / "markup"
    problems = _built("markup", ("cards-sheets.pdf", "cards-printshop.pdf", "canvases.pdf", "guide.pdf"))(deck, out)
    if (kit / "cards-printshop.pdf").is_file():
        problems += _printed_literally(deck, kit)
    problems += [f"the exploit ran: {path} exists" for path in out.rglob("pwned*")]
    problems += [f"the exploit ran: {path} exists" for path in (Path("/tmp/pwned"), Path("/tmp/pwned-cve"))
                 if path.exists()]
    return problems


# --------------------------------------------------------------------------- the corpus


ANY_LINE = -1


@dataclass(frozen=True)
class Case:
    """One corpus file and what dialoogkit must say about it.

    ``line`` is the line the (first) message must name as ``NAME.yaml:LINE:`` (``None``: the file
    as a whole, ``NAME.yaml: ``; ``ANY_LINE``: given by ``any_of`` instead); ``file`` overrides the file the message names; ``field`` must
    appear as ``field '…'``; every string in ``expect`` must appear, and one of each tuple in
    ``any_of``; nothing in ``forbid`` may. ``problems`` is the number of problem lines (0: as many as
    each command's stages find).
    ``terminal``: also run a plain ``check`` with stdout on a terminal (it must print no escapes).
    ``report``: the file is a results file, run through ``report`` (``ok``: the report is made)
    instead of ``check`` and ``build``. ``with_flag``: the refusal must hold with
    ``--allow-parent-folder`` too (a path no permission opens), run as a second command.
    """

    name: str
    line: int | None
    expect: tuple[str, ...] = ()
    field: str | None = None
    stage: str = "load"
    problems: int = 1
    file: str | None = None
    any_of: tuple[tuple[str, ...], ...] = ()
    forbid: tuple[str, ...] = ()
    terminal: bool = False
    make: Callable[[Path], Path] | None = None
    verify: Callable[[Path, Path], list[str]] | None = None
    report: bool = False
    with_flag: bool = False

    def expected(self) -> list[str]:
        where = f"/{self.file or self.name}.yaml:" + (f"{self.line}: " if self.line else " ")
        return [*([where] if self.line != ANY_LINE else []), *([f"field '{self.field}'"] if self.field else []), *self.expect]


def L(name: str, line: int | None, *expect: str, **kw) -> Case:
    return Case(name, line, tuple(expect), **kw)


WRONG_TYPES = [(2, "id"), (3, "language"), (4, "title"), (5, "subtitle"), (6, "source"), (7, "themes"),
               (8, "pillars"), (9, "audiences"), (10, "lessons"), (11, "contacts"), (12, "sessions")]

CASES = [
    # ------------------------------------------------------------ invalid YAML, tabs
    L("yaml_unclosed_quote", 18, "not valid YAML", "never closed"),
    L("yaml_bad_indentation", 17, "not valid YAML", "indented 5 spaces", "line it up with `theme:`"),
    L("yaml_stray_colon", 18, "not valid YAML", "between quotes"),
    L("yaml_unclosed_bracket", 7, "not valid YAML", "']'"),
    L("yaml_unclosed_flow_mapping", 9, "not valid YAML", "'}'"),
    L("yaml_two_documents", 28, "not valid YAML", "'---' starts a second deck"),
    L("yaml_tab_indentation", 16, "tab character", "indent with spaces"),
    L("yaml_python_tag", 18, "YAML tags", "python/object/apply", "not allowed"),
    L("yaml_merge_key", 15, "merge keys (<<) are not allowed"),
    # plain words for every kind of YAML mistake, at the line to change (test_first_users.py also checks that no
    # parser term such as "block end" or "indicator" reaches the user, with both YAML parsers)
    L("yaml_unquoted_colour_flow", 9, "not valid YAML", "needs quotes", "# starts a comment", 'colour: "#1D5C7A"'),
    L("yaml_question_without_text", 23, "bare text", "write it as - text: Hoe leer je nieuwe buren kennen?",
      field="questions[2]"),
    L("yaml_question_bare_with_audience", 21, "not valid YAML", "bare text", "- text: Wie ken jij in je straat?"),
    L("yaml_missing_dash", 23, "not valid YAML", "does not start with '- '", "- text: Hoe leer je"),
    L("yaml_dash_without_space", 21, "not valid YAML", "needs a space after it", "- text: Wie ken jij"),
    L("yaml_apostrophe_in_quotes", 18, "not valid YAML", "a ' inside the text closes it", "written twice"),
    L("yaml_missing_colon", 18, "not valid YAML", "has no ':' after the field name", "statement: Wie zijn buren"),
    L("yaml_no_space_after_colon", 4, "not valid YAML", "needs a space after the colon", "title: Corpus testdeck"),
    L("yaml_text_starts_with_bracket", 18, "not valid YAML", "starts with '[' must be between quotes",
      'statement: "[Voorbeeld] Wie'),
    L("yaml_unclosed_list_at_end", 27, "not valid YAML", "never closed with ']'"),
    L("yaml_override_indentation", 7, "not valid YAML", "indented 3 spaces", "like `statement:` on line 6"),
    Case("override_field_not_indented", 5, problems=2, expect=(
        "nothing is indented under 'actieve-bewoners'",
        "/override_field_not_indented.yaml:6: field 'override.statement': 'statement' is a field of a lesson")),
    L("select_unknown_lesson", 4, "lesson 'ontmoetingsplek' is not in the deck", "did you mean",
      "1 financiering-naar-schaal", "10 sleutelrollen-in-de-buurt", forbid=("…",), field="select[2]"),
    # ------------------------------------------------------------ encodings, binary, empty
    L("not_utf8_latin1", 19, "not UTF-8"),
    L("binary_no_nul", 1, "not UTF-8", make=_random_high_bytes),
    L("binary_random", None, "binary file", make=_random_bytes),
    L("png_renamed", None, "binary file", make=_png_renamed),
    L("empty", None, "the file is empty"),
    L("whitespace_only", None, "the file is empty"),
    L("comment_only", None, "the file is empty"),
    L("bom_accepted", None, stage="ok", verify=_built("corpus-bom", ("cards-printshop.pdf", "canvases.pdf"))),
    # ------------------------------------------------------------ a list (or text) where a mapping belongs
    L("top_level_list", 2, "expected a deck", "found a list"),
    L("top_level_text", 2, "expected a deck", "Dit is geen deck"),
    L("themes_list", 8, "expected a block of fields", "found a list", field="themes"),
    L("lesson_is_text", 28, "lesson number 2", "expected a block of fields", "'Buren kennen helpt'"),
    # ------------------------------------------------------------ wrong types
    L("title_list", 4, "expected text, found a list", field="title"),
    L("questions_text", 20, "lesson 'buren-kennen'", "expected a list", field="questions"),
    L("lesson_id_mapping", 15, "lesson number 1", "expected text, found a block of fields", field="id"),
    L("colour_number", 9, "'1234567' is not a colour", field="themes.wonen.colour"),
    L("colour_unquoted", 11, "put it in quotes", field="themes.wonen.colour"),
    L("session_minutes_text", 31, field="sessions[1].minutes", any_of=(("integer", "whole number", "negentig"),)),
    L("publishers_mapping", 7, "expected a list", field="source.publishers"),
    L("language_unknown", 3, "'fr' is not allowed", "nl, en", field="language"),
    Case("wrong_types_everywhere", 2, problems=len(WRONG_TYPES),
         expect=tuple(f"/wrong_types_everywhere.yaml:{line}: field '{name}': " for line, name in WRONG_TYPES)),
    # ------------------------------------------------------------ missing required fields
    L("missing_title", 2, "required field is missing", field="title"),
    L("missing_lessons", 2, "required field is missing", field="lessons"),
    L("missing_statement", 15, "lesson 'buren-kennen'", "required field is missing", field="statement"),
    L("missing_question_text", 23, "required field is missing", field="questions[2].text"),
    L("missing_source_url", 26, "required field is missing", field="sources[1].url"),
    L("empty_statement", 18, "is empty", field="statement"),
    # ------------------------------------------------------------ unknown keys
    L("unknown_key_top", 5, "unknown key 'subtitel'", "did you mean 'subtitle'?", field="subtitel"),
    L("unknown_key_lesson", 20, "lesson 'buren-kennen'", "unknown key 'tip'", "did you mean 'tips'?", field="tip"),
    L("unknown_key_source", 28, "unknown key 'datum'", "title, url", field="sources[1].datum"),
    # ------------------------------------------------------------ duplicates
    L("duplicate_key", 19, "'statement' appears twice", "first on line 18"),
    L("duplicate_key_flow", 9, "'label' appears twice"),
    L("duplicate_lesson_id", 28, "'buren-kennen' is already used by lesson 1", field="id"),
    # ------------------------------------------------------------ aliases, size, nesting
    L("billion_laughs", 15, "aliases (*name) are not allowed"),
    L("billion_laughs_in_statement", 4, "aliases (*name) are not allowed"),
    L("huge_file", None, "larger than the", "KB", make=_huge),
    L("many_values", 2, "values", make=_many_values),
    L("deep_brackets", 2, "nest", make=_deep_brackets),
    L("deep_braces", 2, "nest", make=_deep_braces),
    L("deep_mappings", 44, "nested too deeply"),
    # ------------------------------------------------------------ long words and texts
    L("long_word_statement", 18, "too long (5000 characters, at most 4000)", field="statement"),
    L("long_title", 4, "too long", field="title"),
    # plain `check` fits the cards (A6), the canvases and the guide, so these are found without
    # --format, on the card and on the canvas (2 problems); a build stops at the cards (1)
    L("long_explanation", 19, "does not fit", "overflows by", field="explanation", stage="load", problems=0,
      any_of=(("a6 card",),)),
    L("long_word_explanation", 19, "does not fit", "overflows by", field="explanation", stage="load", problems=0,
      any_of=(("a6 card",),)),
    # a long title (within the 300-character limit) shrinks to fit the canvas headers: accepted
    L("title_too_long_for_canvas", None, stage="ok"),
    L("canvas_header_too_long", ANY_LINE, "canvas", stage="load", forbid=("field 'header'",),
      any_of=(("/canvas_header_too_long.yaml:9: ", "/canvas_header_too_long.yaml:11: "),
              ("field 'themes.wonen.label'", "field 'pillars.mensen.label'"))),
    # ------------------------------------------------------------ control characters
    L("control_char_escape", 18, "U+0007", field="statement", stage="load"),
    L("control_char_raw", 18, any_of=(("control character", "U+0007", "#x0007"),)),
    L("escape_sequence_escape", 4, "U+001B", field="title", stage="load", terminal=True),
    L("escape_sequence_raw", 4, any_of=(("control character", "U+001B", "#x001b"),)),
    L("nul_escape", 21, "U+0000", field="questions[1].text", stage="load"),
    # ------------------------------------------------------------ characters no font has; other scripts print
    L("rtl_hebrew", None, stage="ok", verify=_built("corpus", ("cards-printshop.pdf", "canvases.pdf"))),
    L("rtl_arabic", None, stage="ok", verify=_built("corpus", ("cards-printshop.pdf", "canvases.pdf"))),
    L("emoji_title", 4, "cannot print", "U+1F600", field="title", stage="load"),
    L("rtl_override", 26, "control character", "U+202E", field="sources[1].title", stage="load"),
    # ------------------------------------------------------------ reportlab markup: printed literally
    L("markup_exploit", None, stage="ok", verify=_markup),
    L("markup_tags", None, stage="ok", verify=_markup),
    # ------------------------------------------------------------ addresses
    L("url_javascript", 27, "'javascript:'", field="sources[1].url"),
    L("url_file", 27, "'file:'", field="sources[1].url"),
    L("url_data", 27, "'data:'", field="sources[1].url"),
    L("url_space", 27, "may not contain spaces", field="sources[1].url"),
    L("url_no_host", 27, "no host name", field="sources[1].url"),
    L("url_too_long", 27, "too long (2100 characters, at most 2000)", field="sources[1].url"),
    L("url_too_long_for_qr", 27, "QR", "use a shorter address", field="sources[1].url", stage="load",
      problems=0, any_of=(("on the card",),)),  # check: on the card and in the guide; build: the card
    # ------------------------------------------------------------ logo paths
    L("logo_dotdot", 5, "outside the folder of", field="logo"),
    L("logo_absolute", 5, "outside the folder of", field="logo"),
    L("logo_symlink", 5, "outside the folder of", field="logo", make=_logo_link("logo_symlink", False)),
    L("logo_symlink_folder", 5, "outside the folder of", field="logo",
      make=_logo_link("logo_symlink_folder", True)),
    L("logo_not_image", 5, "not a PNG or JPEG", field="logo"),
    # ------------------------------------------------------------ extends
    L("extends_self", 2, "cycle", "extends_self.yaml → extends_self.yaml", field="extends"),
    L("extends_cycle_a", 2, "cycle", field="extends", file="extends_cycle_b"),
    L("extends_cycle_b", 2, "cycle", field="extends", file="extends_cycle_a"),
    L("extends_missing", 2, "'bestaat-niet.yaml' it extends does not exist", field="extends"),
    L("extends_list", 2, "must name a deck", field="extends"),
    L("extends_absolute", 2, field="extends", forbid=("root:",)),
    L("extends_symlink_out", 2, "'ouder.yaml' is a link that leads outside the folder of", field="extends",
      forbid=("root:",), make=_beside("extends_symlink_out", _secret_outside)),
    L("extends_dotdot", 2, "'../geheim.yaml' leads outside the folder of", "--allow-parent-folder",
      field="extends", forbid=("root:",),
      make=_beside("extends_dotdot", lambda d, f: (f / "geheim.yaml").write_text(SECRET, encoding="utf-8"))),
    L("extends_dotdot_proc", 2, "leads outside the folder of", field="extends", forbid=("/dev/",)),
    L("extends_fifo", 2, "named pipe", field="extends", make=_beside("extends_fifo", lambda d, f: os.mkfifo(d / "pijp.yaml"))),
    L("extends_folder", 2, "it is a folder", field="extends",
      make=_beside("extends_folder", lambda d, f: (d / "map.yaml").mkdir())),
    L("extends_long_name", 2, "name is too long", field="extends"),
    L("extends_escape_path", 2, "U+001B]0;owned", field="extends", terminal=True),
    # ------------------------------------------------------------ companion: the same gate as extends and logo
    L("companion_absolute", 5, "'/etc/dialoogkit/engels.yaml' is outside the folder of companion_absolute.yaml",
      "(an absolute path)", field="companion", with_flag=True),
    L("companion_proc", 5, "/proc/self/environ", field="companion", forbid=("PATH=",), with_flag=True),
    L("companion_dotdot", 5, "'../geheim.yaml' leads outside the folder of companion_dotdot.yaml",
      "--allow-parent-folder", field="companion", forbid=("root:",),
      make=_beside("companion_dotdot", lambda d, f: (f / "geheim.yaml").write_text(SECRET, encoding="utf-8"))),
    L("companion_symlink_out", 5, "'ouder.yaml' is a link that leads outside the folder of companion_symlink_out.yaml",
      field="companion", forbid=("root:",), with_flag=True, make=_beside("companion_symlink_out", _secret_outside)),
    L("companion_link_proc", 5, "'omgeving.yaml'", field="companion", forbid=("PATH=",), with_flag=True,
      make=_beside("companion_link_proc", lambda d, f: (d / "omgeving.yaml").symlink_to("/proc/self/environ"))),
    L("companion_fifo", 5, "named pipe", field="companion", with_flag=True,
      make=_beside("companion_fifo", lambda d, f: os.mkfifo(d / "pijp.yaml"))),
    L("companion_folder", 5, "it is a folder", field="companion",
      make=_beside("companion_folder", lambda d, f: (d / "map.yaml").mkdir())),
    # ------------------------------------------------------------ a results file's deck: and sender logo, through report
    L("results_deck_absolute", 2, "'/etc/dialoogkit/deck.yaml' is outside the folder of results_deck_absolute.yaml",
      field="deck", report=True, with_flag=True),
    L("results_deck_not_a_deck", 2, "'/etc/passwd' is not a deck", field="deck", forbid=("root:",), report=True,
      with_flag=True),
    L("results_deck_dotdot", 2, "'../geheim.yaml' leads outside the folder of results_deck_dotdot.yaml",
      "--allow-parent-folder", field="deck", forbid=("root:",), report=True,
      make=_beside("results_deck_dotdot", lambda d, f: (f / "geheim.yaml").write_text(SECRET, encoding="utf-8"))),
    L("results_deck_symlink_out", 2, "'ouder.yaml' is a link that leads outside the folder of results_deck_symlink_out.yaml",
      field="deck", forbid=("root:",), report=True, with_flag=True, make=_beside("results_deck_symlink_out", _secret_outside)),
    L("results_deck_link_proc", 2, "'omgeving.yaml'", field="deck", forbid=("PATH=",), report=True, with_flag=True,
      make=_beside("results_deck_link_proc", lambda d, f: (d / "omgeving.yaml").symlink_to("/proc/self/environ"))),
    L("results_deck_fifo", 2, "named pipe", field="deck", report=True, with_flag=True,
      make=_beside("results_deck_fifo", lambda d, f: os.mkfifo(d / "pijp.yaml"))),
    L("results_logo_absolute", 5, "'/etc/passwd' is outside the folder of results_logo_absolute.yaml",
      field="sender.logo", forbid=("root:",), report=True, with_flag=True),
    L("results_logo_dotdot", 5, "'../geheim.png' leads outside the folder of results_logo_dotdot.yaml",
      "--allow-parent-folder", field="sender.logo", forbid=("root:",), report=True,
      make=_beside("results_logo_dotdot", lambda d, f: (f / "geheim.png").write_text(SECRET, encoding="utf-8"))),
    L("results_logo_fifo", 5, "named pipe", field="sender.logo", report=True, with_flag=True,
      make=_beside("results_logo_fifo", lambda d, f: os.mkfifo(d / "pijp.png"))),
    # ------------------------------------------------------------ one road for every text: joiners kept, direction controls refused
    L("text_zwnj_persian", None, stage="ok", verify=_built("corpus", ("cards-printshop.pdf", "canvases.pdf", "guide.pdf"))),
    L("text_joiners_soft_hyphens", None, stage="ok", verify=_built("corpus", ("cards-printshop.pdf", "guide.pdf"))),
    L("text_byte_order_marks", None, stage="ok", verify=_built("corpus", ("cards-printshop.pdf", "guide.pdf"))),
    L("text_bidi_embedding", 19, "U+202B", field="explanation"),
    L("text_bidi_pop", 21, "U+202C", field="questions[1].text"),
    L("text_bidi_isolate", 18, "U+2067", field="statement"),
    L("phone_persian_digits", None, stage="ok", verify=_built("corpus", ("cards-printshop.pdf",))),
    L("phone_not_a_number", 7, "'bel maar aan' is not a phone number", field="contacts[1].phone"),
    L("text_noncharacter", 18, "U+FFFF", "no character", field="statement"),
    L("text_invisible_only", 19, "shows nothing", "U+00AD, U+200C, U+200D", field="explanation"),
    L("results_addressees_same", 8, "same addressee", field="addressees", report=True),
    L("results_text_bidi_isolate", 6, "U+2066", "lesson 'financiering-naar-schaal'", field="agreements[1].what",
      report=True),
    L("results_text_any_script", None, stage="ok", report=True,
      verify=_built("standaard", ("na-de-sessie/verslag.pdf", "na-de-sessie/verslag.docx"))),
    # ------------------------------------------------------------ the deck itself is no file
    L("deck_fifo", None, "named pipe", make=_special_deck("deck_fifo", "fifo")),
    L("deck_device", None, "a device", make=_special_deck("deck_device", "device")),
    # ------------------------------------------------------------ keys that would fill or hijack the terminal
    L("key_escape", 3, "unknown key '?[2J?]0;owned?'", terminal=True),
    L("key_very_long", 3, "unknown key 'kkkk", forbid=("k" * 100,)),
    # ------------------------------------------------------------ logos that are no image, or lie about their size
    L("logo_fifo", 5, "named pipe", field="logo", make=_beside("logo_fifo", lambda d, f: os.mkfifo(d / "logo.png"))),
    L("logo_folder", 5, "it is a folder", field="logo",
      make=_beside("logo_folder", lambda d, f: (d / "beeld.png").mkdir())),
    L("logo_header_bomb", 5, "megapixels", field="logo",
      make=_beside("logo_header_bomb", lambda d, f: (d / "logo.png").write_bytes(_png_header(100_000, 100_000)))),
    L("logo_lying_jpeg", 5, "megapixels", field="logo",
      make=_beside("logo_lying_jpeg", lambda d, f: (d / "logo.jpg").write_bytes(_lying_jpeg(12000, 12000)))),
    L("logo_lying_small", 5, "is damaged", field="logo",
      make=_beside("logo_lying_small", lambda d, f: (d / "logo.jpg").write_bytes(_lying_jpeg(6000, 6000)))),
    L("logo_truncated", 5, "is damaged", "truncated", field="logo",
      make=_beside("logo_truncated", lambda d, f: (d / "logo.png").write_bytes(_truncated_png()))),
    L("logo_long_name", 5, "name is too long", field="logo"),
    L("logo_escape_name", 5, "U+001B", field="logo", terminal=True),
    # ------------------------------------------------------------ all errors at once
    Case("several_problems", 5, problems=5, expect=(
        "/several_problems.yaml:5: field 'titel': unknown key 'titel' — did you mean 'title'?",
        "/several_problems.yaml:11: field 'themes.wonen.colour': 'blauw' is not a colour",
        "/several_problems.yaml:18: lesson 'buren-kennen', field 'theme': 'wonnen' is not one of the deck's themes",
        "/several_problems.yaml:22: lesson 'buren-kennen', field 'questions': needs at least 3",
        "/several_problems.yaml:28: lesson 'buren-kennen', field 'sources[1].url': the address has 'javascript:'")),
]


def test_the_corpus_is_large_and_every_file_has_an_entry():
    names = {case.name for case in CASES}
    files = {path.stem for path in CORPUS.glob("*.yaml")}
    assert len(CASES) >= 40
    assert len({c.name for c in CASES if c.stage != "ok"}) >= 40
    assert files <= names, f"corpus files without an entry: {sorted(files - names)}"
    static = {case.name for case in CASES if case.make is None or getattr(case.make, "__qualname__", "").startswith(
        ("_beside", "_logo_link"))}
    assert static <= files, f"entries without a corpus file: {sorted(static - files)}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_a_run_over_the_memory_cap_fails_and_says_so(tmp_path):
    """The cap is real and its failure is named: `check` of the standard deck needs about 70 MiB of
    address space, so under a 40 MiB cap it fails and the report says it exceeded the cap; with
    the corpus's cap it passes."""
    accepted = L("memory_cap", None, stage="ok")
    run = run_dialoogkit(["check", "standaard"], tmp_path, memory_cap=40 * 2**20)
    problems = _check_run("check", run, accepted, accepted=True)
    assert problems and problems[0].startswith("check: exceeded the memory cap of 40 MiB address space ("), \
        f"{problems}\n{run.describe()}"
    run = run_dialoogkit(["check", "standaard"], tmp_path)
    assert not _check_run("check", run, accepted, accepted=True), run.describe()


# --------------------------------------------------------------------------- running the command line


@dataclass
class Run:
    args: list[str]
    status: int | None
    stdout: str
    stderr: str
    wall: float
    peak_bytes: int
    timed_out: bool
    signal: int = 0  # the signal that ended dialoogkit (0: it exited)
    memory_cap: int = 0  # bytes of address space it was allowed (0: no cap)
    cap_hit: str | None = None  # how the run showed it needed more than memory_cap (None: it did not)

    def describe(self) -> str:
        err = self.stderr if len(self.stderr) < 1500 else self.stderr[:1500] + "…"
        return (f"$ dialoogkit {' '.join(self.args)}\n  status {self.status}, {self.wall:.2f} s, "
                f"{self.peak_bytes / 2**20:.0f} MB peak resident{', KILLED after timeout' if self.timed_out else ''}"
                f"{f', ended by signal {self.signal}' if self.signal else ''}\n"
                f"  stderr: {err!r}")


# A small launcher between the test and dialoogkit: it sets the memory cap (RLIMIT_AS) in the child
# just before that becomes dialoogkit, so pytest itself is never limited, and it reports the child's
# peak resident memory (for information) and the signal that ended it, if any. (On Linux a child's
# ru_maxrss includes the memory of the process it was started from, which for pytest is already
# well over 100 MB; the launcher is a bare interpreter, so the peak it reports is dialoogkit's own.)
# Where the system does not enforce RLIMIT_AS (macOS), the run goes ahead without the cap.
LAUNCHER = """
import os, resource, sys
cap = int(sys.argv[2])
pid = os.fork()
if pid == 0:
    try:
        if cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (OSError, ValueError):
        pass
    try:
        os.execv(sys.executable, [sys.executable, "-m", "dialoogkit", *sys.argv[3:]])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    report.write(f"{peak} {os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0}")
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def run_dialoogkit(args: list[str], cwd: Path, terminal: bool = False, memory_cap: int = MEMORY_CAP) -> Run:
    """Run ``python -m dialoogkit ARGS`` in ``cwd`` (through ``LAUNCHER``) with at most
    ``memory_cap`` bytes of address space (0: no cap); note wall time and peak memory (for
    information); kill the whole process group after ``TIMEOUT``. ``terminal``: stdout is a
    pseudo-terminal, as for a person at a shell (click strips escape sequences only when piped).
    A run that says it ran out of memory, or ends otherwise than with status 0, 1 or 2 (an internal
    error, a crash) while a run without the cap does not, gets ``cap_hit``."""
    with tempfile.TemporaryDirectory() as scratch:
        out_path, err_path, peak_path = (Path(scratch) / name for name in ("stdout", "stderr", "peak"))
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            master, slave = pty.openpty() if terminal else (None, None)
            start = time.monotonic()
            proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", LAUNCHER, str(peak_path), str(memory_cap), *args],
                                    cwd=cwd,
                                    stdin=subprocess.DEVNULL, stdout=slave if terminal else out, stderr=err,
                                    env=ENV, start_new_session=True)
            if terminal:
                os.close(slave)
            try:
                proc.wait(timeout=TIMEOUT)
                timed_out = False
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                timed_out = True
            wall = time.monotonic() - start
            if terminal:
                out.write(_drain(master).replace(b"\r\n", b"\n"))
        peak, signal_number = map(int, peak_path.read_text().split()) if peak_path.exists() else (0, 0)
        run = Run([str(a) for a in args], proc.returncode, out_path.read_bytes().decode("utf-8", "replace"),
                  err_path.read_bytes().decode("utf-8", "replace"), wall, peak, timed_out, signal_number, memory_cap)
    if memory_cap and not timed_out:
        if found := OUT_OF_MEMORY.search(run.stderr):
            run.cap_hit = f"stderr says {found.group(0)!r}"
        elif signal_number or run.status not in (0, 1, 2):
            again = run_dialoogkit(args, cwd, terminal, memory_cap=0)
            if not again.timed_out and not again.signal and again.status in (0, 1, 2):
                ended = f"signal {signal_number}" if signal_number else f"status {run.status}"
                run.cap_hit = f"it ended with {ended}, and with status {again.status} when run without the cap"
    return run


def _drain(master: int) -> bytes:
    """Everything a finished child wrote to its pseudo-terminal (small: no deadlock)."""
    chunks = []
    try:
        while chunk := os.read(master, 65536):
            chunks.append(chunk)
    except OSError:  # EIO: the other end is closed and everything has been read
        pass
    finally:
        os.close(master)
    return b"".join(chunks)


@dataclass
class Outcome:
    deck: Path
    out: Path
    runs: dict[str, Run] = field(default_factory=dict)
    leftovers: list[str] = field(default_factory=list)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*")}


def make_previous_kit(root: Path) -> Path:
    """An output folder holding a whole kit of a deck with the id most corpus decks use (``corpus``):
    a failing build must leave it byte-identical."""
    import yaml

    from dialoogkit.output.build import BuildOptions, build_kit

    data = yaml.safe_load((CORPUS / "bom_accepted.yaml").read_bytes()[3:].decode("utf-8"))
    data["id"] = "corpus"
    deck = root / "previous.yaml"
    deck.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = root / "previous-out"
    build_kit(deck, BuildOptions(output=out, dpi=36))
    return out


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def execute(case: Case, folder: Path, previous: Path) -> Outcome:
    """Run the commands of ``case``'s stage; stop early when a run is killed (a hang). A failing
    case builds into a copy of ``previous`` (a whole kit), which must stay byte-identical."""
    folder.mkdir(parents=True)
    cwd = folder / "cwd"
    cwd.mkdir()
    deck = case.make(folder) if case.make else CORPUS / f"{case.name}.yaml"
    outcome = Outcome(deck, folder / "out")
    if case.stage != "ok":
        shutil.copytree(previous, outcome.out, symlinks=True)
    before = _snapshot(deck.parent)
    build = ["build", str(deck), "-o", str(outcome.out), "-q"] + (["--no-png"] if case.stage == "ok" else [])
    plan = {"load": [("check", ["check", str(deck)]), ("build", build)],
            "fit": [("check", ["check", str(deck)]), ("check --format a6", ["check", str(deck), "--format", "a6"]),
                    ("build", build)],
            "build": [("check", ["check", str(deck)]), ("build", build)],
            "ok": [("check", ["check", str(deck)]), ("build", build)]}[case.stage]
    if case.terminal and case.stage != "load":
        plan.insert(1, ("check on a terminal", ["check", str(deck)]))
    if case.report:
        plan = [("report", ["report", str(deck), "-o", str(outcome.out)])]
    if case.with_flag:
        plan += [(f"{label} --allow-parent-folder", [*args, "--allow-parent-folder"]) for label, args in plan]
    for label, args in plan:
        run = outcome.runs[label] = run_dialoogkit(args, cwd, terminal=label.endswith("terminal"),
                                                   memory_cap=REPORT_MEMORY_CAP if case.report else MEMORY_CAP)
        if run.timed_out:
            break
    outcome.leftovers = [f"in the working folder: {p.name}" for p in cwd.iterdir()]
    after = _snapshot(deck.parent)
    outcome.leftovers += [f"next to the deck: {name}" for name in sorted(set(after) - set(before))]
    outcome.leftovers += [f"changed next to the deck: {name}" for name in sorted(before)
                          if name in after and after[name] != before[name]]
    return outcome


def prepare_name_finder() -> None:
    """Build the name finder's tables (a minute or two, once per machine) before any report runs,
    so the hang guard of a report measures the report and not that one-time preparation."""
    from dialoogkit.cards.results.names import tables_built

    if not tables_built():
        subprocess.run([sys.executable, "-c", "from dialoogkit.cards.results.names import warm_up; warm_up()"],
                       env=ENV, check=True, timeout=900, stdout=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def outcomes(request, tmp_path_factory):
    """Run every selected entry once, in parallel threads; ``outcomes(case)`` waits for its result."""
    root = tmp_path_factory.mktemp("corpus")
    selected = {item.callspec.params["case"].name for item in request.session.items
                if getattr(item, "callspec", None) is not None and isinstance(item.callspec.params.get("case"), Case)}
    previous = make_previous_kit(root)
    if any(case.report for case in CASES if case.name in selected):
        prepare_name_finder()
    pool = ThreadPoolExecutor(max_workers=WORKERS)
    futures: dict[str, Future] = {case.name: pool.submit(execute, case, root / case.name, previous)
                                  for case in CASES if case.name in selected}
    yield lambda case: futures[case.name].result()
    pool.shutdown(wait=True)


def _check_run(label: str, run: Run, case: Case, accepted: bool) -> list[str]:
    """Everything wrong with one run, as readable lines (empty: the run is right)."""
    problems = []
    if run.timed_out:
        return [f"{label}: killed after {TIMEOUT:g} s (a hang)"]
    if run.cap_hit:
        return [f"{label}: exceeded the memory cap of {run.memory_cap / 2**20:.0f} MiB address space "
                f"({run.cap_hit}; peak resident {run.peak_bytes / 2**20:.0f} MB)"]
    if "Traceback" in run.stderr:
        problems.append(f"{label}: shows a traceback")
    for stream, text in (("stdout", run.stdout), ("stderr", run.stderr)):
        bad = sorted({f"U+{ord(ch):04X}" for ch in FORBIDDEN_CHARS.findall(text)})
        if bad:
            problems.append(f"{label}: echoes control/bidi characters on {stream}: {', '.join(bad)}")
    if accepted:
        if run.status != 0:
            problems.append(f"{label}: exit status {run.status}, expected 0")
        return problems
    if run.status != 1:
        problems.append(f"{label}: exit status {run.status}, expected 1")
    if not run.stderr.startswith("Error: "):
        problems.append(f"{label}: stderr does not start with 'Error: '")
    lines = run.stderr.rstrip("\n").split("\n")
    if case.problems == 1 and len(lines) != 1:
        problems.append(f"{label}: {len(lines)} lines for one problem")
    if case.problems > 1 and (len(lines) != case.problems + 1 or f"{case.problems} problems found" not in lines[0]):
        problems.append(f"{label}: expected '{case.problems} problems found' and one line each, got {len(lines)} lines")
    problems += [f"{label}: missing {text!r}" for text in case.expected() if text not in run.stderr]
    problems += [f"{label}: missing one of {group!r}" for group in case.any_of
                 if not any(text in run.stderr for text in group)]
    problems += [f"{label}: must not contain {text!r}" for text in case.forbid if text in run.stderr]
    return problems


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_corpus_entry(case: Case, outcomes):
    outcome = outcomes(case)
    problems = []
    for label, run in outcome.runs.items():
        accepted = case.stage == "ok" or (label.startswith("check") and "--format" not in label
                                          and case.stage != "load")
        problems += _check_run(label, run, case, accepted)
    problems += [f"wrote {item}" for item in outcome.leftovers]
    if case.stage == "ok":
        if "build" in outcome.runs and outcome.runs["build"].status == 0 and case.verify:
            problems += case.verify(outcome.deck, outcome.out)
    else:
        previous, now = _contents(outcome.out.parent.parent / "previous-out"), _contents(outcome.out)
        if now != previous:
            changed = sorted(name for name in set(now) | set(previous) if now.get(name) != previous.get(name))
            problems.append(f"the build changed the previous kit despite the error: {changed}")
    assert not problems, "\n".join(problems) + "\n\n" + "\n".join(f"[{label}] {run.describe()}"
                                                                      for label, run in outcome.runs.items())
