"""The commands that make a deck of your own: ``dialoogkit new NAME`` (a folder with a deck file
built on the standard deck) and ``dialoogkit import TABLE`` (a deck file from a table of lessons).

In: a name, or a table (CSV, Unicode text or .xlsx) with the import's options.
Out: the deck file written (``new``: through ``cards.scaffold``; ``import``: through the storage
interface, after ``cards.tableimport`` checked every row and the deck made of them), and lines
saying what was made and what to run next, in the language of the deck being made.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dialoogkit.cli_support import print_warnings, shown
from dialoogkit.i18n import note_deck_language, say


@click.command("new")
@click.argument("name", type=click.Path(file_okay=False, path_type=Path))
def new_command(name: Path) -> None:
    """Make a folder with your own deck file, built on the standard deck.

    NAME becomes the deck's title as you type it; the folder and the deck's id are made from it
    (lowercase letters, digits and hyphens): "Regio Eemland" gives regio-eemland/deck.yaml.

    \b
    Examples:
      dialoogkit new "Regio Eemland"
      dialoogkit new regio-noord
      (then edit regio-noord/deck.yaml and run: dialoogkit build regio-noord/deck.yaml)
    """
    from dialoogkit.cards.scaffold import scaffold_deck
    from dialoogkit.cards.shellwords import command, quote_path

    path = scaffold_deck(name)
    click.echo(say("cli.new.made", path=shown(quote_path(path))))
    click.echo(say("cli.new.next"))
    for words in (("check", path), ("show", path), ("build", path)):
        click.echo(f"  {command(*words)}")


@click.command("import")
@click.argument("table", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Deck file to write (default: the table's name with .yaml).")
@click.option("--sheet", default=None, help="Sheet of an .xlsx workbook to read (default: the first).")
@click.option("--id", "deck_id", default=None, help="Deck id (default: from the file name).")
@click.option("--title", default=None, help="Deck title (default: from the file name).")
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
def import_command(table: Path, output: Path | None, sheet: str | None, deck_id: str | None, title: str | None,
                   language: str) -> None:
    """Turn a table of lessons (CSV, Unicode text or an .xlsx workbook) into a deck file.

    \b
    Reads what Excel saves: "CSV UTF-8 (door komma's gescheiden)", "CSV (gescheiden door
    lijstscheidingsteken)", "Unicode-tekst" and "Excel-werkmap (*.xlsx)" (first sheet, or --sheet).
    The encoding and the separator (semicolon, comma or tab) are found by themselves.
    Columns (header names, Dutch or English): Lessen uit de praktijk, Gaat over, Toelichting,
    Zelf oppakken, Hoger niveau (and optionally Pijler and Uitgever). Empty cells or "-" mean
    absent. What the table cannot say is written as text that starts with "(invullen)": three
    starter questions and a source per lesson, the pillar and publisher when there is no such
    column, and the title when there is no --title (asked for when you run this in a terminal).
    `dialoogkit check` warns about each until you have replaced it.
    Nothing is written unless every row is right and the deck made of them passes the checks.

    \b
    Example:
      dialoogkit import inzichten.xlsx -o mijn-deck.yaml --title "Onze inzichten"
    """
    from dialoogkit.cards.placeholders import MARKERS
    from dialoogkit.cards.shellwords import command
    from dialoogkit.app.storage import current_storage, stored_bytes
    from dialoogkit.app.importing import prepare_import
    from dialoogkit.cards.tableimport import suggest_title

    if title is None and sys.stdin.isatty() and sys.stdout.isatty():
        title = click.prompt(say("cli.import.ask_title"), default=suggest_title(table, language))
    note_deck_language(language)  # the deck being made
    prepared = prepare_import(table, output, deck_id, title, language, sheet)
    current_storage().replace(prepared.target, prepared.text.encode("utf-8"), read=stored_bytes(prepared.target))
    click.echo(prepared.description)
    if prepared.lessons == 1:
        click.echo(say("cli.import.wrote_one", path=prepared.shown_target))
    else:
        click.echo(say("cli.import.wrote_many", path=prepared.shown_target, count=prepared.lessons))
    print_warnings(list(prepared.warnings), say("cli.import.warnings_after", placeholder=MARKERS[language]))
    click.echo(say("cli.import.then", command=command("check", prepared.target)))


def register(main: click.Group) -> None:
    """Add ``new`` and ``import`` to the command line."""
    main.add_command(new_command)
    main.add_command(import_command)
