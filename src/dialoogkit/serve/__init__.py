"""TEAM SERVER (a face on the studio): ``dialoogkit serve``, the studio for a whole organisation.

In: a database URL (SQLite by default, PostgreSQL for several server processes), a data folder, and
the requests of signed-in people.
Out: the studio's own routes, per team, behind a sign-in (``server``, ``gate``, ``signin``,
``roles``, ``team_pages``, ``people``, ``logs``), on the data layer: ``models`` (the tables),
``database`` (open, migrate, check), ``accounts`` (people, teams, roles, sign-in, web sessions,
audit log), ``store`` (decks, results and logos as versions in the database, mirrored as plain
files in each team's folder: the application layer's ``Storage``), ``history`` (list, compare,
restore), ``transfer`` (import and export of a team's folder), and the build queue (``queue``,
``workers``: builds in worker processes, queued in the database).
"""
