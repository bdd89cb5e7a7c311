"""The one-page letter to one addressee of higher-level points (``brief-<addressee>.pdf`` and
``.docx``), a letter that can be sent.

In: loaded results, the addressee as written, its points with their lesson ids, the report words,
whether the check for residents' names ran clean, the logo (the sender's, else the deck's, or
None), the letter's date and its reference.
Out: ``build_letter_story``, the letter's blocks: the logo; the sender's organisation, address,
e-mail and phone; the addressee's organisation, department and person (``addressees:``); the
date, the reference and the subject; the opening (to the person when named); when and where the
session was and why we write; the points with the lesson they come from; who was at the table;
whom to answer and how (the sender's name and contact); the greeting, signed by the sender on
behalf of the participants; the credit and (only when the check ran clean) the sentence that it
holds no names of residents. What the file leaves empty shows as "nog in te vullen" (and
``cards.results.gaps`` warns about it). ``letter_slug`` gives the file name part and
``letter_reference`` the reference. Whether it fits one page is checked where it is laid out.
"""

from __future__ import annotations

import datetime
import unicodedata
from pathlib import Path

from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.cards.results.model import HigherPoint
from dialoogkit.cards.tablerows import slugify
from dialoogkit.generator.report.blocks import Gap, Logo, Para
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


def letter_reference(loaded: LoadedResults, slug: str) -> str:
    """``<deck id>-<session date>-<addressee>``: the same for the same session and addressee."""
    return "-".join(part for part in (loaded.deck.deck.id, loaded.results.session.date or "", slug) if part)


def build_letter_story(loaded: LoadedResults, to: str, points: list[tuple[str, HigherPoint]],
                       words: dict[str, str], names_checked: bool = False, logo: Path | None = None,
                       today: datetime.date | None = None, reference: str = "") -> list:
    """The blocks of the letter to ``to`` (see module docstring)."""
    deck, results = loaded.deck.deck, loaded.results
    session = results.session
    numbers = lesson_numbers(deck)
    missing = f"({words['to_fill']})"
    story: list = [Logo(logo), Gap(mm(3))] if logo is not None else []
    story += _sender_lines(loaded, words) + [Gap(mm(8))] + _addressee_lines(loaded, to, words, missing)
    story += [Gap(mm(8)), Para(words["letter_date"].format(date=spoken_date((today or datetime.date.today())
                                                                          .isoformat(), words)), "body")]
    story += [Para(words["letter_reference"].format(reference=reference), "body")] if reference else []
    story += [Para(words["letter_subject"].format(title=deck.title), "cellbold"), Gap(mm(6))]
    addressee = results.addressee(to)
    person = addressee.person if addressee is not None else None
    story.append(Para(words["letter_opening_person"].format(person=person) if person else words["letter_opening"]))
    place = words["letter_place"].format(place=session.place) if session.place else ""
    date = spoken_date(session.date, words) or missing
    story.append(Para(words["letter_body"].format(date=date, place=place, title=deck.title)))
    story += [Para(point.point, "body", True) for _, point in points]
    if session.partners:
        partners = ", ".join(deck.audiences[p].label for p in session.partners)
        story.append(Para(words["letter_present"].format(partners=partners)))
    story.append(Para(words["talked_intro"]))
    story += [Para(f"{numbers[lesson_id]}. {lesson_statement(deck, lesson_id)}", "small", True)
              for lesson_id in dict.fromkeys(lesson_id for lesson_id, _ in points)]
    sender = results.sender
    name = ", ".join(part for part in (sender.name, sender.role) if part) if sender is not None else ""
    contact = ", ".join(part for part in (sender.email, sender.phone, sender.address) if part) if sender else ""
    story.append(Para(words["letter_close"].format(name=name or words["letter_missing_name"],
                                                   contact=contact or words["letter_missing_contact"])))
    story += [Gap(mm(3)), Para(words["letter_greeting"]),
              Para(sender.name if sender and sender.name else words["letter_missing_name"])]
    signed = ", ".join(part for part in (sender.role, sender.organisation) if part) if sender is not None else ""
    story += [Para(signed, "body")] if signed else []
    story += [Para(words["letter_from"]), Gap(mm(6)), Para(credit_line(deck, words), "small")]
    story += [Para(words["letter_no_names"], "small")] if names_checked else []
    return story


def _sender_lines(loaded: LoadedResults, words: dict[str, str]) -> list:
    """The letterhead: the sender's organisation, then its address, e-mail and phone."""
    sender = loaded.results.sender
    if sender is None or not (sender.organisation or sender.address or sender.email or sender.phone):
        return [Para(words["letter_sender_missing"], "small")]
    details = [part for part in (sender.address, sender.email, sender.phone) if part]
    head = [Para(sender.organisation, "h2")] if sender.organisation else [Para(words["letter_sender_missing"], "small")]
    return head + ([Para(" · ".join(details), "small")] if details else [])


def _addressee_lines(loaded: LoadedResults, to: str, words: dict[str, str], missing: str) -> list:
    """Who receives the letter: the organisation, then the department and the person."""
    addressee = loaded.results.addressee(to)
    organisation = addressee.organisation if addressee is not None and addressee.organisation else None
    lines = [Para(words["letter_to"].format(to=organisation or f"{capitalised(to)} {missing}"), "cellbold")]
    who = [part for part in (addressee.department, addressee.person) if part] if addressee is not None else []
    lines += [Para(words["letter_attention"].format(who=part), "body") for part in who] or \
        [Para(words["letter_attention"].format(who=missing), "body")]
    return lines
