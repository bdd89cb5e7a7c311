"""Open the serve database, bring it to the current migration and check it.

In: a database URL: ``sqlite:///path`` (the default, ``default_database_url(data_dir)``) or
``postgresql://user:password@host/name`` (spoken to through psycopg 3).
Out: ``open_database(url) -> Database`` (an engine and its sessions), ``Database.session()`` (a
transaction, committed when the block ends without an exception, rolled back otherwise),
``upgrade_to_head(url_or_database)``, ``is_current(database)`` (migrations current),
``is_reachable(database)`` (the database answers).

On SQLite every transaction starts with ``BEGIN IMMEDIATE`` (one writer at a time, waiting up to
the busy timeout, so a read-then-write transaction never fails halfway); ``session(read_only=True)``
starts a plain ``BEGIN`` that never waits for writers (WAL mode). On PostgreSQL transactions are
READ COMMITTED; code that reads then writes locks its rows (``SELECT … FOR UPDATE``).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

BUSY_TIMEOUT_MS = 30_000
MIGRATION_LOCK = 5_238_071_023  # the PostgreSQL advisory lock held while migrating
DATABASE_FILE = "dialoogkit.sqlite3"


class Database:
    """An open database: ``engine``, ``url`` (as given, password included: never log it),
    ``dialect`` ("sqlite" or "postgresql") and ``session()``."""

    def __init__(self, url: str, engine: Engine):
        self.url = url
        self.engine = engine
        self.dialect = engine.dialect.name
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._readers = sessionmaker(engine.execution_options(dialoogkit_read_only=True), expire_on_commit=False)

    @contextmanager
    def session(self, *, read_only: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back on an exception.
        Objects stay readable after the block (``expire_on_commit=False``)."""
        session = (self._readers if read_only else self._sessions)()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close every pooled connection (at shutdown, or in a child process after a fork)."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({make_url(self.url).render_as_string(hide_password=True)!r})"


def default_database_url(data_dir: Path) -> str:
    """The SQLite database in the data folder: ``sqlite:///<data dir>/dialoogkit.sqlite3``."""
    return f"sqlite:///{Path(data_dir).absolute() / DATABASE_FILE}"


def driver_url(url: str) -> str:
    """The URL SQLAlchemy is given: ``postgresql://`` and ``postgres://`` speak through psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def open_database(url: str) -> Database:
    """An engine and sessions for ``url`` (see module docstring); nothing is created or migrated."""
    address = make_url(driver_url(url))
    if address.get_backend_name() == "sqlite":
        engine = _open_sqlite(address)
    elif address.get_backend_name() == "postgresql":
        engine = create_engine(address, pool_pre_ping=True, pool_size=5, max_overflow=10,
                               connect_args={"connect_timeout": 10})
    else:
        raise ValueError(f"unsupported database: {address.get_backend_name()}")
    return Database(url, engine)


def _open_sqlite(address) -> Engine:
    memory = address.database in (None, "", ":memory:")
    if not memory:
        Path(address.database).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = create_engine(address, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
                           **({"poolclass": StaticPool} if memory else {}))

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        if not memory:
            _use_write_ahead_log(cursor)
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        read_only = connection.get_execution_options().get("dialoogkit_read_only", False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def _use_write_ahead_log(cursor) -> None:
    """Switch the file to write-ahead logging (once: the file keeps it). The switch needs the file
    to itself, and while another connection holds it SQLite answers "locked" at once instead of
    waiting (two servers starting on a new database): so wait here, up to the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("dialoogkit.serve") / "migrations"))
    return config


def upgrade_to_head(url_or_database: str | Database) -> None:
    """Bring the database to the newest migration (every ``serve`` command does this first).
    Two processes doing it at once is safe: PostgreSQL holds an advisory lock, SQLite a write lock."""
    from alembic import command

    database = open_database(url_or_database) if isinstance(url_or_database, str) else url_or_database
    try:
        config = _alembic_config()
        with database.engine.begin() as connection:
            if database.dialect == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        if isinstance(url_or_database, str):
            database.dispose()


def is_current(database: Database) -> bool:
    """Whether the database is at the newest migration (False when unreachable)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(_alembic_config()).get_heads())
    try:
        with _reader(database).connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception:  # noqa: BLE001 - any failure to ask means "not ready"
        return False
    return current == heads


def is_reachable(database: Database) -> bool:
    """Whether the database answers a trivial query."""
    try:
        with _reader(database).connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def _reader(database: Database) -> Engine:
    """The engine for a read that never waits for SQLite's write lock."""
    return database.engine.execution_options(dialoogkit_read_only=True)
