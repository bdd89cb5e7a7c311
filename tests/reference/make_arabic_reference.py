"""Make tests/reference/arabic_lines.json: line breaks and glyph order of an Arabic paragraph,
computed with HarfBuzz alone (not with dialoogkit's engine), made once and committed.

In: the bundled Noto Sans Arabic Regular, Source Sans Pro Regular (whose space separates words),
the paragraph, size and width below.
Out: the JSON file beside this script: for each line its text (logical order) and the names of its
glyphs left to right as HarfBuzz shapes the whole line right to left (spaces left out).
Run: .venv/bin/python tests/reference/make_arabic_reference.py
"""

from __future__ import annotations

import json
from pathlib import Path

import font_source_sans_pro
import uharfbuzz as hb

HERE = Path(__file__).parent
ARABIC = HERE.parents[1] / "src" / "dialoogkit" / "data" / "fonts" / "NotoSansArabic-Regular.ttf"
LATIN = Path(font_source_sans_pro.font_directory) / "SourceSansPro-Regular.ttf"
SIZE = 14.0
WIDTH = 150.0
TEXT = ("من يعرف جيرانه يطلب المساعدة بسرعة أكبر، ولذلك نلتقي في الحي كل أسبوع. "
        "لا أحد يبقى وحده: نحن نسأل ونستمع ونتعلم معا في المَدْرَسَة القديمة.")


def font(path: Path) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))


def shape(hb_font: hb.Font, text: str, rtl: bool) -> hb.Buffer:
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.script = "Arab"
    hb.shape(hb_font, buffer, None)
    return buffer


def width(hb_font: hb.Font, text: str, rtl: bool) -> float:
    buffer = shape(hb_font, text, rtl)
    return sum(p.x_advance for p in buffer.glyph_positions) * SIZE / hb_font.face.upem


def main() -> None:
    arabic, latin = font(ARABIC), font(LATIN)
    space = width(latin, " ", False)
    lines, current, used = [], "", 0.0
    for word in TEXT.split():
        wide = width(arabic, word, True)
        if current and used + space + wide > WIDTH:
            lines.append(current)
            current, used = "", 0.0
        current, used = (current + " " + word, used + space + wide) if current else (word, wide)
    lines.append(current)
    result = []
    for line in lines:
        buffer = shape(arabic, line, True)
        names = [arabic.glyph_to_string(info.codepoint) for info in buffer.glyph_infos]
        result.append({"text": line, "glyphs": [name for name in names if name != "space"]})
    data = {"font": ARABIC.name, "space_font": LATIN.name, "size": SIZE, "width": WIDTH, "text": TEXT,
            "lines": result}
    (HERE / "arabic_lines.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
