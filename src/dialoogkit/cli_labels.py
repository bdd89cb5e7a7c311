"""The ``dialoogkit labels [LANGUAGE]`` command: a bundled label table to translate from.

In: a language with a bundled table (``nl`` or ``en``; default ``nl``).
Out: the table on standard output as YAML under ``labels:``, ready to paste into a deck in another
language and translate (the command only reads).
"""

from __future__ import annotations

import click

from dialoogkit.cards.labels import BUNDLED, labels_yaml
from dialoogkit.errors import UsageProblem
from dialoogkit.i18n import say


@click.command("labels")
@click.argument("language", default="nl")
def labels_command(language: str) -> None:
    """Print the fixed labels of LANGUAGE (nl or en; default nl) as YAML, ready to translate and
    paste under labels: in a deck in another language.

    \b
    Example:
      dialoogkit labels nl > labels-pl.yaml
    """
    language = language.strip().lower()
    if language not in BUNDLED:
        raise UsageProblem(say("labels.no_table", language=language, bundled=", ".join(BUNDLED)))
    click.echo(labels_yaml(language), nl=False)


def register(main: click.Group) -> None:
    """Add the command to the ``dialoogkit`` group."""
    main.add_command(labels_command)
