"""The build queue of ``dialoogkit serve`` (``serve.queue``, ``serve.workers``).

In: a migrated database (SQLite here; PostgreSQL as well when ``tests/pg.py`` offers its
``database_url`` fixture), a data folder with small decks in each team's ``work/`` folder.
Out: checks that a burst of builds runs one at a time in a pool of one process and gives real
PDFs, that a double click queues one build, that a build left running by a dead worker is built
by the next pool, that another team's job is not found, that a deck cannot reach another team's
files, and that ``BuildOptions`` survive their JSON form for every choice of the registry.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from dialoogkit.app.choices import CHOICES
from dialoogkit.cards.paths import Gate
from dialoogkit.output.options import BuildOptions
from kitdecks import deck_data, write_deck

try:  # the data layer's fixture: SQLite and a throw-away PostgreSQL
    from pg import database_url, postgresql_server  # noqa: F401
except ImportError:
    @pytest.fixture
    def database_url(tmp_path) -> str:
        return f"sqlite:///{tmp_path}/db.sqlite3"

T1, T2 = "a1" * 16, "b2" * 16  # team ids as the server makes them
CARDS = BuildOptions(parts=("cards",), output=Path("elsewhere"))
SLOW = BuildOptions(parts=("cards", "png"), dpi=150)  # a build of a few seconds, to stop in the middle
WAIT = 120.0


@pytest.fixture
def db(database_url):
    from dialoogkit.serve.database import open_database, upgrade_to_head

    upgrade_to_head(database_url)
    database = open_database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def data(tmp_path, db) -> Path:
    """A data folder with teams ``T1`` and ``T2``, each with ``decks/kit.yaml`` (two lessons)."""
    from dialoogkit.serve.models import Team

    folder = tmp_path / "data"
    with db.session() as session:
        for team in (T1, T2):
            session.add(Team(id=team, name=f"Team {team}"))
            (folder / "teams" / team / "work" / "decks").mkdir(parents=True)
            write_deck(folder / "teams" / team / "work" / "decks" / "kit.yaml", deck_data(2))
    return folder


def now() -> datetime:
    return datetime.now(timezone.utc)


def wait_for(check, timeout: float = WAIT):
    """``check()``'s first true answer, asked every 0.1 s; fails after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        answer = check()
        if answer:
            return answer
        time.sleep(0.1)
    pytest.fail(f"still waiting after {timeout:.0f} s")


def jobs_finished(db, team: str, ids: list[str], data: Path):
    from dialoogkit.serve.queue import job_status

    views = [job_status(db, team, job_id, data) for job_id in ids]
    return views if all(view.finished for view in views) else None


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# --- options ----------------------------------------------------------------------------------

def choice_values(item) -> list:
    """Values of one registry choice as ``BuildOptions`` holds them: every pick, the ends and the
    default of each range, offsets to both sides, start times."""
    from dialoogkit.app.choices import read_choice

    if item.kind == "pick":
        return list(item.values) + [item.default]
    if item.kind == "number":
        values = [item.low, item.high, item.default, (item.low + item.high) / 3]
        return [int(v) for v in values] if item.whole else values
    if item.kind == "offset":
        return [read_choice(item, text) for text in ("0,0", f"{item.high:g},-{item.high:g}", "-1.25,0.3")]
    if item.kind == "time":
        return ["09:00", "23:59", item.default]
    return [True, False]


def test_options_survive_json_for_every_choice():
    from dialoogkit.serve.queue import options_from_json, options_to_json, read_language

    checked = 0
    for item in CHOICES:
        for value in choice_values(item):
            options = BuildOptions(**{item.name: value})
            again = options_from_json(options_to_json(options))
            assert again == options and getattr(again, item.name) == value, (item.name, value)
            assert type(getattr(again, item.name)) is type(getattr(options, item.name)), item.name
            checked += 1
    assert checked > 30
    rich = BuildOptions(parts=("cards", "png"), force=True, preflight_qr=True, output=Path("/tmp/uit map/é"),
                        gate=Gate(allow_parent=True, root=Path("/srv/data/teams/x/work")), card_format="70x120",
                        output_intent="profielen/drukker.icc")
    text = options_to_json(rich, language="nl")
    again = options_from_json(text)
    assert again == rich and again.gate.root == rich.gate.root and again.gate.allow_parent
    assert again.output == rich.output and again.parts == rich.parts
    assert read_language(text) == "nl" and read_language(options_to_json(rich)) is None
    assert options_from_json("{}") == BuildOptions()  # a job queued by an older version still builds


# --- queue ------------------------------------------------------------------------------------

def test_double_click_queues_one_build(db, data):
    from dialoogkit.serve.queue import claim_next, enqueue_build, job_status, latest_for_deck, worker_name
    from dialoogkit.serve.workers import run_job

    first = enqueue_build(db, T1, "decks/kit.yaml", "kit", BuildOptions(parts=("cards",), paper="a3"), "a@x.nl", now())
    assert enqueue_build(db, T1, "decks/kit.yaml", "kit", CARDS, "b@x.nl", now()) == first  # the newer choices
    other_team = enqueue_build(db, T2, "decks/kit.yaml", "kit", CARDS, "c@x.nl", now())
    assert other_team != first
    job = claim_next(db, worker_name(), now())
    assert job is not None and job.id == first and job.state == "running"
    assert enqueue_build(db, T1, "decks/kit.yaml", "kit", CARDS, "a@x.nl", now()) == first  # running: same
    assert run_job(db, first, data) == "done"
    assert job_status(db, T1, first, data).sheet.paper == "A4"
    again = enqueue_build(db, T1, "decks/kit.yaml", "kit", CARDS, "a@x.nl", now())  # finished: a new build
    assert again not in (first, other_team)
    assert latest_for_deck(db, T1, "decks/kit.yaml", data).id == again
    assert job_status(db, T1, first, data).state == "done"


def test_clicks_at_once_queue_one_build(db, data):
    from dialoogkit.serve.queue import enqueue_build

    ids: list[str] = []
    start = threading.Barrier(6)

    def click() -> None:
        start.wait()
        ids.append(enqueue_build(db, T1, "decks/kit.yaml", "kit", CARDS, "a@x.nl", now()))

    threads = [threading.Thread(target=click) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == 6 and len(set(ids)) == 1


def test_another_teams_job_is_not_found(db, data):
    from dialoogkit.serve.queue import QueuedBuilds, job_status, latest_for_deck

    job_id = enqueue_build_t1(db)
    assert job_status(db, T2, job_id) is None
    assert latest_for_deck(db, T2, "decks/kit.yaml") is None
    assert job_status(db, T1, "0" * 32) is None
    assert job_status(db, T1, job_id).state == "queued"
    assert QueuedBuilds(db, T2, data, "b@x.nl").get("decks/kit.yaml") is None


def enqueue_build_t1(db) -> str:
    from dialoogkit.serve.queue import enqueue_build

    return enqueue_build(db, T1, "decks/kit.yaml", "kit", CARDS, "a@x.nl", now())


def test_paths_that_leave_the_team_folder_are_refused(db, data):
    from dialoogkit.serve.queue import enqueue_build

    for path in ("/etc/passwd", f"../{T2}/work/decks/kit.yaml", "decks/../../x.yaml", "", ".", "C:/x.yaml"):
        with pytest.raises(ValueError):
            enqueue_build(db, T1, path, "kit", CARDS, "a@x.nl", now())


def test_a_deck_cannot_reach_another_teams_files(db, data):
    from dialoogkit.serve.queue import claim_next, enqueue_build, job_status, worker_name
    from dialoogkit.serve.workers import run_job

    (data / "teams" / T1 / "work" / "decks" / "sneaky.yaml").write_text(
        f"extends: ../../../{T2}/work/decks/kit.yaml\nid: sneaky\n", encoding="utf-8")
    opened = BuildOptions(parts=("cards",), gate=Gate(allow_parent=True))  # even with ../ allowed
    job_id = enqueue_build(db, T1, "decks/sneaky.yaml", "sneaky", opened, "a@x.nl", now())
    assert claim_next(db, worker_name(), now()).id == job_id
    assert run_job(db, job_id, data) == "failed"
    view = job_status(db, T1, job_id, data)
    assert view.finished and view.error and view.kit is None
    assert str(data) not in view.error  # the server's folders are not shown to a maker
    assert not (data / "teams" / T1 / "kits" / job_id).exists()


@pytest.mark.parametrize("written", ["/etc/shadow", "/proc/self/environ", "../../{T2}/work/drukker.icc", "{abs}"])
def test_a_print_shop_profile_is_read_only_from_the_team_s_own_files(db, data, written):
    """Whatever a queued job says, its printing condition's profile is opened among the team's own
    files: another team's profile or a system file fails the job, naming the path, never reading it."""
    import dialoogkit
    from dialoogkit.serve.queue import claim_next, enqueue_build, job_status, worker_name
    from dialoogkit.serve.workers import run_job

    profile = (Path(dialoogkit.__file__).parent / "data" / "icc" / "FOGRA39-300.icc").read_bytes()
    (data / "teams" / T2 / "work" / "drukker.icc").write_bytes(profile)
    written = written.format(T2=T2, abs=data / "teams" / T2 / "work" / "drukker.icc")
    options = BuildOptions(parts=("cards",), output_intent=written, gate=Gate(allow_parent=True))
    job_id = enqueue_build(db, T1, "decks/kit.yaml", "kit", options, "a@x.nl", now())
    assert claim_next(db, worker_name(), now()).id == job_id
    assert run_job(db, job_id, data) == "failed"
    view = job_status(db, T1, job_id, data)
    assert view.finished and view.kit is None and "--output-intent" in view.error
    assert "werkmap" in view.error or "workspace" in view.error, view.error
    assert not (data / "teams" / T1 / "kits" / job_id).exists()


def test_a_print_shop_profile_among_the_team_s_files_is_embedded(db, data):
    import dialoogkit
    import pikepdf
    from dialoogkit.serve.queue import claim_next, enqueue_build, job_status, worker_name
    from dialoogkit.serve.workers import run_job

    profile = (Path(dialoogkit.__file__).parent / "data" / "icc" / "FOGRA39-300.icc").read_bytes()
    (data / "teams" / T1 / "work" / "drukker.icc").write_bytes(profile)
    options = BuildOptions(parts=("cards",), output_intent="drukker.icc")
    job_id = enqueue_build(db, T1, "decks/kit.yaml", "kit", options, "a@x.nl", now())
    assert claim_next(db, worker_name(), now()).id == job_id
    assert run_job(db, job_id, data) == "done", job_status(db, T1, job_id, data).error
    kit = job_status(db, T1, job_id, data).kit
    with pikepdf.open(next(Path(kit).rglob("cards-printshop.pdf"))) as pdf:
        assert pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes() == profile


def test_a_broken_deck_fails_with_its_problems(db, data):
    from dialoogkit.serve.queue import claim_next, enqueue_build, job_status, worker_name
    from dialoogkit.serve.workers import run_job

    broken = deck_data(2)
    broken["lessons"][0]["theme"] = "nowhere"
    write_deck(data / "teams" / T1 / "work" / "decks" / "broken.yaml", broken)
    job_id = enqueue_build(db, T1, "decks/broken.yaml", "kit", CARDS, "a@x.nl", now())
    claim_next(db, worker_name(), now())
    assert run_job(db, job_id, data) == "failed"
    view = job_status(db, T1, job_id, data)
    assert view.state == "failed" and view.percent == 100 and view.problems
    assert view.problems[0].file == "decks/broken.yaml" and "decks/broken.yaml" in view.error
    assert str(data) not in view.error


def test_queued_builds_speak_like_the_studios_builds(db, data):
    from dialoogkit.serve.queue import QueuedBuilds, claim_next, worker_name
    from dialoogkit.serve.workers import run_job

    builds = QueuedBuilds(db, T1, data, "a@x.nl")
    assert builds.get("decks/kit.yaml") is None
    path = data / "teams" / T1 / "work" / "decks" / "kit.yaml"
    view = builds.start("decks/kit.yaml", path, CARDS, "kit")
    assert (view.state, view.finished, view.percent, view.queued_ahead, view.deck_id) == ("queued", False, 0, 0, "kit")
    assert builds.start("decks/kit.yaml", path, CARDS, "kit").id == view.id
    run_job(db, claim_next(db, worker_name(), now()).id, data)
    done = builds.get("decks/kit.yaml")
    assert done.id == view.id and done.finished and not done.error and done.percent == 100
    assert done.kit == data / "teams" / T1 / "kits" / view.id
    assert set(done.files) == {"cards-sheets.pdf", "cards-printshop.pdf"}
    assert done.sheet is not None and done.sheet.per_sheet >= 1 and done.total > 0 and done.done == done.total
    from dialoogkit.studio.printing import kit_files

    assert [name for name, _ in kit_files(done.kit, done.deck_id)] == ["cards-sheets.pdf", "cards-printshop.pdf"]


def test_workers_asking_at_once_never_take_the_same_job(db, data):
    from dialoogkit.serve.queue import claim_next, enqueue_build

    for index in range(12):
        enqueue_build(db, T1, f"decks/d{index}.yaml", "kit", CARDS, "a@x.nl", now())
    taken: list[str] = []
    start = threading.Barrier(4)

    def work(name: str) -> None:
        start.wait()
        while (job := claim_next(db, name, now())) is not None:
            assert job.worker == name and job.state == "running"
            taken.append(job.id)

    threads = [threading.Thread(target=work, args=(f"here:{n}:0",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == 12 and len(set(taken)) == 12


# --- the pool ---------------------------------------------------------------------------------

def test_a_burst_of_builds_runs_one_at_a_time(db, data, database_url):
    from dialoogkit.serve.queue import enqueue_build, job_status
    from dialoogkit.serve.workers import BuildPool

    work = data / "teams" / T1 / "work" / "decks"
    ids = []
    for index in range(4):
        write_deck(work / f"deck-{index}.yaml", {**deck_data(2 + index), "id": f"deck-{index}"})
        ids.append(enqueue_build(db, T1, f"decks/deck-{index}.yaml", f"deck-{index}", CARDS, "a@x.nl", now()))
    assert [job_status(db, T1, job_id).queued_ahead for job_id in ids] == [0, 1, 2, 3]
    with BuildPool(database_url, data, processes=1, poll=0.1):
        views = wait_for(lambda: jobs_finished(db, T1, ids, data))
    assert [view.state for view in views] == ["done"] * 4, [view.error for view in views]
    for earlier, later in itertools.pairwise(views):  # in their order, never two at once
        assert earlier.finished_at <= later.started_at
    for index, view in enumerate(views):
        assert view.deck_id == f"deck-{index}"
        sheets = PdfReader(view.kit / "cards-sheets.pdf")
        shop = PdfReader(view.kit / "cards-printshop.pdf")
        assert len(shop.pages) == 2 * (2 + index)  # front and back of every card
        assert len(sheets.pages) >= 2 and len(sheets.pages) % 2 == 0
    assert not list((data / "teams" / T1 / "kits").glob(".building-*"))


def test_a_restarted_server_builds_what_a_dead_one_left(db, data, database_url):
    from sqlalchemy import update

    from dialoogkit.serve.models import BuildJob
    from dialoogkit.serve.queue import enqueue_build, job_status, requeue_stale, worker_name
    from dialoogkit.serve.workers import BuildPool

    # a worker of this host killed while building: its process is gone
    killed = enqueue_build(db, T1, "decks/kit.yaml", "kit", CARDS, "a@x.nl", now())
    # a worker of another server that died an hour ago
    abandoned = enqueue_build(db, T2, "decks/kit.yaml", "kit", CARDS, "b@x.nl", now())
    # a worker of another server that is building right now: left alone
    busy = enqueue_build(db, T2, "decks/other.yaml", "kit", CARDS, "b@x.nl", now())
    with db.session() as session:
        session.execute(update(BuildJob).where(BuildJob.id == killed).values(
            state="running", started_at=now(), worker=worker_name(pid=dead_pid())))
        session.execute(update(BuildJob).where(BuildJob.id == abandoned).values(
            state="running", started_at=now() - timedelta(hours=2), worker="elsewhere:12:34"))
        session.execute(update(BuildJob).where(BuildJob.id == busy).values(
            state="running", started_at=now(), worker="elsewhere:13:35"))
    assert requeue_stale(db, now(), timedelta(hours=1), host="another-host") == 1  # only the old one, seen from afar
    assert job_status(db, T2, abandoned).state == "queued"
    with BuildPool(database_url, data, processes=1, poll=0.1):
        views = wait_for(lambda: jobs_finished(db, T1, [killed], data))
        views += wait_for(lambda: jobs_finished(db, T2, [abandoned], data))
    assert [view.state for view in views] == ["done", "done"], [view.error for view in views]
    assert all(PdfReader(view.kit / "cards-sheets.pdf").pages for view in views)
    assert job_status(db, T2, busy).state == "running"


def test_a_pool_stopped_while_building_leaves_the_build_to_the_next(db, data, database_url):
    """A worker ended in the middle of a build (the server stopped): the next pool builds it."""
    from dialoogkit.serve.queue import enqueue_build, job_status
    from dialoogkit.serve.workers import BuildPool

    write_deck(data / "teams" / T1 / "work" / "decks" / "big.yaml", {**deck_data(4), "id": "big"})
    job_id = enqueue_build(db, T1, "decks/big.yaml", "big", SLOW, "a@x.nl", now())
    pool = BuildPool(database_url, data, processes=1, poll=0.1)
    pool.start()
    try:
        wait_for(lambda: job_status(db, T1, job_id).state != "queued")
    finally:
        pool.stop(timeout=0)
    left = job_status(db, T1, job_id)
    assert left.state == "running", "the build finished before the pool was stopped: make it slower"
    with BuildPool(database_url, data, processes=1, poll=0.1):
        view = wait_for(lambda: jobs_finished(db, T1, [job_id], data))[0]
    assert view.state == "done", view.error
    assert view.started_at > left.started_at
    assert len(PdfReader(view.kit / "cards-printshop.pdf").pages) == 8
    assert len(list((view.kit / "png").glob("*.png"))) >= 8


def test_a_worker_that_dies_fails_its_build_and_is_replaced(db, data, database_url):
    import signal

    from dialoogkit.serve.queue import enqueue_build, job_status
    from dialoogkit.serve.workers import BuildPool

    write_deck(data / "teams" / T1 / "work" / "decks" / "big.yaml", {**deck_data(4), "id": "big"})
    doomed = enqueue_build(db, T1, "decks/big.yaml", "big", SLOW, "a@x.nl", now())
    with BuildPool(database_url, data, processes=1, poll=0.1) as pool:
        wait_for(lambda: job_status(db, T1, doomed).state != "queued")
        os.kill(pool._workers[0].pid, signal.SIGKILL)
        view = wait_for(lambda: jobs_finished(db, T1, [doomed], data))[0]
        assert view.state == "failed" and view.error
        after = enqueue_build_t1(db)
        assert wait_for(lambda: jobs_finished(db, T1, [after], data))[0].state == "done"


def test_a_pool_of_two_runs_at_most_two_at_once(db, data, database_url):
    from dialoogkit.serve.queue import enqueue_build
    from dialoogkit.serve.workers import BuildPool

    work = data / "teams" / T2 / "work" / "decks"
    ids = []
    for index in range(5):
        write_deck(work / f"deck-{index}.yaml", {**deck_data(3), "id": f"deck-{index}"})
        ids.append(enqueue_build(db, T2, f"decks/deck-{index}.yaml", f"deck-{index}", CARDS, "a@x.nl", now()))
    with BuildPool(database_url, data, processes=2, poll=0.1):
        views = wait_for(lambda: jobs_finished(db, T2, ids, data))
    assert [view.state for view in views] == ["done"] * 5, [view.error for view in views]
    for view in views:
        running_then = [other for other in views if other.started_at <= view.started_at < other.finished_at]
        assert len(running_then) <= 2
    assert len({PdfReader(view.kit / "cards-printshop.pdf").pages[0].mediabox.width for view in views}) == 1


def test_only_the_newest_kits_of_a_deck_are_kept(tmp_path):
    from dialoogkit.serve.database import open_database, upgrade_to_head
    from dialoogkit.serve.models import BuildJob, Team, utc_now
    from dialoogkit.serve.queue import kit_folder
    from dialoogkit.serve.workers import KEPT_KITS, remove_old_kits
    from datetime import timedelta

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade_to_head(url)
    db = open_database(url)
    now = utc_now()
    with db.session() as session:
        team = Team(name="Noord", created_at=now)
        session.add(team)
        session.flush()
        team_id = team.id
        for number in range(5):
            session.add(BuildJob(id=f"{number:032x}", team_id=team_id, deck_path="noord/deck.yaml", deck_id="noord",
                                 options_json="{}", state="done", queued_at=now, finished_at=now + timedelta(minutes=number),
                                 progress_done=0, progress_total=0, label="", author="maker@noord.nl"))
        session.add(BuildJob(id="f" * 32, team_id=team_id, deck_path="zuid/deck.yaml", deck_id="zuid",
                             options_json="{}", state="done", queued_at=now, finished_at=now, progress_done=0,
                             progress_total=0, label="", author="maker@noord.nl"))
    for job in [f"{number:032x}" for number in range(5)] + ["f" * 32]:
        folder = kit_folder(tmp_path, team_id, job)
        folder.mkdir(parents=True)
        (folder / "cards-sheets.pdf").write_bytes(b"%PDF-1.4")
    removed = remove_old_kits(db, tmp_path, team_id, "noord/deck.yaml")
    assert sorted(removed) == [f"{number:032x}" for number in range(5 - KEPT_KITS)]
    for number in range(5):
        assert kit_folder(tmp_path, team_id, f"{number:032x}").exists() == (number >= 5 - KEPT_KITS)
    assert kit_folder(tmp_path, team_id, "f" * 32).exists()  # another deck's kit stays
    db.dispose()


def test_a_killed_worker_not_yet_reaped_counts_as_dead():
    import socket
    import subprocess
    import time as clock

    from dialoogkit.serve.queue import _dead_worker, worker_name

    child = subprocess.Popen(["sleep", "30"])
    try:
        name = worker_name(socket.gethostname(), child.pid)
        assert not _dead_worker(name, socket.gethostname())  # alive: its job is its own
        child.kill()
        for _ in range(100):  # killed, not waited for: a zombie, as after a power cut of its server
            with open(f"/proc/{child.pid}/stat", encoding="ascii") as stat:
                if stat.read().rpartition(")")[2].split()[0] == "Z":
                    break
            clock.sleep(0.05)
        assert _dead_worker(name, socket.gethostname())
    finally:
        child.wait()
    assert _dead_worker(name, socket.gethostname())  # reaped: gone
