"""The build queue of ``dialoogkit serve``: builds wait in the database until a worker takes them.

In: a ``Database`` (``serve.database``) holding ``BuildJob`` rows, a team id, a deck's path in the
team's work folder (posix, relative), ``BuildOptions`` (made by the print panel from the
registry's choices) and the time.
Out:
- ``options_to_json`` / ``options_from_json``: ``BuildOptions`` as JSON text and back, equal to
  what went in (the gate's folder store is the one thing not carried: a worker reads the team's
  folder with its own gate, see ``serve.workers``);
- ``enqueue_build``: the id of a new queued job, or of the deck's job that is queued or running
  already (a double click, or two makers pressing at once, makes one build);
- ``claim_next``: the oldest queued job, taken by one worker only (PostgreSQL ``FOR UPDATE SKIP
  LOCKED``; SQLite an update whose row count decides) and marked running;
- ``requeue_stale``: jobs left running by a server or worker that died, queued again;
- ``job_status`` / ``latest_for_deck``: a ``JobView`` of one team's job, what the print panel's
  ``_build.html`` reads of a build (progress, then its files or its error) plus its state and
  how many jobs wait before it;
- ``QueuedBuilds``: the studio's ``Builds`` interface (``get(deck)``, ``start(...)``) over the
  queue, for a team's studio.
Running a job (``run_job``) and the pool of worker processes (``BuildPool``) are in
``serve.workers``.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import socket
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, func, insert, literal, or_, select, update

from dialoogkit.app.building import SheetSummary
from dialoogkit.cards.paths import Gate
from dialoogkit.errors import Problem
from dialoogkit.output.options import BuildOptions
from dialoogkit.serve.models import BuildJob

if TYPE_CHECKING:
    from dialoogkit.serve.database import Database

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
PENDING = (QUEUED, RUNNING)
CLAIM_ATTEMPTS = 5  # SQLite: how often a worker tries again when another took the job it chose


# --- the options, as JSON ---------------------------------------------------------------------

def options_to_json(options: BuildOptions, language: str | None = None) -> str:
    """``options`` as JSON text (every field of ``BuildOptions``; the gate as its rule and its
    folder); ``language``, when given, is the message language the build's notes are written in."""
    data: dict[str, Any] = {}
    for item in fields(BuildOptions):
        value = getattr(options, item.name)
        if isinstance(value, Gate):
            value = {"allow_parent": value.allow_parent, "root": str(value.root) if value.root is not None else None}
        elif isinstance(value, Path):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        data[item.name] = value
    if language:
        data["language"] = language
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def options_from_json(text: str) -> BuildOptions:
    """The ``BuildOptions`` that ``options_to_json`` wrote (a field it lacks keeps its default, so
    a job queued by an older version still builds)."""
    data = json.loads(text)
    known = {item.name for item in fields(BuildOptions)}
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            continue
        if name == "gate":
            root = value.get("root")
            value = Gate(allow_parent=bool(value.get("allow_parent")), root=Path(root) if root is not None else None)
        elif name == "output":
            value = Path(value)
        elif name == "back_offset":
            value = tuple(float(v) for v in value)
        elif name == "parts":
            value = tuple(str(v) for v in value)
        values[name] = value
    return BuildOptions(**values)


def read_language(text: str) -> str | None:
    """The message language stored with the options (see ``options_to_json``), or None."""
    language = json.loads(text).get("language")
    return str(language) if language else None


# --- the queue --------------------------------------------------------------------------------

def check_deck_path(deck_path: str) -> str:
    """``deck_path`` as a clean posix path inside the team's work folder; a ``ValueError`` for an
    absolute path or one that climbs out with ``..``."""
    path = PurePosixPath(deck_path.replace("\\", "/"))
    if not path.parts or path.is_absolute() or ".." in path.parts or ":" in path.parts[0] or "\0" in deck_path:
        raise ValueError(f"not a path inside the team's folder: {deck_path!r}")
    return path.as_posix()


def enqueue_build(db: Database, team_id: str, deck_path: str, deck_id: str, options: BuildOptions,
                  author: str | None, now: datetime, language: str | None = None) -> str:
    """Queue a build of ``deck_path`` for ``team_id``; returns the job's id. A job of the same deck
    of the same team that is queued or running is the answer instead (its id); one that waits
    still takes these newer options."""
    deck_path = check_deck_path(deck_path)
    table = BuildJob.__table__
    pending = select(BuildJob.id).where(BuildJob.team_id == team_id, BuildJob.deck_path == deck_path,
                                        BuildJob.state.in_(PENDING))
    for _ in range(3):
        new_id = secrets.token_hex(16)
        values = {"id": new_id, "team_id": team_id, "deck_path": deck_path, "deck_id": deck_id,
                  "options_json": options_to_json(options, language), "state": QUEUED, "queued_at": now,
                  "progress_done": 0, "progress_total": 0, "label": "", "author": author or ""}
        row = select(*[literal(value, type_=table.c[name].type).label(name) for name, value in values.items()])
        with db.session() as session:
            if _dialect(session) == "postgresql":
                # two server processes asked at once: the second waits here, then sees the first's row
                session.execute(select(func.pg_advisory_xact_lock(_lock_key(team_id, deck_path))))
            # one statement: in SQLite it reads and writes under one write lock
            added = session.execute(insert(BuildJob).from_select(list(values), row.where(~exists(pending))))
            if added.rowcount == 1:
                return new_id
            found = session.scalars(pending.order_by(BuildJob.queued_at, BuildJob.id).limit(1)).first()
            if found is not None:
                session.execute(update(BuildJob).where(BuildJob.id == found, BuildJob.state == QUEUED)
                                .values(options_json=values["options_json"], deck_id=deck_id))
                return found
    raise RuntimeError("could not queue the build")  # the pending job kept finishing between statements


def claim_next(db: Database, worker_name: str, now: datetime) -> BuildJob | None:
    """Take the oldest queued job for ``worker_name`` (see module docstring): it is running from
    ``now``; None when nothing waits. The job returned is detached from any session."""
    oldest = (select(BuildJob.id).where(BuildJob.state == QUEUED)
              .order_by(BuildJob.queued_at, BuildJob.id).limit(1))
    running = {"state": RUNNING, "started_at": now, "worker": worker_name, "progress_done": 0, "label": ""}
    with db.session() as session:
        if _dialect(session) == "postgresql":
            job_id = session.scalars(oldest.with_for_update(skip_locked=True)).first()
            if job_id is None:
                return None
            session.execute(update(BuildJob).where(BuildJob.id == job_id).values(**running))
            return _detached(session, job_id)
    for _ in range(CLAIM_ATTEMPTS):
        with db.session(read_only=True) as session:  # an idle poll takes no write lock
            job_id = session.scalars(oldest).first()
        if job_id is None:
            return None
        with db.session() as session:
            taken = session.execute(update(BuildJob).where(BuildJob.id == job_id, BuildJob.state == QUEUED)
                                    .values(**running))
            if taken.rowcount == 1:
                return _detached(session, job_id)
    return None  # other workers took every job this one chose: it asks again at its next poll


def requeue_stale(db: Database, now: datetime, older_than: timedelta, host: str | None = None) -> int:
    """Queue again the jobs left running by a server that died: started before ``now -
    older_than``, or by a worker of this host (``worker_name``) whose process is gone. Returns
    how many; run at start-up, before the pool takes work."""
    host = host or socket.gethostname()
    with db.session() as session:
        rows = session.execute(select(BuildJob.id, BuildJob.worker, BuildJob.started_at)
                               .where(BuildJob.state == RUNNING)).all()
        cutoff = now - older_than
        stale = [job_id for job_id, worker, started in rows
                 if started is None or _aware(started) < cutoff or _dead_worker(worker, host)]
        if not stale:
            return 0
        result = session.execute(update(BuildJob).where(BuildJob.id.in_(stale), BuildJob.state == RUNNING)
                                 .values(state=QUEUED, started_at=None, worker=None, progress_done=0,
                                         progress_total=0, label=""))
        return result.rowcount


def worker_name(host: str | None = None, pid: int | None = None) -> str:
    """The name a worker process claims jobs under: ``host:pid:start`` (the process's start time,
    so a process that later gets the same pid is not taken for it; ``requeue_stale`` reads it)."""
    pid = pid or os.getpid()
    return f"{host or socket.gethostname()}:{pid}:{_process_start(pid)}"


def _dead_worker(worker: str | None, host: str) -> bool:
    """Whether ``worker`` names a process of this host that no longer runs."""
    if not worker:
        return True
    parts = worker.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
        return False  # another server's worker: only its age tells
    pid, start = int(parts[1]), parts[2]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    if _process_state(pid) in ("Z", "X"):  # killed, and not yet reaped by its new parent: dead all the same
        return True
    return bool(start) and _process_start(pid) not in ("", start)  # the pid is another process's now


def _stat_fields(pid: int) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name (Linux); empty when unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()
    except OSError:
        return []


def _process_state(pid: int) -> str:
    """The state letter of process ``pid`` (R, S, D, Z for a zombie, …); "" when unknown."""
    fields = _stat_fields(pid)
    return fields[0] if fields else ""


def _process_start(pid: int) -> str:
    """When process ``pid`` started (clock ticks since boot, Linux ``/proc``); "" when unknown."""
    fields = _stat_fields(pid)
    return fields[19] if len(fields) > 19 else ""


# --- what the print panel shows ---------------------------------------------------------------

@dataclass
class JobView:
    """One job as the print panel's ``_build.html`` reads a ``studio.printing.Build``, plus its
    ``state`` and ``queued_ahead`` (jobs that start before it). ``kit`` is the kit folder
    (``<data>/teams/<team>/kits/<job id>/``) of a finished build when the data folder is known;
    ``files`` the files written, relative to it."""

    id: str
    deck: str
    state: str
    deck_id: str | None = None
    total: int = 0
    done: int = 0
    label: str = ""
    error: str | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    sheet: SheetSummary | None = None
    kit: Path | None = None
    files: list[str] = field(default_factory=list)
    queued_ahead: int = 0
    author: str | None = None
    queued_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)

    @property
    def waiting(self) -> bool:
        return self.state == QUEUED

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0


def job_status(db: Database, team_id: str, job_id: str, data_dir: Path | None = None) -> JobView | None:
    """The job ``job_id`` of ``team_id``; None when there is none (or it is another team's)."""
    with db.session(read_only=True) as session:
        job = session.scalars(select(BuildJob).where(BuildJob.id == job_id, BuildJob.team_id == team_id)).first()
        return _view(session, job, data_dir) if job is not None else None


def latest_for_deck(db: Database, team_id: str, deck_path: str, data_dir: Path | None = None) -> JobView | None:
    """The newest job of ``deck_path`` in ``team_id``, or None."""
    with db.session(read_only=True) as session:
        job = session.scalars(select(BuildJob).where(BuildJob.team_id == team_id, BuildJob.deck_path == deck_path)
                              .order_by(BuildJob.queued_at.desc(), BuildJob.id.desc()).limit(1)).first()
        return _view(session, job, data_dir) if job is not None else None


def work_folder(data_dir: Path, team_id: str) -> Path:
    """Where the team's deck files are, for a build: ``serve.store.team_folder``
    (``<data>/teams/<team>/work``)."""
    from dialoogkit.serve.store import team_folder

    return team_folder(Path(data_dir), team_id)


def kits_folder(data_dir: Path, team_id: str) -> Path:
    """Where a team's kits go, one folder per build: ``<data>/teams/<team>/kits``."""
    return work_folder(data_dir, team_id).parent / "kits"


def kit_folder(data_dir: Path, team_id: str, job_id: str) -> Path:
    """Where a job's kit goes: ``<data>/teams/<team>/kits/<job id>``."""
    return kits_folder(data_dir, team_id) / job_id


def _view(session, job: BuildJob, data_dir: Path | None) -> JobView:
    result = json.loads(job.result_json) if job.result_json else {}
    ahead = 0
    if job.state == QUEUED:
        ahead = session.scalar(select(func.count()).select_from(BuildJob).where(
            BuildJob.state == QUEUED, or_(BuildJob.queued_at < job.queued_at,
                                          (BuildJob.queued_at == job.queued_at) & (BuildJob.id < job.id)))) or 0
    sheet = result.get("sheet")
    done = job.state == DONE
    return JobView(
        id=job.id, deck=job.deck_path, state=job.state, deck_id=result.get("deck_id") or job.deck_id,
        total=job.progress_total or 0, done=job.progress_done or 0, label=job.label or "",
        error=result.get("error") if job.state == FAILED else None,
        problems=[_problem(item) for item in result.get("problems", [])],
        notes=[_problem(item) for item in result.get("notes", [])],
        sheet=SheetSummary(**sheet) if sheet else None,
        kit=kit_folder(data_dir, job.team_id, job.id) if done and data_dir is not None else None,
        files=list(result.get("files", [])), queued_ahead=ahead, author=job.author,
        queued_at=_aware(job.queued_at), started_at=_aware(job.started_at), finished_at=_aware(job.finished_at))


def problem_data(problem: Problem) -> dict[str, Any]:
    """A build's note or problem as JSON data: its fields and its text as ``dialoogkit build``
    prints it."""
    data = {name: getattr(problem, name) for name in ("file", "line", "message", "hint", "lesson", "field")}
    data["file"] = str(data["file"]) if data["file"] is not None else ""
    data["text"] = problem.format()
    return data


def _problem(data: dict[str, Any]) -> Problem:
    return Problem(file=data.get("file", ""), line=data.get("line"), message=data.get("message", data.get("text", "")),
                   hint=data.get("hint", ""), lesson=data.get("lesson"), field=data.get("field"))


def sheet_data(sheet: SheetSummary | None) -> dict[str, Any] | None:
    return asdict(sheet) if sheet is not None else None


# --- the studio's interface -------------------------------------------------------------------

class QueuedBuilds:
    """A team's builds through the queue, with the interface of ``studio.printing.Builds``:
    ``get(deck)`` is the deck's newest job, ``start(...)`` queues one (or answers with the one
    queued or running). ``deck`` is the path the studio names a deck by, relative to the team's
    work folder."""

    def __init__(self, db: Database, team_id: str, data_dir: Path, author: str | None) -> None:
        self.db, self.team_id, self.data_dir, self.author = db, team_id, Path(data_dir), author

    def get(self, deck: str) -> JobView | None:
        return latest_for_deck(self.db, self.team_id, deck, self.data_dir)

    def start(self, deck: str, path: Path, options: BuildOptions, deck_id: str) -> JobView:
        from dialoogkit.i18n import current_language

        work = work_folder(self.data_dir, self.team_id)
        try:
            deck_path = Path(path).relative_to(work).as_posix()
        except ValueError:
            deck_path = deck
        job_id = enqueue_build(self.db, self.team_id, deck_path, deck_id, options, self.author,
                               datetime.now(timezone.utc), current_language())
        view = job_status(self.db, self.team_id, job_id, self.data_dir)
        assert view is not None
        return view


# --- helpers ----------------------------------------------------------------------------------

def _dialect(session) -> str:
    return session.get_bind().dialect.name


def _lock_key(team_id: str, deck_path: str) -> int:
    digest = hashlib.blake2b(f"dialoogkit-build\0{team_id}\0{deck_path}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _detached(session, job_id: str) -> BuildJob:
    job = session.get(BuildJob, job_id, populate_existing=True)
    session.expunge(job)  # its attributes stay loaded after the session commits
    return job


def _aware(moment: datetime | None) -> datetime | None:
    """A stored time as UTC-aware (SQLite gives it back naive)."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment
