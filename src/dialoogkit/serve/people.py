"""A team's people as its managers change them in the browser: roles and membership.

In: the database, a team id, an e-mail address, a role, the manager making the change.
Out: ``set_role`` and ``remove_member`` (each recorded in the audit log); ``LastManager`` when a
change would leave the team without a manager (nothing changed). Adding someone is
``accounts.create_user``, the same call as IT's ``serve admin create-user``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from dialoogkit.serve.accounts import add_entry, normalise_email
from dialoogkit.serve.database import Database
from dialoogkit.serve.models import ROLES, Account, Membership
from dialoogkit.serve.problems import bad_role, unknown_account


class LastManager(Exception):
    """The change would leave the team without a manager."""


def set_role(db: Database, team_id: str, email: str, role: str, actor: str, now: datetime) -> None:
    """Give ``email`` the role ``role`` in the team."""
    if role not in ROLES:
        raise bad_role(role)
    with db.session() as session:
        membership = _membership(session, team_id, email)
        if membership.role == "beheerder" and role != "beheerder" and _managers(session, team_id) <= 1:
            raise LastManager()
        membership.role = role
        add_entry(session, team_id, actor, "set-role", f"{normalise_email(email)} ({role})", now)


def remove_member(db: Database, team_id: str, email: str, actor: str, now: datetime) -> None:
    """Take ``email`` out of the team (the account stays, with its other teams)."""
    with db.session() as session:
        membership = _membership(session, team_id, email)
        if membership.role == "beheerder" and _managers(session, team_id) <= 1:
            raise LastManager()
        session.delete(membership)
        add_entry(session, team_id, actor, "remove-member", normalise_email(email), now)


def _membership(session, team_id: str, email: str) -> Membership:
    address = normalise_email(email)
    account = session.scalar(select(Account).where(Account.email == address))
    membership = session.get(Membership, (account.id, team_id)) if account is not None else None
    if membership is None:
        raise unknown_account(email)
    return membership


def _managers(session, team_id: str) -> int:
    return session.scalar(select(func.count()).select_from(Membership)
                          .where(Membership.team_id == team_id, Membership.role == "beheerder")) or 0
