"""The guide's sources and contacts: each web address with a QR code, as on the cards at least
20 mm wide with modules of at least 0.5 mm.

In: the loaded deck, the label table and the guide's styles.
Out: flowables for the sources page and the contacts page, and a ``QrMisfit`` (located at the
``sources[n].url`` or ``contacts[n].url`` it came from) for every address that is too long for any
QR code or whose code is wider than the QR column can grow.
"""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, PageBreakIfNotEmpty, Spacer

from dialoogkit.cards.labels import Labels
from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.generator.content import deck_credit
from dialoogkit.generator.guide.flowables import QrFlowable
from dialoogkit.generator.guide.pagefit import CELL_PADDING
from dialoogkit.generator.guide.styles import located_para, make_table
from dialoogkit.generator.located import Located, QrMisfit, fixed, written
from dialoogkit.generator.qr import QUIET_MODULES, QrTooLong, make_symbol
from dialoogkit.layouts.guidepage import CONTENT_WIDTH
from dialoogkit.layouts.units import mm

QR_COLUMN = mm(36)
MAX_QR_COLUMN = mm(75)  # the text beside a code keeps at least 95 mm
QR_MIN_SYMBOL = mm(20)
QR_MIN_MODULE = mm(0.5)


def source_pages(loaded: LoadedDeck, labels: Labels, s: dict, misfits: list[QrMisfit]) -> list:
    """Every distinct source address with its QR code, title and the lessons that cite it."""
    deck = loaded.deck
    story: list = [PageBreakIfNotEmpty(), located_para(fixed(labels["sources"]), s["h1"]),
                   located_para(deck_credit(deck, labels), s["body"])]
    first: dict[str, tuple[int, int]] = {}
    numbers: dict[str, list[int]] = {}
    for index, lesson in enumerate(deck.lessons):
        for position, source in enumerate(lesson.sources):
            first.setdefault(source.url, (index, position))
            numbers.setdefault(source.url, []).append(index + 1)
    for url, (index, position) in first.items():
        at = ("lessons", index, "sources", position)
        title = written(deck.lessons[index].sources[position].title, *at, "title")
        code, column = qr_cell(written(url, *at, "url"), misfits)
        text = [located_para(title, s["cellbold"]), located_para(written(url, *at, "url"), s["cell"]),
                located_para(fixed(f"{labels['lesson']} {number_ranges(numbers[url])}"), s["small"])]
        story.append(make_table([[code, text]], [column, CONTENT_WIDTH - column], lines=False))
    return story


def contact_pages(loaded: LoadedDeck, labels: Labels, s: dict, misfits: list[QrMisfit]) -> list:
    """Every contact with its details, and a QR code when it has a web address."""
    story: list = [CondPageBreak(mm(60)), located_para(fixed(labels["contacts"]), s["h1"])]
    for index, contact in enumerate(loaded.deck.contacts):
        details = [(field, value) for field, value in (("role", contact.role), ("phone", contact.phone),
                                                        ("email", contact.email), ("url", contact.url)) if value]
        text = [located_para(written(contact.name, "contacts", index, "name"), s["cellbold"])]
        text += [located_para(written(value, "contacts", index, field), s["cell"]) for field, value in details]
        code, column = qr_cell(written(contact.url, "contacts", index, "url"), misfits) if contact.url \
            else (Spacer(1, 1), QR_COLUMN)
        story.append(make_table([[text, code]], [CONTENT_WIDTH - column, column], lines=False))
    return story


def qr_cell(url: Located, misfits: list[QrMisfit]) -> tuple[Flowable, float]:
    """A QR code of ``url`` at the minimum size and the width of its column (grown for a large
    code, up to ``MAX_QR_COLUMN``); a blank and a ``QrMisfit`` when the code cannot be printed."""
    try:
        symbol = make_symbol(url.text)
    except QrTooLong:
        misfits.append(QrMisfit(url, None, MAX_QR_COLUMN - CELL_PADDING))
        return Spacer(1, 1), QR_COLUMN
    size = symbol.modules * symbol.module_size(QR_MIN_SYMBOL, QR_MIN_MODULE)
    total = size * (symbol.modules + 2 * QUIET_MODULES) / symbol.modules
    if total + CELL_PADDING > MAX_QR_COLUMN:
        misfits.append(QrMisfit(url, total, MAX_QR_COLUMN - CELL_PADDING))
        return Spacer(1, 1), QR_COLUMN
    return QrFlowable(symbol, size), max(QR_COLUMN, total + CELL_PADDING)


def number_ranges(numbers: list[int]) -> str:
    """Lesson numbers with runs of three or more shortened: ``1–3, 5, 6``."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [f"{run[0]}–{run[-1]}" if len(run) >= 3 else ", ".join(map(str, run)) for run in runs]
    return ", ".join(parts)
