"""The build workers of ``dialoogkit serve``: processes that take queued builds and build them.

In: the database's address and the data folder (``<data>/teams/<team>/work/`` holds each team's
deck files); jobs queued by ``serve.queue.enqueue_build``.
Out:
- ``run_job(db, job_id, data_dir)``: builds one claimed job's deck as ``dialoogkit build`` does
  (``app.building.build_deck``), inside the team's folder only, into
  ``<data>/teams/<team>/kits/<job id>/`` (the folder appears when the kit is whole); its progress
  goes to the job's row a few times a second; then ``done`` with ``result_json`` (the files
  relative to the kit folder, the notes and warnings, the sheet summary) or ``failed`` with the
  error (and the deck's problems).
- ``BuildPool(database_url, data_dir, processes)``: ``start()`` queues again what a dead server
  left running and starts the worker processes (``spawn``; each with its own database
  connection, at a lower priority than the server's requests); each takes the oldest queued job,
  builds it and asks again (every half second when idle). A worker that dies while building
  fails its job (so a build that kills its worker cannot kill the next one) and is replaced.
  ``stop()`` lets the workers finish their build within a timeout, then ends them; a job ended
  that way is queued again by the next ``start()``.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from dialoogkit.cards.paths import Gate
from dialoogkit.errors import ContentError, DialoogkitError
from dialoogkit.i18n import say
from dialoogkit.serve.models import BuildJob
from dialoogkit.serve.queue import (
    DONE, FAILED, QUEUED, RUNNING, check_deck_path, claim_next, kit_folder, options_from_json, problem_data,
    read_language, requeue_stale, sheet_data, work_folder, worker_name,
)

if TYPE_CHECKING:
    from dialoogkit.serve.database import Database

log = logging.getLogger("dialoogkit.serve.workers")

POLL_SECONDS = 0.5
PROGRESS_SECONDS = 0.3  # at most about three progress writes a second
NICE = 10
STALE_AFTER = timedelta(hours=1)  # a job running this long was left by a server that died
WATCH_SECONDS = 1.0
ERROR_LIMIT = 2000
KEPT_KITS = 3  # per deck: the newest kits a maker may still download


def run_job(db: Database, job_id: str, data_dir: Path) -> str:
    """Build the claimed job ``job_id`` (see module docstring); returns its final state. The job's
    row changes only while it is still this worker's running job."""
    data_dir = Path(data_dir)
    with db.session() as session:
        job = session.get(BuildJob, job_id)
        if job is None or job.state != RUNNING:
            return job.state if job is not None else FAILED
        team_id, deck_path, options_json, worker = job.team_id, job.deck_path, job.options_json, job.worker
    mine = (BuildJob.id == job_id, BuildJob.state == RUNNING, BuildJob.worker == worker)

    def write(**values) -> bool:
        with db.session() as session:
            return session.execute(update(BuildJob).where(*mine).values(**values)).rowcount == 1

    work = work_folder(data_dir, team_id)
    kit = kit_folder(data_dir, team_id, job_id)
    stage = kit.parent / f".building-{job_id}"
    hide = _hider(work)
    try:
        from dialoogkit.app.building import build_deck
        from dialoogkit.i18n import choose_language
        from dialoogkit.serve.store import DatabaseStorage

        choose_language(read_language(options_json))
        DatabaseStorage(db, team_id, work).sync()  # saves made through another server process
        options = options_from_json(options_json)
        deck = work / check_deck_path(deck_path)
        # a path a deck names resolves among the team's own files only, whatever the request said
        options = replace(options, output=stage, gate=Gate(allow_parent=options.gate.allow_parent, root=work))
        shutil.rmtree(stage, ignore_errors=True)
        stage.parent.mkdir(mode=0o700, exist_ok=True)
        stage.mkdir(mode=0o700)
        result = build_deck(deck, options, _progress(write))
        built = [path for path in stage.iterdir() if path.is_dir()]
        if len(built) != 1:
            raise RuntimeError("the build wrote no kit folder")
        shutil.rmtree(kit, ignore_errors=True)  # a run of this job before a restart
        built[0].rename(kit)
        files = sorted(path.relative_to(kit).as_posix() for path in kit.rglob("*") if path.is_file())
        outcome = {"deck_id": built[0].name, "files": files,
                   "notes": [hide(problem_data(note)) for note in list(result.notes) + list(result.warnings)],
                   "sheet": sheet_data(result.sheet)}
        state = DONE
    except ContentError as exc:
        problems = [hide(problem_data(problem)) for problem in exc.problems]
        outcome, state = {"error": hide(exc.format_message()), "problems": problems}, FAILED
    except DialoogkitError as exc:
        outcome, state = {"error": hide(exc.format_message())}, FAILED
    except Exception as exc:  # shown to the maker in one line, like the command line, not a worker's death
        log.exception("build %s failed", job_id)
        outcome, state = {"error": hide(f"{type(exc).__name__}: {exc}"[:500])}, FAILED
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    final = {"progress_done": BuildJob.progress_total} if state == DONE else {}
    if not write(state=state, finished_at=datetime.now(timezone.utc),
                 result_json=json.dumps(outcome, ensure_ascii=False), **final):
        log.warning("build %s was taken from this worker; its result is not kept", job_id)
        return QUEUED
    if state == DONE:
        remove_old_kits(db, data_dir, team_id, deck_path)
    return state


def remove_old_kits(db: Database, data_dir: Path, team_id: str, deck_path: str, keep: int = KEPT_KITS) -> list[str]:
    """Delete the kit folders of all but the ``keep`` newest finished builds of one deck (their
    rows stay, for the audit of who built what), so a team's data folder does not grow with every build."""
    with db.session() as session:
        done = list(session.scalars(select(BuildJob.id).where(BuildJob.team_id == team_id,
                                                              BuildJob.deck_path == deck_path,
                                                              BuildJob.state == DONE)
                                    .order_by(BuildJob.finished_at.desc(), BuildJob.id.desc())))
    removed = done[keep:]
    for old in removed:
        shutil.rmtree(kit_folder(Path(data_dir), team_id, old), ignore_errors=True)
    return removed


def _progress(write):
    """The progress factory of ``build_deck`` that writes the job's progress at most every
    ``PROGRESS_SECONDS`` (and at the start of each stage)."""

    @contextmanager
    def progress(total: int, label: str):
        state = {"done": 0, "written": time.monotonic()}
        write(progress_total=total, progress_done=0, label=label[:200])

        def step(count: int) -> None:
            state["done"] += count
            now = time.monotonic()
            if now - state["written"] >= PROGRESS_SECONDS:
                state["written"] = now
                write(progress_done=min(state["done"], total))

        yield step

    return progress


def _hider(work: Path):
    """A function that removes the server's own folders from what a maker reads (a deck file is
    shown by its path in the team's work folder)."""
    prefixes = [str(work) + os.sep, str(work.resolve()) + os.sep]

    def hide(value):
        if isinstance(value, dict):
            return {key: hide(item) for key, item in value.items()}
        if isinstance(value, str):
            for prefix in prefixes:
                value = value.replace(prefix, "")
            return value[:ERROR_LIMIT * 5]
        return value

    return hide


# --- the pool ---------------------------------------------------------------------------------

def work_loop(database_url: str, data_dir: str, stop, poll: float = POLL_SECONDS) -> None:
    """One worker process: lower its priority, open its own database, then take and build jobs
    until ``stop`` is set."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops the pool; Ctrl+C is the server's
    try:
        os.nice(NICE)
    except OSError:
        pass
    from dialoogkit.serve.database import open_database

    db = open_database(database_url)
    name = worker_name()
    try:
        while not stop.is_set():
            try:
                job = claim_next(db, name, datetime.now(timezone.utc))
                if job is None:
                    stop.wait(poll)
                    continue
                run_job(db, job.id, Path(data_dir))
            except Exception:  # the database went away a moment: wait, then ask again
                log.exception("build worker %s", name)
                stop.wait(max(poll, 2.0))
    finally:
        _close(db)


class BuildPool:
    """``processes`` worker processes for one server (see module docstring)."""

    def __init__(self, database_url: str, data_dir: Path, processes: int = 1, poll: float = POLL_SECONDS,
                 stale_after: timedelta = STALE_AFTER) -> None:
        self.database_url, self.data_dir = database_url, Path(data_dir)
        self.processes, self.poll, self.stale_after = max(1, processes), poll, stale_after
        self._context = multiprocessing.get_context("spawn")
        self._stop = self._context.Event()
        self._workers: list = []
        self._names: list[str] = []
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None
        self._watching = threading.Event()

    @property
    def running(self) -> bool:
        return bool(self._workers)

    def start(self) -> None:
        """Queue again what a dead server left running, then start the workers (a second call
        while they run does nothing)."""
        with self._lock:
            if self._workers:
                return
            from dialoogkit.serve.database import open_database

            db = open_database(self.database_url)
            try:
                count = requeue_stale(db, datetime.now(timezone.utc), self.stale_after)
            finally:
                _close(db)
            if count:
                log.info("queued %d build(s) again that a stopped server left running", count)
            self._stop.clear()
            started = [self._spawn() for _ in range(self.processes)]
            self._workers = [process for process, _ in started]
            self._names = [name for _, name in started]
            self._watching.clear()
            self._watcher = threading.Thread(target=self._watch, name="dialoogkit-build-watch", daemon=True)
            self._watcher.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the workers to stop after their build; after ``timeout`` seconds end them (their
        jobs are queued again by the next ``start``)."""
        with self._lock:
            workers, self._workers = self._workers, []
            self._watching.set()
            self._stop.set()
            end = time.monotonic() + timeout
            for process in workers:
                process.join(max(0.0, end - time.monotonic()))
            for process in workers:
                if process.is_alive():
                    process.terminate()
                    process.join(5.0)
                if process.is_alive():
                    process.kill()
                    process.join()
                process.close()
        if self._watcher is not None:
            self._watcher.join()
            self._watcher = None

    def __enter__(self) -> "BuildPool":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _spawn(self) -> tuple:
        """A started worker process and the name it claims jobs under."""
        process = self._context.Process(target=work_loop, args=(self.database_url, str(self.data_dir), self._stop,
                                                                 self.poll), name="dialoogkit-build", daemon=True)
        process.start()
        return process, worker_name(pid=process.pid)

    def _watch(self) -> None:
        """Replace a worker that died while the pool runs, failing the build it was running."""
        while not self._watching.wait(WATCH_SECONDS):
            with self._lock:
                if self._watching.is_set():
                    return
                for index, process in enumerate(self._workers):
                    if process.is_alive():
                        continue
                    log.error("build worker %s ended (exit %s); starting another", process.pid, process.exitcode)
                    try:
                        self._fail_jobs_of(self._names[index])
                    except Exception:
                        log.exception("could not mark the build of worker %s as failed", process.pid)
                    process.close()
                    self._workers[index], self._names[index] = self._spawn()

    def _fail_jobs_of(self, worker: str) -> None:
        from dialoogkit.serve.database import open_database

        db = open_database(self.database_url)
        try:
            with db.session() as session:
                session.execute(update(BuildJob).where(BuildJob.state == RUNNING, BuildJob.worker == worker).values(
                    state=FAILED, finished_at=datetime.now(timezone.utc),
                    result_json=json.dumps({"error": say("serve.queue.worker_died")})))
        finally:
            _close(db)


def _close(db: Database) -> None:
    """Let go of a database's pooled connections."""
    db.dispose()
