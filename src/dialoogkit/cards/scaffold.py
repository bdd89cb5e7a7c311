"""``dialoogkit new``: a folder with a commented deck file that extends the standard deck.

In: the path of a folder that does not exist yet.
Out: the folder with ``deck.yaml``; an existing folder is never touched (``DialoogkitError``).
"""

from __future__ import annotations

from pathlib import Path

from dialoogkit.cards.tableimport import slugify
from dialoogkit.errors import DialoogkitError

TEMPLATE = """\
# Eigen deck van dialoogkit, gebouwd op het standaarddeck.
# Controleren:  dialoogkit check {file}
# Bouwen:       dialoogkit build {file}
# Alles wat hier niet staat, komt uit het standaarddeck ("standaard").

extends: standaard
id: {deck_id}
title: "{title}"
region: "{title}"            # staat onderaan elke kaart en elk werkblad

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


def scaffold_deck(folder: Path) -> Path:
    """Create ``folder`` with a commented ``deck.yaml``; returns the deck file's path."""
    if folder.exists():
        raise DialoogkitError(f"'{folder}' already exists — choose a new name; dialoogkit never overwrites a folder")
    deck_id = slugify(folder.name)
    title = folder.name.replace("-", " ").replace("_", " ").strip().capitalize() or "Mijn deck"
    folder.mkdir(parents=True)
    path = folder / "deck.yaml"
    path.write_text(TEMPLATE.format(file=path, deck_id=deck_id, title=title.replace('"', "'")), encoding="utf-8")
    return path
