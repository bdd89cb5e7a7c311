"""What each role may do on a team server: one table for every route, read by the gate and the
permission test.

In: a request's method and path, and the role of the signed-in person in the team in use.
Out: ``needed_role(method, path)`` (``"lezer"``, ``"maker"`` or ``"beheerder"``) and
``allows(role, method, path)``. A reader (lezer) sees and downloads; a maker also edits decks and
results, builds kits and makes reports; a manager (beheerder) also manages the team's people and
reads its audit log. Anything not listed needs a maker: a new route is never open by mistake.
"""

from __future__ import annotations

RANK = {"lezer": 0, "maker": 1, "beheerder": 2}
SAFE_METHODS = frozenset({"GET", "HEAD"})
# posts that change nothing stored: the interface language, preview choices, the team in use, signing out
READER_POSTS = frozenset({"/language", "/preview/options", "/team", "/signout"})
MANAGER_PATHS = ("/people", "/audit")


def needed_role(method: str, path: str) -> str:
    """The least role that may send ``method`` to ``path``."""
    if any(path == prefix or path.startswith(prefix + "/") for prefix in MANAGER_PATHS):
        return "beheerder"
    if method.upper() in SAFE_METHODS or path in READER_POSTS:
        return "lezer"
    return "maker"


def allows(role: str, method: str, path: str) -> bool:
    """Whether ``role`` may send ``method`` to ``path``."""
    return RANK.get(role, -1) >= RANK[needed_role(method, path)]
