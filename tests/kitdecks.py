"""Small decks made at test time for kit tests, and a snapshot of a folder's files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml


def deck_data(lessons: int, long: bool = False, statement: str = "") -> dict:
    """A valid deck with ``lessons`` lessons (id ``kit``); ``long``: the last explanation cannot fit."""
    words = "buurt bewoners samenwerking corporatie gemeente ontmoeting vertrouwen".split()

    def text(i: int, n: int) -> str:
        return " ".join(words[(i + k) % len(words)] for k in range(n)).capitalize()

    return {
        "id": "kit", "language": "nl", "title": "Test", "source": {"title": "Bron", "publishers": ["Valente"]},
        "themes": {"t": {"label": "Thema", "colour": "#1D5C7A", "icon": "people"}},
        "pillars": {"p": {"label": "Pijler", "summary": "Samenvatting"}},
        "audiences": {"a": {"label": "Iedereen"}},
        "lessons": [{"id": f"les-{i}", "theme": "t", "pillar": "p",
                     "statement": f"{statement} {text(i, 5)}".strip() if statement else text(i, 6),
                     "explanation": ("Zeer lang. " * 350) if long and i == lessons - 1 else text(i, 25),
                     "questions": [{"text": text(i + q, 9) + "?"} for q in range(3)],
                     "sources": [{"title": "Valente", "url": f"https://www.valente.nl/?les={i}"}]}
                    for i in range(lessons)],
    }


def write_deck(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file below ``folder`` by relative path (empty for a missing folder)."""
    if not folder.is_dir():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
