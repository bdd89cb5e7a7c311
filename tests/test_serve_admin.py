"""``dialoogkit serve admin`` through the real command line, on SQLite and on a throw-away
PostgreSQL: accounts made with a password from stdin (kept as an Argon2 hash), the database
migrated first, a password asked twice on a terminal, import and export of a team's folder, and
plain errors in Dutch and English."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from pg import database_url, postgresql_server  # noqa: F401  (fixtures)
from sqlalchemy import select

from dialoogkit import cli_serve_admin
from dialoogkit.cli import main
from dialoogkit.serve import accounts
from dialoogkit.serve.database import is_current, open_database
from dialoogkit.serve.models import Account
from dialoogkit.serve.problems import SignInRefused

DECKS = Path(__file__).resolve().parents[1] / "src" / "dialoogkit" / "cards" / "data" / "decks"
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


def admin(*args: str, url: str, data: Path, stdin: str | None = None):
    result = CliRunner().invoke(main, ["serve", "admin", *args, "--database", url, "--data", str(data)], input=stdin)
    return result


def test_create_user_with_a_password_from_stdin(database_url, tmp_path):
    result = admin("create-user", "Anna@Example.NL", "--team", "Wijk Noord", "--role", "beheerder",
                   "--password-stdin", url=database_url, data=tmp_path, stdin="een lang wachtwoord\n")
    assert result.exit_code == 0, result.output
    assert "anna@example.nl is beheerder in team 'Wijk Noord'." in result.output
    db = open_database(database_url)
    assert is_current(db)  # the command migrated the new database first
    with db.session() as session:
        stored = session.scalar(select(Account))
        assert stored.email == "anna@example.nl" and stored.password_hash.startswith("$argon2id$")
        assert "een lang wachtwoord" not in stored.password_hash
    account = accounts.verify_sign_in(db, "anna@example.nl", "een lang wachtwoord", NOW)
    assert [(team.name, role) for team, role in accounts.teams_of(db, account.id)] == [("Wijk Noord", "beheerder")]
    assert accounts.audit_entries(db, accounts.find_team(db, "Wijk Noord").id)[-1].actor == "admin"

    result = admin("reset-password", "anna@example.nl", "--password-stdin", url=database_url, data=tmp_path,
                   stdin="een nieuw wachtwoord\n")
    assert result.exit_code == 0, result.output
    with pytest.raises(SignInRefused):
        accounts.verify_sign_in(db, "anna@example.nl", "een lang wachtwoord", NOW)
    assert accounts.verify_sign_in(db, "anna@example.nl", "een nieuw wachtwoord", NOW)
    db.dispose()


def test_a_terminal_is_asked_twice_without_echo(tmp_path, monkeypatch):
    monkeypatch.setattr(cli_serve_admin, "is_terminal", lambda: True)
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = admin("create-user", "bob@example.nl", "--team", "T", "--role", "maker", url=url, data=tmp_path,
                   stdin="geheim-geheim\ngeheim-geheim\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Password") == 2 and "geheim" not in result.output
    assert accounts.verify_sign_in(open_database(url), "bob@example.nl", "geheim-geheim", NOW)


def test_without_a_terminal_or_stdin_the_account_is_for_single_sign_on(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = admin("create-user", "carla@example.nl", "--team", "T", "--role", "lezer", url=url, data=tmp_path)
    assert result.exit_code == 0 and "no password" in result.output
    db = open_database(url)
    assert accounts.account_for_remote_user(db, "carla@example.nl").password_hash is None
    result = admin("reset-password", "carla@example.nl", url=url, data=tmp_path)
    assert result.exit_code == 2 and "password is needed" in result.output


def test_the_default_database_is_sqlite_in_the_data_folder(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dialoogkit", "serve", "admin", "create-user", "d@example.nl",
                             "--team", "T", "--role", "maker", "--password-stdin"], input="lang genoeg\n",
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "dialoogkit-data" / "dialoogkit.sqlite3").is_file()


@pytest.mark.parametrize(("args", "english", "dutch"), [
    (["create-user", "niet-een-adres", "--team", "T", "--role", "maker"], "is not an e-mail address",
     "is geen e-mailadres"),
    (["create-user", "a@example.nl", "--team", "T", "--role", "maker", "--password-stdin"], "too short", "te kort"),
    (["reset-password", "nobody@example.nl", "--password-stdin"], "there is no account", "er is geen account"),
    (["import", "Geen Team", "."], "there is no team 'Geen Team'", "er is geen team 'Geen Team'"),
])
def test_plain_errors_in_both_languages(tmp_path, args, english, dutch):
    for language, words in (("en", english), ("nl", dutch)):
        result = subprocess.run([sys.executable, "-m", "dialoogkit", "--lang", language, "serve", "admin", *args,
                                 "--data", str(tmp_path / "data")], input="kort\n" if "too short" in english else "lang genoeg\n", capture_output=True, text=True,
                                cwd=tmp_path, timeout=120, env={**os.environ, "DIALOOGKIT_LANG": language})
        assert result.returncode == 2, result.stderr
        assert words in result.stderr and "Traceback" not in result.stderr
        assert result.stderr.startswith("Error: " if language == "en" else "Fout: ")


def test_import_and_export_through_the_command_line(database_url, tmp_path):
    source = tmp_path / "decks"
    (source / "regio").mkdir(parents=True)
    for deck in DECKS.glob("*.yaml"):
        (source / deck.name).write_bytes(deck.read_bytes())
    (source / "regio" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    data = tmp_path / "data"
    assert admin("create-user", "anna@example.nl", "--team", "Wijk Noord", "--role", "maker", url=database_url,
                 data=data).exit_code == 0
    result = admin("import", "Wijk Noord", str(source), url=database_url, data=data)
    assert result.exit_code == 0, result.output
    assert "3 file(s)" in result.output
    result = admin("export", "Wijk Noord", str(tmp_path / "out"), url=database_url, data=data)
    assert result.exit_code == 0, result.output
    for path in source.rglob("*"):
        if path.is_file():
            assert (tmp_path / "out" / path.relative_to(source)).read_bytes() == path.read_bytes()
    team = accounts.find_team(open_database(database_url), "Wijk Noord")
    assert (data / "teams" / team.id / "work" / "regio" / "logo.png").is_file()
