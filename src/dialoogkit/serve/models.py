"""The tables of ``dialoogkit serve``, as SQLAlchemy 2.x declarative models on one ``Base``.

In: nothing (definitions only).
Out: ``Base`` and the models ``Team``, ``Account``, ``Membership``, ``WebSession``, ``StoredFile``,
``FileVersion``, ``AuditEntry``, ``BuildJob``; ``ROLES``, ``JOB_STATES``, ``new_id()`` (an
unguessable id: 32 hex digits) and ``utc_now()``. Every time is timezone-aware UTC: ``UTCDateTime``
stores it as ``DateTime(timezone=True)`` and always gives it back aware, on SQLite as well.
The migration ``migrations/versions/0001_initial.py`` creates exactly these tables (a test
compares them).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timezone

from sqlalchemy import (DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, TypeDecorator,
                        UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("beheerder", "maker", "lezer")
JOB_STATES = ("queued", "running", "done", "failed")


def new_id() -> str:
    """An unguessable id for rows whose id appears in addresses (128 random bits, hex)."""
    return secrets.token_hex(16)


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime in and out (SQLite keeps no zone: it is put back on reading)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("dialoogkit stores timezone-aware datetimes only")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    """The one declarative base of the serve tables."""


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class Membership(Base):
    __tablename__ = "memberships"

    account_id: Mapped[str] = mapped_column(String(32), ForeignKey("accounts.id", ondelete="CASCADE"),
                                            primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)
    role: Mapped[str] = mapped_column(String(16))


class WebSession(Base):
    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(32), ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[str] = mapped_column(String(32), ForeignKey("teams.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())


class StoredFile(Base):
    __tablename__ = "stored_files"
    __table_args__ = (UniqueConstraint("team_id", "path", name="uq_stored_files_team_path"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    team_id: Mapped[str] = mapped_column(String(32), ForeignKey("teams.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(String(1024))
    current_number: Mapped[int] = mapped_column(Integer, default=0)


class FileVersion(Base):
    __tablename__ = "file_versions"
    __table_args__ = (UniqueConstraint("file_id", "number", name="uq_file_versions_file_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file_id: Mapped[str] = mapped_column(String(32), ForeignKey("stored_files.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(254), default="")
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_team_at", "team_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str | None] = mapped_column(String(32), ForeignKey("teams.id", ondelete="SET NULL"),
                                                nullable=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(1024), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class BuildJob(Base):
    __tablename__ = "build_jobs"
    __table_args__ = (Index("ix_build_jobs_state_queued_at", "state", "queued_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    team_id: Mapped[str] = mapped_column(String(32), ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    deck_path: Mapped[str] = mapped_column(String(1024))
    deck_id: Mapped[str] = mapped_column(String(200))
    options_json: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String(16), default="queued")
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(200), default="")
    result_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    author: Mapped[str] = mapped_column(String(254), default="")
