"""Moving a team's work out of the server: an exported deck built with ``dialoogkit build`` on a
laptop gives the same PDFs as the server's build queue made from the stored deck."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner

from dialoogkit.cli import main

DECK = """\
# Regio Noord, made in the team's studio
extends: standaard
id: noord
title: Samen wonen in Noord
region: Regio Noord
select: [actieve-bewoners, 6, 9]
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_exported_deck_builds_the_same_pdfs_as_the_server(tmp_path):
    from dialoogkit.output.options import BuildOptions
    from dialoogkit.serve.accounts import create_user, find_team
    from dialoogkit.serve.database import open_database, upgrade_to_head
    from dialoogkit.serve.models import utc_now
    from dialoogkit.serve.queue import claim_next, enqueue_build, job_status
    from dialoogkit.serve.store import DatabaseStorage, team_folder
    from dialoogkit.serve.transfer import export_folder
    from dialoogkit.serve.workers import run_job

    url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    upgrade_to_head(url)
    db = open_database(url)
    create_user(db, "maker@noord.nl", "Noord", "maker", "een-lang-wachtwoord")
    team = find_team(db, "Noord")
    data = tmp_path / "data"
    storage = DatabaseStorage(db, team.id, team_folder(data, team.id))
    storage.replace(storage.root / "noord" / "deck.yaml", DECK.encode(), read=None, author="maker@noord.nl")
    options = BuildOptions(parts=("cards", "canvases"), card_format="a6-office")
    job = enqueue_build(db, team.id, "noord/deck.yaml", "noord", options, "maker@noord.nl", utc_now())
    assert claim_next(db, "test-worker", utc_now()).id == job
    assert run_job(db, job, data) == "done"
    served = job_status(db, team.id, job, data)

    exported = tmp_path / "laptop"
    export_folder(db, team.id, exported)
    assert (exported / "noord" / "deck.yaml").read_bytes() == DECK.encode()  # byte-identical
    for part in ("cards", "canvases"):  # one part a run: the other parts stay
        result = CliRunner().invoke(main, ["build", str(exported / "noord" / "deck.yaml"), "--only", part,
                                           "--format", "a6-office", "-q", "-o", str(tmp_path / "out")])
        assert result.exit_code == 0, result.output
    built = tmp_path / "out" / "noord"
    names = ("cards-sheets.pdf", "cards-printshop.pdf", "canvases.pdf")
    assert {name: digest(Path(served.kit) / name) for name in names} == {name: digest(built / name) for name in names}
    db.dispose()
