"""The command line: a thin click layer that parses options, calls one library function, prints.

In: the command line (``dialoogkit list | check | show | preview | schema | build | calibrate | preflight |
new | import | labels | results new | report | studio``).
Out: text on stdout, errors as ``Error: …`` and warnings (placeholders still to fill in) as
``Warning: …`` on stderr, all in the user's language (``dialoogkit.i18n.say``); exit status 0 ok,
1 content problems, 2 usage problems. What the commands share (the safe group, number options,
warnings, progress bar, build summary, preflight of files) is in ``cli_support``; ``new`` and
``import`` are in ``cli_decks``, ``labels`` in ``cli_labels``, ``results new`` and ``report`` in
``cli_results``, ``serve`` in ``cli_serve``. Heavy
libraries are imported inside the commands, so ``--help`` and ``list`` start fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from dialoogkit import __version__
from dialoogkit.cards.paths import Gate
from dialoogkit.cli_support import (ALLOW_PARENT, CONTEXT, SafeGroup, choice_option, preflight_files,
                                    print_build_notes, print_build_summary, print_presets, shown, wrote)
from dialoogkit.cli_support import exit_cleanly_on_terminate as _exit_cleanly_on_terminate
from dialoogkit.cli_support import print_warnings as _print_warnings
from dialoogkit.cli_support import progress_factory as _progress_factory
from dialoogkit.i18n import note_deck_language, say
from dialoogkit.output.kitfiles import PARTS as KIT_PARTS  # light: the table of kit files, no drawing


@click.group(cls=SafeGroup, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="dialoogkit")
@click.option("--lang", type=click.Choice(["nl", "en"]), default=None,
              help="Language of messages: nl or en (default: DIALOOGKIT_LANG, else the deck's language, "
                   "else your system's).")
def main(lang: str | None) -> None:
    """Turn lessons from practice into printable workshop materials.

    \b
    Examples:
      dialoogkit build                 the standard Dutch deck into output/standaard/
      dialoogkit check mijn-deck.yaml  check your own deck for mistakes
      dialoogkit show mijn-deck.yaml   its lessons, by number and id
      dialoogkit preview standaard 3   card 3 as two PNG images, front and back
      dialoogkit list                  bundled decks, card formats and print profiles
      dialoogkit --lang en check       messages in English (or nl: in Dutch)
    """
    from dialoogkit.i18n import choose_language, speaking_deck

    choose_language(lang)
    # this command's deck language: set from what the deck it works on returns (note_deck_language)
    click.get_current_context().with_resource(speaking_deck())


@main.command("list")
def list_command() -> None:
    """List bundled decks, card formats, papers and print profiles.

    \b
    Example:
      dialoogkit list
    """
    print_presets()


@main.command("check")
@click.argument("deck", default="standaard")
@choice_option("card_format", help="Check that every text fits on cards of this format (e.g. a6, poker, 90x140).")
@choice_option("profile")
@choice_option("start")
@click.option("--strict", is_flag=True, help="Treat warnings (placeholders still to fill in) as errors.")
@ALLOW_PARENT
def check_command(deck: str, card_format: str, profile: str, start: str, strict: bool, gate: Gate) -> None:
    """Check a deck (bundled name or YAML file) and report every problem at once.

    Every text must fit: on the cards of --format (A6 unless you choose), on the canvases and in
    the guide (whose agenda starts at --start): the same verdict as the studio's. Text that
    starts with "(invullen)" or "(fill in)" (what `dialoogkit import` could not know) is
    reported as a warning; with --strict a warning is an error.

    \b
    Examples:
      dialoogkit check                      the standard deck
      dialoogkit check mijn-deck.yaml
      dialoogkit check mijn-deck.yaml --format poker
      dialoogkit check mijn-deck.yaml --strict   fail while placeholders are left
    """
    from dialoogkit.app.checking import check_deck, raise_problems
    from dialoogkit.cards.summary import summarise_deck
    from dialoogkit.errors import quoted

    report = check_deck(deck, gate, card_format, profile, start)
    note_deck_language(report.language)
    raise_problems(report, strict)
    assert report.loaded is not None
    click.echo(summarise_deck(report.loaded))
    click.echo(say("cli.check.fits", format=quoted(card_format), profile=quoted(profile)))
    _print_warnings(list(report.warnings), say("cli.check.warnings_after"))


@main.command("show")
@click.argument("deck", default="standaard")
@click.argument("lesson", required=False)
@ALLOW_PARENT
def show_command(deck: str, lesson: str | None, gate: Gate) -> None:
    """List the lessons of a deck, or print one lesson whole.

    Without LESSON: number, id, theme, pillar and statement of every lesson (the numbers and ids
    that `select:` and `override:` take). With LESSON (its number or id): that lesson as YAML,
    ready to copy into your own deck.

    \b
    Examples:
      dialoogkit show                       the lessons of the standard deck
      dialoogkit show mijn-deck.yaml
      dialoogkit show standaard 3           lesson 3 whole
      dialoogkit show standaard actieve-bewoners
    """
    import shutil

    from dialoogkit.cards.loader import load_deck
    from dialoogkit.cards.show import describe_lesson, find_lesson, list_lessons

    loaded = load_deck(deck, gate)
    note_deck_language(loaded.language)
    if lesson is None:
        width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 10_000  # a file: whole
        click.echo(list_lessons(loaded, width))
    else:
        click.echo(describe_lesson(loaded, find_lesson(loaded, lesson)))


@main.command("preview")
@click.argument("deck")
@click.argument("lesson")
@choice_option("card_format")
@choice_option("profile")
@choice_option("dpi")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="Folder to write the two images into (default: the current folder).")
@click.option("--open", "open_images", is_flag=True, help="Show the images when they are written.")
@ALLOW_PARENT
def preview_command(deck: str, lesson: str, card_format: str, profile: str, dpi: int, output: Path,
                    open_images: bool, gate: Gate) -> None:
    """Write the front and back of one card as PNG images, to look at while you edit.

    LESSON is the lesson's number or id (`dialoogkit show DECK` lists them). The images are
    named <deck>-card-03-front.png and <deck>-card-03-back.png and show the card as it is
    printed in this format.

    \b
    Examples:
      dialoogkit preview standaard 3
      dialoogkit preview mijn-deck.yaml actieve-bewoners --format poker --open
      dialoogkit preview mijn-deck.yaml 2 -o voorbeelden --dpi 300
    """
    from dialoogkit.output.preview import PreviewOptions, preview_card

    options = PreviewOptions(card_format=card_format, profile=profile, dpi=dpi, folder=output,
                             gate=gate)
    for path in preview_card(deck, lesson, options):
        wrote(path)
        if open_images:
            click.launch(str(path))


@main.command("schema")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the schema to this file instead of printing it.")
def schema_command(output: Path | None) -> None:
    """Print the JSON Schema of a deck file, for completion and checking in your editor.

    \b
    Example:
      dialoogkit schema -o dialoogkit-deck.schema.json
      (then in VS Code with the YAML extension, put this first line in your deck:
       # yaml-language-server: $schema=dialoogkit-deck.schema.json)
    """
    from dialoogkit.cards.models import deck_json_schema

    text = json.dumps(deck_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(say("cli.schema.wrote", path=shown(output)), err=True)


@main.command("build")
@click.argument("deck", default="standaard")
@choice_option("card_format")
@choice_option("profile")
@choice_option("paper")
@choice_option("duplex")
@choice_option("back_offset")
@choice_option("bleed_mm")
@choice_option("output_intent")
@choice_option("gutter_mm")
@choice_option("canvas_size")
@click.option("--only", type=click.Choice(KIT_PARTS), default=None,
              help="Build only this part of the kit (the other parts stay; manifest and zip are removed).")
@click.option("--no-png", is_flag=True, help="Skip the PNG images (faster).")
@choice_option("dpi")
@choice_option("start")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write into; the kit goes into a subfolder named after the deck.")
@click.option("--preflight", "preflight_qr", is_flag=True,
              help="Also render every page and check that each QR code decodes to its address (slower).")
@click.option("--force", is_flag=True, help="Build even into a folder that holds other files (they are kept as they are).")
@ALLOW_PARENT
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def build_command(deck: str, only: str | None, no_png: bool, preflight_qr: bool, force: bool, gate: Gate,
                  output: Path, quiet: bool, **choices: object) -> None:
    """Build the session kit for a deck (bundled name or YAML file).

    \b
    Writes into OUTPUT/<deck>/:
      cards-sheets.pdf     cards on A4 with crop marks, backs aligned for duplex printing
      cards-printshop.pdf  one card face per page with bleed, for a print shop
      canvases.pdf         A3 canvases: one per lesson, overview, pillars, action plan
      guide.pdf            facilitator guide: session formats with agenda, a page per lesson
      png/                 one image per card face and canvas, and contact-sheet.png
      manifest.json        what was built from what, with checksums; <deck>-kit.zip holds it all

    \b
    Examples:
      dialoogkit build                          standard deck, A6, into output/standaard/
      dialoogkit build mijn-deck.yaml --format poker --duplex short-edge
      dialoogkit build --back-offset 0.8,-0.5   correct a printer that shifts the backs
      dialoogkit build --only canvases --canvas-size a1
      dialoogkit build --only guide --start 9:30
    """
    from dialoogkit.app.building import build_deck
    from dialoogkit.output.build import PARTS, BuildOptions

    options = BuildOptions(**choices, output=output, force=force, preflight_qr=preflight_qr, gate=gate,  # type: ignore[arg-type]
                           parts=(only,) if only else tuple(p for p in PARTS if not (no_png and p == "png")))
    _exit_cleanly_on_terminate()
    result = build_deck(deck, options, _progress_factory(quiet),
                        on_warnings=lambda found: _print_warnings(found, say("cli.build.warnings_after")))
    note_deck_language(result.language)
    print_build_notes(result.notes)
    if not quiet:
        print_build_summary(result, only)


@main.command("calibrate")
@click.option("--paper", default="a4", show_default=True, help="Paper: a4, letter or a3.")
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
              help="Language of the instructions on the sheet.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("output/calibrate.pdf"), show_default=True, help="Where to write the test sheet.")
def calibrate_command(paper: str, language: str, output: Path) -> None:
    """Write a two-sided test sheet to measure your printer's back offset.

    \b
    Print it double-sided, hold it against the light, read on the back's scale where the
    front's cross lies, and pass that as --back-offset DX,DY to `dialoogkit build`.

    \b
    Example:
      dialoogkit calibrate --paper a4 -o calibrate.pdf
    """
    from dialoogkit.layouts.formats import parse_paper
    from dialoogkit.output.atomic import write_atomic
    from dialoogkit.output.calibrate import render_calibration

    wrote(write_atomic(output, render_calibration(parse_paper(paper), language)))


@main.command("preflight")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(["printshop", "sheets", "canvases", "guide"]), default=None,
              help="What the PDF is (default: from its kit file name, else its metadata).")
@click.option("--no-qr", is_flag=True, help="Skip rendering the pages to decode the QR codes.")
@choice_option("bleed_mm", help="The bleed in mm the print shop asks for: a file with less is a warning.")
def preflight_command(files: tuple[Path, ...], kind: str | None, no_qr: bool, bleed_mm: float) -> None:
    """Check PDFs as a print shop would: boxes, fonts, CMYK, safe zone, QR codes; PDF/X, ink, lines, images.

    Reads only regular files of at most 200 MB and 5000 pages, and stops a check that takes too long.

    \b
    Example:
      dialoogkit preflight output/standaard/*.pdf
    """
    preflight_files(files, kind, qr=not no_qr, bleed_mm=bleed_mm)


@main.command("studio")
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Port to listen on (default: this folder's own port, the same every time; 0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only for a shared machine: then pass --token too (or use the one printed).")
@click.option("--token", default=None,
              help="The secret in the studio's address (default: this folder's own, kept in your settings).")
@click.option("--no-browser", is_flag=True, help="Do not open the browser; only print the address.")
@click.option("--shortcut", is_flag=True,
              help="Put a launcher for FOLDER on your desktop (double-click it to open the studio), then stop.")
@click.option("--desktop", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="With --shortcut: the folder to put it in (default: your desktop; or DIALOOGKIT_DESKTOP).")
def studio_command(folder: Path, port: int | None, host: str, token: str | None, no_browser: bool, shortcut: bool,
                   desktop: Path | None) -> None:
    """Open the deck studio: make, preview and print a deck in your browser, without YAML.

    FOLDER (default: this folder) holds your decks; the studio reads and writes the same deck
    files as `dialoogkit check` and `dialoogkit build`, and builds into FOLDER/output/. Its
    address stays the same for FOLDER, so an open tab and a bookmark keep working after a restart.

    \b
    Examples:
      dialoogkit studio                  this folder, in your browser
      dialoogkit studio mijn-decks --shortcut
                                         a launcher for mijn-decks on your desktop
      dialoogkit studio mijn-decks --no-browser --port 8765
    """
    if shortcut:
        from dialoogkit.studio.launcher import write_launcher

        path = write_launcher(folder, desktop)
        click.echo(say("studio.launcher.made", path=shown(path)))
        return
    from dialoogkit.studio.server import run_studio  # the web stack loads only here

    run_studio(folder, host=host, port=port, token=token, open_browser=not no_browser, echo=click.echo)


from dialoogkit import cli_decks, cli_labels, cli_results, cli_serve  # noqa: E402  (their commands join the group)

for _face in (cli_decks, cli_results, cli_labels, cli_serve):
    _face.register(main)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
