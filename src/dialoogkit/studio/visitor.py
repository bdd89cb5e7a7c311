"""Who is using the studio in this request, when a team server says so.

In: a ``Visitor`` set by a team server (``dialoogkit serve``) around each request.
Out: ``current_visitor()`` for the templates (``None`` in the local studio, where the person at the
computer is the only user), ``using_visitor(...)`` for the server.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Visitor:
    """A signed-in person, the team they work in now and their role there."""

    email: str
    account_id: str
    team_id: str
    team_name: str
    role: str  # beheerder, maker or lezer
    teams: tuple[tuple[str, str], ...] = field(default=())  # (team id, team name) of every team they are in

    @property
    def may_edit(self) -> bool:
        return self.role in ("maker", "beheerder")

    @property
    def manages(self) -> bool:
        return self.role == "beheerder"


_visitor: contextvars.ContextVar[Visitor | None] = contextvars.ContextVar("dialoogkit_visitor", default=None)


def current_visitor() -> Visitor | None:
    """The signed-in person of this request, or ``None`` in the local studio."""
    return _visitor.get()


@contextmanager
def using_visitor(visitor: Visitor) -> Iterator[Visitor]:
    token = _visitor.set(visitor)
    try:
        yield visitor
    finally:
        _visitor.reset(token)
