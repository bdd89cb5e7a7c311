"""Import a table of lessons (CSV or tab-separated, like the publication's table) as a deck.

In: the path of a table whose header names the columns (case-insensitive, Dutch or English, the
start of the name is enough): lesson ("lessen uit de praktijk", "les", "lesson"), topic ("gaat
over", "topic", "thema"), explanation ("toelichting", "explanation"), "zelf oppakken" / "self",
"hoger niveau" / "higher", and optionally pillar ("pijler", "pillar"). Empty cells or "-" mean
absent; HTML tags in cells become plain text.
Out: deck data (a dict ready to be written as YAML) with starter questions and a source to edit,
or a ``ContentError`` naming every bad row by its row number.
"""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path
from typing import Any

from dialoogkit.cards.labels import load_labels
from dialoogkit.cards.yamlsource import read_text
from dialoogkit.errors import ContentError, Problem

COLUMNS = {
    "statement": ("lessen uit de praktijk", "les uit de praktijk", "lessen", "les", "lesson", "inzicht", "insight"),
    "topic": ("gaat over", "topic", "thema", "theme", "onderwerp"),
    "explanation": ("toelichting", "explanation", "uitleg"),
    "self": ("zelf oppakken", "self", "pick up"),
    "higher": ("hoger niveau", "higher"),
    "pillar": ("pijler", "pillar"),
}
KNOWN_TOPICS = {"community building": "community-building", "gemengd wonen": "gemengd-wonen",
                "mixed housing": "gemengd-wonen", "beide": "beide", "beiden": "beide", "both": "beide"}
THEME_STYLE = {"community-building": ("#1D5C7A", "people"), "gemengd-wonen": ("#7B2D5B", "house"),
               "beide": ("#2F6A3A", "link")}
EXTRA_COLOURS = ("#5B4A8B", "#8A4B14", "#2D6A6A", "#6B2D2D")
DEFAULT_SOURCE = {"title": "Valente", "url": "https://www.valente.nl"}
DEFAULT_PUBLISHERS = ("Aedes", "VNG", "Valente")
_TAG = re.compile(r"<[^>]*>")


def clean_cell(text: str | None) -> str | None:
    """Plain text of a cell: tags removed, entities decoded, spaces folded; "-" or empty is absent."""
    if text is None:
        return None
    plain = html.unescape(_TAG.sub("", text))
    plain = re.sub(r"\s+", " ", plain).replace(" ;", ";").replace(" ,", ",").strip()
    return None if plain in ("", "-", "–") else plain


def slugify(text: str) -> str:
    """Lowercase letters, digits and single hyphens."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > 48:
        slug = slug[:48].rsplit("-", 1)[0]
    return slug or "les"


def _match_columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = (clean_cell(name) or "").lower()
        for field, names in COLUMNS.items():
            if field not in found and any(key.startswith(n) for n in names):
                found[field] = index
                break
    return found


def read_table(path: Path) -> list[list[str]]:
    """Rows of a CSV or tab-separated file (the delimiter is taken from the header line)."""
    text = read_text(path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first else ";" if first.count(";") > first.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def import_table(path: Path, deck_id: str, title: str, language: str = "nl") -> dict[str, Any]:
    """Turn the table at ``path`` into deck data (see module docstring)."""
    file = str(path)
    rows = read_table(path)
    header_index = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if header_index is None:
        raise ContentError([Problem(file, None, "the table is empty", "export the table with its header row")])
    columns = _match_columns(rows[header_index])
    missing = [f for f in ("statement", "explanation") if f not in columns]
    if missing:
        raise ContentError([Problem(file, header_index + 1, f"no column for {', '.join(missing)} in the header",
                                    "name the columns e.g. 'Lessen uit de praktijk', 'Gaat over', 'Toelichting', "
                                    "'Zelf oppakken', 'Hoger niveau'")])
    labels = load_labels(language)
    problems: list[Problem] = []
    lessons: list[dict[str, Any]] = []
    themes: dict[str, dict[str, str]] = {}
    pillars: dict[str, dict[str, str]] = {}
    for number, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {field: clean_cell(row[i]) if i < len(row) else None for field, i in columns.items()}
        for field in ("statement", "explanation"):
            if not cells.get(field):
                problems.append(Problem(file, number, f"row {number} has no {field}",
                                        f"fill in the '{field}' cell or remove the row", field=field))
        if not cells.get("statement") or not cells.get("explanation"):
            continue
        theme = _theme(cells.get("topic"), themes)
        pillar_label = cells.get("pillar") or ("Nog in te delen" if language == "nl" else "To be decided")
        pillar = slugify(pillar_label)
        pillars.setdefault(pillar, {"label": pillar_label, "summary": pillar_label})
        lesson: dict[str, Any] = {"id": _unique(slugify(cells["statement"]), lessons), "theme": theme,
                                  "pillar": pillar, "statement": cells["statement"],
                                  "explanation": cells["explanation"]}
        actions = {k: cells[k] for k in ("self", "higher") if cells.get(k)}
        if actions:
            lesson["actions"] = actions
        lesson["questions"] = [{"text": labels[f"starter_{i}"]} for i in (1, 2, 3)]
        lesson["sources"] = [dict(DEFAULT_SOURCE)]
        lessons.append(lesson)
    if problems:
        raise ContentError(problems)
    if not lessons:
        raise ContentError([Problem(file, None, "the table has no lessons below its header", "add rows")])
    return {"id": deck_id, "language": language, "title": title,
            "source": {"title": title, "publishers": list(DEFAULT_PUBLISHERS)},
            "themes": themes, "pillars": pillars,
            "audiences": {"corporatie": {"label": "Corporatie"}, "zorg-welzijn": {"label": "Zorg en welzijn"},
                          "bewoners": {"label": "Bewoners"}, "gemeente": {"label": "Gemeente"}},
            "lessons": lessons}


def _theme(topic: str | None, themes: dict[str, dict[str, str]]) -> str:
    label = topic or "Algemeen"
    key = KNOWN_TOPICS.get(label.lower(), slugify(label))
    if key not in themes:
        colour, icon = THEME_STYLE.get(key, (EXTRA_COLOURS[len(themes) % len(EXTRA_COLOURS)], "star"))
        themes[key] = {"label": "Beide" if key == "beide" else label, "colour": colour, "icon": icon}
    return key


def _unique(slug: str, lessons: list[dict[str, Any]]) -> str:
    taken = {lesson["id"] for lesson in lessons}
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
