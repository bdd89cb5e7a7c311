"""The overview canvases: all lessons against the partners, the pillars, and the action plan.

In: a deck and its label table.
Out: ``Face`` values in A3 points, with an ``Overflow`` (naming the located deck text) per text
that does not fit:
- overview: every lesson (number, statement) × each audience with a 1–5 dot-voting scale, plus a
  priority column (one page per ``ROWS_PER_PAGE`` lessons); rows share the page's height, up to
  ``ROW_MAX`` each, so a deck of few lessons gets tall rows with larger text and dots;
- pillars: each pillar with its summary and its lessons placed under it, with room to write; the
  writing boxes of all pillars start at one height and are equally high;
- action plan: now / next / later with "wie" and "wanneer" lines, and a "volgende bijeenkomst" box.
"""

from __future__ import annotations

from dialoogkit.cards.labels import Labels
from dialoogkit.cards.models import Deck
from dialoogkit.generator.colours import BODY, INK, LINE, MUTED, WHITE
from dialoogkit.generator.content import deck_credit, footer_text
from dialoogkit.generator.display import Face, Frame, Rule, Text
from dialoogkit.generator.fonts import BOLD, REGULAR, SEMIBOLD
from dialoogkit.generator.located import Located, fixed, joined, written
from dialoogkit.generator.posters.parts import NEUTRAL, Sheet, add_footer, add_header, add_zone, one_line_height
from dialoogkit.generator.textfit import Run, set_text
from dialoogkit.layouts.posters import A3_HEIGHT, A3_WIDTH, GAP, columns, content_area
from dialoogkit.layouts.units import Box, mm

ROWS_PER_PAGE = 10
SCALE_POINTS = 5
ROW_MIN = mm(24)  # the row height of a full page; its texts and dots are sized for it
ROW_MAX = mm(48)  # rows grow up to this when there are fewer lessons


def compose_overviews(deck: Deck, labels: Labels, logo: str | None = None) -> list[tuple[str, Face, list]]:
    """The overview page(s), the pillars canvas and the action plan: ``(name, face, overflows)``."""
    pages = []
    chunks = [list(range(i, min(i + ROWS_PER_PAGE, len(deck.lessons))))
              for i in range(0, len(deck.lessons), ROWS_PER_PAGE)]
    for page, indices in enumerate(chunks):
        name = "overview" if len(chunks) == 1 else f"overview-{page + 1}"
        pages.append((name, *_overview(deck, labels, logo, indices, page, len(chunks))))
    pages.append(("pillars", *_pillars(deck, labels, logo)))
    pages.append(("action-plan", *_action_plan(deck, labels, logo)))
    return pages


def _start(deck: Deck, labels: Labels, logo: str | None, title: str, right: Located) -> Sheet:
    sheet = Sheet()
    add_header(sheet, fixed(title), right, NEUTRAL, None, deck.language)
    sheet.area = content_area(logo is not None)
    add_footer(sheet, joined(footer_text(deck), " — ", deck_credit(deck, labels)), deck.language, logo)
    return sheet


def _numbered_statement(deck: Deck, index: int) -> tuple[Located, list[Run]]:
    """"3  statement" as a located text and as runs (number in bold)."""
    statement = written(deck.lessons[index].statement, "lessons", index, "statement")
    return joined(f"{index + 1}  ", statement), [Run(f"{index + 1}  ", BOLD, hyphenate=False),
                                                 Run(statement.text, REGULAR, hyphenate=False)]


def _overview(deck: Deck, labels: Labels, logo: str | None, indices: list[int], page: int,
              pages: int) -> tuple[Face, list]:
    right = written(deck.title, "title") if pages == 1 else fixed(f"{page + 1} / {pages}")
    sheet = _start(deck, labels, logo, labels["overview_title"], right)
    language = deck.language
    area = sheet.area
    hint_h = one_line_height(14.0) * 1.1
    sheet.fit("overview_hint", fixed(labels["overview_hint"]), Box(area.x, area.top - hint_h, area.width, hint_h),
              14.0, 10.0, language, MUTED)
    table = Box(area.x, area.y, area.width, area.height - hint_h - mm(4))
    audiences = list(deck.audiences.items())
    lesson_w = table.width * 0.36
    priority_w = table.width * 0.09
    cell_w = (table.width - lesson_w - priority_w) / max(1, len(audiences))
    head_h = mm(14)
    row_h = min(ROW_MAX, (table.height - head_h) / max(1, len(indices)))
    grow = max(1.0, row_h / ROW_MIN) ** 0.5  # text and dots grow more slowly than the rows
    used = Box(table.x, table.top - head_h - row_h * len(indices), table.width, head_h + row_h * len(indices))
    sheet.add(Frame(used, LINE, None, line_width=1.0, name="table"))
    headers = [(lesson_w, fixed("#")), *[(cell_w, written(a.label, "audiences", key, "label")) for key, a in audiences],
               (priority_w, fixed(labels["priority"]))]
    x = table.x
    for width, text in headers:
        sheet.fit("table.header", text, Box(x + mm(2), table.top - head_h + mm(2), width - mm(4),
                                            head_h - mm(3)), 16.0, 10.0, language, INK, BOLD, hyphenate=False)
        if x > table.x:
            sheet.add(Rule(x, used.y, x, used.top, LINE, 0.8))
        x += width
    for row, index in enumerate(indices):
        top = table.top - head_h - row * row_h
        sheet.add(Rule(table.x, top, table.right, top, LINE, 0.8))
        text, runs = _numbered_statement(deck, index)
        sheet.fit(f"lessons[{index + 1}].statement", text, Box(table.x + mm(2), top - row_h + mm(1.5),
                                                               lesson_w - mm(4), row_h - mm(3)),
                  round(14.0 * grow, 1), 9.0, language, BODY, runs=runs)
        for column in range(len(audiences)):
            _dots(sheet, Box(table.x + lesson_w + column * cell_w, top - row_h, cell_w, row_h), language, grow)
        box_size = min(row_h - mm(6), priority_w - mm(6), mm(16) * grow)
        sheet.add(Frame(Box(table.right - priority_w / 2 - box_size / 2, top - row_h / 2 - box_size / 2,
                            box_size, box_size), LINE, WHITE, line_width=1.0, radius=mm(1.5), name="cell:priority"))
    return Face(A3_WIDTH, A3_HEIGHT, tuple(sheet.items)), sheet.overflows


def _dots(sheet: Sheet, cell: Box, language: str, grow: float = 1.0) -> None:
    """Five numbered circles to put a dot or a cross in (``grow``: larger in taller rows)."""
    diameter = min(mm(8) * grow, (cell.width - mm(4)) / SCALE_POINTS * 0.8, cell.height * 0.45)
    step = (cell.width - mm(4)) / SCALE_POINTS
    for point in range(SCALE_POINTS):
        cx = cell.x + mm(2) + step * (point + 0.5)
        cy = cell.y + cell.height * 0.58
        sheet.add(Frame(Box(cx - diameter / 2, cy - diameter / 2, diameter, diameter), LINE, WHITE,
                        line_width=0.8, radius=diameter / 2, name="cell:dot"))
        label = set_text([[Run(str(point + 1), REGULAR)]], round(9.0 * grow, 1), step, language)
        sheet.add(Text(label, cx - label.width / 2, cy - diameter / 2 - mm(0.8), MUTED, name="dot-label"))


def _pillars(deck: Deck, labels: Labels, logo: str | None) -> tuple[Face, list]:
    """Pillar columns whose titles, summaries and lessons are set first, so that every writing box
    starts below the longest list, at one height for all pillars."""
    sheet = _start(deck, labels, logo, labels["pillars_title"], written(deck.title, "title"))
    language = deck.language
    boxes = columns(sheet.area, len(deck.pillars))
    inners = [box.inset(mm(5)) for box in boxes]
    heads: list[float] = []
    for box, inner, (key, pillar) in zip(boxes, inners, deck.pillars.items()):
        sheet.add(Frame(box, LINE, None, line_width=1.0, radius=mm(3), name=f"pillar:{key}"))
        title = sheet.fit(f"pillars.{key}.label", written(pillar.label, "pillars", key, "label"),
                          Box(inner.x, inner.top - one_line_height(26.0), inner.width, one_line_height(26.0)),
                          26.0, 20.0, language, INK, BOLD, hyphenate=False)
        heads.append(inner.top - title.block.height - mm(2))
    y_summary = min(heads)
    summaries = [sheet.fit(f"pillars.{key}.summary", written(pillar.summary, "pillars", key, "summary"),
                           Box(inner.x, y_summary - mm(16), inner.width, mm(16)), 15.0, 11.0, language, MUTED)
                 for inner, (key, pillar) in zip(inners, deck.pillars.items())]
    y_lessons = y_summary - max(text.block.height for text in summaries) - mm(5)
    room = (y_lessons - inners[0].y) * 0.55
    ends: list[float] = []
    for inner, key in zip(inners, deck.pillars):
        members = [i for i, lesson in enumerate(deck.lessons) if lesson.pillar == key]
        each = room / max(1, len(members))
        y = y_lessons
        for i in members:
            numbered, runs = _numbered_statement(deck, i)
            text = sheet.fit(f"lessons[{i + 1}].statement", numbered,
                             Box(inner.x + mm(3), y - each, inner.width - mm(3), each - mm(1.5)), 14.0, 9.0,
                             language, BODY, runs=runs)
            sheet.add(Rule(inner.x, y, inner.x, y - text.block.height, LINE, 2.0))
            y -= text.block.height + mm(3)
        ends.append(y)
    write_top = min(ends) - mm(2)
    for inner, key in zip(inners, deck.pillars):
        add_zone(sheet, Box(inner.x, inner.y, inner.width, write_top - inner.y), f"write-{key}",
                 labels["pillars_write"], "", None, language)
    return Face(A3_WIDTH, A3_HEIGHT, tuple(sheet.items)), sheet.overflows


def _action_plan(deck: Deck, labels: Labels, logo: str | None) -> tuple[Face, list]:
    sheet = _start(deck, labels, logo, labels["plan_title"], written(deck.title, "title"))
    language = deck.language
    area = sheet.area
    meeting_h = mm(40)
    plan_area = Box(area.x, area.y + meeting_h + GAP, area.width, area.height - meeting_h - GAP)
    for box, key in zip(columns(plan_area, 3), ("now", "next", "later")):
        free = add_zone(sheet, box, key, labels[key], "", None, language)
        _write_lines(sheet, free, [labels["what"], "", labels["who"], labels["when"]], 3, language)
    meeting = Box(area.x, area.y, area.width, meeting_h)
    free = add_zone(sheet, meeting, "next-meeting", labels["next_meeting"], "", None, language)
    for box, key in zip(columns(free, 3), ("date", "place", "invites")):
        _write_lines(sheet, box, [labels[key]], 1, language)
    return Face(A3_WIDTH, A3_HEIGHT, tuple(sheet.items)), sheet.overflows


def _write_lines(sheet: Sheet, box: Box, captions: list[str], groups: int, language: str) -> None:
    """Groups of captioned lines to write on, spread over ``box``."""
    slots = len(captions) * groups
    step = box.height / slots
    for slot in range(slots):
        caption = captions[slot % len(captions)]
        y = box.top - (slot + 1) * step + mm(2)
        sheet.add(Rule(box.x, y, box.right, y, LINE, 0.6))
        if caption:
            label = set_text([[Run(caption + ":", SEMIBOLD)]], 12.0, box.width, language)
            sheet.add(Text(label, box.x, y + label.height + mm(1), MUTED, name="caption"))
