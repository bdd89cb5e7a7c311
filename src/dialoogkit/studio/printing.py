"""The print panel's choices, the build they start, and the kit files it offers for download.

In: the fields of the print form (or the cookie that remembers them): every choice of the
registry (``app.choices``: format, profile, paper, duplex, back offset, bleed, gutter, output
intent, canvas size, dpi, start time) and whether to make PNG images.
Out: ``PrintChoices`` with the problem of each field in the words of the command line's option
checks (``read_choices``), ``BuildOptions`` for ``build_kit`` (``to_options``), and ``Builds``:
one build at a time per deck in a background thread (``app.building.build_deck``, as the command
line builds), with its progress, its error (every problem of the deck, as ``dialoogkit build``
lists them) or the files it wrote (``kit_files``, the files a browser may download from the kit
folder), its notes and its sheet count; a second request while it runs gets the running build.
"""

from __future__ import annotations

import contextvars
import json
import os
import stat
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from dialoogkit.app.choices import choice, read_choice, shown_value
from dialoogkit.cards.paths import Gate
from dialoogkit.errors import ContentError, DialoogkitError, Problem
from dialoogkit.app.building import SheetSummary, build_deck
from dialoogkit.output.build import BuildOptions
from dialoogkit.output.kitfiles import MANIFEST, part_of, zip_name

PRINT_COOKIE = "studio_print"
DOWNLOADS = ("cards-sheets.pdf", "cards-printshop.pdf", "canvases.pdf", "guide.pdf", MANIFEST)
CUSTOM = "custom"  # the format radio's "own size": its WIDTHxHEIGHT goes in the field ``custom``
# the form's text fields and the registry's choice each one is read by
NUMBER_FIELDS = {"bleed": "bleed_mm", "gutter": "gutter_mm", "dpi": "dpi"}
PICK_FIELDS = ("profile", "paper", "duplex", "canvas_size", "output_intent")


def _default(name: str) -> str:
    item = choice(name)
    return shown_value(item, item.default)


@dataclass(frozen=True)
class PrintChoices:
    """What the print panel shows (text as typed, checked by ``read_choices``); every default is
    the registry's (``app.choices``)."""

    card_format: str = _default("card_format")
    custom: str = ""
    profile: str = _default("profile")
    paper: str = _default("paper")
    duplex: str = _default("duplex")
    offset_x: str = _default("back_offset").split(",")[0]
    offset_y: str = _default("back_offset").split(",")[1]
    bleed: str = _default("bleed_mm")
    gutter: str = _default("gutter_mm")
    output_intent: str = _default("output_intent")
    canvas_size: str = _default("canvas_size")
    dpi: str = _default("dpi")
    start: str = _default("start")
    png: bool = True

    @property
    def format_name(self) -> str:
        """The card format as the command line takes it (a preset or WIDTHxHEIGHT)."""
        return self.custom.strip() if self.card_format == CUSTOM else self.card_format

    def to_cookie(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))


def panel_choices() -> dict[str, object]:
    """What the print form offers, from the registry: the values of each pick and the range of
    each number (for the template)."""
    return {"formats": choice("card_format").values + (CUSTOM,),
            **{name: choice(name).values for name in PICK_FIELDS},
            "ranges": {name: choice(item) for name, item in {**NUMBER_FIELDS, "offset": "back_offset"}.items()}}


def _offset_text(value: str) -> str:
    return value.strip().replace(",", ".") or "0"


def read_choices(values: dict[str, str], base: PrintChoices | None = None) -> tuple[PrintChoices, dict[str, str]]:
    """Choices from form fields (missing fields keep ``base``), and a message per wrong field
    (keys: the form field names), in the words of the command line's option checks: both faces
    read every value through ``app.choices.read_choice``."""
    base = base or PrintChoices()
    known = {f.name for f in fields(PrintChoices)}
    updates: dict[str, object] = {k: str(v)[:40] for k, v in values.items() if k in known and k != "png"}
    if "png" in values:
        updates["png"] = str(values["png"]).lower() in ("1", "on", "true", "yes")
    choices = replace(base, **updates)
    errors: dict[str, str] = {}
    if choices.card_format not in choice("card_format").values + (CUSTOM,):
        choices = replace(choices, card_format=PrintChoices().card_format)
    for name in PICK_FIELDS:
        try:
            choices = replace(choices, **{name: read_choice(choice(name), getattr(choices, name))})
        except DialoogkitError:
            choices = replace(choices, **{name: getattr(PrintChoices(), name)})
    checks = [("custom", "card_format", choices.custom or "?")] if choices.card_format == CUSTOM else []
    checks += [(form, name, getattr(choices, form)) for form, name in NUMBER_FIELDS.items()]
    checks += [("offset_x", "back_offset", f"{_offset_text(choices.offset_x)},0"),
               ("offset_y", "back_offset", f"0,{_offset_text(choices.offset_y)}"), ("start", "start", choices.start)]
    for form, name, text in checks:
        try:
            read_choice(choice(name), text)
            if form == "custom":
                from dialoogkit.layouts.formats import parse_card_format

                parse_card_format(text)
        except DialoogkitError as exc:
            errors[form] = exc.format_message()
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
    parts = ("cards", "canvases", "guide") + (("png",) if choices.png else ())
    offset = read_choice(choice("back_offset"), f"{_offset_text(choices.offset_x)},{_offset_text(choices.offset_y)}")
    numbers = {name: read_choice(choice(name), getattr(choices, form)) for form, name in NUMBER_FIELDS.items()}
    return BuildOptions(card_format=choices.format_name, profile=choices.profile, paper=choices.paper,
                        duplex=choices.duplex, back_offset=offset, output_intent=choices.output_intent,  # type: ignore[arg-type]
                        canvas_size=choices.canvas_size, start=choices.start.strip(), parts=parts,
                        output=output, gate=gate, **numbers)  # type: ignore[arg-type]


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
    notes: list[Problem] = field(default_factory=list)  # what the build said (logo resolution, no bleed, …)
    sheet: SheetSummary | None = None  # cards per sheet and sheets to print

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

    def start(self, deck: str, path: Path, options: BuildOptions, deck_id: str) -> Build:
        """Start building ``path`` in the background; a build of it that is running already is
        the answer to a second request (a double click shows its progress, then its files)."""
        with self._lock:
            running = self._builds.get(deck)
            if running is not None and not running.finished:
                return running
            build = Build(deck, deck_id=deck_id)
            self._builds[deck] = build
        context = contextvars.copy_context()  # the request's language goes with the build's notes
        threading.Thread(target=context.run, args=(self._run, build, path, options), daemon=True,
                         name="dialoogkit-build").start()
        return build

    def _run(self, build: Build, path: Path, options: BuildOptions) -> None:
        @contextmanager
        def progress(total: int, label: str):
            build.total, build.label = total, label

            def step(count: int) -> None:
                build.done += count

            yield step

        try:
            result = build_deck(path, options, progress)
            build.notes, build.sheet = list(result.notes) + list(result.warnings), result.sheet
            written = result.files
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
