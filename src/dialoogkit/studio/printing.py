"""The print panel's choices, the build they start, and the kit files it offers for download.

In: the fields of the print form (or the cookie that remembers them): format, profile, paper,
duplex, back offset, bleed, canvas size, start time, PNG images.
Out: ``PrintChoices`` with the problem of each field in the words of the command line's option
checks (``read_choices``), ``BuildOptions`` for ``build_kit`` (``to_options``), and ``Builds``:
one build at a time per deck in a background thread, with its progress, its error (every problem
of the deck, as ``dialoogkit build`` lists them) or the files it wrote (``kit_files``, the files a
browser may download from the kit folder).
"""

from __future__ import annotations

import json
import os
import re
import stat
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from dialoogkit.cards.paths import Gate
from dialoogkit.errors import ContentError, DialoogkitError, Problem
from dialoogkit.output.build import BuildOptions, build_kit
from dialoogkit.output.kitfiles import MANIFEST, part_of, zip_name

PRINT_COOKIE = "studio_print"
FORMATS = ("a6", "a7", "poker", "tarot")
PROFILES = ("standard", "large-print")
PAPERS = ("a4", "letter", "a3")
DUPLEX = ("long-edge", "short-edge", "none")
CANVAS_SIZES = ("a3", "a2", "a1", "a0")
DOWNLOADS = ("cards-sheets.pdf", "cards-printshop.pdf", "canvases.pdf", "guide.pdf", MANIFEST)
_NUMBER = re.compile(r"^\s*-?[0-9]{1,3}(?:[.,][0-9]{1,3})?\s*$", re.ASCII)


@dataclass(frozen=True)
class PrintChoices:
    """What the print panel shows (text as typed, checked by ``read_choices``)."""

    card_format: str = "a6"
    custom: str = ""
    profile: str = "standard"
    paper: str = "a4"
    duplex: str = "long-edge"
    offset_x: str = "0"
    offset_y: str = "0"
    bleed: str = "3"
    canvas_size: str = "a3"
    start: str = "14:00"
    png: bool = True

    @property
    def format_name(self) -> str:
        """The card format as the command line takes it (a preset or WIDTHxHEIGHT)."""
        return self.custom.strip() if self.card_format == "custom" else self.card_format

    def to_cookie(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))


def _number(text: str) -> float | None:
    return float(text.replace(",", ".")) if _NUMBER.match(text) else None


def read_choices(values: dict[str, str], base: PrintChoices | None = None) -> tuple[PrintChoices, dict[str, str]]:
    """Choices from form fields (missing fields keep ``base``), and a message per wrong field
    (keys: the form field names)."""
    from dialoogkit.layouts.agenda import parse_start
    from dialoogkit.layouts.formats import parse_card_format

    base = base or PrintChoices()
    known = {f.name for f in fields(PrintChoices)}
    updates: dict[str, object] = {k: str(v)[:40] for k, v in values.items() if k in known and k != "png"}
    if "png" in values:
        updates["png"] = str(values["png"]).lower() in ("1", "on", "true", "yes")
    choices = replace(base, **updates)
    errors: dict[str, str] = {}
    pick = {"card_format": FORMATS + ("custom",), "profile": PROFILES, "paper": PAPERS, "duplex": DUPLEX,
            "canvas_size": CANVAS_SIZES}
    for name, allowed in pick.items():
        if getattr(choices, name) not in allowed:
            choices = replace(choices, **{name: getattr(PrintChoices(), name)})
    if choices.card_format == "custom":
        try:
            parse_card_format(choices.custom or "?")
        except DialoogkitError as exc:
            errors["custom"] = exc.format_message()
    for name, low, high in (("offset_x", -10.0, 10.0), ("offset_y", -10.0, 10.0), ("bleed", 0.0, 5.0)):
        number = _number(getattr(choices, name))
        if number is None or not low <= number <= high:
            errors[name] = f"{low:g} … {high:g} mm"
    try:
        parse_start(choices.start)
    except DialoogkitError as exc:
        errors["start"] = exc.format_message()
    return choices, errors


def from_cookie(text: str | None) -> PrintChoices:
    """The remembered choices (defaults for anything missing or wrong)."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    choices, errors = read_choices({k: v for k, v in data.items() if isinstance(v, (str, bool))})
    defaults = PrintChoices()
    return replace(choices, **{name: getattr(defaults, name) for name in errors}) if errors else choices


def to_options(choices: PrintChoices, output: Path, gate: Gate) -> BuildOptions:
    """The build options of these (checked) choices; the kit goes to ``output/<deck id>/``."""
    from dialoogkit.layouts.units import mm

    parts = ("cards", "canvases", "guide") + (("png",) if choices.png else ())
    offset = (mm(_number(choices.offset_x) or 0.0), mm(_number(choices.offset_y) or 0.0))
    return BuildOptions(card_format=choices.format_name, profile=choices.profile, paper=choices.paper,
                        duplex=choices.duplex, back_offset=offset, bleed_mm=_number(choices.bleed) or 0.0,
                        canvas_size=choices.canvas_size, start=choices.start.strip(), parts=parts,
                        output=output, gate=gate)


@dataclass
class Build:
    """One build: its progress, and then its files or its error."""

    deck: str
    started: float = field(default_factory=time.monotonic)
    total: int = 0
    done: int = 0
    label: str = ""
    finished: bool = False
    error: str | None = None
    problems: list[Problem] = field(default_factory=list)
    kit: Path | None = None
    deck_id: str | None = None

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0


class Builds:
    """The builds of this studio, at most one running per deck."""

    def __init__(self) -> None:
        self._builds: dict[str, Build] = {}
        self._lock = threading.Lock()

    def get(self, deck: str) -> Build | None:
        with self._lock:
            return self._builds.get(deck)

    def start(self, deck: str, path: Path, options: BuildOptions, deck_id: str) -> Build | None:
        """Start building ``path`` in the background; None when a build of it is running."""
        with self._lock:
            running = self._builds.get(deck)
            if running is not None and not running.finished:
                return None
            build = Build(deck, deck_id=deck_id)
            self._builds[deck] = build
        threading.Thread(target=self._run, args=(build, path, options), daemon=True, name="dialoogkit-build").start()
        return build

    def _run(self, build: Build, path: Path, options: BuildOptions) -> None:
        @contextmanager
        def progress(total: int, label: str):
            build.total, build.label = total, label

            def step(count: int) -> None:
                build.done += count

            yield step

        try:
            written = build_kit(path, options, progress)
            build.kit = options.output / build.deck_id if build.deck_id else (written[0].parent if written else None)
        except ContentError as exc:
            build.problems = exc.problems
            build.error = exc.format_message()
        except DialoogkitError as exc:
            build.error = exc.format_message()
        except Exception as exc:  # the studio must show it, not die: one line, like the CLI
            build.error = f"{type(exc).__name__}: {exc}"[:500]
        finally:
            build.finished = True


def kit_files(kit: Path | None, deck_id: str) -> list[tuple[str, int]]:
    """The downloadable files of a kit folder, with their sizes: the zip first, then the PDFs."""
    if kit is None:
        return []
    names = [zip_name(deck_id)] + list(DOWNLOADS)
    found = []
    for name in names:
        path = kit / name
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            found.append((name, info.st_size))
    return found


def download_path(kit: Path, deck_id: str, name: str) -> Path | None:
    """The kit file a browser asked for, only when it is one of the kit's own top-level files."""
    if "/" in name or "\\" in name or name.startswith(".") or part_of(name, deck_id) is None:
        return None
    if name not in DOWNLOADS and name != zip_name(deck_id):
        return None
    path = kit / name
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return path if stat.S_ISREG(info.st_mode) else None
