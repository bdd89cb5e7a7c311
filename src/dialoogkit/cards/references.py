"""Checks across fields that a schema alone cannot express.

In: the raw data of a deck file and its line map (checked even when other fields are broken,
so every problem is reported in one run).
Out: ``Problem`` objects for duplicate lesson ids, for themes, pillars and audiences that a
lesson names but the deck does not define, and for sessions whose blocks do not add up.
"""

from __future__ import annotations

import difflib
from typing import Any, Iterator

from dialoogkit.cards.messages import lesson_label, where
from dialoogkit.cards.numbers import whole_number
from dialoogkit.cards.yamlsource import Origins
from dialoogkit.errors import Problem, quoted
from dialoogkit.i18n import say

_NOT_DEFINED = {"themes": "cards.refs.theme", "pillars": "cards.refs.pillar", "audiences": "cards.refs.audience"}


def find_reference_problems(data: dict[str, Any], lines: Origins, file: str) -> Iterator[Problem]:
    """Yield every duplicate id and every dangling theme/pillar/audience reference."""
    lessons = data.get("lessons")
    if not isinstance(lessons, list):
        return
    seen: dict[str, int] = {}
    for index, lesson in enumerate(lessons):
        if not isinstance(lesson, dict):
            continue
        label = lesson_label(data, index)
        lesson_id = lesson.get("id")
        if isinstance(lesson_id, str):
            if lesson_id in seen:
                yield Problem(*where(("lessons", index, "id"), lines, file),
                              say("cards.refs.duplicate_id", id=quoted(lesson_id), number=seen[lesson_id] + 1),
                              say("cards.refs.duplicate_id_fix"), label, "id")
            else:
                seen[lesson_id] = index
        for key, table in (("theme", "themes"), ("pillar", "pillars")):
            yield from _check_ref(data, lines, file, table, lesson.get(key), ("lessons", index, key), label, key)
        questions = lesson.get("questions")
        if isinstance(questions, list):
            for q_index, question in enumerate(questions):
                if isinstance(question, dict):
                    loc = ("lessons", index, "questions", q_index, "audience")
                    yield from _check_ref(data, lines, file, "audiences", question.get("audience"), loc, label,
                                          f"questions[{q_index + 1}].audience")


def _check_ref(data: dict[str, Any], lines: Origins, file: str, table: str, value: Any,
               loc: tuple, label: str, field: str) -> Iterator[Problem]:
    defined = data.get(table)
    if not isinstance(value, str) or not isinstance(defined, dict) or value in defined:
        return
    names = [str(k) for k in defined]
    guess = difflib.get_close_matches(value, names, n=1, cutoff=0.6)
    if guess:
        hint = say("cards.common.did_you_mean", guess=guess[0])
    else:
        hint = say("cards.refs.use_or_define", names=", ".join(names), table=table)
    yield Problem(*where(loc, lines, file), say(_NOT_DEFINED[table], value=quoted(value)), hint, label, field)


def find_session_problems(data: dict[str, Any], lines: Origins, file: str) -> Iterator[Problem]:
    """Yield every session whose stated minutes differ from the sum of its blocks' minutes."""
    sessions = data.get("sessions")
    if not isinstance(sessions, list):
        return
    for index, session in enumerate(sessions):
        if not isinstance(session, dict) or not isinstance(session.get("blocks"), list):
            continue
        stated = whole_number(session.get("minutes"))
        parts = [whole_number(block.get("minutes")) if isinstance(block, dict) else None for block in session["blocks"]]
        if stated is None or any(p is None for p in parts):
            continue
        total = sum(p for p in parts if p is not None)
        if total != stated:
            name = quoted(session["id"]) if isinstance(session.get("id"), str) else \
                say("cards.common.number", number=index + 1)
            yield Problem(*where(("sessions", index, "minutes"), lines, file),
                          say("cards.refs.minutes", name=name, stated=stated, total=total),
                          say("cards.refs.minutes_fix"), field=f"sessions[{index + 1}].minutes")
