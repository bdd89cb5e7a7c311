"""The command line: a thin click layer that parses options, calls one library function, prints.

In: the command line (``dialoogkit list | check | schema | build | calibrate``).
Out: text on stdout, errors as ``Error: …`` on stderr; exit status 0 ok, 1 content problems,
2 usage problems. Heavy libraries are imported inside the commands, so ``--help`` and ``list``
start fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from dialoogkit import __version__

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="dialoogkit")
def main() -> None:
    """Turn lessons from practice into printable workshop materials.

    \b
    Examples:
      dialoogkit build                 the standard Dutch deck into output/standaard/
      dialoogkit check mijn-deck.yaml  check your own deck for mistakes
      dialoogkit list                  bundled decks, card formats and print profiles
    """


@main.command("list")
def list_command() -> None:
    """List bundled decks, card formats, papers and print profiles.

    \b
    Example:
      dialoogkit list
    """
    from dialoogkit.cards.bundled import DEFAULT_DECK, list_bundled
    from dialoogkit.layouts.formats import CARD_FORMATS, DEFAULT_PAPER, PAPERS
    from dialoogkit.layouts.profiles import PROFILES

    click.echo("Bundled decks:")
    for name in list_bundled():
        click.echo(f"  {name}{'  (default)' if name == DEFAULT_DECK else ''}")
    click.echo("Card formats (--format, or WIDTHxHEIGHT in mm):")
    for fmt in CARD_FORMATS.values():
        click.echo(f"  {fmt.name:<8} {fmt.description}")
    click.echo("Papers for cards-sheets.pdf (--paper):")
    for paper in PAPERS.values():
        default = "  (default)" if paper.name == DEFAULT_PAPER else ""
        click.echo(f"  {paper.name:<8} {paper.width_mm:g} × {paper.height_mm:g} mm{default}")
    click.echo("Print profiles (--profile):")
    for profile in PROFILES.values():
        click.echo(f"  {profile.name:<12} {profile.description}")


@main.command("check")
@click.argument("deck", default="standaard")
@click.option("--format", "card_format", default=None, metavar="FORMAT",
              help="Also check that every text fits on cards of this format (e.g. a6, poker, 90x140).")
@click.option("--profile", default="standard", show_default=True, help="Print profile for the fit check.")
def check_command(deck: str, card_format: str | None, profile: str) -> None:
    """Check a deck (bundled name or YAML file) and report every problem at once.

    \b
    Examples:
      dialoogkit check                      the standard deck
      dialoogkit check mijn-deck.yaml
      dialoogkit check mijn-deck.yaml --format poker
    """
    from dialoogkit.cards.loader import load_deck
    from dialoogkit.cards.summary import summarise_deck

    loaded = load_deck(deck)
    if card_format is not None:
        from dialoogkit.generator.plan import plan_deck
        from dialoogkit.layouts.formats import parse_card_format
        from dialoogkit.layouts.profiles import parse_profile

        plan_deck(loaded, parse_card_format(card_format), parse_profile(profile))
    click.echo(summarise_deck(loaded))
    if card_format is not None:
        click.echo(f"Every text fits on format {card_format} ({profile}).")


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
        click.echo(f"Wrote {output}", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
