"""What the commands of the command line share, so that ``cli.py`` holds only thin commands.

In: click's context, options and the results of the library functions the commands call.
Out: the command group that never shows a traceback (``SafeGroup``), the build options made from
the registry (``choice_option``: ``app.choices`` checks them, numbers in the digits 0-9 only), the
``--allow-parent-folder`` option, warnings on stderr as ``Warning: …``, the build's progress bar
and summary, and the
preflight of files given on the command line. Every line comes from the message table
(``dialoogkit.i18n.say``) and shows user text through ``dialoogkit.errors.quoted``. Only click is
imported here, so ``dialoogkit --help`` starts fast; anything heavy is imported where it is used.
"""

from __future__ import annotations

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


class RegistryParam(click.ParamType):
    """A build option as the registry (``app.choices``) defines it: checked by the registry, so the
    command line and the studio accept and refuse the same values with the same words."""

    def __init__(self, item) -> None:
        self.item = item
        self.name = item.kind

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        from dialoogkit.app.choices import read_choice
        from dialoogkit.errors import UsageProblem

        try:
            return read_choice(self.item, value)
        except UsageProblem as exc:
            self.fail(exc.format_message(), param, ctx)

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        return [CompletionItem(v) for v in self.item.values if v.startswith(incomplete)]


def choice_option(name: str, default: object = ..., help: str | None = None):
    """The click option of the registry's choice ``name`` (``app.choices``): its flag, values,
    range, default and help as the registry has them; ``default=None`` makes it optional."""
    from dialoogkit.app.choices import choice, shown_value

    item = choice(name)
    if item.kind == "pick" and not item.open:
        metavar = "[" + "|".join(item.values) + "]"
    else:
        metavar = {"pick": "NAME", "number": "NUMBER", "offset": "DX,DY", "time": "HH:MM"}.get(item.kind, "VALUE")
        if item.kind == "pick":
            metavar = {"card_format": "FORMAT", "output_intent": "NAME|FILE.icc"}.get(name, metavar)
    value = shown_value(item, item.default) if default is ... else default
    return click.option(item.option, name, type=RegistryParam(item), default=value, show_default=default is ...,
                        metavar=metavar, help=help or item.help)


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


def print_build_notes(notes: list) -> None:
    """What a build warned about: the logo's resolution, the preflight's notes (no bleed), then any
    other note (a guide in English for a deck in another language)."""
    from dialoogkit.output.preflight import PreflightNote

    logo = [note for note in notes if getattr(note, "field", None) == "logo"]
    press = [note for note in notes if isinstance(note, PreflightNote)]
    print_warnings(logo, say("pictures.warnings_after"))
    print_warnings(press, say("preflight.warnings_after"))
    print_warnings([note for note in notes if note not in logo and note not in press], say("output.notes_after"))


def print_build_summary(result, only: str | None) -> None:
    """The files a build wrote (the images counted, not listed), what ``--only`` left alone, and
    the cards per sheet of ``cards-sheets.pdf`` (``app.building.BuildResult``)."""
    pngs = [path for path in result.files if path.suffix == ".png"]
    for path in result.files:
        if path.suffix != ".png":
            wrote(path)
    if pngs:
        click.echo(say("cli.build.wrote_images", count=len(pngs), folder=shown(pngs[0].parent)))
    if only:
        click.echo(say("cli.build.kept_parts"))
    if result.sheet is not None:
        from dialoogkit.app.building import describe_sheets

        for line in describe_sheets(result.sheet):
            click.echo(line)


def preflight_files(files: tuple[Path, ...], kind: str | None, qr: bool, bleed_mm: float) -> None:
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
            found_kind, lines, warnings = preflight_file(path, kind, qr=qr, bleed_mm=bleed_mm)
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
