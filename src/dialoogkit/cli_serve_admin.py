"""``dialoogkit serve admin``: the commands IT uses to set up and move a team server's data.

In: the command line (``create-user EMAIL --team TEAM --role beheerder|maker|lezer
[--password-stdin]``, ``reset-password EMAIL [--password-stdin]``, ``import TEAM FOLDER``,
``export TEAM FOLDER``), each with ``--database URL`` (default: SQLite in the data folder) and
``--data DIR`` (default ``./dialoogkit-data``).
Out: the change made through ``dialoogkit.serve`` (each command first brings the database to the
current migration), one line on stdout saying what was done, errors as ``Error: …``. A password
is read from a terminal (hidden, asked twice) or as one line of stdin, never from an option.
The database libraries are imported inside the commands, so ``dialoogkit --help`` starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dialoogkit.cli_support import CONTEXT, shown
from dialoogkit.i18n import say

ROLE_CHOICE = click.Choice(["beheerder", "maker", "lezer"])
DEFAULT_DATA = Path("dialoogkit-data")


def database_options(command):
    """``--database URL`` and ``--data DIR``, shared by every admin command."""
    command = click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
                           default=DEFAULT_DATA, show_default=True, envvar="DIALOOGKIT_DATA", show_envvar=True,
                           help="The server's data folder (the SQLite database by default, the teams' files, "
                                "kits and reports).")(command)
    return click.option("--database", "database_url", default=None, metavar="URL", envvar="DIALOOGKIT_DATABASE",
                        show_envvar=True,
                        help="postgresql://user:password@host/name (default: SQLite in the data folder).")(command)


def open_current(database_url: str | None, data_dir: Path):
    """The database, brought to the current migration first."""
    from dialoogkit.serve.database import default_database_url, open_database, upgrade_to_head

    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    database = open_database(database_url or default_database_url(data_dir))
    upgrade_to_head(database)
    return database


def read_password(from_stdin: bool) -> str | None:
    """One line of stdin (``--password-stdin``), else asked twice hidden on a terminal; None when
    there is neither (the account then signs in through single sign-on only)."""
    if from_stdin:
        return sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    if is_terminal():
        return click.prompt(say("serve.admin.ask_password"), hide_input=True,
                            confirmation_prompt=say("serve.admin.ask_again"))
    return None


def is_terminal() -> bool:
    """Whether stdin is a terminal (a person can be asked for a password)."""
    return sys.stdin.isatty()


@click.group("admin", context_settings=CONTEXT)
def admin() -> None:
    """Set up the team server's people and move a team's files in or out (for IT).

    \b
    Examples:
      dialoogkit serve admin create-user anna@example.nl --team "Wijk Noord" --role beheerder
      echo "$PASSWORD" | dialoogkit serve admin reset-password anna@example.nl --password-stdin
      dialoogkit serve admin import "Wijk Noord" ./decks
      dialoogkit serve admin export "Wijk Noord" ./backup-decks
    """


@admin.command("create-user")
@click.argument("email")
@click.option("--team", required=True, help="The team's name (made when it does not exist yet).")
@click.option("--role", type=ROLE_CHOICE, required=True,
              help="beheerder: manages people and teams; maker: edits, builds, reports; lezer: sees and downloads.")
@click.option("--password-stdin", is_flag=True, help="Read the password as one line from stdin.")
@database_options
def create_user_command(email: str, team: str, role: str, password_stdin: bool, database_url: str | None,
                        data_dir: Path) -> None:
    """Make an account EMAIL with ROLE in TEAM (or give an existing account that role there)."""
    from dialoogkit.serve.accounts import create_user

    password = read_password(password_stdin)
    database = open_current(database_url, data_dir)
    try:
        account = create_user(database, email, team, role, password)
    finally:
        database.dispose()
    click.echo(say("serve.admin.created", email=shown(account.email), team=shown(team.strip()), role=role))
    if account.password_hash is None:
        click.echo(say("serve.admin.no_password"))


@admin.command("reset-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password as one line from stdin.")
@database_options
def reset_password_command(email: str, password_stdin: bool, database_url: str | None, data_dir: Path) -> None:
    """Give the account EMAIL a new password (and lift a lock after wrong passwords)."""
    from dialoogkit.serve.accounts import reset_password
    from dialoogkit.serve.problems import AccountProblem

    password = read_password(password_stdin)
    if password is None:
        raise AccountProblem(say("serve.admin.need_password"))
    database = open_current(database_url, data_dir)
    try:
        reset_password(database, email, password)
    finally:
        database.dispose()
    click.echo(say("serve.admin.password_reset", email=shown(email.strip().lower())))


@admin.command("import")
@click.argument("team")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@database_options
def import_command(team: str, folder: Path, database_url: str | None, data_dir: Path) -> None:
    """Store the decks, results files and logos under FOLDER in TEAM, as new versions."""
    from dialoogkit.serve.store import DatabaseStorage, team_folder
    from dialoogkit.serve.transfer import import_folder

    database = open_current(database_url, data_dir)
    try:
        found = _team(database, team)
        storage = DatabaseStorage(database, found.id, team_folder(data_dir, found.id))
        stored = import_folder(database, storage, folder, author="", actor="admin")
    finally:
        database.dispose()
    click.echo(say("serve.admin.imported", count=len(stored), team=shown(found.name), folder=shown(folder)))


@admin.command("export")
@click.argument("team")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@database_options
def export_command(team: str, folder: Path, database_url: str | None, data_dir: Path) -> None:
    """Write the current version of every file of TEAM into FOLDER, as the same files."""
    from dialoogkit.serve.transfer import export_folder

    database = open_current(database_url, data_dir)
    try:
        found = _team(database, team)
        written = export_folder(database, found.id, folder)
    finally:
        database.dispose()
    click.echo(say("serve.admin.exported", count=len(written), team=shown(found.name), folder=shown(folder)))


def _team(database, name: str):
    from dialoogkit.serve.accounts import find_team
    from dialoogkit.serve.problems import unknown_team

    team = find_team(database, name)
    if team is None:
        raise unknown_team(name)
    return team
