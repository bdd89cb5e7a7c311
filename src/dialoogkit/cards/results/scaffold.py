"""The text of ``dialoogkit results new DECK``: a commented results file for one deck, ready to
fill in (``app.reporting.new_results`` decides where it goes and writes it).

In: a loaded deck, how to refer to it from the file (a bundled name or a relative path), the
target file's name, and the loaded results of the previous session (``--after``), if any.
Out: ``results_target`` (``<deck id>-resultaten.yaml`` or the file asked for), ``deck_reference``
and ``render_template``: the text holding, with comments in the deck's
language, an empty ``not_names:``, the session facts (empty), every lesson of the deck with an
empty vote per partner, and empty lists for what was recognised, the agreements, the higher-level
points and what happens next; the ``sender:`` and ``addressees:`` blocks for the letters (empty,
or as the previous session had them); after a previous session its ``previous:`` block
(``cards.results.carry``: its date, its dots and the agreements still to do). The untouched file
is valid: its report marks every section as still to fill in.
"""

from __future__ import annotations

import os
from pathlib import Path

from dialoogkit.cards.loader import LoadedDeck
from dialoogkit.cards.results.carry import letter_lines, one_line, previous_lines, yaml_text
from dialoogkit.cards.results.load import LoadedResults
from dialoogkit.cards.results.wording import load_wording

SUFFIX = "-resultaten.yaml"


def results_target(deck_id: str, output: Path | None) -> Path:
    """Where ``results new`` writes: ``output`` as a file when it ends in .yaml/.yml, else
    ``<deck id>-resultaten.yaml`` in the folder ``output`` (default: this folder)."""
    if output is not None and output.suffix.lower() in (".yaml", ".yml"):
        return output
    return (output or Path(".")) / f"{deck_id}{SUFFIX}"


def deck_reference(loaded: LoadedDeck, deck_arg: str, target: Path) -> str:
    """How the results file names its deck: the bundled name as given, or the deck file's path
    relative to the results file's folder (absolute when there is no relative way)."""
    if Path(deck_arg).name == deck_arg and not Path(deck_arg).suffix:
        return deck_arg
    try:
        return Path(os.path.relpath(loaded.path.resolve(), target.parent.resolve())).as_posix()
    except ValueError:
        return loaded.path.resolve().as_posix()


def render_template(loaded: LoadedDeck, deck_ref: str, file_name: str, after: LoadedResults | None = None,
                    keep_logo: bool = False) -> str:
    """The text of the template for ``loaded``'s deck (after the previous session ``after``; its
    sender's logo is kept only when ``keep_logo``: the new file lies in the same folder)."""
    deck = loaded.deck
    words = load_wording(deck.language).template
    partners = list(deck.audiences)
    previous = after.results if after is not None else None
    lines = [words["head"].format(title=one_line(deck.title), file=one_line(file_name)), "", words["deck"],
             f"deck: {yaml_text(deck_ref)}",
             "", *words["not_names"].splitlines(), "not_names: []", "", "session:",
             f"  date:       # {words['date']}", f"  place:      # {words['place']}",
             "  " + words["partners"].format(choices=", ".join(partners)), "  partners: []",
             *("  " + line for line in words["residents"].splitlines()), "  residents: []", "", words["lessons"],
             "lessons:"]
    for number, lesson in enumerate(deck.lessons, 1):
        lines += ["", f"  # {number}. {one_line(lesson.statement)}", f"  - id: {lesson.id}", "    " + words["votes"], "    votes:"]
        lines += [f"      {partner}:" for partner in partners]
        lines += ["    " + words["recognised"], "    recognised: []"]
        lines += ["    " + line for line in words["agreements"].splitlines()] + ["    agreements: []"]
        lines += ["    " + line for line in words["higher"].splitlines()] + ["    higher: []"]
    lines += ["", *words["next"].splitlines(), "next: []", "", *letter_lines(deck.language, previous, keep_logo), ""]
    if previous is not None:
        lines += [*previous_lines(previous, deck.language), ""]
    return "\n".join(lines)
