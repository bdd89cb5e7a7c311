"""The data layer of ``dialoogkit serve`` on SQLite and on a throw-away PostgreSQL: migrations,
accounts and sign-in, web sessions, files kept as versions in the database (conflicts, sync
between server processes), history (compare, restore), import and export."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pg import database_url, postgresql_server  # noqa: F401  (fixtures)
from sqlalchemy import select

from dialoogkit.app.storage import StoreConflict
from dialoogkit.serve import accounts, history, transfer
from dialoogkit.serve.database import default_database_url, is_current, is_reachable, open_database, upgrade_to_head
from dialoogkit.serve.models import Account, AuditEntry, Base, FileVersion
from dialoogkit.serve.problems import AccountProblem, PathRefused, SignInRefused
from dialoogkit.serve.store import DatabaseStorage, team_folder

DECKS = Path(__file__).resolve().parents[1] / "src" / "dialoogkit" / "cards" / "data" / "decks"
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)
DECK = b"deck:\n  id: samen\n  title: Samen wonen\nlessons:\n  - id: a\n    statement: Eerst\n"


@pytest.fixture()
def db(database_url):
    database = open_database(database_url)
    upgrade_to_head(database)
    yield database
    database.dispose()


@pytest.fixture()
def team(db):
    account = accounts.create_user(db, "maker@example.nl", "Wijk Noord", "maker", "geheim-wachtwoord")
    return accounts.teams_of(db, account.id)[0][0]


def test_the_migrations_make_the_tables_of_the_models(database_url):
    database = open_database(database_url)
    assert is_reachable(database) and not is_current(database)
    upgrade_to_head(database_url)
    upgrade_to_head(database)  # a second time: nothing to do
    assert is_current(database)
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with database.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    database.dispose()


def test_an_unreachable_database_is_not_ready():
    database = open_database("postgresql://nobody@127.0.0.1:1/none")
    assert database.engine.dialect.driver == "psycopg"
    assert not is_reachable(database) and not is_current(database)


def test_the_default_database_lives_in_the_data_folder(tmp_path):
    url = default_database_url(tmp_path / "data")
    assert url == f"sqlite:///{tmp_path / 'data' / 'dialoogkit.sqlite3'}"
    upgrade_to_head(url)
    assert (tmp_path / "data" / "dialoogkit.sqlite3").is_file()


def test_passwords_are_kept_as_argon2_hashes(db):
    account = accounts.create_user(db, "  Anna@Example.NL ", "Team A", "beheerder", "correct paard batterij")
    assert account.email == "anna@example.nl"
    with db.session() as session:
        stored = session.scalar(select(Account).where(Account.email == "anna@example.nl"))
        assert stored.password_hash.startswith("$argon2id$")
        assert "correct paard" not in stored.password_hash
    assert accounts.verify_sign_in(db, "ANNA@example.nl", "correct paard batterij", NOW).id == account.id
    with pytest.raises(SignInRefused) as refused:
        accounts.verify_sign_in(db, "nobody@example.nl", "correct paard batterij", NOW)
    assert refused.value.reason == "unknown"


def test_bad_addresses_roles_and_passwords_are_refused(db):
    for email, role, password in [("anna", "maker", None), ("anna@example.nl", "baas", None),
                                  ("anna@example.nl", "maker", "kort")]:
        with pytest.raises(AccountProblem):
            accounts.create_user(db, email, "Team A", role, password)
    assert accounts.find_team(db, "Team A") is None


def test_an_existing_account_gets_another_team_and_role(db, team):
    accounts.create_user(db, "maker@example.nl", "Team B", "lezer", None)
    accounts.create_user(db, "maker@example.nl", "Wijk Noord", "beheerder", None)
    account = accounts.account_for_remote_user(db, "Maker@example.nl")
    assert [(t.name, role) for t, role in accounts.teams_of(db, account.id)] == [("Team B", "lezer"),
                                                                                 ("Wijk Noord", "beheerder")]
    assert accounts.account_for_remote_user(db, "other@example.nl") is None
    assert [a.email for a, _ in accounts.members_of(db, team.id)] == ["maker@example.nl"]
    actions = [entry.action for entry in accounts.audit_entries(db, team.id)]
    assert {"create-team", "create-user", "add-member", "set-role"} <= set(actions)


def test_five_wrong_passwords_lock_the_account_for_15_minutes(db, team):
    for attempt in range(4):
        with pytest.raises(SignInRefused) as refused:
            accounts.verify_sign_in(db, "maker@example.nl", "fout", NOW + timedelta(seconds=attempt))
        assert refused.value.reason == "wrong"
    with pytest.raises(SignInRefused) as refused:
        accounts.verify_sign_in(db, "maker@example.nl", "fout", NOW + timedelta(seconds=5))
    assert refused.value.reason == "locked"
    with pytest.raises(SignInRefused) as refused:  # the right password does not open a locked account
        accounts.verify_sign_in(db, "maker@example.nl", "geheim-wachtwoord", NOW + timedelta(minutes=14))
    assert refused.value.reason == "locked"
    assert accounts.verify_sign_in(db, "maker@example.nl", "geheim-wachtwoord", NOW + timedelta(minutes=16))
    accounts.reset_password(db, "maker@example.nl", "nieuw-wachtwoord")
    assert accounts.verify_sign_in(db, "maker@example.nl", "nieuw-wachtwoord", NOW + timedelta(minutes=17))


def test_sessions_expire_and_switch_only_to_own_teams(db, team):
    account = accounts.account_for_remote_user(db, "maker@example.nl")
    token = accounts.start_session(db, account.id, team.id, NOW, lifetime=timedelta(hours=1))
    info = accounts.session_for(db, token, NOW + timedelta(minutes=30))
    assert (info.email, info.team_name, info.role) == ("maker@example.nl", "Wijk Noord", "maker")
    with db.session() as session:
        assert all(token not in row for row in session.execute(select(AuditEntry.subject)).scalars())
    other = accounts.create_user(db, "other@example.nl", "Team Zuid", "beheerder", None)
    zuid = accounts.teams_of(db, other.id)[0][0]
    assert not accounts.switch_team(db, token, zuid.id)
    assert accounts.session_for(db, token, NOW + timedelta(minutes=31)).team_id == team.id
    with pytest.raises(AccountProblem):
        accounts.start_session(db, account.id, zuid.id, NOW)
    accounts.create_user(db, "maker@example.nl", "Team Zuid", "lezer", None)
    assert accounts.switch_team(db, token, zuid.id)
    assert accounts.session_for(db, token, NOW + timedelta(minutes=32)).role == "lezer"
    assert accounts.session_for(db, token, NOW + timedelta(hours=1)) is None
    assert accounts.session_for(db, token, NOW) is None  # deleted when found expired
    second = accounts.start_session(db, account.id, team.id, NOW)
    accounts.end_session(db, second)
    assert accounts.session_for(db, second, NOW) is None
    assert accounts.session_for(db, "not-a-token", NOW) is None


def test_a_save_is_a_version_with_author_and_time(db, team, tmp_path):
    storage = DatabaseStorage(db, team.id, team_folder(tmp_path / "data", team.id))
    assert oct(storage.root.stat().st_mode & 0o777) == "0o700"
    deck = storage.root / "samen-wonen" / "deck.yaml"
    assert storage.replace(deck, DECK, read=None, author="anna@example.nl")
    assert deck.read_bytes() == DECK
    second = DECK.replace(b"Eerst", b"Daarna")
    assert not storage.replace(deck, DECK, read=DECK, author="bob@example.nl")  # nothing changed
    assert storage.replace(Path("samen-wonen/deck.yaml"), second, read=DECK, author="bob@example.nl")
    versions = storage.versions(deck)
    assert [(v.number, v.author, v.data) for v in versions] == [(1, "anna@example.nl", DECK),
                                                               (2, "bob@example.nl", second)]
    assert datetime.fromisoformat(versions[0].saved_at).tzinfo is not None
    with pytest.raises(StoreConflict):
        storage.replace(deck, b"stale", read=DECK, author="carla@example.nl")
    with pytest.raises(StoreConflict):
        storage.replace(deck, b"new", read=None)
    assert deck.read_bytes() == second
    saves = [e for e in accounts.audit_entries(db, team.id) if e.action == "save"]
    assert [(e.actor, e.subject) for e in saves] == [("bob@example.nl", "samen-wonen/deck.yaml"),
                                                     ("anna@example.nl", "samen-wonen/deck.yaml")]


def test_paths_outside_the_team_folder_are_refused(db, team, tmp_path):
    storage = DatabaseStorage(db, team.id, team_folder(tmp_path / "data", team.id))
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (storage.root / "link").symlink_to(outside, target_is_directory=True)
    for path in [storage.root / ".." / "x.yaml", Path("../x.yaml"), tmp_path / "x.yaml", storage.root / "link" / "x.yaml",
                 Path("/etc/passwd"), storage.root]:
        with pytest.raises(PathRefused):
            storage.replace(path, b"x: 1\n", read=None)
    assert not list(outside.iterdir()) and not (tmp_path / "x.yaml").exists()
    with pytest.raises(PathRefused):
        team_folder(tmp_path / "data", "../../etc")


def test_two_writers_of_the_same_version_one_wins_nothing_lost(db, team, tmp_path):
    first = DatabaseStorage(db, team.id, team_folder(tmp_path / "a", team.id))
    other = open_database(db.url)  # another server process: its own engine and connections
    second = DatabaseStorage(other, team.id, team_folder(tmp_path / "b", team.id))
    first.replace(first.root / "deck.yaml", DECK, read=None, author="anna@example.nl")
    for round_number in range(5):
        read = first.current_bytes("deck.yaml")
        barrier, outcome = threading.Barrier(2), {}

        def save(storage: DatabaseStorage, who: str, barrier=barrier, outcome=outcome, read=read,
                 round_number=round_number) -> None:
            barrier.wait()
            try:
                outcome[who] = storage.replace(storage.root / "deck.yaml", read + f"# {who} {round_number}\n".encode(),
                                               read=read, author=f"{who}@example.nl")
            except StoreConflict:
                outcome[who] = "conflict"

        threads = [threading.Thread(target=save, args=(s, w)) for s, w in ((first, "anna"), (second, "bob"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(map(str, outcome.values())) == ["True", "conflict"], outcome
    # many writers that retry on conflict: every line they added is in the final version
    lines_wanted = []

    def append(storage: DatabaseStorage, who: str) -> None:
        for count in range(4):
            line = f"# {who}-{count}\n".encode()
            lines_wanted.append(line)
            while True:
                read = storage.current_bytes("deck.yaml")
                try:
                    storage.replace(storage.root / "deck.yaml", read + line, read=read, author=who)
                    break
                except StoreConflict:
                    continue

    threads = [threading.Thread(target=append, args=(s, f"w{i}")) for i, s in enumerate([first, second] * 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = first.current_bytes("deck.yaml")
    assert all(line in final for line in lines_wanted)
    assert len(first.versions("deck.yaml")) == 1 + 5 + 16
    other.dispose()


def test_two_processes_migrate_at_once(database_url):
    databases = [open_database(database_url) for _ in range(3)]
    errors = []

    def migrate(database) -> None:
        try:
            upgrade_to_head(database)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=migrate, args=(d,)) for d in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and all(is_current(d) for d in databases)
    for database in databases:
        database.dispose()


def test_two_writers_of_a_new_file_one_wins(db, team, tmp_path):
    other = open_database(db.url)
    stores = [DatabaseStorage(db, team.id, team_folder(tmp_path / "a", team.id)),
              DatabaseStorage(other, team.id, team_folder(tmp_path / "b", team.id))]
    barrier, outcome = threading.Barrier(2), []

    def save(storage: DatabaseStorage, who: str) -> None:
        barrier.wait()
        try:
            outcome.append(storage.replace(storage.root / "new.yaml", who.encode(), read=None, author=who))
        except StoreConflict:
            outcome.append("conflict")

    threads = [threading.Thread(target=save, args=(s, f"w{i}")) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, outcome)) == ["True", "conflict"]
    assert len(stores[0].versions("new.yaml")) == 1
    other.dispose()


def test_sync_brings_another_process_s_saves_to_its_folder(db, team, tmp_path):
    first = DatabaseStorage(db, team.id, team_folder(tmp_path / "a", team.id))
    second = DatabaseStorage(open_database(db.url), team.id, team_folder(tmp_path / "b", team.id))
    assert second.sync() == 0
    first.replace(first.root / "samen" / "deck.yaml", DECK, read=None, author="anna@example.nl")
    first.replace(first.root / "samen" / "logo.png", b"\x89PNG\r\n\x1a\nlogo", read=None, author="anna@example.nl")
    assert second.sync() == 2
    assert (second.root / "samen" / "deck.yaml").read_bytes() == DECK
    assert second.sync() == 0  # nothing new: nothing read
    (second.root / "samen" / "deck.yaml").write_bytes(b"changed behind our back")
    assert second.sync() == 0  # cheap: the revision did not change
    first.replace(first.root / "samen" / "deck.yaml", DECK + b"# twee\n", read=DECK, author="anna@example.nl")
    assert second.sync() == 1
    assert (second.root / "samen" / "deck.yaml").read_bytes() == DECK + b"# twee\n"
    second.database.dispose()


def test_history_compares_field_by_field_and_restores_as_a_new_version(db, team, tmp_path):
    storage = DatabaseStorage(db, team.id, team_folder(tmp_path / "data", team.id))
    deck = storage.root / "deck.yaml"
    old = (DECKS / "standaard.yaml").read_bytes()
    new = old.replace(b"lessons:", b"lessons:", 1)
    import yaml

    content = yaml.safe_load(old)
    content["lessons"][3]["statement"] = "Een nieuwe stelling"
    content["region"] = "Noord"
    new = yaml.safe_dump(content, allow_unicode=True, sort_keys=False).encode()
    storage.replace(deck, old, read=None, author="anna@example.nl")
    storage.replace(deck, new, read=old, author="bob@example.nl")
    changes = history.compare(old, new)
    places = {change.place: change for change in changes}
    assert places["lessons[3].statement"].new == "Een nieuwe stelling"
    assert places["lessons[3].statement"].old == yaml.safe_load(old)["lessons"][3]["statement"]
    assert places["region"].old is None and places["region"].new == "Noord"
    assert len(changes) == 2
    assert history.compare(b"\x89PNG one", b"\x89PNG\xff two")[0].place == ""
    assert history.compare(old, old) == []
    assert history.restore(db, storage, "deck.yaml", 1, "carla@example.nl") == 3
    listed = history.list_versions(db, team.id, "deck.yaml")
    assert [(v.number, v.author, v.current) for v in listed] == [(1, "anna@example.nl", False),
                                                                (2, "bob@example.nl", False),
                                                                (3, "carla@example.nl", True)]
    assert deck.read_bytes() == old and history.version_bytes(db, team.id, "deck.yaml", 3) == old
    assert accounts.audit_entries(db, team.id)[0].action == "restore"
    with pytest.raises(AccountProblem):
        history.restore(db, storage, "deck.yaml", 9, "carla@example.nl")


def test_import_and_export_round_trip_byte_identical(db, team, tmp_path):
    source = tmp_path / "source"
    (source / "samen-wonen").mkdir(parents=True)
    for deck in DECKS.glob("*.yaml"):
        (source / deck.name).write_bytes(deck.read_bytes())
    (source / "samen-wonen" / "deck.yml").write_bytes(DECK + b"logo: logo.png\n")
    (source / "samen-wonen" / "logo.png").write_bytes(bytes(range(256)) * 40)
    (source / "samen-wonen" / "Foto.JPG").write_bytes(b"\xff\xd8\xff\xe0jpeg")
    skipped = [source / ".hidden.yaml", source / "deck.yaml.bak", source / "output" / "kit.yaml",
               source / ".git" / "x.yaml", source / "notes.txt"]
    for path in skipped:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"x: 1\n")
    (source / "linked.yaml").symlink_to(source / "standaard.yaml")
    storage = DatabaseStorage(db, team.id, team_folder(tmp_path / "data", team.id))
    stored = transfer.import_folder(db, storage, source, author="")
    wanted = sorted([d.name for d in DECKS.glob("*.yaml")] + ["samen-wonen/Foto.JPG", "samen-wonen/deck.yml",
                                                             "samen-wonen/logo.png"])
    assert stored == wanted
    assert transfer.import_folder(db, storage, source) == []  # unchanged: no new versions
    assert storage.versions("samen-wonen/logo.png")[0].author == ""
    exported = tmp_path / "exported"
    assert transfer.export_folder(db, team.id, exported) == sorted(wanted)
    for relative in wanted:
        assert (exported / relative).read_bytes() == (source / relative).read_bytes(), relative
    assert sorted(p.relative_to(exported).as_posix() for p in exported.rglob("*") if p.is_file()) == wanted
    with db.session() as session:
        assert session.query(FileVersion).count() == len(wanted)


def test_people_added_to_one_new_team_at_once_all_land_in_one_team(database_url):  # noqa: F811
    import threading

    from sqlalchemy import func, select

    from dialoogkit.serve.accounts import create_user, members_of
    from dialoogkit.serve.database import open_database, upgrade_to_head
    from dialoogkit.serve.models import Team

    upgrade_to_head(database_url)
    db = open_database(database_url)
    start = threading.Barrier(6)
    failures: list[BaseException] = []

    def add(number: int) -> None:
        start.wait()
        try:
            create_user(db, f"maker{number}@noord.nl", "Nieuw team", "maker", None)
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            failures.append(exc)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    with db.session(read_only=True) as session:
        teams = session.scalars(select(Team).where(Team.name == "Nieuw team")).all()
        assert len(teams) == 1 and session.scalar(select(func.count()).select_from(Team)) == 1
    assert len(members_of(db, teams[0].id)) == 6
    db.dispose()
