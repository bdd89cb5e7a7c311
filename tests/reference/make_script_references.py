"""Reference renderings of right-to-left cards, and (with ``--chromium``) the same texts set by
Chromium with the same fonts, for a person to compare by eye.

In: the test decks ``tests/fixtures/scripts/fa.yaml`` (Persian, a zero width non-joiner U+200C in
almost every sentence) and ``tests/fixtures/scripts/ar.yaml`` (Arabic), built with the library as
A6 cards in the standard profile with 3 mm bleed (stated here so that a change of default does not
move the references). The Arabic deck is used with two changes made in memory (the fixture file
is not touched): lesson 1's explanation is ``CREDIT_EXPLANATION``, a Latin credit
"(Aedes, VNG, Valente 2024)" inside Arabic that wraps after "VNG,", and the contact's phone number
is ``PHONE`` ("030 123 45 67").
Out (when run as a script): three grayscale PNGs next to this file:

  fa-card-front.png      page 1 of the Persian cards-printshop.pdf: lesson 1's front, whose
                         statement and explanation hold "همسایه‌ها", "می‌کنیم", … (ZWNJ), 100 dpi
  ar-credit-front.png    page 1 of the Arabic cards-printshop.pdf: lesson 1's front, the credit
                         wrapping inside the Arabic explanation, 100 dpi
  ar-contacts-front.png  page 5 of the Arabic cards-printshop.pdf: the contacts card's front with
                         the phone number "030 123 45 67", 100 dpi

Each PNG notes in its metadata the versions of dialoogkit, reportlab, pypdfium2 and Pillow that
made it, and (``Regions``) the pixel boxes of its text regions: per text of ``REGIONS`` the band the
text box stands in, the card body's whole width, 2 pt larger on every side. Rendering and
comparison are those of ``make_references.py`` (pypdfium2, grayscale, a 1-pixel box blur, at most
0.5 % of the pixels off by more than 64 levels); ``test_reference_scripts.py`` compares the whole
page with exactly that tolerance and, because a wrong joining or a misplaced bracket changes only
a few glyphs of a page, also each region on its own, there with a mean difference of at most
``REGION_MAX_MEAN`` (text-dense crops weigh antialiasing more) and the same 0.5 % off.
Measured at 100 dpi (mean difference in levels / share of pixels off, page and region):
accepted: pdfium's own grayscale rendering (page at most 0.96 / 0.04 %, regions 3.5 / 0.00 %),
one dpi more resized back (0.96 / 0 %, 2.3 / 0 %), edges softened by a 0.5-pixel Gaussian blur
(0.43 / 0 %, 1.9 / 0 %), every grey 4 levels lighter (0.85 / 0 %, 0.84 / 0 %), no path antialiasing
(0.05 / 0 %, 0 / 0 %). Rejected: the Persian deck with its non-joiners removed (the words joined, as
a shaper ignoring U+200C would draw them): page 5.2 / 2.9 %, statement 10.9 / 6.4 %, explanation
28.5 / 20.3 %; the credit's lines ordered each on its own instead of by paragraph: page 0.22 /
0.14 % (accepted), explanation 3.3 / 2.1 %; the phone number without its left-to-right span (the
groups shown "67 45 123 030", as the plain bidi algorithm orders them): page 0.25 / 0.16 %
(accepted), contact 1.9 / 1.2 %; every text moved by one pixel (a quarter millimetre): regions
0.63 % to 4.7 % off. Only the regions see the credit and the phone number; measure again before
changing the thresholds or the resolution.

Run from the project folder:

  .venv/bin/python tests/reference/make_script_references.py            # (re)write the references
  .venv/bin/python tests/reference/make_script_references.py --chromium  # only the by-eye material

``--chromium`` writes nothing here: into a new temporary folder (its path is printed) it writes,
for every text of ``SAMPLES``, an HTML page setting the same paragraphs with the same font files
(@font-face on Source Sans Pro and the bundled Noto Sans Arabic TTFs, ``dir="rtl"``, the card's
wrap width, size and leading in points), its Chromium screenshot (Debian's /usr/bin/chromium
through playwright, headless), our text band cropped from the PDF as pdfium renders it, and both
one above the other (``*-compare.png``), all at ``CHROMIUM_DPI``. A text with a span dialoogkit sets
left to right (a phone number, an address) gets a second page with that span in
``<bdi dir="ltr">`` (``-isolated``). It prints, and writes to ``lines.json``, per text: our lines
in visual order, whether Chromium broke the lines at the same words and ordered the characters
the same way (every character's box, read left to right; spaces and ZWNJ left out), and the fonts
Chromium used (DevTools' platform fonts: a font not from our files is marked "(system)").
Joining is not measured: look at the pictures.
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

REFERENCE_DIR = Path(__file__).resolve().parent
ROOT = REFERENCE_DIR.parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "scripts"
FONTS = ROOT / "src" / "dialoogkit" / "data" / "fonts"


def _sibling(name: str):
    """The module ``name``.py beside this file (``make_references``: render, compare, versions)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REFERENCE_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


refs = _sibling("make_references")

OPTIONS = {"card_format": "a6", "profile": "standard", "bleed_mm": 3.0}
CREDIT_EXPLANATION = "هذا الدرس مبني على دراسة جديدة (Aedes, VNG, Valente 2024) عن العيش معا في الحي."
CREDIT = "(Aedes, VNG, Valente 2024)"
PHONE = "030 123 45 67"
DPI = 100
# name: (deck, page index from 0 in cards-printshop.pdf, index of the face in the plan's faces)
PAGES: dict[str, tuple[str, int, int]] = {
    "fa-card-front": ("fa", 0, 0),
    "ar-credit-front": ("ar", 0, 0),
    "ar-contacts-front": ("ar", 4, -1),  # lessons 1 and 2 (front, back), then the contacts card
}
# name: the texts (display.Text names) whose boxes are compared on their own, besides the page
REGIONS: dict[str, tuple[str, ...]] = {
    "fa-card-front": ("statement", "explanation"),
    "ar-credit-front": ("explanation",),
    "ar-contacts-front": ("contact-1",),
}
REGION_MARGIN = 2.0  # points around a text's band, so that a glyph moved out of it still counts
REGION_MAX_MEAN = 6.0  # grey levels, mean over a region (text-dense: antialiasing weighs more there)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_DPI = 192  # CSS sizes are in points; device scale factor CHROMIUM_DPI / 96
CHROMIUM_MARGIN = 8.0  # points around the text band, in the screenshot and in our crop (Arabic descends deep)


@dataclass(frozen=True)
class Sample:
    """One text compared with Chromium: the text box ``text`` of the face of ``page``."""

    name: str
    page: str
    text: str
    what: str


SAMPLES = (
    Sample("fa-statement", "fa-card-front", "statement", "Persian statement, bold: ZWNJ in همسایه‌ها and می‌کنیم"),
    Sample("fa-explanation", "fa-card-front", "explanation",
           "Persian explanation: ZWNJ in همسایه‌ها, می‌توانند, خانه‌ی, می‌شویم, می‌نوشیم"),
    Sample("ar-credit", "ar-credit-front", "explanation", f"Arabic explanation with the credit {CREDIT} wrapping"),
    Sample("ar-contact", "ar-contacts-front", "contact-1", f"Arabic contact: name, role, phone {PHONE}, address"),
)


# ---------------------------------------------------------------- decks, build, render


def deck_files(folder: Path, edit: Callable[[str, dict], None] | None = None) -> dict[str, Path]:
    """``{"fa": path, "ar": path}``: the Persian fixture as it is, and the Arabic one with the credit
    and the phone number, written into ``folder``. ``edit(key, data)`` (for the tests of the
    comparison) may change a deck's data before it is written; the Persian deck is then written too."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    decks = {}
    for key in ("fa", "ar"):
        data = yaml.safe_load((FIXTURES / f"{key}.yaml").read_text(encoding="utf-8"))
        if key == "ar":
            data["lessons"][0]["explanation"] = CREDIT_EXPLANATION
            data["contacts"][0]["phone"] = PHONE
        elif edit is None:
            decks[key] = FIXTURES / "fa.yaml"
            continue
        if edit is not None:
            edit(key, data)
        decks[key] = folder / f"{key}.yaml"
        decks[key].write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return decks


def build(folder: Path, edit: Callable[[str, dict], None] | None = None,
          only: tuple[str, ...] = ("fa", "ar")) -> dict[str, Path]:
    """Build the cards of the decks ``only`` into ``folder``; returns each deck's
    cards-printshop.pdf (``edit``: see ``deck_files``)."""
    from dialoogkit.cards.loader import load_deck
    from dialoogkit.output.build import BuildOptions, build_kit

    pdfs = {}
    for key, deck in deck_files(folder, edit).items():
        if key in only:
            build_kit(deck, BuildOptions(output=folder / "out", parts=("cards",), **OPTIONS))
            pdfs[key] = folder / "out" / load_deck(deck).deck.id / "cards-printshop.pdf"
    return pdfs


def render_all(pdfs: dict[str, Path], dpi: int = DPI, **options) -> dict[str, Image.Image]:
    """The pages of ``PAGES`` from the built PDFs (those of the decks built), grayscale
    (``options``: for pypdfium2's ``render``)."""
    return {name: refs.render(pdfs[deck], index, dpi, **options)
            for name, (deck, index, _) in PAGES.items() if deck in pdfs}


def text_boxes(folder: Path) -> dict[str, dict[str, object]]:
    """``{page name: {"texts": {name: display.Text}, "body": Box, "height": float}}`` from the plan
    of the decks (the layout the build draws); the decks are written into ``folder``."""
    from dialoogkit.cards.loader import load_deck
    from dialoogkit.generator.plan import plan_deck
    from dialoogkit.layouts.formats import parse_card_format
    from dialoogkit.layouts.profiles import parse_profile

    plans = {key: plan_deck(load_deck(path), parse_card_format(OPTIONS["card_format"]),
                            parse_profile(OPTIONS["profile"])) for key, path in deck_files(folder).items()}
    boxes = {}
    for name, (deck, _, face) in PAGES.items():
        plan = plans[deck]
        front = plan.faces[face][0]
        boxes[name] = {"texts": {text.name: text for text in front.texts()}, "body": plan.geometry.body,
                       "height": front.height}
    return boxes


def pixel_box(box, face_height: float, dpi: int, margin: float = REGION_MARGIN) -> tuple[int, int, int, int]:
    """A box in card points (origin at the trim's lower left) as a crop box (left, top, right,
    bottom) in pixels of the page rendered at ``dpi`` (the page has the bleed on every side),
    ``margin`` points larger on every side."""
    bleed = OPTIONS["bleed_mm"] * 72.0 / 25.4
    scale = dpi / 72.0
    left = (bleed + box.x - margin) * scale
    right = (bleed + box.x + box.width + margin) * scale
    top = (bleed + face_height - (box.y + box.height) - margin) * scale
    bottom = (bleed + face_height - box.y + margin) * scale
    return round(left), round(top), round(right), round(bottom)


def text_band(boxes: dict[str, object], text: str):
    """The band of the card a text box stands in: its height, the body's whole width (a line that
    grew or moved sideways stays inside)."""
    body, box = boxes["body"], boxes["texts"][text].box
    return type(body)(body.x, box.y, body.width, box.height)


def regions(folder: Path, dpi: int = DPI) -> dict[str, dict[str, tuple[int, int, int, int]]]:
    """``{page name: {text name: crop box in pixels}}`` for ``REGIONS``, from the current layout."""
    boxes = text_boxes(folder)
    return {page: {text: pixel_box(text_band(boxes[page], text), boxes[page]["height"], dpi) for text in texts}
            for page, texts in REGIONS.items()}


def stored_regions(name: str) -> dict[str, tuple[int, int, int, int]]:
    """The regions a reference PNG was made with (its ``Regions`` text chunk)."""
    with Image.open(refs.reference_path(name)) as image:
        return {text: tuple(box) for text, box in json.loads(image.info["Regions"]).items()}


def region_ok(result) -> bool:
    """A region's comparison (``make_references.Comparison``) is within the region tolerance."""
    return result.same_size and result.mean <= REGION_MAX_MEAN and result.off_share <= refs.MAX_OFF_SHARE


def compare_regions(reference: Image.Image, actual: Image.Image,
                    boxes: dict[str, tuple[int, int, int, int]]) -> dict[str, object]:
    """``{text name: Comparison}`` of every region, cropped from both images."""
    return {text: refs.compare(reference.crop(box), actual.crop(box)) for text, box in boxes.items()}


def region_text(result) -> str:
    if not result.same_size:
        return str(result)
    return (f"mean difference {result.mean:.2f} levels (at most {REGION_MAX_MEAN}), {result.off_share:.2%} of the "
            f"pixels off by more than {refs.OFF_LEVELS} (at most {refs.MAX_OFF_SHARE:.1%})")


# ---------------------------------------------------------------- references


def main_references() -> int:
    made_with = refs.versions()
    with tempfile.TemporaryDirectory() as folder:
        images = render_all(build(Path(folder) / "build"))
        boxes = regions(Path(folder) / "plan")
    for name, image in images.items():
        deck, index, _ = PAGES[name]
        info = PngInfo()
        info.add_text("Software", made_with)
        info.add_text("Comment", f"dialoogkit reference rendering: cards-printshop.pdf of tests/fixtures/scripts/"
                                 f"{deck}.yaml (see make_script_references.py) page {index + 1} at {DPI} dpi, {OPTIONS}")
        info.add_text("Regions", json.dumps(boxes[name]))
        path = refs.reference_path(name)
        old = refs.load_reference(name) if path.is_file() else None
        image.save(path, format="PNG", optimize=True, pnginfo=info)
        if old is None:
            change = "new"
        else:
            change = "; ".join([f"page: {refs.compare(old, image)}"] + [
                f"{text}: {region_text(result)}" for text, result in compare_regions(old, image, boxes[name]).items()])
        print(f"wrote {path.relative_to(ROOT)} ({image.width}×{image.height} px; against the previous one: {change})")
    print(f"made with {made_with}")
    return 0


# ---------------------------------------------------------------- Chromium, for the by-eye check


def _font_faces() -> str:
    """@font-face rules: "Card" is Source Sans Pro (Latin, digits, spaces, as in our PDF), "CardArabic"
    Noto Sans Arabic (semibold is drawn with the bold file, as ``scriptfonts`` does)."""
    from dialoogkit.generator.fonts import font_folder

    latin = font_folder()
    rules = []
    for family, folder, files in (
            ("Card", latin, {400: "SourceSansPro-Regular.ttf", 600: "SourceSansPro-Semibold.ttf",
                             700: "SourceSansPro-Bold.ttf"}),
            ("CardArabic", FONTS, {400: "NotoSansArabic-Regular.ttf", 600: "NotoSansArabic-Bold.ttf",
                                   700: "NotoSansArabic-Bold.ttf"})):
        for weight, file in files.items():
            rules.append(f"@font-face {{ font-family: '{family}'; font-weight: {weight}; "
                         f"src: url('{(folder / file).as_uri()}') format('truetype'); }}")
    return "\n".join(rules)


WEIGHTS = {"SourceSansPro": 400, "SourceSansPro-Semibold": 600, "SourceSansPro-Bold": 700}
IGNORED_IN_ORDER = {" ", "\u200c"}  # spaces and ZWNJ have no place of their own to compare


def paragraphs_of(text) -> list[tuple[str, int, list[str]]]:
    """The paragraphs of a placed text: (text in logical order, CSS weight, our lines)."""
    result, lines = [], []
    for number, line in enumerate(text.block.lines):
        lines.append(line)
        if line.ends_paragraph or number == len(text.block.lines) - 1:
            words = [" ".join(word for _, word, _ in one.pieces) for one in lines]
            result.append((" ".join(words), WEIGHTS.get(lines[0].pieces[0][2], 400), words))
            lines = []
    return result


def our_visual_lines(text) -> list[str]:
    """Our lines of ``text`` as drawn: the characters of each line left to right (a right-to-left
    run's characters reversed; brackets as typed, not mirrored), from the shaped runs."""
    from dialoogkit.generator.paragraphs import shape_block
    from dialoogkit.generator.scripts import paragraph_direction

    words = " ".join(word for line in text.block.lines for _, word, _ in line.pieces)
    direction = text.direction or paragraph_direction(words)
    return ["".join(run.text[::-1] if run.rtl else run.text for run in sorted(line.runs, key=lambda run: run.x))
            for line in shape_block(text.block.lines, text.block.size, direction) if line is not None]


def _marked(paragraph: str, isolate: bool) -> str:
    """``paragraph`` escaped for HTML; with ``isolate``, every span dialoogkit sets left to right
    (``scripts.left_to_right_spans``: phone numbers, addresses) wrapped in ``<bdi dir="ltr">``."""
    from dialoogkit.generator.scripts import left_to_right_spans

    if not isolate:
        return html.escape(paragraph)
    out, start = [], 0
    for span in left_to_right_spans(paragraph):
        out += [html.escape(paragraph[start:span.start]), '<bdi dir="ltr">',
                html.escape(paragraph[span.start:span.end]), "</bdi>"]
        start = span.end
    return "".join(out + [html.escape(paragraph[start:])])


def isolates_something(text) -> bool:
    from dialoogkit.generator.scripts import left_to_right_spans

    return any(left_to_right_spans(paragraph) for paragraph, _, _ in paragraphs_of(text))


def sample_html(text, width: float, statement: bool, language: str, isolate: bool = False) -> str:
    """An HTML page setting ``text``'s paragraphs right to left in a box ``width`` points wide (the
    card's wrap width), at the text's size and leading, one ``<p>`` per paragraph; a statement is
    balanced (``text-wrap: balance``), as the card balances it; ``isolate``: see ``_marked``."""
    block = text.block
    paragraphs = "\n".join(f'<p style="font-weight:{weight}">{_marked(paragraph, isolate)}</p>'
                           for paragraph, weight, _ in paragraphs_of(text))
    return f"""<!DOCTYPE html>
<html lang="{language}"><head><meta charset="utf-8"><style>
{_font_faces()}
html, body {{ margin: 0; background: #fff; }}
#box {{ width: {width:.3f}pt; padding: {CHROMIUM_MARGIN}pt; font-family: 'Card', 'CardArabic';
       font-size: {block.size}pt; line-height: {block.leading}pt; color: #000; text-align: start;
       {'text-wrap: balance;' if statement else ''} }}
#box p {{ margin: 0; }}
</style></head><body><div id="box" dir="rtl">
{paragraphs}
</div></body></html>
"""


# Chromium's lines: every character's box (Range.getClientRects), grouped into lines by their
# vertical centre, then read in logical order (the words of each line) and left to right (the
# visual order; characters of one glyph cluster in an Arabic word: the later one further left).
LINES_JS = """() => {
  const result = [], arabic = /\\p{Script=Arabic}/u;
  for (const p of document.querySelectorAll('#box p')) {
    const chars = [], walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let index = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++, index++) {
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (rect) chars.push({ch: node.data[i], index, x: rect.left + rect.width / 2, y: rect.top + rect.height / 2});
      }
    }
    const half = parseFloat(getComputedStyle(p).lineHeight) / 2, lines = [];
    for (const c of chars) {
      const line = lines[lines.length - 1];
      if (line && Math.abs(c.y - line[0].y) < half) line.push(c); else lines.push([c]);
    }
    for (const line of lines) {
      const logical = line.map(c => c.ch).join('').trim();
      const visual = [...line].sort((a, b) => a.x - b.x || (arabic.test(a.ch) ? b.index - a.index : a.index - b.index))
                              .map(c => c.ch).join('');
      result.push({logical, visual});
    }
  }
  return result;
}"""


def comparable(visual: str) -> str:
    """A visual line without what has no place of its own (spaces, ZWNJ)."""
    return "".join(ch for ch in visual if ch not in IGNORED_IN_ORDER)


def chromium_fonts(page) -> list[str]:
    """The font families Chromium drew the box's text with (DevTools' CSS.getPlatformFontsForNode);
    a family not loaded from our @font-face files is marked "(system)"."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    used = set()
    for node in session.send("DOM.querySelectorAll", {"nodeId": root, "selector": "#box p, #box bdi"})["nodeIds"]:
        for font in session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            used.add(font["familyName"] + ("" if font["isCustomFont"] else " (system)"))
    session.detach()
    return sorted(used)


def side_by_side(images: list[tuple[str, Image.Image]]) -> Image.Image:
    """The images one below the other, each under its label, right edges aligned (where right-to-left
    lines start)."""
    label = 16
    width = max(image.width for _, image in images) + 20
    out = Image.new("RGB", (width, sum(image.height + label + 8 for _, image in images)), "white")
    draw = ImageDraw.Draw(out)
    y = 0
    for title, image in images:
        draw.line((0, y, width, y), fill=(200, 0, 0))
        draw.text((10, y + 3), title, fill=(200, 0, 0))
        out.paste(image.convert("RGB"), (width - 10 - image.width, y + label))
        y += image.height + label + 8
    return out


def main_chromium() -> int:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="dialoogkit-chromium-"))
    pdfs = build(folder / "build")
    pages = render_all(pdfs, CHROMIUM_DPI)
    boxes = text_boxes(folder / "build")
    report = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page(device_scale_factor=CHROMIUM_DPI / 96, viewport={"width": 800, "height": 600})
        report.append({"chromium": browser.version})
        for sample in SAMPLES:
            text, body = boxes[sample.page]["texts"][sample.text], boxes[sample.page]["body"]
            band = text_band(boxes[sample.page], sample.text)
            ours = pages[sample.page].crop(pixel_box(band, boxes[sample.page]["height"], CHROMIUM_DPI, CHROMIUM_MARGIN))
            ours.save(folder / f"{sample.name}-pdf.png")
            shown = [(f"{sample.name}: dialoogkit PDF, pdfium at {CHROMIUM_DPI} dpi", ours)]
            entry = {"sample": sample.name, "what": sample.what,
                     "ours": {"lines": [line for _, _, lines in paragraphs_of(text) for line in lines],
                              "visual": our_visual_lines(text)}}
            for variant in ("plain", "isolated") if isolates_something(text) else ("plain",):
                suffix = "" if variant == "plain" else "-isolated"
                html_path = folder / f"{sample.name}{suffix}.html"
                html_path.write_text(sample_html(text, body.width, sample.text == "statement", PAGES[sample.page][0],
                                                 variant == "isolated"), encoding="utf-8")
                page.goto(html_path.as_uri())
                page.evaluate("document.fonts.ready.then(() => true)")
                shot = folder / f"{sample.name}{suffix}-chromium.png"
                page.locator("#box").screenshot(path=str(shot))
                lines = page.evaluate(LINES_JS)
                theirs = {"lines": [line["logical"] for line in lines], "visual": [line["visual"] for line in lines],
                          "fonts": chromium_fonts(page)}
                theirs["same_lines"] = theirs["lines"] == entry["ours"]["lines"]
                theirs["same_order"] = ([comparable(line) for line in theirs["visual"]]
                                        == [comparable(line) for line in entry["ours"]["visual"]])
                entry[variant] = theirs
                with Image.open(shot) as image:
                    title = "Chromium, same font files" + (", LTR spans in <bdi dir=ltr>" if suffix else "")
                    shown.append((title, image.copy()))
            side_by_side(shown).save(folder / f"{sample.name}-compare.png")
            report.append(entry)
        browser.close()
    (folder / "lines.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"Chromium {report[0]['chromium']}")
    for entry in report[1:]:
        print(f"{entry['sample']}: {entry['what']}")
        for line in entry["ours"]["visual"]:
            print(f"   ours, left to right:          {line}")
        for variant in ("plain", "isolated"):
            if variant not in entry:
                continue
            theirs = entry[variant]
            print(f"   Chromium ({variant}): lines {'same' if theirs['same_lines'] else 'DIFFER'}, "
                  f"order {'same' if theirs['same_order'] else 'DIFFERS'}, fonts {theirs['fonts']}")
            if not theirs["same_order"]:
                for line in theirs["visual"]:
                    print(f"   Chromium, left to right:      {line}")
    print(f"HTML pages, screenshots (-chromium.png), our crops (-pdf.png), side by side (-compare.png) "
          f"and lines.json in {folder}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--chromium", action="store_true",
                        help="write Chromium's renderings of the same texts into a temporary folder instead")
    arguments = parser.parse_args(argv)
    return main_chromium() if arguments.chromium else main_references()


if __name__ == "__main__":
    sys.exit(main())
