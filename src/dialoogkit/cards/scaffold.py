"""``dialoogkit new``: a folder with a commented deck file that extends the standard deck.

In: the name the user typed, e.g. ``Regio Eemland`` or ``projecten/regio-noord``.
Out: the folder ``regio-eemland/`` (the last part of the name made safe: lowercase letters,
digits and hyphens; the folders before it as typed) with ``deck.yaml``, whose id is that safe
name and whose title is the name as typed (a name typed in that safe form already, such as
``regio-noord``, gives the title "Regio noord"). An existing folder is never touched
(``DialoogkitError``).
"""

from __future__ import annotations

import json
from pathlib import Path

from dialoogkit.cards.models import check_characters
from dialoogkit.cards.shellwords import quote_path
from dialoogkit.cards.tableimport import TITLE_LIMIT, slugify
from dialoogkit.errors import DialoogkitError, quoted
from dialoogkit.i18n import say

TEMPLATE = """\
# Eigen deck van dialoogkit, gebouwd op het standaarddeck.
# Controleren:  dialoogkit check {file}
# Inzichten:    dialoogkit show {file}
# Bouwen:       dialoogkit build {file}
# Alles wat hier niet staat, komt uit het standaarddeck ("standaard").

extends: standaard
id: {deck_id}
title: {title}
region: {title}            # staat onderaan elke kaart en elk werkblad

# Logo (PNG of JPG, minstens 120 pixels hoog) in deze map:
# logo: logo.png

# Welke inzichten, in welke volgorde (id of nummer uit het standaarddeck).
# Laat deze regels weg om alle tien te houden.
# select: [1, 2, ontmoetingsplek-bij-start, 9]

# Teksten aanpassen per inzicht. 'questions+' en 'sources+' voegen toe,
# andere velden (statement, explanation, ...) vervangen de tekst.
# override:
#   meerdere-meldplekken:
#     questions+:
#       - text: Kennen we het meldpunt in onze wijk?
#         audience: bewoners

# Contacten voor een extra contactkaart (naam verplicht, de rest mag).
# contacts:
#   - name: Wijkteam
#     role: Voor zorgen over een buur
#     phone: 030 000 00 00
#     email: wijkteam@voorbeeld.nl

# Eigen inzichten toevoegen (komen na de gekozen inzichten):
# lessons:
#   - id: eigen-inzicht
#     theme: gemengd-wonen
#     pillar: relaties
#     statement: Korte, stellige zin
#     explanation: Uitleg in twee of drie korte zinnen.
#     questions:
#       - text: Eerste vraag?
#       - text: Tweede vraag?
#         audience: bewoners
#       - text: Derde vraag?
#     sources:
#       - title: Titel van de bron
#         url: https://...
"""


def scaffold_deck(name: Path) -> Path:
    """Create the deck's folder with a commented ``deck.yaml`` (see module docstring); returns the
    deck file's path."""
    typed = " ".join(name.name.split())
    deck_id = slugify(typed) if typed else "mijn-deck"
    folder = name.parent / deck_id
    if folder.exists():
        raise DialoogkitError(say("cards.new.exists", folder=quoted(folder, 120)))
    title = make_title(typed)
    folder.mkdir(parents=True)
    path = folder / "deck.yaml"
    path.write_text(TEMPLATE.format(file=quote_path(path), deck_id=deck_id, title=json.dumps(title, ensure_ascii=False)),
                    encoding="utf-8")
    return path


def make_title(typed: str) -> str:
    """The deck title for a typed name: as typed, unless it was typed as an id (``regio-noord``:
    "Regio noord"); without characters a deck may not hold, and short enough for a title."""
    if typed == slugify(typed) or not typed:
        typed = typed.replace("-", " ").replace("_", " ").strip().capitalize()
    title = "".join(ch if ch.isprintable() else " " for ch in typed)[:TITLE_LIMIT].strip()
    try:
        check_characters(title)
    except ValueError:
        title = ""
    return title or "Mijn deck"
