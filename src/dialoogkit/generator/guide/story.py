"""The story of the facilitator guide: cover, contents, purpose and invitees, how to include
everyone (confidentiality and its limits among it), session formats with computed agenda times and
each block's minutes with an interpreter present, a page per lesson, ground rules, what to do after
the session, printing instructions, glossary, sources, contacts.

In: the loaded deck, its loaded guide texts, the card plan (for thumbnails; without one, blank
room of the same size), the start time (minutes after midnight), the label table and the
``PrintFacts`` of the build (without them, the facts of a build with default options).
Out: a list of platypus flowables; headings use the style ``h1`` so the document can list them in
its contents. A chapter starts on a fresh page, and a page break never follows one (so no page
is blank); nothing large is kept together, so no page is left mostly empty to keep a block whole:
a heading is kept with the start of what follows it. A lesson's text that would leave only a line
or two for the next page is set a little smaller (``fit_rest``); the card miniatures beside it are
drawn large enough that no text in them is under 6 pt and no line under 0.25 pt. Every text is ``Located``; before the story
is returned it is checked against the page (rows that cannot be split over pages, QR codes, glyphs
of the bundled texts), and problems raise one ``FitError`` naming file, line and field, so the
layout itself cannot fail on content.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (CondPageBreak, Flowable, KeepInFrame, PageBreakIfNotEmpty, Paragraph, Spacer, Table,
                                TableStyle)

from dialoogkit.cards.guide_texts import GUIDE, LoadedGuide, guide_labels, load_guide_texts
from dialoogkit.cards.labels import Labels
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.models import Session
from dialoogkit.errors import FitError
from dialoogkit.generator.blame import Locator, unique
from dialoogkit.generator.content import audience_text, deck_credit
from dialoogkit.generator.display import Face, Picture
from dialoogkit.generator.pictures import image_aspect
from dialoogkit.generator.glyphs import find_glyph_problems
from dialoogkit.generator.guide.addresses import contact_pages, source_pages
from dialoogkit.generator.guide.chapters import chapter_pages, glossary_pages
from dialoogkit.generator.guide.flowables import FaceThumbnail, least_scale
from dialoogkit.generator.guide.pagefit import find_page_problems
from dialoogkit.generator.guide.printing import PrintFacts, default_print_facts, printing_page
from dialoogkit.generator.guide.scriptpara import ScriptContents
from dialoogkit.generator.guide.styles import TABLE_BASE, bold, located_para, make_table, styles
from dialoogkit.generator.located import Located, QrMisfit, fixed, joined, written
from dialoogkit.generator.plan import DeckPlan
from dialoogkit.layouts.agenda import DEFAULT_START, agenda_times, clock, interpreter_minutes, parse_start
from dialoogkit.layouts.guidepage import CONTENT_WIDTH, room
from dialoogkit.layouts.units import Box, mm
from dialoogkit.i18n import say

THUMB_WIDTH = mm(62)
THUMB_MAX_HEIGHT = mm(110)
THUMB_GAP = mm(4)  # beside each thumbnail
BULLET = "•&nbsp;&nbsp;"
HEADING_KEEP = mm(45)  # a heading moves to the next page unless this much of what follows fits under it
LEAST_SHRINK = 0.85  # a lesson's text is set at 85 % or more of its size (body 9 pt) to stay on its page
FIT_MARGIN = 6.0  # points kept free below a shrunk lesson text, for rounding in the layout
AGENDA_TIME = mm(24)  # "14:00–14:10"
AGENDA_MINUTES = mm(35)  # "20 min." over "(met tolk 30)", "(with interpreter 135)"
AGENDA_LEAST_ROWS = 3  # an agenda split over two pages carries at least this many rows to the second


def build_story(loaded: LoadedDeck, guide: LoadedGuide, plan: DeckPlan | None, start: int, labels: Labels,
                facts: PrintFacts | None = None) -> list:
    """All flowables of the guide, in order; one ``FitError`` for everything that cannot be printed."""
    deck = loaded.deck
    facts = facts or default_print_facts(deck)
    s = styles(deck.language)
    misfits: list[QrMisfit] = []
    story: list = _cover(loaded, labels, s)
    toc = ScriptContents(tableStyle=TableStyle([*TABLE_BASE, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    toc.levelStyles = [s["toc1"]]
    story += [located_para(fixed(labels["contents"]), s["contents"]), toc, PageBreakIfNotEmpty()]
    story += _purpose(guide, labels, s)
    story += chapter_pages(guide, "include", s)
    for session, (root, path) in zip(guide.sessions, guide.session_sources):
        story += _session(session, root, path, start, guide, labels, s)
    for index in range(len(deck.lessons)):
        story += _lesson(loaded, index, plan, guide, labels, s)
    story += [PageBreakIfNotEmpty(), located_para(fixed(labels["ground_rules_title"]), s["h1"])]
    story += [located_para(_guide(rule, "ground_rules", i), s["body"], BULLET)
              for i, rule in enumerate(guide.texts.ground_rules)]
    story += [located_para(fixed(labels["general_tips_title"]), s["h2"])]
    story += [located_para(_guide(tip, "tips", i), s["body"], BULLET) for i, tip in enumerate(guide.texts.tips)]
    story += chapter_pages(guide, "follow_up", s)
    story += printing_page(guide, facts, labels, deck.language, s)
    story += glossary_pages(guide, s)
    story += source_pages(loaded, labels, s, misfits)
    if deck.contacts:
        story += contact_pages(loaded, labels, s, misfits)
    _raise_problems(loaded, guide, story, misfits)
    return story


def check_guide(loaded: LoadedDeck, start: str = DEFAULT_START) -> None:
    """Make the guide's story without card thumbnails, only to find what it cannot print (for
    ``dialoogkit check``); raises the same located ``FitError`` as a build would."""
    build_story(loaded, load_guide_texts(loaded), None, parse_start(start), guide_labels(loaded.deck))


def _raise_problems(loaded: LoadedDeck, guide: LoadedGuide, story: list, misfits: list[QrMisfit]) -> None:
    locator = Locator(loaded, guide)
    problems = find_glyph_problems(loaded, guide)
    problems += [locator.qr_problem(misfit, say("fit.where.guide"), "", surface=None) for misfit in misfits]
    problems += find_page_problems(story, locator)
    if problems:
        raise FitError(unique(problems))


def _guide(text: str, *loc: str | int) -> Located:
    return written(text, *loc, root=GUIDE)


def _cover(loaded: LoadedDeck, labels: Labels, s: dict) -> list:
    deck = loaded.deck
    story: list = [Spacer(1, mm(40)), located_para(fixed(labels["guide_doc"].upper()), s["small"]),
                   located_para(written(deck.title, "title"), s["title"])]
    if deck.subtitle:
        story.append(located_para(written(deck.subtitle, "subtitle"), s["subtitle"]))
    if deck.region:
        story.append(located_para(written(deck.region, "region"), s["h2"]))
    if loaded.logo_path:
        height = mm(25)
        width = min(mm(80), height * image_aspect(str(loaded.logo_path)))
        height = width / image_aspect(str(loaded.logo_path))
        face = Face(width, height, (Picture(str(loaded.logo_path), Box(0, 0, width, height)),))
        story += [Spacer(1, mm(10)), FaceThumbnail(face, width, outline=False)]
    story += [Spacer(1, mm(30)), located_para(deck_credit(deck, labels), s["body"]), PageBreakIfNotEmpty()]
    return story


def _purpose(guide: LoadedGuide, labels: Labels, s: dict) -> list:
    story: list = [located_para(fixed(labels["purpose_title"]), s["h1"])]
    story += [located_para(_guide(text, "purpose", i), s["body"]) for i, text in enumerate(guide.texts.purpose)]
    rows = [[located_para(_guide(who.who, "invite", i, "who"), s["cellbold"]),
             located_para(_guide(who.why, "invite", i, "why"), s["cell"])] for i, who in enumerate(guide.texts.invite)]
    story += keep_heading(located_para(fixed(labels["invite_title"]), s["h2table"]),
                          make_table(rows, [mm(45), CONTENT_WIDTH - mm(45)]))
    story.append(PageBreakIfNotEmpty())
    return story


def _session(session: Session, root: str, path: tuple, start: int, guide: LoadedGuide, labels: Labels,
             s: dict) -> list:
    def at(text: str, *loc: str | int) -> Located:
        return written(text, *path, *loc, root=root)

    story: list = [located_para(joined(f"{labels['session']}: ", at(session.title, "title")), s["h1"])]
    facts = [(labels[f"session_{key}"], at(getattr(session, key), key))
             for key in ("invitation", "space", "participation", "groups")]
    story.append(make_table([[located_para(fixed(k), s["cellbold"]), located_para(v, s["cell"])] for k, v in facts],
                            [mm(38), CONTENT_WIDTH - mm(38)]))
    heading = located_para(fixed(f"{labels['agenda']} ({labels['start_time']} {clock(start)})"), s["h2table"])
    times = agenda_times(start, [block.minutes for block in session.blocks])
    rows = [[located_para(fixed(text), s["cellbold"]) for text in (labels["time"], "", labels["minutes"])]]
    for i, ((begin, end), block) in enumerate(zip(times, session.blocks)):
        rows.append([located_para(fixed(f"{begin}–{end}"), s["cell"]),
                     [located_para(at(block.title, "blocks", i, "title"), s["cellbold"]),
                      located_para(at(block.purpose, "blocks", i, "purpose"), s["cell"]),
                      located_para(at(block.instructions, "blocks", i, "instructions"), s["cell"])],
                     _duration(block.minutes, interpreter_minutes(block.minutes), guide, labels, s["cell"])])
    total = sum(block.minutes for block in session.blocks)
    interpreted = sum(interpreter_minutes(block.minutes) for block in session.blocks)
    rows.append([located_para(fixed(f"{clock(start)}–{clock(start + total)}"), s["cellbold"]),
                 located_para(fixed(labels["total"]), s["cellbold"]),
                 _duration(total, interpreted, guide, labels, s["cellbold"])])
    table = make_table(rows, [AGENDA_TIME, CONTENT_WIDTH - AGENDA_TIME - AGENDA_MINUTES, AGENDA_MINUTES], header=True,
                       least_rows=AGENDA_LEAST_ROWS)
    note = located_para(_guide(guide.texts.agenda.interpreter_note, "agenda", "interpreter_note"), s["small"])
    story += keep_heading(heading, table, note)
    story.append(PageBreakIfNotEmpty())
    return story


def _duration(minutes: int, interpreted: int, guide: LoadedGuide, labels: Labels, style: ParagraphStyle) -> list:
    """A block's minutes, and under them its minutes with an interpreter: "20 min." "(met tolk 30)"."""
    with_interpreter = joined("(", _guide(guide.texts.agenda.interpreter, "agenda", "interpreter"), f" {interpreted})")
    return [located_para(fixed(f"{minutes} {labels['minutes']}"), style), located_para(with_interpreter, style)]


def _lesson(loaded: LoadedDeck, index: int, plan: DeckPlan | None, guide: LoadedGuide, labels: Labels,
            s: dict) -> list:
    deck = loaded.deck
    lesson = deck.lessons[index]
    at = ("lessons", index)
    head: list = [located_para(joined(f"{labels['lesson']} {index + 1}: ", written(lesson.statement, *at, "statement")),
                               s["h1"]),
                  _thumbnails(plan, index, labels, s), Spacer(1, mm(4))]
    story: list = [located_para(written(lesson.explanation, *at, "explanation"), s["body"]),
                   located_para(fixed(labels["questions"]), s["h2"])]
    for q, question in enumerate(lesson.questions):
        who = audience_text(deck, question.audience, labels)
        story.append(located_para(written(question.text, *at, "questions", q, "text"), s["body"],
                                  prefix=bold(who.text + ": ")))
    actions = [(labels["self"], "self", lesson.actions.own), (labels["higher"], "higher", lesson.actions.higher)]
    if any(text for _, _, text in actions):
        story.append(located_para(fixed(labels["actions_title"]), s["h2"]))
        story += [located_para(written(text, *at, "actions", key), s["body"], prefix=bold(name + ": "))
                  for name, key, text in actions if text]
    tips = [written(tip, *at, "tips", t) for t, tip in enumerate(lesson.tips)] or \
        [_guide(tip, "tips", t) for t, tip in enumerate(guide.texts.tips[:2])]
    story.append(located_para(fixed(labels["tips_title"]), s["h2"]))
    story += [located_para(tip, s["body"], BULLET) for tip in tips]
    return [*head, *fit_rest(head, story), PageBreakIfNotEmpty()]


def fit_rest(head: list[Flowable], rest: list[Flowable]) -> list[Flowable]:
    """``rest`` as it follows ``head`` at the top of a page: shrunk a little (to ``LEAST_SHRINK``
    at most) where it would leave only a line or two for the next page, else as it is. The head
    (the card miniatures) is never shrunk, so its text keeps its least size."""
    width, height = room()
    used = sum(_height(f, width, height) for f in head) - head[0].getSpaceBefore()
    left = height - used - FIT_MARGIN
    need = sum(_height(f, width, height) for f in rest)
    if need <= left or need * LEAST_SHRINK > left or left <= 0:
        return rest
    return [KeepInFrame(width, left, rest, mode="shrink")]


def _height(flowable: Flowable, width: float, height: float) -> float:
    return flowable.wrap(width, height)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()


def keep_heading(heading: Paragraph, follower: Flowable, intro: Paragraph | None = None) -> list[Flowable]:
    """``heading`` (a style without keep-with-next), maybe a short ``intro`` and ``follower``, with
    the heading moved to the next page unless the intro and the start of ``follower``
    (``HEADING_KEEP``, or all of it if shorter) fit under it: a large table is never pushed whole
    to the next page."""
    width, height = room()
    leading = [heading] + ([intro] if intro is not None else [])
    need = sum(f.wrap(width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in leading)
    need += min(follower.wrap(width, height)[1], HEADING_KEEP)
    return [CondPageBreak(need), *leading, follower]


def _thumbnails(plan: DeckPlan | None, index: int, labels: Labels, s: dict) -> Table:
    """Front and back of the lesson's card side by side (blank room of their size without a plan),
    or one under the other where a card shown large enough for its smallest text and thinnest line
    (``least_scale``) leaves no room for two side by side; the back's QR code is replaced by the
    note to scan the printed card (under the back when the note does not fit in the code's place)."""
    if plan is None:
        cells: list = [Spacer(THUMB_WIDTH, THUMB_MAX_HEIGHT), Spacer(THUMB_WIDTH, THUMB_MAX_HEIGHT)]
        width = THUMB_WIDTH
    else:
        front, back = plan.faces[index]
        width = min(THUMB_WIDTH, THUMB_MAX_HEIGHT * front.width / front.height)
        width = max(width, front.width * max(least_scale(front), least_scale(back)))
        note = labels["thumbnail_qr"]
        back_thumb = FaceThumbnail(back, width, qr_note=note)
        cells = [FaceThumbnail(front, width, qr_note=note),
                 back_thumb if back_thumb.note_fits else [back_thumb, located_para(fixed(note), s["small"])]]
    column = width + THUMB_GAP
    rows = [cells] if 2 * column <= room()[0] else [[cell] for cell in cells]
    thumbs = Table(rows, colWidths=[column] * len(rows[0]), hAlign="LEFT")
    thumbs.setStyle(TableStyle([*TABLE_BASE, ("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return thumbs
