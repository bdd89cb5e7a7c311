"""The command line after a session: ``dialoogkit results new DECK`` and ``dialoogkit report RESULTS``.

In: the command line (a deck name or path, and ``--after`` the previous session's results file;
a results file; ``-o``, ``--force``, ``--strict``).
Out: a commented results file for the deck (with what the previous session left), or the report
files in ``<output>/<deck id>/na-de-sessie/``; a suspected resident's name, address or phone
number stops the report (exit 1, nothing written) naming file, line, lesson, field, the words and
the fix; what the letters still lack (sender, addressee) and stopped agreements without a reason
as ``Warning: …`` on stderr (``--strict``: errors). ``register`` adds both commands to the main group.
Both commands only translate: the results-and-report service (``app.reporting``: ``new_results``,
``read_results``, ``make_report``) does the work, as it does for the studio's "Na de sessie" page.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import click

from dialoogkit.cards.paths import Gate
from dialoogkit.cli_support import ALLOW_PARENT, print_warnings, shown, wrote
from dialoogkit.i18n import note_deck_language, say


@click.group("results")
def results_group() -> None:
    """Results of a session: make the file to fill in after the session.

    \b
    Example:
      dialoogkit results new standaard     writes standaard-resultaten.yaml
    """


@results_group.command("new")
@click.argument("deck", default="standaard")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Folder to write into (default: this folder), or a file name ending in .yaml.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.option("--after", "after", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The results file of the previous session: copy its open agreements, its date and its dots.")
@ALLOW_PARENT
def results_new_command(deck: str, output: Path | None, force: bool, after: Path | None, gate: Gate) -> None:
    """Write a commented results file for DECK's lessons: <deck id>-resultaten.yaml.

    Fill in the date, place, partners, dot votes, what was recognised, agreements and points for
    a higher level; then run `dialoogkit report` on it. The untouched file is valid: its report
    is a worksheet with every section marked as still to fill in.

    With --after, the new file starts from the previous session: every agreement that is not
    done or stopped (to update its status), the previous date and its dots, so the report can
    say what became of them and how the dots moved. The new file names no other file.

    \b
    Examples:
      dialoogkit results new
      dialoogkit results new mijn-deck.yaml -o sessies/
      dialoogkit results new standaard --after maart.yaml -o juni.yaml
    """
    from dialoogkit.app.reporting import new_results, read_results
    from dialoogkit.cards.loader import load_deck
    from dialoogkit.cards.results.scaffold import deck_reference
    from dialoogkit.cards.shellwords import command

    loaded = load_deck(deck, gate)
    note_deck_language(loaded.language)
    previous = read_results(after, gate) if after is not None else None
    made = new_results(loaded, deck, output, force=force, after=previous)
    path = made.path
    click.echo(say("results.new.made", path=shown(path)))
    if previous is not None:
        click.echo(say("results.after.carried", path=shown(after), count=made.carried,
                       date=made.previous_date or say("results.after.no_date")))
    click.echo(say("results.new.next"))
    climbs = ".." in PurePosixPath(deck_reference(loaded, deck, path)).parts
    click.echo(f"  {command('report', path, *(['--allow-parent-folder'] if climbs else []))}")


@click.command("report")
@click.argument("results", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write into; the report goes into <output>/<deck>/na-de-sessie/.")
@click.option("--strict", is_flag=True, help="Treat warnings (a letter still to fill in, a stopped agreement "
              "without a reason) as errors.")
@click.option("--force", is_flag=True, help="Write even into a kit folder that holds other files (they are kept).")
@ALLOW_PARENT
def report_command(results: Path, output: Path, strict: bool, force: bool, gate: Gate) -> None:
    """Make the report of a session from its results file.

    \b
    First every text is checked for residents' names, street addresses and phone numbers
    (except sender: and addressees:); anything found stops the report. Words that are no
    person (an organisation, a place) are confirmed once under not_names: in the results file.

    \b
    Writes into OUTPUT/<deck>/na-de-sessie/:
      verslag.pdf, .docx   the report for residents, in plain words, with the dot votes
      stippen.png          the dot votes as a picture (lessons x partners)
      acties.xlsx, .csv    the action list: lesson, action, owner, when, status
      brief-<to>.pdf, .docx  a one-page letter per addressee of higher-level points
    The kit's other files stay; a build keeps na-de-sessie/ too.

    \b
    Examples:
      dialoogkit report standaard-resultaten.yaml
      dialoogkit report sessie.yaml -o kits --strict
    """
    from dialoogkit.app.reporting import make_report, read_results

    loaded = read_results(results, gate)
    note_deck_language(loaded.deck.language)
    made = make_report(loaded, output, strict=strict, force=force,
                       on_preparing=lambda: click.echo(say("results.names.preparing"), err=True))
    for path in made.files:
        wrote(path)
    print_warnings(made.warnings, say("results.report.warnings_after"))


def register(main: click.Group) -> None:
    """Add ``results`` and ``report`` to the command line."""
    main.add_command(results_group)
    main.add_command(report_command)
