"""The guide's chapters of plain text and its glossary: how to include everyone, what to do after
the session, and the words a resident may not know.

In: the loaded guide texts (``include`` and ``follow_up`` chapters, the ``glossary``) and the
guide's styles.
Out: platypus flowables. A chapter fills fresh pages of its own, with its title as ``h1`` (so it is
listed in the contents), then its opening paragraph and each section under an ``h2`` heading; the glossary
is a two-column table (term in bold, never hyphenated; meaning) under its ``h1`` title, split over
pages between rows. Every text is ``Located`` at its field in the bundled guide file.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreakIfNotEmpty

from dialoogkit.cards.guide_texts import GUIDE, Chapter, LoadedGuide
from dialoogkit.generator.guide.styles import located_para, make_table
from dialoogkit.generator.located import Located, written
from dialoogkit.layouts.guidepage import CONTENT_WIDTH
from dialoogkit.layouts.units import mm

TERM_WIDTH = mm(58)


def _at(text: str, *loc: str | int) -> Located:
    return written(text, *loc, root=GUIDE)


def chapter_pages(guide: LoadedGuide, key: str, s: dict) -> list:
    """The chapter ``key`` of the guide texts (``include`` or ``follow_up``) on fresh pages."""
    chapter: Chapter = getattr(guide.texts, key)
    story: list = [PageBreakIfNotEmpty(), located_para(_at(chapter.title, key, "title"), s["h1"])]
    if chapter.intro:
        story.append(located_para(_at(chapter.intro, key, "intro"), s["body"]))
    for i, section in enumerate(chapter.sections):
        story.append(located_para(_at(section.title, key, "sections", i, "title"), s["h2"]))
        story += [located_para(_at(text, key, "sections", i, "text", j), s["body"])
                  for j, text in enumerate(section.text)]
    story.append(PageBreakIfNotEmpty())
    return story


def glossary_pages(guide: LoadedGuide, s: dict) -> list:
    """The glossary on a fresh page: its title, opening sentence and a table of terms."""
    glossary = guide.texts.glossary
    story: list = [PageBreakIfNotEmpty(), located_para(_at(glossary.title, "glossary", "title"), s["h1"])]
    if glossary.intro:
        story.append(located_para(_at(glossary.intro, "glossary", "intro"), s["body"]))
    term_style = ParagraphStyle("term", parent=s["cellbold"], hyphenationLang=None)  # a term is never split
    rows = [[located_para(_at(term.term, "glossary", "terms", i, "term"), term_style),
             located_para(_at(term.meaning, "glossary", "terms", i, "meaning"), s["cell"])]
            for i, term in enumerate(glossary.terms)]
    story.append(make_table(rows, [TERM_WIDTH, CONTENT_WIDTH - TERM_WIDTH]))
    return story
