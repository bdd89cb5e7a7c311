"""People, teams and roles of ``dialoogkit serve``: accounts, sign-in, web sessions, audit log.

In: an open ``Database``, e-mail addresses, team names, roles ("beheerder" manages people and
teams, "maker" edits, builds and reports, "lezer" sees and downloads), passwords, the time.
Out: ``create_user``, ``reset_password``, ``verify_sign_in`` (an ``Account``, or ``SignInRefused``:
5 wrong passwords in a row lock the account for 15 minutes; an unknown address costs the same
time as a wrong password), ``start_session`` (the cookie token; only its SHA-256 is stored),
``session_for`` (a ``SessionInfo`` or None), ``end_session``, ``switch_team``, ``teams_of``,
``members_of``, ``account_for_remote_user`` (single sign-on), ``record`` and ``audit_entries``.
Passwords are hashed with Argon2 (``argon2-cffi``); a password is never stored or logged.
Every function runs its own transaction; returned rows are detached, readable copies.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dialoogkit.serve import problems
from dialoogkit.serve.database import Database
from dialoogkit.serve.models import ROLES, Account, AuditEntry, Membership, Team, WebSession, utc_now

MAX_FAILURES = 5
LOCK_TIME = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD = 8
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)*")
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))  # verified for unknown addresses: same time


@dataclass(frozen=True)
class SessionInfo:
    """Who a web session belongs to and the team in use, with the account's role in it."""

    account_id: str
    email: str
    team_id: str
    team_name: str
    role: str


def normalise_email(email: str) -> str:
    """The stored form of an address (stripped, lower case); ``AccountProblem`` when not one."""
    address = (email or "").strip().lower()
    if len(address) > 254 or not _EMAIL.fullmatch(address):
        raise problems.bad_email(email)
    return address


def check_password(password: str) -> str:
    """``password`` when long enough; ``AccountProblem`` otherwise."""
    if len(password) < MIN_PASSWORD:
        raise problems.short_password(MIN_PASSWORD)
    return password


def hash_token(token: str) -> str:
    """The SHA-256 (hex) under which a cookie token's session is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(db: Database, email: str, team_name: str, role: str, password: str | None, *,
                actor: str = "admin", now: datetime | None = None) -> Account:
    """The account for ``email`` with ``role`` in ``team_name`` (the team is made when new); an
    existing account gets the membership or its new role, and ``password`` when one is given
    (None: a new account signs in through single sign-on only)."""
    address = normalise_email(email)
    if role not in ROLES:
        raise problems.bad_role(role)
    name = (team_name or "").strip()
    if not name or len(name) > 200:
        raise problems.bad_team_name(team_name)
    hashed = _HASHER.hash(check_password(password)) if password is not None else None
    now = now or utc_now()
    for _ in range(2):  # two commands making the same new team or account at once: the loser tries again
        try:
            return _store_user(db, address, name, role, hashed, actor, now)
        except IntegrityError:
            continue
    return _store_user(db, address, name, role, hashed, actor, now)


def _store_user(db: Database, address: str, name: str, role: str, hashed: str | None, actor: str,
                now: datetime) -> Account:
    """``create_user``'s change in one transaction (an ``IntegrityError`` when another made the same
    team, account or membership meanwhile)."""
    with db.session() as session:
        team = session.scalar(select(Team).where(Team.name == name))
        if team is None:
            team = Team(name=name, created_at=now)
            session.add(team)
            session.flush()
            add_entry(session, team.id, actor, "create-team", name, now)
        account = session.scalar(select(Account).where(Account.email == address))
        if account is None:
            account = Account(email=address, password_hash=hashed, failed_sign_ins=0, created_at=now)
            session.add(account)
            session.flush()
            add_entry(session, team.id, actor, "create-user", address, now)
        elif hashed is not None:
            account.password_hash = hashed
            add_entry(session, team.id, actor, "reset-password", address, now)
        membership = session.get(Membership, (account.id, team.id))
        if membership is None:
            session.add(Membership(account_id=account.id, team_id=team.id, role=role))
            add_entry(session, team.id, actor, "add-member", f"{address} ({role})", now)
        elif membership.role != role:
            membership.role = role
            add_entry(session, team.id, actor, "set-role", f"{address} ({role})", now)
    return account


def reset_password(db: Database, email: str, password: str, *, actor: str = "admin",
                   now: datetime | None = None) -> None:
    """Give the account a new password and lift a lock; ``AccountProblem`` for an unknown address."""
    address = normalise_email(email)
    hashed = _HASHER.hash(check_password(password))
    now = now or utc_now()
    with db.session() as session:
        account = session.scalar(select(Account).where(Account.email == address))
        if account is None:
            raise problems.unknown_account(email)
        account.password_hash = hashed
        account.failed_sign_ins = 0
        account.locked_until = None
        add_entry(session, None, actor, "reset-password", address, now)


def verify_sign_in(db: Database, email: str, password: str, now: datetime) -> Account:
    """The account when ``password`` is right; else ``SignInRefused`` with reason "unknown" (no such
    account or no password), "wrong" or "locked". The fifth wrong password in a row locks the
    account for ``LOCK_TIME`` (and is refused as "locked")."""
    try:
        address = normalise_email(email)
    except problems.AccountProblem:
        address = ""
    reason = ""
    with db.session() as session:
        account = session.scalar(select(Account).where(Account.email == address)) if address else None
        if account is None or account.password_hash is None:
            _verify(_DUMMY_HASH, password)
            reason = "unknown"
        elif account.locked_until is not None and account.locked_until > now:
            _verify(_DUMMY_HASH, password)
            reason = "locked"
        elif not _verify(account.password_hash, password):
            failures = (account.failed_sign_ins or 0) + 1
            if failures >= MAX_FAILURES:
                account.failed_sign_ins, account.locked_until, reason = 0, now + LOCK_TIME, "locked"
                add_entry(session, None, address, "lock", address, now)
            else:
                account.failed_sign_ins, reason = failures, "wrong"
        else:
            account.failed_sign_ins, account.locked_until = 0, None
            if _HASHER.check_needs_rehash(account.password_hash):
                account.password_hash = _HASHER.hash(password)
            add_entry(session, None, address, "sign-in", address, now)
    if reason:
        raise problems.SignInRefused(reason)
    return account


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def start_session(db: Database, account_id: str, team_id: str, now: datetime,
                  lifetime: timedelta = SESSION_LIFETIME) -> str:
    """A new web session of the account in ``team_id`` (a team it is a member of, else
    ``AccountProblem``); returns the cookie token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    with db.session() as session:
        if session.get(Membership, (account_id, team_id)) is None:
            raise problems.unknown_team(team_id)
        session.add(WebSession(token_hash=hash_token(token), account_id=account_id, team_id=team_id,
                               created_at=now, expires_at=now + lifetime, last_seen=now))
    return token


def session_for(db: Database, token: str, now: datetime) -> SessionInfo | None:
    """Who the cookie ``token`` belongs to; None when unknown, expired (then deleted) or when the
    account is no longer a member of the session's team. Notes ``last_seen``."""
    if not token:
        return None
    with db.session() as session:
        row = session.execute(
            select(WebSession, Account.email, Team.name, Membership.role)
            .join(Account, Account.id == WebSession.account_id)
            .join(Team, Team.id == WebSession.team_id)
            .outerjoin(Membership, (Membership.account_id == WebSession.account_id)
                       & (Membership.team_id == WebSession.team_id))
            .where(WebSession.token_hash == hash_token(token))).first()
        if row is None:
            return None
        web, email, team_name, role = row
        if web.expires_at <= now or role is None:
            session.delete(web)
            return None
        web.last_seen = now
        return SessionInfo(web.account_id, email, web.team_id, team_name, role)


def end_session(db: Database, token: str) -> None:
    """Sign out: the session of ``token`` is deleted (nothing happens when there is none)."""
    with db.session() as session:
        session.execute(delete(WebSession).where(WebSession.token_hash == hash_token(token)))


def end_expired_sessions(db: Database, now: datetime) -> int:
    """Delete every expired session; returns how many."""
    with db.session() as session:
        return session.execute(delete(WebSession).where(WebSession.expires_at <= now)).rowcount or 0


def switch_team(db: Database, token: str, team_id: str) -> bool:
    """Put the session of ``token`` in ``team_id``; False (nothing changed) when the account is not
    a member of that team or the session does not exist."""
    with db.session() as session:
        web = session.get(WebSession, hash_token(token))
        if web is None or session.get(Membership, (web.account_id, team_id)) is None:
            return False
        web.team_id = team_id
        return True


def teams_of(db: Database, account_id: str) -> list[tuple[Team, str]]:
    """The teams of an account with its role in each, by team name."""
    with db.session(read_only=True) as session:
        rows = session.execute(select(Team, Membership.role).join(Membership, Membership.team_id == Team.id)
                               .where(Membership.account_id == account_id).order_by(Team.name)).all()
        return [(team, role) for team, role in rows]


def members_of(db: Database, team_id: str) -> list[tuple[Account, str]]:
    """The accounts of a team with their role, by e-mail address."""
    with db.session(read_only=True) as session:
        rows = session.execute(select(Account, Membership.role).join(Membership, Membership.account_id == Account.id)
                               .where(Membership.team_id == team_id).order_by(Account.email)).all()
        return [(account, role) for account, role in rows]


def find_team(db: Database, name: str) -> Team | None:
    """The team called ``name`` (surrounding spaces ignored), or None."""
    with db.session(read_only=True) as session:
        return session.scalar(select(Team).where(Team.name == (name or "").strip()))


def account_for_remote_user(db: Database, email: str) -> Account | None:
    """The account named by a trusted proxy's ``Remote-User`` header; None when there is none
    (single sign-on never creates accounts)."""
    try:
        address = normalise_email(email)
    except problems.AccountProblem:
        return None
    with db.session(read_only=True) as session:
        return session.scalar(select(Account).where(Account.email == address))


def add_entry(session: Session, team_id: str | None, actor: str, action: str, subject: str,
              now: datetime) -> None:
    """Add an audit entry inside an open transaction (it commits with the change it describes)."""
    session.add(AuditEntry(team_id=team_id, actor=actor, action=action, subject=subject[:1024], at=now))


def record(db: Database, team_id: str | None, actor: str, action: str, subject: str, now: datetime) -> None:
    """Write one audit entry: who (an e-mail, or "admin"), did what ("save", "sign-in", …), to
    what (a path or an e-mail), when."""
    with db.session() as session:
        add_entry(session, team_id, actor, action, subject, now)


def audit_entries(db: Database, team_id: str | None, limit: int = 200) -> list[AuditEntry]:
    """The newest audit entries of a team (``None``: the entries not tied to a team), newest first."""
    with db.session(read_only=True) as session:
        where = AuditEntry.team_id.is_(None) if team_id is None else AuditEntry.team_id == team_id
        return list(session.scalars(select(AuditEntry).where(where)
                                    .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)))
