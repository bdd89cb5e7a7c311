"""Alembic migrations of the serve database (package data: ``env.py`` and ``versions/``)."""
