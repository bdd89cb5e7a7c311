"""Turn the rows of a table of lessons into deck data, checking every row first.

In: a ``RawTable`` (filled rows as (row number, cell texts)) whose header row names the columns
(case-insensitive, Dutch or English, the start of the name is enough): lesson ("lessen uit de
praktijk", "les", "lesson"), topic ("gaat over", "topic", "thema"), explanation ("toelichting",
"explanation"), "zelf oppakken" / "self", "hoger niveau" / "higher", and optionally pillar
("pijler", "pillar") and publisher ("uitgever", "publisher"). Rows above the header (a title) are
skipped; so are rows whose lesson columns are all empty. Then the deck's id, title and language.
Out: deck data (a dict ready to be written as YAML) whose credit is the deck's own title, published
by the table's publishers; or ``ContentError`` listing every bad row as
``PATH:N: row N, column 'Toelichting': what is wrong — what to do``. What the table cannot say is
written as a placeholder (``placeholders.mark``: text starting with "(invullen)"): three starter
questions and a source per lesson, the pillar when the table has none, the publisher.

Cell text is plain text, as in the publication's table. Only the tags that table uses are
removed: ``<b>``, ``<i>`` and ``<br>``, opening, closing or self-closing, in any case (``<br>``
becomes a space). Every other ``<``, ``>`` and ``&`` is kept as typed, so
``Huur < 800 euro en inkomen > 3000 euro`` stays whole. The five entities a cell copied from a
web page may carry (``&amp; &lt; &gt; &quot; &nbsp;``) are decoded, after the tags are removed,
so ``&lt;b&gt;`` stays the literal text ``<b>``; any other ``&`` (``R&D``, ``&copy``) is kept.
Whitespace, line breaks within a cell included, becomes single spaces; empty or "-" is absent.
Cell text takes the road of every text (``cards.textroad``): NFC, without U+FEFF, and a cell with
a control or text-direction character (U+202E) is a problem of its row and column.
"""

from __future__ import annotations

import re
import typing
import unicodedata
from typing import Any

from pydantic import BaseModel

from dialoogkit.cards.labels import load_labels
from dialoogkit.cards.models import Actions, Lesson, Theme
from dialoogkit.cards.placeholders import PLACEHOLDERS, mark
from dialoogkit.cards.tablelimits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_LESSONS, MAX_PROBLEMS_SHOWN, show_path
from dialoogkit.cards.tableread import RawTable
from dialoogkit.cards.textroad import check_characters, normalise_text
from dialoogkit.errors import ContentError, Problem, quoted
from dialoogkit.i18n import say

COLUMNS = {
    "statement": ("lessen uit de praktijk", "les uit de praktijk", "lessen", "les", "lesson", "inzicht", "insight"),
    "topic": ("gaat over", "topic", "thema", "theme", "onderwerp"),
    "explanation": ("toelichting", "explanation", "uitleg"),
    "self": ("zelf oppakken", "self", "pick up"),
    "higher": ("hoger niveau", "higher"),
    "pillar": ("pijler", "pillar"),
    "publisher": ("uitgever", "publisher"),
}
REQUIRED = {"statement": "tables.rows.statement_column", "explanation": "tables.rows.explanation_column"}  # keys
KNOWN_TOPICS = {"community building": "community-building", "gemengd wonen": "gemengd-wonen",
                "mixed housing": "gemengd-wonen", "beide": "beide", "beiden": "beide", "both": "beide"}
THEME_STYLE = {"community-building": ("#1D5C7A", "people"), "gemengd-wonen": ("#7B2D5B", "house"),
               "beide": ("#2F6A3A", "link")}
EXTRA_COLOURS = ("#5B4A8B", "#8A4B14", "#2D6A6A", "#6B2D2D")
DEFAULT_SOURCE = {"title": "Bron van dit inzicht", "url": "https://www.valente.nl"}  # title: see PLACEHOLDERS
HEADER_SEARCH_ROWS = 20
_TAG = re.compile(r"<\s*/?\s*(?:b|i|br)\s*/?\s*>", re.IGNORECASE)
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&nbsp;": " "}
_ENTITY = re.compile("|".join(_ENTITIES))


def max_text_length(model: type[BaseModel], field: str) -> int:
    """The ``max_length`` the deck model allows for a text field (read from the model itself)."""
    annotation = model.model_fields[field]
    candidates = list(annotation.metadata)
    for arg in typing.get_args(annotation.annotation):
        candidates += list(getattr(arg, "__metadata__", ()))
    return min(getattr(c, "max_length", None) or 10**9 for c in candidates)


TEXT_LIMITS = {"statement": max_text_length(Lesson, "statement"),
               "explanation": max_text_length(Lesson, "explanation"),
               "self": max_text_length(Actions, "own"), "higher": max_text_length(Actions, "higher"),
               "topic": max_text_length(Theme, "label"), "pillar": max_text_length(Theme, "label"),
               "publisher": max_text_length(Theme, "label")}


def clean_cell(text: str | None) -> str | None:
    """Plain text of a cell (see module docstring); None when it is empty or "-"."""
    if text is None:
        return None
    untagged = _TAG.sub(lambda m: " " if "br" in m.group().lower() else "", text)
    plain = _ENTITY.sub(lambda m: _ENTITIES[m.group()], untagged)
    plain = re.sub(r"\s+", " ", normalise_text(plain)).replace(" ;", ";").replace(" ,", ",").strip()
    return None if plain in ("", "-", "–") else plain


def slugify(text: str, fallback: str = "les") -> str:
    """Lowercase letters, digits and single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > 48:
        slug = slug[:48].rsplit("-", 1)[0]
    return slug or fallback


def match_columns(header: list[str]) -> dict[str, int]:
    """Which cell of the header row holds which field."""
    found: dict[str, int] = {}
    for index, name in enumerate(header[:MAX_COLUMNS]):
        key = (clean_cell(name) or "").lower()
        for field, names in COLUMNS.items():
            if field not in found and any(key.startswith(n) for n in names):
                found[field] = index
                break
    return found


def find_header(table: RawTable) -> tuple[int, dict[str, int]]:
    """The position in ``table.rows`` of the header row and its columns; ``ContentError`` if none."""
    file = show_path(table.path)
    if not table.rows:
        raise ContentError([Problem(file, None, say("tables.rows.empty"), say("tables.rows.empty_fix"))])
    for position, (_, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        columns = match_columns(cells)
        if all(field in columns for field in REQUIRED):
            return position, columns
    number, cells = table.rows[0]
    missing = [say(key) for field, key in REQUIRED.items() if field not in match_columns(cells)]
    hint = say("tables.rows.header_fix")
    if len(cells) == 1:
        hint = say("tables.rows.one_column_fix", hint=hint)
    raise ContentError([Problem(file, number, say("tables.rows.no_header", row=number,
                                                  missing=f" {say('cards.common.or')} ".join(missing)), hint)])


def convert_rows(table: RawTable, deck_id: str, title: str, language: str = "nl") -> dict[str, Any]:
    """Deck data from the checked rows of ``table`` (see module docstring)."""
    file = show_path(table.path)
    position, columns = find_header(table)
    header = table.rows[position][1]
    labels = load_labels(language)
    problems = _check_width(file, table.rows[position][0], header)
    lessons: list[dict[str, Any]] = []
    themes: dict[str, dict[str, str]] = {}
    pillars: dict[str, dict[str, str]] = {}
    lesson_rows = 0
    publishers: list[str] = []
    for count, (number, cells) in enumerate(table.rows[position + 1:], start=1):
        if count % 200 == 0:
            table.deadline.check()
        values, row_problems = _read_cells(file, number, cells, header, columns)
        if not any(values.values()):
            problems += row_problems
            continue
        lesson_rows += 1
        if lesson_rows > MAX_LESSONS:
            problems.append(Problem(file, number, say("tables.rows.too_many", row=number, limit=MAX_LESSONS),
                                    say("tables.rows.split_fix")))
            break
        problems += row_problems
        if row_problems:
            continue
        theme = _theme(values.get("topic"), themes)
        pillar_label = values.get("pillar") or PLACEHOLDERS[language]["pillar"]
        pillar = _key_of(pillar_label, pillars, "summary", "pijler")
        shown = pillar_label if values.get("pillar") else mark(pillar_label, language)
        pillars.setdefault(pillar, {"label": shown, "summary": pillar_label})
        if values.get("publisher") and values["publisher"] not in publishers:
            publishers.append(values["publisher"])
        lesson: dict[str, Any] = {"id": _unique(slugify(values["statement"]), lessons), "theme": theme,
                                  "pillar": pillar, "statement": values["statement"],
                                  "explanation": values["explanation"]}
        actions = {k: values[k] for k in ("self", "higher") if values.get(k)}
        if actions:
            lesson["actions"] = actions
        lesson["questions"] = [{"text": mark(labels[f"starter_{i}"], language)} for i in (1, 2, 3)]
        lesson["sources"] = [{**DEFAULT_SOURCE, "title": mark(PLACEHOLDERS[language]["source"], language)}]
        lessons.append(lesson)
    if problems:
        raise ContentError(shorten_problems(problems, file))
    if not lessons:
        raise ContentError([Problem(file, None, say("tables.rows.no_lessons"), say("tables.rows.no_lessons_fix"))])
    return {"id": deck_id, "language": language, "title": title,
            "source": {"title": title, "publishers": publishers or [mark(PLACEHOLDERS[language]["publisher"], language)]},
            "themes": themes, "pillars": pillars,
            "audiences": {"corporatie": {"label": "Corporatie"}, "zorg-welzijn": {"label": "Zorg en welzijn"},
                          "bewoners": {"label": "Bewoners"}, "gemeente": {"label": "Gemeente"}},
            "lessons": lessons}


def _read_cells(file: str, number: int, cells: list[str], header: list[str],
                columns: dict[str, int]) -> tuple[dict[str, str | None], list[Problem]]:
    """The cleaned values of one row's lesson columns, and what is wrong with its cells (left to right)."""
    found: list[tuple[int, Problem]] = []
    used = set(columns.values())
    for index, raw in enumerate(cells[:MAX_COLUMNS]):
        if index not in used and len(raw) > MAX_CELL_CHARS:
            found.append((index, _cell_problem(file, number, header, index, *_too_long(len(raw), MAX_CELL_CHARS))))
    values: dict[str, str | None] = {}
    for field, index in columns.items():
        raw = cells[index] if index < len(cells) else ""
        if len(raw) > MAX_CELL_CHARS:
            found.append((index, _cell_problem(file, number, header, index, *_too_long(len(raw), MAX_CELL_CHARS))))
            values[field] = "…"
            continue
        value = values[field] = clean_cell(raw)
        if value is None:
            continue
        try:
            check_characters(value)
        except ValueError as exc:
            found.append((index, _cell_problem(file, number, header, index, say("tables.rows.cell", problem=exc), "")))
            continue
        if len(value) > TEXT_LIMITS[field]:
            problem = _cell_problem(file, number, header, index, *_too_long(len(value), TEXT_LIMITS[field]))
            found.append((index, problem))
    if any(values.values()):
        for field, fix in (("statement", "tables.rows.needs_statement"),
                           ("explanation", "tables.rows.needs_explanation")):
            if not values.get(field):
                found.append((columns[field], _cell_problem(file, number, header, columns[field],
                                                            say("tables.rows.cell_empty"), say(fix))))
    found.sort(key=lambda item: item[0])
    return values, _check_width(file, number, cells) + [problem for _, problem in found]


def _check_width(file: str, number: int, cells: list[str]) -> list[Problem]:
    if len(cells) <= MAX_COLUMNS:
        return []
    return [Problem(file, number, say("tables.rows.too_wide", row=number, limit=MAX_COLUMNS),
                    say("tables.rows.too_wide_fix"))]


def _too_long(length: int, limit: int) -> tuple[str, str]:
    return say("tables.rows.too_long", length=length, limit=limit), say("tables.rows.too_long_fix")


def _cell_problem(file: str, number: int, header: list[str], index: int, message: str, hint: str) -> Problem:
    name = clean_cell(header[index]) if index < len(header) else None
    column = say("tables.rows.column", name=quoted(name, 40)) if name else \
        say("tables.rows.column_letter", letter=_letter(index))
    return Problem(file, number, say("tables.rows.at", row=number, column=column, message=message), hint)


def _letter(index: int) -> str:
    """The Excel name of a column: 0 → A, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def shorten_problems(problems: list[Problem], file: str) -> list[Problem]:
    """The first problems of a table and how many more there are."""
    if len(problems) <= MAX_PROBLEMS_SHOWN:
        return problems
    more = len(problems) - MAX_PROBLEMS_SHOWN
    return problems[:MAX_PROBLEMS_SHOWN] + [Problem(file, None, say("tables.rows.more", count=more),
                                                    say("tables.rows.more_fix"))]


def _theme(topic: str | None, themes: dict[str, dict[str, str]]) -> str:
    label = topic or "Algemeen"
    key = KNOWN_TOPICS.get(label.lower()) or _key_of(label, themes, "label", "thema")
    if key not in themes:
        colour, icon = THEME_STYLE.get(key, (EXTRA_COLOURS[len(themes) % len(EXTRA_COLOURS)], "star"))
        themes[key] = {"label": "Beide" if key == "beide" else label, "colour": colour, "icon": icon}
    return key


def _key_of(label: str, table: dict[str, dict[str, str]], field: str, prefix: str) -> str:
    """The key of the theme or pillar called ``label``: its slug; a label without Latin letters or
    digits (Arabic, Tigrinya) has none, so it keeps the key of the entry whose ``field`` is that
    label, or gets the next free ``prefix-N``: two topics never fall together into one."""
    slug = slugify(label, fallback="")
    if slug:
        return slug
    same = next((key for key, entry in table.items() if entry.get(field) == label), None)
    if same is not None:
        return same
    number = 1
    while f"{prefix}-{number}" in table:
        number += 1
    return f"{prefix}-{number}"


def _unique(slug: str, lessons: list[dict[str, Any]]) -> str:
    taken = {lesson["id"] for lesson in lessons}
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
