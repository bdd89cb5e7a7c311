"""What the commands of the command line share, so that ``cli.py`` holds only thin commands.

In: click's context, options and the results of the library functions the commands call.
Out: the command group that never shows a traceback (``SafeGroup``), number options written in
the digits 0-9 (``AsciiNumber``), the ``--allow-parent-folder`` option, warnings on stderr as
``Warning: …``, the fit checks of ``check``, the build's progress bar and summary, and the
preflight of files given on the command line. Every line comes from the message table
(``dialoogkit.i18n.say``) and shows user text through ``dialoogkit.errors.quoted``. Only click is
imported here, so ``dialoogkit --help`` starts fast; anything heavy is imported where it is used.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from dialoogkit.cards.paths import Gate
from dialoogkit.i18n import say

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
ALLOW_PARENT = click.option(
    "--allow-parent-folder", "gate", is_flag=True, callback=lambda _ctx, _param, value: Gate(allow_parent=bool(value)),
    help="Let the files a deck or results file names (extends:, logo:, companion:, deck:) lie in a folder above "
         "its own (../); never through a symbolic link.")


class AsciiNumber(click.ParamType):
    """A number option written with the digits 0-9 only (click alone would take '١' or 'nan')."""

    def __init__(self, kind: type):
        self.kind = kind
        self.name = "integer" if kind is int else "number"

    def convert(self, value, param, ctx):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        from dialoogkit.errors import quoted

        text = str(value).strip()
        pattern = r"[0-9]{1,6}" if self.kind is int else r"-?[0-9]{1,6}(?:[.,][0-9]{1,6})?"
        if not re.fullmatch(pattern, text, re.ASCII):
            example = say("cli.number_example_whole" if self.kind is int else "cli.number_example_decimal")
            self.fail(say("cli.not_a_number", text=quoted(text, 30), example=example), param, ctx)
        return self.kind(text.replace(",", "."))


class SafeGroup(click.Group):
    """The command group that never shows a traceback: a file-system error becomes "could not use
    PATH: reason — fix", anything unforeseen an internal error in one line (exit 3)."""

    def invoke(self, ctx: click.Context):
        from dialoogkit.errors import InternalError, OutputError, describe_os_error, quoted

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo(say("problem.interrupted"), err=True)
            raise SystemExit(130) from None
        except BrokenPipeError:  # the reader of our output went away (`dialoogkit show | head`): stop quietly
            import os
            import sys

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(1) from None
        except OSError as exc:
            raise OutputError(describe_os_error(exc, exc.filename or say("cli.a_file"))) from None
        except Exception as exc:  # the last net: one line, never a traceback
            raise InternalError(say("problem.internal", kind=type(exc).__name__, detail=quoted(exc, 100))) from None


def shown(path: object) -> str:
    """A path as a status line shows it: whole, on one line, without control characters."""
    from dialoogkit.errors import quoted

    return quoted(path, 1000)


def wrote(path: object) -> None:
    """``wrote PATH`` on stdout."""
    click.echo(say("cli.wrote", path=shown(path)))


def print_warnings(warnings: list, after: str) -> None:
    """Each warning as ``Warning: file:line: …`` on stderr, then how many and what they mean."""
    from dialoogkit.errors import printable

    for warning in warnings:
        click.echo(printable(say("problem.warning", message=warning.format())), err=True)
    if len(warnings) == 1:
        click.echo(say("cli.warnings_one", after=after), err=True)
    elif warnings:
        click.echo(say("cli.warnings_many", count=len(warnings), after=after), err=True)


def exit_cleanly_on_terminate() -> None:
    """Turn SIGTERM into SystemExit, so an interrupted build removes its temporary files."""
    import signal

    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def progress_factory(quiet: bool):
    """A factory of click progress bars on stderr (nothing when quiet)."""
    from contextlib import contextmanager, nullcontext

    if quiet:
        return lambda total, label: nullcontext(lambda n: None)

    @contextmanager
    def factory(total: int, label: str):
        with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
            yield bar.update

    return factory


def fit_problems(loaded, card_format: str | None, profile: str) -> list:
    """What ``check`` finds beyond the deck file itself: text that does not fit the cards (when a
    ``card_format`` is given), the canvases or the guide; every problem once, in that order."""
    from dialoogkit.errors import FitError
    from dialoogkit.generator.guide.story import check_guide
    from dialoogkit.generator.posters.plan import plan_canvases

    plans = [lambda: plan_canvases(loaded)]
    if card_format is not None:
        from dialoogkit.generator.plan import plan_deck
        from dialoogkit.layouts.formats import parse_card_format
        from dialoogkit.layouts.profiles import parse_profile

        fmt, prof = parse_card_format(card_format), parse_profile(profile)
        plans.insert(0, lambda: plan_deck(loaded, fmt, prof))
    plans.append(lambda: check_guide(loaded))
    problems: list = []
    for plan in plans:
        try:
            plan()
        except FitError as exc:
            problems += [p for p in exc.problems if p not in problems]
    return problems


def print_build_notes(notes: list) -> None:
    """What a build warned about: the logo's resolution, the preflight's notes (no bleed), then any
    other note (a guide in English for a deck in another language)."""
    from dialoogkit.output.preflight import PreflightNote

    logo = [note for note in notes if getattr(note, "field", None) == "logo"]
    press = [note for note in notes if isinstance(note, PreflightNote)]
    print_warnings(logo, say("pictures.warnings_after"))
    print_warnings(press, say("preflight.warnings_after"))
    print_warnings([note for note in notes if note not in logo and note not in press], say("output.notes_after"))


def print_build_summary(written: list[Path], only: str | None, options=None) -> None:
    """The files a build wrote (the images counted, not listed), what ``--only`` left alone, and
    (with the build's ``options``) the cards per sheet of ``cards-sheets.pdf``."""
    pngs = [path for path in written if path.suffix == ".png"]
    for path in written:
        if path.suffix != ".png":
            wrote(path)
    if pngs:
        click.echo(say("cli.build.wrote_images", count=len(pngs), folder=shown(pngs[0].parent)))
    if only:
        click.echo(say("cli.build.kept_parts"))
    if options is not None:
        print_sheet_summary(written, options)


def print_sheet_summary(written: list[Path], options) -> None:
    """Cards per sheet and sheets to print for ``cards-sheets.pdf`` (when the build wrote it), and a
    bundled format that puts more on a sheet when the chosen one wastes much of each sheet."""
    sheets_pdf = next((path for path in written if path.name == "cards-sheets.pdf"), None)
    if sheets_pdf is None:
        return
    from pypdf import PdfReader

    from dialoogkit.output.options import check_options
    from dialoogkit.output.sheets import measure_sheet_use, paper_title, suggest_format

    settings = check_options(options)
    use = measure_sheet_use(settings.card_format, settings.paper, options.gutter_mm)
    pages = len(PdfReader(sheets_pdf).pages)
    count = pages if options.duplex == "none" else pages // 2
    paper = paper_title(settings.paper)

    def cards(n: int) -> str:
        return say("sheets.card_one" if n == 1 else "sheets.card_many")

    key = "sheets.summary_single" if options.duplex == "none" else "sheets.summary_duplex"
    click.echo(say(key, per_sheet=use.per_sheet, cards=cards(use.per_sheet), paper=paper, sheets=count,
                   sheet_word=say("sheets.sheet_one" if count == 1 else "sheets.sheet_many")))
    better = suggest_format(settings.card_format, settings.paper, options.gutter_mm)
    if better is not None:
        click.echo(say("sheets.suggestion", format=settings.card_format.name, use=round(100 * use.paper_use),
                       paper=paper, better=better.card_format.name, per_sheet=better.per_sheet,
                       cards=cards(better.per_sheet)))


def preflight_files(files: tuple[Path, ...], kind: str | None, qr: bool) -> None:
    """Check each PDF file: ``OK  name (kind)`` on stdout for a good one, its warnings (say, no
    bleed) on stderr, which alone do not fail it; every error of the others (at most 50 a file) in
    one error at the end."""
    from dialoogkit.errors import InputError, PreflightError, printable, quoted
    from dialoogkit.output.pdfinput import LIMITS, exit_after
    from dialoogkit.output.preflight import preflight_file

    shown_per_file = 50
    problems, unreadable = [], 0
    for path in files:
        name = quoted(path, 120)
        most = LIMITS.file_seconds(LIMITS.pages) + 60  # the deadlines inside stop any check long before
        with exit_after(most, say("cli.preflight.too_slow", name=name, seconds=f"{most:g}")):
            found_kind, lines, warnings = preflight_file(path, kind, qr=qr)
        unreadable += found_kind is None
        problems += lines[:shown_per_file]
        if len(lines) > shown_per_file:
            problems.append(say("cli.preflight.more", name=name, count=len(lines) - shown_per_file))
        for warning in warnings[:shown_per_file]:
            click.echo(printable(say("problem.warning", message=warning)), err=True)
        if not lines and warnings:
            click.echo(say("preflight.ok_warnings", name=name, kind=found_kind, count=len(warnings)))
        elif not lines:
            click.echo(say("cli.preflight.ok", name=name, kind=found_kind))
    if len(problems) == 1:
        raise (InputError if unreadable else PreflightError)(problems[0])
    if problems:
        raise PreflightError(say("cli.preflight.problems", count=len(problems)) + "\n"
                             + "\n".join("  " + p for p in problems))


def print_presets() -> None:
    """``dialoogkit list``: bundled decks, card formats, papers and print profiles."""
    from dialoogkit.cards.bundled import DEFAULT_DECK, list_bundled
    from dialoogkit.layouts.formats import CARD_FORMATS, DEFAULT_PAPER, PAPERS
    from dialoogkit.layouts.profiles import PROFILES

    default = "  " + say("cli.list.default")
    click.echo(say("cli.list.decks"))
    for name in list_bundled():
        click.echo(f"  {name}{default if name == DEFAULT_DECK else ''}")
    click.echo(say("cli.list.formats"))
    for fmt in CARD_FORMATS.values():
        click.echo(f"  {fmt.name:<10} {say(f'cli.list.format_{fmt.name}')}")
    click.echo(say("cli.list.papers"))
    for paper in PAPERS.values():
        mark = default if paper.name == DEFAULT_PAPER else ""
        click.echo(f"  {paper.name:<8} {paper.width_mm:g} × {paper.height_mm:g} mm{mark}")
    click.echo(say("cli.list.profiles"))
    for profile in PROFILES.values():
        click.echo(f"  {profile.name:<12} {say('cli.list.profile_' + profile.name.replace('-', '_'))}")
