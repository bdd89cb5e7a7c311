"""The one-page letter to one addressee of higher-level points (``brief-<addressee>.pdf``).

In: loaded results, the addressee as written, its points with their lesson ids, the report words.
Out: the letter's flowables (date, addressee, subject, opening, why we write, who was at the
table, the points with the lesson they come from, a request to answer, greeting from "the
participants of the session", the credit and the sentence that it holds no names), and
``letter_slug`` for its file name. Whether it fits one page is checked where it is laid out.
"""

from __future__ import annotations

import unicodedata

from reportlab.platypus import Spacer

from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.cards.results.model import HigherPoint
from dialoogkit.cards.tablerows import slugify
from dialoogkit.generator.guide.styles import para, styles
from dialoogkit.generator.report.story import BULLET
from dialoogkit.generator.report.words import capitalised, credit_line, lesson_numbers, lesson_statement, spoken_date
from dialoogkit.layouts.units import mm


def letter_slug(to: str, taken: set[str]) -> str:
    """A file-name part for an addressee (``Woonstichting De Linde`` → ``woonstichting-de-linde``),
    unique among ``taken`` (which it joins). File names stay ASCII: an addressee written without
    Latin letters or digits (``البلدية``, ``Громада``) gets its number among the addressees, that
    is one more than the slugs already taken (``brief-2.pdf``)."""
    latin = any(ch.isascii() and ch.isalnum() for ch in unicodedata.normalize("NFKD", to))
    base = slugify(to) if latin else str(len(taken) + 1)
    slug, count = base, 1
    while slug in taken:
        count += 1
        slug = f"{base}-{count}"
    taken.add(slug)
    return slug


def build_letter_story(loaded: LoadedResults, to: str, points: list[tuple[str, HigherPoint]],
                       words: dict[str, str]) -> list:
    """The flowables of the letter to ``to`` (see module docstring)."""
    deck, session = loaded.deck.deck, loaded.results.session
    s = styles(deck.language)
    numbers = lesson_numbers(deck)
    date = spoken_date(session.date, words) or f"({words['to_fill']})"
    place = words["letter_place"].format(place=session.place) if session.place else ""
    story: list = [para(words["letter_date"].format(date=date), s["small"]), Spacer(1, mm(8)),
                   para(words["letter_to"].format(to=capitalised(to)), s["h2"]), Spacer(1, mm(4)),
                   para(words["letter_subject"].format(title=deck.title), s["cellbold"]), Spacer(1, mm(6)),
                   para(words["letter_opening"], s["body"]),
                   para(words["letter_body"].format(place=place, title=deck.title), s["body"])]
    story += [para(f"{point.point}", s["body"], BULLET) for _, point in points]
    if session.partners:
        partners = ", ".join(deck.audiences[p].label for p in session.partners)
        story.append(para(words["letter_present"].format(partners=partners), s["body"]))
    lessons = dict.fromkeys(lesson_id for lesson_id, _ in points)
    story.append(para(words["talked_intro"], s["body"]))
    story += [para(f"{numbers[lesson_id]}. {lesson_statement(deck, lesson_id)}", s["small"], BULLET)
              for lesson_id in lessons]
    story += [para(words["letter_close"], s["body"]), Spacer(1, mm(4)), para(words["letter_greeting"], s["body"]),
              para(words["letter_from"], s["body"]), Spacer(1, mm(10)),
              para(credit_line(deck, words), s["small"]), para(words["no_names"], s["small"])]
    return story
