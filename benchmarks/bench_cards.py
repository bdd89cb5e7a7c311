"""Benchmark of the card build, reported as ratios (never part of the test suite).

In: nothing (a synthetic deck of N lessons with unique URLs is generated in a temporary folder).
Out: a table on stdout: wall time, peak memory and bytes per card for
  - dialoogkit building both card PDFs (sheets + print shop) for 100 and 1000 lessons,
  - a bare reportlab script in the same run that draws the same faces (front with a hyphenated
    paragraph, back with a vector QR code of a unique URL) once,
  - the standard deck's full card build,
and the ratios the issue sets targets for: dialoogkit / bare (≤ 1.3), 1000 / 100 lessons (≤ 11).

Each measurement runs in a fresh Python process so peak memory is its own.
Run: python benchmarks/bench_cards.py [--lessons 1000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

WORDS = ("buurt bewoners samenwerking corporatie gemeente ontmoeting vertrouwen zorgorganisatie "
         "wijkteam afspraken eigenaarschap ervaringsdeskundige participatie leefbaarheid").split()


def synthetic_deck(n: int) -> dict:
    """A valid deck of ``n`` lessons with varied text and unique URLs (example.org is reserved
    for examples: these are benchmark data, not content)."""
    def text(i: int, words: int) -> str:
        return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(words)).capitalize()

    lessons = [{
        "id": f"les-{i}", "theme": "t", "pillar": "p",
        "statement": text(i, 7), "explanation": text(i + 1, 30) + ".",
        "questions": [{"text": text(i + q, 12) + "?", "audience": "a"} for q in range(3)],
        "sources": [{"title": f"Bron {i}", "url": f"https://example.org/kennisbank/les-{i}"}],
    } for i in range(n)]
    return {"id": "bench", "language": "nl", "title": "Benchmark", "source": {"title": "Synthetisch", "publishers": ["dialoogkit"]},
            "themes": {"t": {"label": "Thema", "colour": "#1D5C7A", "icon": "people"}},
            "pillars": {"p": {"label": "Pijler", "summary": "Samenvatting"}},
            "audiences": {"a": {"label": "Iedereen"}}, "lessons": lessons}


def run_dialoogkit(deck: str, out: str) -> dict:
    from dialoogkit.output.build import BuildOptions, build_cards

    start = time.perf_counter()
    written = build_cards(deck, BuildOptions(output=Path(out)))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "bytes": sum(p.stat().st_size for p in written)}


def run_bare(deck: str, out: str) -> dict:
    """Draw the same faces with plain reportlab: Paragraphs with pyphen hyphenation, QR as paths."""
    import qrcode
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph
    from xml.sax.saxutils import escape
    import font_source_sans_pro

    start = time.perf_counter()
    data = yaml.safe_load(Path(deck).read_text("utf-8"))
    folder = Path(font_source_sans_pro.font_directory)
    pdfmetrics.registerFont(TTFont("R", str(folder / "SourceSansPro-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("B", str(folder / "SourceSansPro-Bold.ttf")))
    w, h = 105 * mm, 148 * mm
    body = ParagraphStyle("b", fontName="R", fontSize=10.5, leading=12.8, hyphenationLang="nl_NL",
                          bulletFontName="R")
    head = ParagraphStyle("h", parent=body, fontName="B", fontSize=20, leading=24)
    target = Path(out) / "bare.pdf"
    canvas = Canvas(str(target), pagesize=(w, h), invariant=1, initialFontName="R")
    for lesson in data["lessons"]:
        canvas.setFillColorCMYK(0.76, 0.25, 0, 0.52)
        canvas.rect(0, h - 20 * mm, w, 20 * mm, stroke=0, fill=1)
        canvas.setFillColorCMYK(0, 0, 0, 0.9)
        y = h - 26 * mm
        for text, style in ((lesson["statement"], head), (lesson["explanation"], body)):
            p = Paragraph(escape(text), style)
            _, ph = p.wrap(w - 12 * mm, y)
            p.drawOn(canvas, 6 * mm, y - ph)
            y -= ph + 4 * mm
        canvas.showPage()
        y = h - 26 * mm
        for q in lesson["questions"]:
            p = Paragraph(escape(q["text"]), body)
            _, ph = p.wrap(w - 12 * mm, y)
            p.drawOn(canvas, 6 * mm, y - ph)
            y -= ph + 3 * mm
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        code.add_data(lesson["sources"][0]["url"])
        code.make(fit=True)
        matrix = code.get_matrix()
        module = max(0.5 * mm, 20 * mm / len(matrix))
        path = canvas.beginPath()
        for r, row in enumerate(matrix):
            for c, dark in enumerate(row):
                if dark:
                    path.rect(6 * mm + c * module, 10 * mm + (len(matrix) - r - 1) * module, module, module)
        canvas.setFillColorCMYK(0, 0, 0, 1)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.showPage()
    canvas.save()
    return {"seconds": time.perf_counter() - start, "bytes": target.stat().st_size}


def measure(mode: str, deck: str, out: str) -> dict:
    """Run one measurement in a fresh interpreter; returns seconds, bytes and peak memory (MB)."""
    code = (f"import sys, json, resource; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"import bench_cards as b; r = b.run_{mode}({deck!r}, {out!r}); "
            "r['peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; print(json.dumps(r))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lessons", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        decks = {}
        for n in (args.lessons // 10, args.lessons):
            path = Path(tmp) / f"deck-{n}.yaml"
            path.write_text(yaml.safe_dump(synthetic_deck(n), allow_unicode=True), "utf-8")
            decks[n] = str(path)
        rows = {}
        for n, deck in decks.items():
            rows[f"dialoogkit {n}"] = measure("dialoogkit", deck, tmp)
            rows[f"bare reportlab {n}"] = measure("bare", deck, tmp)
        rows["dialoogkit standaard (10)"] = measure("dialoogkit", "standaard", tmp)
    print(f"{'run':<28}{'seconds':>9}{'peak MB':>9}{'KB/card':>9}")
    for name, r in rows.items():
        cards = int(name.split()[-1].strip("()"))
        print(f"{name:<28}{r['seconds']:>9.2f}{r['peak_mb']:>9.0f}{r['bytes'] / 1024 / cards:>9.1f}")
    big, small = args.lessons, args.lessons // 10
    ratio = rows[f"dialoogkit {big}"]["seconds"] / rows[f"bare reportlab {big}"]["seconds"]
    growth = rows[f"dialoogkit {big}"]["seconds"] / rows[f"dialoogkit {small}"]["seconds"]
    print(f"\ndialoogkit / bare reportlab ({big} lessons): {ratio:.2f}  (target ≤ 1.3)")
    print(f"dialoogkit {big} / {small} lessons: {growth:.2f}  (target ≤ 11, linear = 10)")
    print(f"standard deck card build: {rows['dialoogkit standaard (10)']['seconds']:.2f} s  (target < 1.5 s)")


if __name__ == "__main__":
    main()
