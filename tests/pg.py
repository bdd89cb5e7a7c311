"""A throw-away PostgreSQL for the serve tests, and the ``database_url`` fixture over SQLite and it.

``postgresql_server`` (session scope) starts a cluster from Debian's ``postgresql`` package
(``initdb`` and ``pg_ctl`` from ``/usr/lib/postgresql/<version>/bin``; as root through
``runuser -u postgres --``) in a temporary folder, listening on a free port on 127.0.0.1 only,
and stops it at the end of the session. ``database_url`` is parametrised: ``sqlite`` (a file in
the test's temporary folder) and ``postgresql`` (a fresh database per test, made with
``createdb``). Without PostgreSQL the ``postgresql`` cases are skipped, but fail under
``CI=true``. Use it with ``from pg import database_url, postgresql_server  # noqa: F401``.
``cluster()`` is the same cluster as a context manager, for the benchmarks.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class PostgresServer:
    bin_dir: Path
    host: str
    port: int
    user: str

    def url(self, name: str) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{name}"

    def create_database(self) -> str:
        name = "dk_" + secrets.token_hex(6)
        _run(self.bin_dir / "createdb", "-h", self.host, "-p", str(self.port), "-U", self.user, name)
        return name


def find_postgres_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding ``initdb`` and ``pg_ctl``."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    found = [d for d in found if (d / "pg_ctl").exists()]
    return max(found, key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0) if found else None


def _as_owner(*command: object) -> list[str]:
    args = [str(part) for part in command]
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _run(*command: object) -> None:
    result = subprocess.run(_as_owner(*command), capture_output=True, text=True, timeout=120)
    if result.returncode:
        raise RuntimeError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is needed under CI=true: {reason}")
    pytest.skip(f"PostgreSQL not available ({reason}); install Debian's postgresql package to run these cases")


class NoPostgres(Exception):
    """No cluster could be started here; the reason says why."""


@contextmanager
def cluster(prefix: str = "dialoogkit-pg-", max_connections: int = 200, log_to: Path | None = None):
    """A throw-away cluster in a temporary folder, on a free port of 127.0.0.1 only; stopped and
    removed when the block ends (its log copied to ``log_to`` first, when given). ``NoPostgres``
    when it cannot be started."""
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        raise NoPostgres("no /usr/lib/postgresql/*/bin/initdb")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        raise NoPostgres("running as root without runuser")
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    os.chmod(folder, 0o700)
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    port = _free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c max_connections={max_connections}"
    try:
        try:
            _run(bin_dir / "initdb", "-D", data, "-U", user, "--auth=trust", "-E", "UTF8", "--locale=C")
            _run(bin_dir / "pg_ctl", "-D", data, "-l", folder / "log", "-o", options, "-w", "-t", "60", "start")
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            raise NoPostgres(f"could not start a throw-away cluster: {exc}") from None
        yield PostgresServer(bin_dir, "127.0.0.1", port, user)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_owner(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"),
                           capture_output=True, timeout=120)
        if log_to is not None and (folder / "log").exists():
            shutil.copy(folder / "log", log_to)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgresql_server():
    try:
        with cluster() as server:
            yield server
    except NoPostgres as exc:
        _missing(str(exc))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    server: PostgresServer = request.getfixturevalue("postgresql_server")
    return server.url(server.create_database())
