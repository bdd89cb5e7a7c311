"""``dialoogkit report``: the files after a session, in ``<output>/<deck id>/na-de-sessie/``.

In: loaded results (``cards.results.load``), the output folder and ``force`` (as for a build:
write into a kit folder that holds files dialoogkit did not make, carrying them over); the date
the letters carry (default: today, or ``SOURCE_DATE_EPOCH`` when set, as reproducible builds do).
Out: ``render_report`` gives the files as bytes by name (for the studio's download too), after
checking every text for residents' names, street addresses and phone numbers
(``cards.results.residents``): anything found is a ``ContentError`` naming file, line, lesson,
field, the words and the fix, and nothing is made. The files: ``verslag.pdf`` (A4 report for
residents; it says it holds no names because the check ran and found none) and
``verslag.docx`` (the same paragraphs, editable), ``stippen.png`` (the heat map of dot votes, the
same picture as in the report, with last time's dots after ``results new --after``),
``acties.xlsx`` (a working file) and ``acties.csv`` (the action list) and per addressee of
higher-level points a one-page letter ``brief-<addressee>.pdf`` with its ``.docx`` (a letter that
needs more than a page is refused, naming the first point's file and line). ``write_report`` puts
them into the kit folder the way a build does: in a stage beside it, switched in whole, under the
build's lock; the kit's other files are carried over unchanged and the old ``na-de-sessie/``
files are replaced. When the kit has a manifest, it is written again with the new report files
listed (its deck and options facts kept) and the kit's zip is made again from it, so manifest and
zip never describe report files that are gone. Builds keep ``na-de-sessie/``
(``kitfiles.KEPT``) and list it in their manifest. Nothing is written when anything fails: a text
with a character no bundled font has (the decks' glyph check) is refused, naming its file, line
and field.
"""

from __future__ import annotations

import datetime
import io
import json
import os
from pathlib import Path

from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.cards.results.residents import check_residents
from dialoogkit.cards.results.wording import load_wording
from dialoogkit.errors import ContentError, FitError, Problem
from dialoogkit.generator.report.blocks import to_flowables
from dialoogkit.generator.report.heatmap import HeatMap, plan_heatmap
from dialoogkit.generator.report.letter import build_letter_story, letter_reference, letter_slug
from dialoogkit.generator.report.story import build_report_story
from dialoogkit.generator.report.words import credit_line, find_glyph_problems
from dialoogkit.i18n import say
from dialoogkit.layouts.guidepage import CONTENT_WIDTH
from dialoogkit.layouts.units import mm
from dialoogkit.output.actions import action_rows, actions_csv, actions_xlsx, sheet_rows
from dialoogkit.output.document import DocumentInfo, canvas_maker
from dialoogkit.output.docx import render_docx
from dialoogkit.output.folder import survey_kit
from dialoogkit.output.guide import GuideDocument
from dialoogkit.output.kit import make_manifest, write_zip
from dialoogkit.output.kitfiles import MANIFEST, REPORT_FOLDER, part_of, zip_name
from dialoogkit.output.png import encode_png, render_pages, screen_pdf
from dialoogkit.output.staging import staged_kit

PNG_DPI = 200
PNG_MARGIN = mm(6)


def render_report(loaded: LoadedResults, today: datetime.date | None = None) -> dict[str, bytes]:
    """Every file of the report by its path in the kit (see module docstring)."""
    check = check_residents(loaded)
    if check.problems:
        raise ContentError(check.problems)
    problems = find_glyph_problems(loaded)
    if problems:
        raise FitError(problems)
    deck = loaded.deck.deck
    words = load_wording(deck.language).report
    logo = loaded.logo_path or loaded.deck.logo_path
    heat = plan_heatmap(loaded.results, deck, CONTENT_WIDTH, words)
    files: dict[str, bytes] = {}
    story = build_report_story(loaded, heat, words, check.clean, logo)
    footer = words["footer"].format(title=deck.title)
    info = _info(loaded, words["document"], words)
    files["verslag.pdf"], _ = lay_out(to_flowables(story, deck.language), info, footer, words["page"])
    files["verslag.docx"] = render_docx(story, info.title, info.author, info.subject, deck.language, footer, words)
    files["stippen.png"] = render_heatmap_png(heat)
    header, rows = sheet_rows(loaded, words)
    files["acties.xlsx"] = actions_xlsx(header, rows, words["sheet_title"], f"{deck.title} — {words['sheet_title']}",
                                        words)
    files["acties.csv"] = actions_csv(*action_rows(loaded, words), deck.language)
    files.update(_letters(loaded, words, check.clean, logo, today or letter_date()))
    return {f"{REPORT_FOLDER}/{name}": data for name, data in files.items()}


def _letters(loaded: LoadedResults, words: dict[str, str], checked: bool, logo: Path | None,
             today: datetime.date) -> dict[str, bytes]:
    """A PDF and a .docx per addressee; a letter longer than a page is refused."""
    deck = loaded.deck.deck
    files: dict[str, bytes] = {}
    taken: set[str] = set()
    too_long: list[Problem] = []
    for to, points in loaded.results.addressees().items():
        slug = letter_slug(to, taken)
        info = _info(loaded, f"{words['letter_document']} — {to}", words)
        story = build_letter_story(loaded, to, points, words, checked, logo, today, letter_reference(loaded, slug))
        footer = words["letter_footer"].format(title=deck.title, to=to)
        pdf, pages = lay_out(to_flowables(story, deck.language), info, footer, words["page"])
        if pages > 1:
            lesson_index = next(i for i, lesson in enumerate(loaded.results.lessons) if lesson.id == points[0][0])
            point_index = loaded.results.lessons[lesson_index].higher.index(points[0][1])
            too_long.append(Problem(*loaded.where("lessons", lesson_index, "higher", point_index, "to"),
                                    say("results.report.letter_too_long", to=to, pages=pages),
                                    say("results.report.letter_too_long_fix"), f"'{points[0][0]}'",
                                    f"higher[{point_index + 1}].to"))
        files[f"brief-{slug}.pdf"] = pdf
        files[f"brief-{slug}.docx"] = render_docx(story, info.title, info.author, info.subject, deck.language,
                                                  footer, words)
    if too_long:
        raise FitError(too_long)
    return files


def letter_date() -> datetime.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` (UTC) when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    return datetime.date.today()


def write_report(loaded: LoadedResults, output: Path, force: bool = False,
                 today: datetime.date | None = None) -> list[Path]:
    """Render the report, then switch it into ``<output>/<deck id>/`` (see module docstring);
    returns the paths written."""
    files = render_report(loaded, today)
    deck_id = loaded.deck.deck.id
    target = output / deck_id
    with staged_kit(target) as stage:
        old = survey_kit(target, deck_id, force)
        manifest = _read_manifest(target) if MANIFEST in map(str, old.files_of({"kit"})) else None
        for path in old.files_of(set(old.own) - {"report", "kit"}) + old.foreign:
            stage.carry(path)
        for name, data in files.items():
            stage.write(name, data)
        if manifest is not None:
            kept = [f["name"] for f in manifest.get("files", []) if isinstance(f, dict)
                    and part_of(str(f.get("name")), deck_id) not in (None, "report", "kit")
                    and (stage.folder / str(f["name"])).is_file()]
            names = kept + list(files)
            stage.write(MANIFEST, make_manifest(stage.folder, names, manifest.get("deck", {}),
                                                manifest.get("options", {})))
            write_zip(stage.folder, names + [MANIFEST], stage.folder / zip_name(deck_id))
            stage.record(zip_name(deck_id))
    return [target / path for path in stage.written]


def lay_out(story: list, info: DocumentInfo, footer: str, page_label: str) -> tuple[bytes, int]:
    """An A4 document of ``story`` (the guide's page: footer and page number) and its page count."""
    buffer = io.BytesIO()
    document = GuideDocument(buffer, info, footer, page_label)
    document.multiBuild(story, canvasmaker=canvas_maker(info))
    return buffer.getvalue(), document.page


def render_heatmap_png(heat: HeatMap) -> bytes:
    """``stippen.png``: the heat map on a page with a white margin, rendered in screen colours."""
    face = heat.face
    pdf = screen_pdf([face], (face.width + 2 * PNG_MARGIN, face.height + 2 * PNG_MARGIN))
    image = next(render_pages(pdf, dpi=PNG_DPI))
    return encode_png(image, compress_level=9, dpi=PNG_DPI)


def _info(loaded: LoadedResults, what: str, words: dict[str, str]) -> DocumentInfo:
    deck = loaded.deck.deck
    return DocumentInfo(title=f"{deck.title} — {what}", author=", ".join(deck.source.publishers),
                        subject=credit_line(deck, words), language=deck.language)


def _read_manifest(target: Path) -> dict | None:
    """The kit's manifest, or None when it cannot be read as one (it is then left out)."""
    try:
        data = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


