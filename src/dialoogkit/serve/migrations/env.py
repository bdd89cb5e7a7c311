"""Alembic's environment for the serve database.

In: the connection that ``dialoogkit.serve.database.upgrade_to_head`` opened (in
``config.attributes["connection"]``, already inside a transaction and, on PostgreSQL, holding the
migration lock), or else the URL in ``sqlalchemy.url`` (the ``alembic`` command, for developers).
Out: the database migrated to the requested revision. No logging set-up: the server logs.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from dialoogkit.serve.models import Base

config = context.config


def run_migrations(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.begin() as connection:
            run_migrations(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=Base.metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_online()
