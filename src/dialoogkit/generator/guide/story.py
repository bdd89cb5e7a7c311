"""The story of the facilitator guide: cover, contents, purpose and invitees, session formats with
computed agenda times, a page per lesson, ground rules, printing instructions, sources, contacts.

In: the loaded deck, its guide texts, the card plan (for thumbnails), the start time (minutes after
midnight) and the label table.
Out: a list of platypus flowables; headings use the style ``h1`` so the document can list them in
its contents.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer, Table, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from dialoogkit.cards.guide_texts import GuideTexts
from dialoogkit.cards.labels import Labels
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.models import Session
from dialoogkit.generator.content import publication_credit
from dialoogkit.generator.display import Face, Picture, image_aspect
from dialoogkit.generator.fonts import REGULAR
from dialoogkit.generator.guide.flowables import FaceThumbnail, QrFlowable
from dialoogkit.generator.guide.styles import INK_C, LINE_C, PANEL_C, bold, para, styles
from dialoogkit.generator.plan import DeckPlan
from dialoogkit.generator.qr import make_symbol
from dialoogkit.layouts.agenda import agenda_times, clock
from dialoogkit.layouts.units import Box

CONTENT_WIDTH = 170 * mm
QR_COLUMN = 36 * mm
TABLE_BASE = [("FONT", (0, 0), (-1, -1), REGULAR), ("TEXTCOLOR", (0, 0), (-1, -1), INK_C)]  # not Helvetica, not RGB


def build_story(loaded: LoadedDeck, texts: GuideTexts, plan: DeckPlan, start: int, labels: Labels) -> list:
    """All flowables of the guide, in order."""
    deck = loaded.deck
    s = styles(deck.language)
    story: list = _cover(loaded, labels, s)
    toc = TableOfContents(tableStyle=TableStyle([*TABLE_BASE, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    toc.levelStyles = [s["toc1"]]
    story += [para(labels["contents"], s["contents"]), toc, PageBreak()]
    story += _purpose(texts, labels, s)
    for session in texts.sessions:
        story += _session(session, start, labels, s)
    for index, lesson in enumerate(deck.lessons):
        story += _lesson(loaded, index, plan, texts, labels, s)
    story += [PageBreak(), para(labels["ground_rules_title"], s["h1"])]
    story += [para(rule, s["body"], prefix="•&nbsp;&nbsp;") for rule in texts.ground_rules]
    story += [para(labels["general_tips_title"], s["h2"])]
    story += [para(tip, s["body"], prefix="•&nbsp;&nbsp;") for tip in texts.tips]
    story += [CondPageBreak(80 * mm), para(labels["printing_title"], s["h1"])]
    for step in texts.printing:
        story += [para(step.title, s["h2"]), para(step.text, s["body"])]
    story += _sources(loaded, labels, s)
    if deck.contacts:
        story += _contacts(loaded, labels, s)
    return story


def _cover(loaded: LoadedDeck, labels: Labels, s: dict) -> list:
    deck = loaded.deck
    story: list = [Spacer(1, 40 * mm), para(labels["guide_doc"].upper(), s["small"]), para(deck.title, s["title"])]
    if deck.subtitle:
        story.append(para(deck.subtitle, s["subtitle"]))
    if deck.region:
        story.append(para(deck.region, s["h2"]))
    if loaded.logo_path:
        height = 25 * mm
        width = min(80 * mm, height * image_aspect(str(loaded.logo_path)))
        height = width / image_aspect(str(loaded.logo_path))
        face = Face(width, height, (Picture(str(loaded.logo_path), Box(0, 0, width, height)),))
        story += [Spacer(1, 10 * mm), FaceThumbnail(face, width, outline=False)]
    story += [Spacer(1, 30 * mm), para(publication_credit(deck, labels), s["body"]), PageBreak()]
    return story


def _purpose(texts: GuideTexts, labels: Labels, s: dict) -> list:
    story: list = [para(labels["purpose_title"], s["h1"])]
    story += [para(text, s["body"]) for text in texts.purpose]
    story += [para(labels["invite_title"], s["h2"])]
    rows = [[para(i.who, s["cellbold"]), para(i.why, s["cell"])] for i in texts.invite]
    story += [_table(rows, [45 * mm, CONTENT_WIDTH - 45 * mm]), PageBreak()]
    return story


def _session(session: Session, start: int, labels: Labels, s: dict) -> list:
    story: list = [para(f"{labels['session']}: {session.title}", s["h1"])]
    facts = [(labels["session_invitation"], session.invitation), (labels["session_space"], session.space),
             (labels["session_participation"], session.participation), (labels["session_groups"], session.groups)]
    story.append(_table([[para(k, s["cellbold"]), para(v, s["cell"])] for k, v in facts],
                        [38 * mm, CONTENT_WIDTH - 38 * mm]))
    story.append(para(f"{labels['agenda']} ({labels['start_time']} {clock(start)})", s["h2"]))
    times = agenda_times(start, [block.minutes for block in session.blocks])
    rows = [[para(labels["time"], s["cellbold"]), para("", s["cellbold"]), para(labels["minutes"], s["cellbold"])]]
    for (begin, end), block in zip(times, session.blocks):
        rows.append([para(f"{begin}–{end}", s["cell"]),
                     [para(block.title, s["cellbold"]), para(block.purpose, s["cell"]),
                      para(block.instructions, s["cell"])],
                     para(str(block.minutes), s["cell"])])
    total = sum(block.minutes for block in session.blocks)
    rows.append([para(f"{clock(start)}–{clock(start + total)}", s["cellbold"]), para(labels["total"], s["cellbold"]),
                 para(str(total), s["cellbold"])])
    story += [_table(rows, [28 * mm, CONTENT_WIDTH - 46 * mm, 18 * mm], header=True), PageBreak()]
    return story


def _lesson(loaded: LoadedDeck, index: int, plan: DeckPlan, texts: GuideTexts, labels: Labels, s: dict) -> list:
    deck = loaded.deck
    lesson = deck.lessons[index]
    front, back = plan.faces[index]
    width = 62 * mm
    thumbs = Table([[FaceThumbnail(front, width), FaceThumbnail(back, width)]],
                   colWidths=[width + 6 * mm] * 2, hAlign="LEFT")
    thumbs.setStyle(TableStyle([*TABLE_BASE, ("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story: list = [para(f"{labels['lesson']} {index + 1}: {lesson.statement}", s["h1"]), thumbs, Spacer(1, 4 * mm),
                   para(lesson.explanation, s["body"]), para(labels["questions"], s["h2"])]
    for question in lesson.questions:
        who = deck.audiences[question.audience].label if question.audience else labels["everyone"]
        story.append(para(question.text, s["body"], prefix=bold(who + ": ")))
    actions = [(labels["self"], lesson.actions.own), (labels["higher"], lesson.actions.higher)]
    if any(text for _, text in actions):
        story.append(para(labels["actions_title"], s["h2"]))
        story += [para(text, s["body"], prefix=bold(name + ": ")) for name, text in actions if text]
    tips = lesson.tips or texts.tips[:2]
    story.append(KeepTogether([para(labels["tips_title"], s["h2"])] +
                              [para(tip, s["body"], prefix="•&nbsp;&nbsp;") for tip in tips]))
    story.append(PageBreak())
    return story


def _sources(loaded: LoadedDeck, labels: Labels, s: dict) -> list:
    deck = loaded.deck
    story: list = [PageBreak(), para(labels["sources"], s["h1"]), para(publication_credit(deck, labels), s["body"])]
    seen: dict[str, list[int]] = {}
    titles: dict[str, str] = {}
    for index, lesson in enumerate(deck.lessons):
        for source in lesson.sources:
            seen.setdefault(source.url, []).append(index + 1)
            titles.setdefault(source.url, source.title)
    for url, numbers in seen.items():
        text = [para(titles[url], s["cellbold"]), para(url, s["cell"]),
                para(f"{labels['lesson']} {', '.join(map(str, numbers))}", s["small"])]
        story.append(_table([[_qr(url), text]], [QR_COLUMN, CONTENT_WIDTH - QR_COLUMN], lines=False))
    return story


def _contacts(loaded: LoadedDeck, labels: Labels, s: dict) -> list:
    story: list = [CondPageBreak(60 * mm), para(labels["contacts"], s["h1"])]
    for contact in loaded.deck.contacts:
        details = [contact.role, contact.phone, contact.email, contact.url]
        text = [para(contact.name, s["cellbold"])] + [para(d, s["cell"]) for d in details if d]
        qr = _qr(contact.url) if contact.url else Spacer(1, 1)
        story.append(_table([[text, qr]], [CONTENT_WIDTH - QR_COLUMN, QR_COLUMN], lines=False))
    return story


def _qr(url: str) -> QrFlowable:
    """A QR code at least 20 mm wide with modules of at least 0.5 mm, as on the cards."""
    symbol = make_symbol(url)
    return QrFlowable(symbol, symbol.modules * symbol.module_size(20 * mm, 0.5 * mm))


def _table(rows: list, widths: list[float], header: bool = False, lines: bool = True) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1 if header else 0)
    style = [*TABLE_BASE, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 4),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
    if lines:
        style.append(("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE_C))
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), PANEL_C))
    table.setStyle(TableStyle(style))
    return table
