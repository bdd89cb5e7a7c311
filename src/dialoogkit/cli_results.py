"""The command line after a session: ``dialoogkit results new DECK`` and ``dialoogkit report RESULTS``.

In: the command line (a deck name or path; a results file; ``-o``, ``--force``, ``--strict``).
Out: a commented results file for the deck, or the report files in ``<output>/<deck id>/na-de-sessie/``;
privacy warnings (a value that looks like a person's name) as ``Warning: …`` on stderr, errors
with file, line, lesson and field. ``register`` adds both commands to the main group.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import click

from dialoogkit.cards.paths import Gate
from dialoogkit.cli_support import ALLOW_PARENT, print_warnings, shown, wrote
from dialoogkit.i18n import say


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
@ALLOW_PARENT
def results_new_command(deck: str, output: Path | None, force: bool, gate: Gate) -> None:
    """Write a commented results file for DECK's lessons: <deck id>-resultaten.yaml.

    Fill in the date, place, partners, dot votes, what was recognised, agreements and points for
    a higher level; then run `dialoogkit report` on it. The untouched file is valid: its report
    is a worksheet with every section marked as still to fill in.

    \b
    Examples:
      dialoogkit results new
      dialoogkit results new mijn-deck.yaml -o sessies/
    """
    from dialoogkit.cards.loader import load_deck
    from dialoogkit.cards.results.scaffold import deck_reference, scaffold_results
    from dialoogkit.cards.shellwords import command

    loaded = load_deck(deck, gate)
    path = scaffold_results(loaded, deck, output, force)
    click.echo(say("results.new.made", path=shown(path)))
    click.echo(say("results.new.next"))
    climbs = ".." in PurePosixPath(deck_reference(loaded, deck, path)).parts
    click.echo(f"  {command('report', path, *(['--allow-parent-folder'] if climbs else []))}")


@click.command("report")
@click.argument("results", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write into; the report goes into <output>/<deck>/na-de-sessie/.")
@click.option("--strict", is_flag=True, help="Treat warnings (a value that looks like a person's name) as errors.")
@click.option("--force", is_flag=True, help="Write even into a kit folder that holds other files (they are kept).")
@ALLOW_PARENT
def report_command(results: Path, output: Path, strict: bool, force: bool, gate: Gate) -> None:
    """Make the report of a session from its results file.

    \b
    Writes into OUTPUT/<deck>/na-de-sessie/:
      verslag.pdf          the report for residents, in plain words, with the dot votes
      stippen.png          the dot votes as a picture (lessons x partners)
      acties.xlsx, .csv    the action list: lesson, action, owner, when, status
      brief-<to>.pdf       a one-page letter per addressee of higher-level points
    The kit's other files stay; a build keeps na-de-sessie/ too.

    \b
    Examples:
      dialoogkit report standaard-resultaten.yaml
      dialoogkit report sessie.yaml -o kits --strict
    """
    from dialoogkit.cards.results.load import load_results
    from dialoogkit.output.report import write_report

    loaded = load_results(results, strict=strict, gate=gate)
    written = write_report(loaded, output, force)
    for path in written:
        wrote(path)
    print_warnings(loaded.warnings, say("results.report.warnings_after"))


def register(main: click.Group) -> None:
    """Add ``results`` and ``report`` to the command line."""
    main.add_command(results_group)
    main.add_command(report_command)
