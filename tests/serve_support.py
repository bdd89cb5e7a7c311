"""Shared helpers of the team server's process tests: ``dialoogkit serve`` in its own process, and a
reverse proxy in front of several of them.

In: a database URL, a data folder, a port.
Out: ``free_port()``; ``serve_process(...)`` (a context manager: the real command in its own
process group, waited for until ``/healthz`` answers, stopped with SIGTERM as systemd or Docker
stop it, or killed whole with ``kill_group`` as a power cut does); ``RoundRobinProxy`` (a TCP
reverse proxy on 127.0.0.1 that hands each new connection to the next server, as a load balancer
does; with ``keep_address`` from the client's own loopback address, so each simulated person has
one); ``sign_in`` (an httpx client with a session).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

PASSWORD = "een-lang-wachtwoord"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def admin(database_url: str, data: Path, *args: str, password: str | None = None) -> str:
    """Run ``dialoogkit serve admin ARGS`` as IT does; its output."""
    result = subprocess.run([sys.executable, "-m", "dialoogkit", "serve", "admin", *args, "--database", database_url,
                             "--data", str(data)], input=password + "\n" if password else None,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@contextmanager
def serve_process(database_url: str, data: Path, port: int, *options: str):
    """``dialoogkit serve`` on ``port`` until the block ends (see module docstring); yields the
    ``Popen`` (its ``stderr`` holds the request log)."""
    log = open(data.parent / f"serve-{port}.log", "w", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "dialoogkit", "serve", "--port", str(port), "--database",
                                database_url, "--data", str(data), *options],
                               stdout=log, stderr=log, start_new_session=True,
                               env={**os.environ, "DIALOOGKIT_LANG": "nl"})
    try:
        wait_until_healthy(port, process)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                kill_group(process)
        log.close()


def kill_group(process: subprocess.Popen) -> None:
    """Kill the server and every process it started at once (a power cut, ``docker kill``)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def wait_until_healthy(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"dialoogkit serve stopped with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"dialoogkit serve on port {port} did not answer /healthz in {seconds} s")


class RoundRobinProxy:
    """A TCP reverse proxy on 127.0.0.1: each new connection goes to the next backend port."""

    def __init__(self, backends: list[int], keep_address: bool = False):
        self.backends = backends
        self.keep_address = keep_address  # connect to the server from the client's own (loopback) address
        self.port = free_port()
        self.served: list[int] = []  # the backend of each connection, in order
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "RoundRobinProxy":
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", self.port))
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        backend = self.backends[len(self.served) % len(self.backends)]
        self.served.append(backend)
        peer = (writer.get_extra_info("peername") or ("127.0.0.1",))[0]
        own = self.keep_address and peer != "127.0.0.1"
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", backend,
                                                                 local_addr=(peer, 0) if own else None)
        except OSError:
            writer.close()
            return

        async def pipe(source: asyncio.StreamReader, target: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    target.write(data)
                    await target.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                with contextlib.suppress(RuntimeError):  # the proxy's loop may already be closed
                    target.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


def sign_in(base: str, email: str) -> httpx.Client:
    """A client signed in as ``email``; every request on a new connection (so a round-robin proxy
    spreads them over the servers)."""
    client = httpx.Client(base_url=base, follow_redirects=False, timeout=60,
                          headers={"Origin": base, "Connection": "close"})
    response = client.post("/signin", data={"email": email, "password": PASSWORD, "next": "/"})
    assert response.status_code == 303, response.text[:500]
    return client
