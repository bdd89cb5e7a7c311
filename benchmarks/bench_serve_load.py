"""Load benchmark of ``dialoogkit serve``: many coordinators at once on several server processes.

In: nothing but Debian's ``postgresql`` package (``/usr/lib/postgresql/*/bin``; as root the cluster
runs as the ``postgres`` user through ``runuser``). The benchmark sets up what IT would, in a
temporary folder: a throw-away PostgreSQL on a free port of 127.0.0.1, one account per coordinator
(``dialoogkit serve admin create-user … --role maker --password-stdin``, five coordinators per
team), one deck per coordinator (``extends: standaard``, imported with ``serve admin import TEAM
FOLDER``), then ``--processes`` × ``dialoogkit serve --build-processes 1`` behind a round-robin
TCP proxy (each new connection to the next server, every request on its own connection).

Each simulated coordinator (asyncio, ``httpx.AsyncClient``) signs in with ``POST /signin`` and then,
from a random start offset, does one action every ``--interval`` seconds in rotation: open a page
(``GET /edit?deck=…&view=lesson&lesson=…``), edit (``POST /action/lesson``, the page's lesson form
and version with a new statement), preview (``GET`` of the ``<img id="preview-front">`` address the
last page or edit answer gave). Once, at a random moment of the run, it builds the whole kit: opens
the print view, ``POST /action/build`` with the print form's defaults, then ``GET /build/status``
every 2 s until the downloads appear. By default each coordinator connects from its own loopback
address (127.0.0.N) and the proxy connects onwards from that address, so the server sees 50
people, as when their laptops reach it directly; ``--one-address`` sends everything from
127.0.0.1, as behind Caddy or nginx (see the report for what that does to signing in).

Out: on stdout a table of client-side latencies (what a coordinator waits for) per kind: median,
p95, max, count, errors; the same from the servers' own request logs; the builds (finished,
failed, the latest finish relative to the end of the run); the saves (each coordinator's last
acknowledged statement read back through ``GET /edit`` and in ``serve admin export``); and a
PASS/FAIL line per target: p95 of pages ≤ 1 s, of previews ≤ 2 s, every build finished within
2 minutes after the end, no request lost (every answer 2xx, 409 for an edit, 303 for sign-in; no
exception or time-out), no save lost. ``--json FILE`` writes the same as JSON. Exit status 1 when a
target is missed.

    python benchmarks/bench_serve_load.py                          # 50 coordinators, 5 minutes, 2 servers
    python benchmarks/bench_serve_load.py --users 6 --minutes 0.5  # a smoke run
    python benchmarks/bench_serve_load.py --json load.json --logs load-logs/

Everything it starts (PostgreSQL, the servers, their build workers) is stopped and its temporary
folder removed at the end, also after Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_studio import lesson_form, percentile
from pg import NoPostgres, cluster
from serve_support import PASSWORD, RoundRobinProxy, admin, free_port, serve_process

DECK = "extends: standaard\nid: {id}\ntitle: {title}\nregion: Regio Noord\n"
PER_TEAM = 5
BUILD_POLL_SECONDS = 2.0
BUILD_LIMIT_SECONDS = 120.0  # every build finished within this after the end of the run
TARGETS_MS = {"page": 1000.0, "preview": 2000.0}  # p95
KINDS = ("signin", "landing", "page", "edit", "preview", "print-page", "build-start", "status", "read-back")
SERVER_KINDS = {"/edit": "page", "/action/lesson": "edit", "/preview/card.png": "preview",
                "/action/build": "build-start", "/build/status": "status", "/signin": "signin"}


# --- set-up: PostgreSQL, accounts, decks ---------------------------------------------------------

@contextmanager
def postgresql(logs: list[Path]):
    """A throw-away PostgreSQL cluster (``tests/pg.py``'s), with room for every coordinator's
    connections; its log is copied to ``logs[0]`` when given."""
    try:
        with cluster("bench-serve-pg-", max_connections=300, log_to=logs[0] if logs else None) as server:
            yield server
    except NoPostgres as exc:
        raise SystemExit(f"PostgreSQL could not be started: {exc} (install Debian's postgresql package)") from None


@dataclass
class Coordinator:
    number: int
    email: str
    team: str
    deck: str  # the deck's path in the team's folder, as the studio names it
    address: str  # the loopback address this coordinator connects from


def coordinators(users: int, one_address: bool) -> list[Coordinator]:
    people = []
    for n in range(1, users + 1):
        team = f"Wijk {(n - 1) // PER_TEAM + 1:02d}"
        address = "127.0.0.1" if one_address else f"127.0.{1 + (n + 9) // 250}.{(n + 9) % 250 + 2}"
        people.append(Coordinator(n, f"coordinator{n:03d}@bench.example.nl", team, f"deck{n:03d}/deck.yaml", address))
    return people


def set_up(url: str, data: Path, folder: Path, people: list[Coordinator]) -> None:
    """Accounts and decks as IT makes them, with ``dialoogkit serve admin``."""
    def create(person: Coordinator) -> None:
        admin(url, data, "create-user", person.email, "--team", person.team, "--role", "maker", "--password-stdin",
              password=PASSWORD)

    def create_team(members: list[Coordinator]) -> None:
        for person in members:  # one at a time: two commands making the same new team collide
            create(person)

    create(people[0])  # brings the database to the current migration, alone
    by_team: dict[str, list[Coordinator]] = {}
    for person in people[1:]:
        by_team.setdefault(person.team, []).append(person)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(create_team, by_team.values()))
    teams: dict[str, Path] = {}
    for person in people:
        team_folder = teams.setdefault(person.team, folder / f"import-{len(teams) + 1:02d}")
        deck = team_folder / person.deck
        deck.parent.mkdir(parents=True)
        deck.write_text(DECK.format(id=f"wijk-{person.number:03d}", title=f"Samen wonen, coördinator {person.number}"),
                        encoding="utf-8")
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda item: admin(url, data, "import", item[0], str(item[1])), teams.items()))


@contextmanager
def server_process(url: str, data: Path, port: int):
    """``tests/serve_support.serve_process`` with one build process; afterwards whatever is left of
    its process group is ended too (a server that crashed leaves its build worker behind)."""
    with serve_process(url, data, port, "--build-processes", "1") as process:
        yield process
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def not_json(log: Path) -> list[str]:
    """A server log's lines that are not request lines (a crash says itself there)."""
    lines = log.read_text("utf-8", errors="replace").splitlines() if log.exists() else []
    return [line for line in lines if not line.startswith("{")][:40]


# --- the simulated coordinators ------------------------------------------------------------------

@dataclass
class Record:
    """What every coordinator measured, shared by all of them (one event loop)."""

    started: float = 0.0  # perf_counter of the run's start
    times: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    statuses: dict[str, dict[str, int]] = field(default_factory=lambda: {kind: {} for kind in KINDS})
    errors: list[dict] = field(default_factory=list)
    conflicts: int = 0
    late_actions: int = 0  # actions that began more than a second after their planned moment
    actions: int = 0
    loop_start: float = 0.0  # the event loop's clock at the run's start
    window: tuple[str, str] = ("", "")  # UTC times of the run's start and of the last build's end

    def error(self, kind: str, who: int, what: str) -> None:
        self.errors.append({"kind": kind, "coordinator": who, "at_s": round(time.perf_counter() - self.started, 1),
                            "what": what[:300]})


VERSION = re.compile(r'name="version" value="([0-9a-f]+)"')
FRONT = re.compile(r'<img id="preview-front" src="([^"]+)"')
LESSON_LINK = re.compile(r'href="/edit\?([^"]*view=lesson[^"]*)"')


class Person:
    """One simulated coordinator with their own session."""

    def __init__(self, who: Coordinator, base: str, record: Record, rng: random.Random):
        self.who, self.base, self.record, self.rng = who, base, record, rng
        self.client = httpx.AsyncClient(
            base_url=base, follow_redirects=False, timeout=httpx.Timeout(90.0),
            headers={"Origin": base, "Connection": "close"},  # a new connection each time: the proxy spreads them
            transport=httpx.AsyncHTTPTransport(local_address=who.address, retries=0))
        self.lesson = ""
        self.page = ""  # the last editor page (its form and version)
        self.preview = ""  # the front image's address, from the last page or edit answer
        self.edits = 0
        self.saved: str | None = None  # the statement of the last save the server confirmed
        self.unconfirmed: list[str] = []  # statements sent after it whose answer never came
        self.build: dict = {}
        self.busy = asyncio.Lock()  # one thing at a time: the build's click waits for an edit, and back

    async def request(self, kind: str, method: str, url: str, ok: tuple[int, ...] = (), **kwargs) -> httpx.Response | None:
        began = time.perf_counter()
        try:
            response = await self.client.request(method, url, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure is a lost request
            self.record.error(kind, self.who.number, f"{type(exc).__name__}: {exc}")
            return None
        self.record.times[kind].append((time.perf_counter() - began) * 1000)
        counts = self.record.statuses[kind]
        counts[str(response.status_code)] = counts.get(str(response.status_code), 0) + 1
        if not (200 <= response.status_code < 300 or response.status_code in ok):
            self.record.error(kind, self.who.number, f"{method} {url.split('?')[0]} → {response.status_code}: "
                              + re.sub(r"\s+", " ", response.text)[:200])
        return response

    async def sign_in(self) -> bool:
        answer = await self.request("signin", "POST", "/signin", ok=(303,),
                                    data={"email": self.who.email, "password": PASSWORD, "next": "/"})
        return answer is not None and answer.status_code == 303

    async def choose_lesson(self) -> None:
        """A lesson of the deck, from the deck page's sidebar (each coordinator their own)."""
        answer = await self.request("landing", "GET", "/edit", params={"deck": self.who.deck, "view": "deck"})
        links = LESSON_LINK.findall(answer.text) if answer is not None and answer.status_code == 200 else []
        keys = [re.search(r"lesson=([^&]+)", html.unescape(link)) for link in links]
        keys = [httpx.QueryParams(f"lesson={k.group(1)}")["lesson"] for k in keys if k]
        self.lesson = keys[self.who.number % len(keys)] if keys else "p:financiering-naar-schaal"

    async def open_page(self) -> None:
        answer = await self.request("page", "GET", "/edit",
                                    params={"deck": self.who.deck, "view": "lesson", "lesson": self.lesson})
        if answer is not None and answer.status_code == 200:
            self.page = answer.text
            found = FRONT.search(answer.text)
            self.preview = html.unescape(found.group(1)) if found else self.preview

    async def edit(self) -> None:
        if not self.page:
            return await self.open_page()
        version = VERSION.search(self.page)
        self.edits += 1
        statement = f"Coördinator {self.who.number} schrijft versie {self.edits}: samen beslissen werkt"
        fields = {**lesson_form(self.page), "deck": self.who.deck, "version": version.group(1) if version else "",
                  "view": "lesson", "lesson": self.lesson, "tab": "card", "page": "", "statement": statement}
        self.unconfirmed.append(statement)
        answer = await self.request("edit", "POST", "/action/lesson", ok=(409,), data=fields)
        if answer is None or answer.status_code >= 500:
            return  # no answer: it may or may not be stored
        self.unconfirmed.remove(statement)
        if answer.status_code == 409:
            self.record.conflicts += 1
        elif answer.status_code == 200:
            self.saved, self.unconfirmed = statement, []
            found = FRONT.search(answer.text)
            self.preview = html.unescape(found.group(1)) if found else self.preview

    async def look(self) -> None:
        if not self.preview:
            return await self.open_page()
        await self.request("preview", "GET", self.preview)

    async def act(self, start: float, interval: float, end: float) -> None:
        loop = asyncio.get_running_loop()
        actions = (self.open_page, self.edit, self.look)
        moment, turn = start, 0
        while moment < end:
            await asyncio.sleep(max(0.0, moment - loop.time()))
            if loop.time() - moment > 1.0:
                self.record.late_actions += 1
            self.record.actions += 1
            async with self.busy:
                await actions[turn % 3]()
            turn += 1
            moment += interval

    async def build_kit(self, at: float, run_end: float) -> None:
        """The whole kit with the print form's defaults, then the status until the downloads appear."""
        loop = asyncio.get_running_loop()
        await asyncio.sleep(max(0.0, at - loop.time()))
        self.build = {"coordinator": self.who.number, "asked_s": round(at - self.record.loop_start, 1)}
        async with self.busy:  # the print view, then a click on the build button
            page = await self.request("print-page", "GET", "/edit", params={"deck": self.who.deck, "view": "print"})
            if page is None or page.status_code != 200:
                self.build["state"] = "not started (print page)"
                return
            fields = print_form(page.text)
            answer = await self.request("build-start", "POST", "/action/build", data=fields)
        clicked = loop.time()
        if answer is None or answer.status_code != 200:
            self.build["state"] = f"not started ({answer.status_code if answer is not None else 'no answer'})"
            return
        deadline = run_end + BUILD_LIMIT_SECONDS + 60  # wait a minute past the limit, to say how late
        text = answer.text
        while True:
            if "/download?" in text:
                self.build.update(state="done", finished_after_end_s=round(loop.time() - run_end, 1),
                                  took_s=round(loop.time() - clicked, 1),
                                  files=sorted(set(re.findall(r"/download\?[^\"]*file=([^\"&]+)", text))))
                return
            if 'class="notice error"' in text:
                self.build.update(state="failed", error=re.sub(r"<[^>]+>|\s+", " ", text)[:300])
                return
            if loop.time() > deadline:
                self.build["state"] = "unfinished"
                return
            await asyncio.sleep(BUILD_POLL_SECONDS)
            status = await self.request("status", "GET", "/build/status", params={"deck": self.who.deck})
            text = status.text if status is not None and status.status_code == 200 else ""

    async def stored_statement(self) -> str | None:
        """The statement of this coordinator's lesson as the server shows it now."""
        answer = await self.request("read-back", "GET", "/edit",
                                    params={"deck": self.who.deck, "view": "lesson", "lesson": self.lesson})
        if answer is None or answer.status_code != 200:
            return None
        return lesson_form(answer.text).get("statement")


def print_form(page: str) -> dict[str, object]:
    """The fields a click on the build button sends: the editor's state and the print form as the
    page has them (checked radios and boxes, selected options, text as shown)."""
    fields: dict[str, list[str]] = {}
    for part in (re.search(r'<div id="editor-state".*?</div>', page, re.DOTALL),
                 re.search(r'<form id="print-options".*?</form>', page, re.DOTALL)):
        if part is None:
            continue
        text = part.group(0)
        for tag in re.findall(r"<input[^>]*>", text):
            name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
            kind = re.search(r'type="([^"]+)"', tag)
            kind = kind.group(1) if kind else "text"
            if not name or kind in ("submit", "file", "button"):
                continue
            if kind in ("checkbox", "radio") and not re.search(r"\schecked\b", tag):
                continue
            fields.setdefault(name.group(1), []).append(html.unescape(value.group(1)) if value else "on")
        for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', text, re.DOTALL):
            chosen = re.search(r'<option value="([^"]*)" selected', body) or re.search(r'<option value="([^"]*)"', body)
            fields[name] = [html.unescape(chosen.group(1)) if chosen else ""]
        for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', text, re.DOTALL):
            fields[name] = [html.unescape(value)]
    return {name: values[0] if len(values) == 1 else values for name, values in fields.items()}


async def simulate(people: list[Coordinator], base: str, seconds: float, interval: float, seed: int,
                   record: Record) -> tuple[list[Person], float]:
    rng = random.Random(seed)
    crowd = [Person(who, base, record, random.Random(rng.random())) for who in people]
    loop = asyncio.get_running_loop()
    record.started = time.perf_counter()
    gate = asyncio.Semaphore(5)  # people arrive over a few seconds, not in one instant

    async def arrive(person: Person) -> bool:
        async with gate:
            if not await person.sign_in():
                return False
            await person.choose_lesson()
            return True

    signed = await asyncio.gather(*(arrive(person) for person in crowd))
    present = [person for person, ok in zip(crowd, signed) if ok]
    print(f"  {len(present)} of {len(crowd)} coordinators signed in; the run begins", flush=True)
    record.loop_start = start = loop.time()
    record.started = time.perf_counter()
    began = utc_now()
    end = start + seconds
    tasks = []
    for person in present:
        tasks.append(person.act(start + person.rng.uniform(0, interval), interval, end))
        tasks.append(person.build_kit(start + person.rng.uniform(0, seconds), end))
    await asyncio.gather(*tasks)
    record.window = (began, utc_now())
    return crowd, end - start


def utc_now() -> str:
    """Now as the servers' request log writes times."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


async def check_saves(crowd: list[Person]) -> list[dict]:
    """Each coordinator's last confirmed statement, as the server shows it after the run."""
    found = []
    for person in crowd:
        if person.saved is None and not person.unconfirmed:
            continue
        shown = await person.stored_statement()
        found.append({"coordinator": person.who.number, "team": person.who.team, "deck": person.who.deck,
                      "lesson": person.lesson, "saved": person.saved, "unconfirmed": list(person.unconfirmed),
                      "shown": shown})
    for person in crowd:
        await person.client.aclose()
    return found


def exported_statements(url: str, data: Path, folder: Path, teams: set[str]) -> dict[str, str]:
    """Every string of each team's exported deck files (``serve admin export``), by deck path."""
    texts: dict[str, str] = {}
    for number, team in enumerate(sorted(teams), 1):
        target = folder / f"export-{number:02d}"
        admin(url, data, "export", team, str(target))
        for path in target.rglob("*.yaml"):
            texts[path.relative_to(target).as_posix()] = "\n".join(strings(yaml.safe_load(path.read_text("utf-8"))))
    return texts


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def server_times(logs: list[Path], window: tuple[str, str]) -> dict[str, list[float]]:
    """The servers' own milliseconds per kind, from their JSON request logs (requests between the
    run's start and its last build's end; ``/edit`` of every view is a page there)."""
    times: dict[str, list[float]] = {}
    for log in logs:
        for line in log.read_text("utf-8", errors="replace").splitlines():
            if not line.startswith("{"):
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            kind = SERVER_KINDS.get(entry.get("path"))
            if kind and window[0] <= entry.get("time", "") <= window[1]:
                times.setdefault(kind, []).append(float(entry["ms"]))
    return times


# --- the report ----------------------------------------------------------------------------------

def summary(values: list[float]) -> dict:
    if not values:
        return {"count": 0}
    return {"count": len(values), "median_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1), "max_ms": round(max(values), 1)}


def report(args, record: Record, crowd: list[Person], seconds: float, saves: list[dict],
           exported: dict[str, str], server: dict[str, list[float]], served: dict[int, int]) -> dict:
    kinds = {kind: {**summary(record.times[kind]), "statuses": record.statuses[kind],
                    "errors": sum(1 for e in record.errors if e["kind"] == kind)} for kind in KINDS}
    builds = [person.build for person in crowd if person.build]
    done = [b for b in builds if b.get("state") == "done"]
    latest = max((b["finished_after_end_s"] for b in done), default=None)
    took = [b["took_s"] for b in done]
    lost_saves = []
    for save in saves:
        expected = [save["saved"], *save["unconfirmed"]] if save["saved"] else save["unconfirmed"]
        in_export = any(text in exported.get(save["deck"], "") for text in expected)
        shown_ok = save["shown"] in expected
        save.update(in_export=in_export, shown_ok=shown_ok)
        if not (in_export and shown_ok):
            lost_saves.append(save)
    users = len(crowd)
    targets = [
        {"target": "p95 of pages ≤ 1 s", "value": kinds["page"].get("p95_ms"), "limit": TARGETS_MS["page"]},
        {"target": "p95 of previews ≤ 2 s", "value": kinds["preview"].get("p95_ms"), "limit": TARGETS_MS["preview"]},
        {"target": f"every build finished ≤ {BUILD_LIMIT_SECONDS:.0f} s after the end",
         "value": f"{len(done)}/{users} done, latest {latest if latest is not None else '-'} s after the end",
         "pass": len(done) == users and latest is not None and latest <= BUILD_LIMIT_SECONDS},
        {"target": "no request lost", "value": f"{len(record.errors)} lost", "pass": not record.errors},
        {"target": "no save lost", "value": f"{len(lost_saves)} of {len(saves)} decks differ",
         "pass": not lost_saves and len(saves) > 0},
    ]
    for target in targets[:2]:
        target["pass"] = target["value"] is not None and target["value"] <= target["limit"]
    return {
        "settings": {"users": args.users, "minutes": args.minutes, "processes": args.processes,
                     "interval_s": args.interval, "seed": args.seed, "one_address": args.one_address,
                     "cpus": os.cpu_count(), "load_average_before": args.load_before},
        "run_seconds": round(seconds, 1), "actions": record.actions, "late_actions": record.late_actions,
        "conflicts": record.conflicts, "requests_per_server": {str(k): v for k, v in served.items()},
        "client_ms": kinds, "server_ms": {kind: summary(values) for kind, values in server.items()},
        "builds": {"asked": len(builds), "done": len(done), "latest_after_end_s": latest,
                   "took_median_s": round(statistics.median(took), 1) if took else None,
                   "took_max_s": max(took) if took else None,
                   "failed": [b for b in builds if b.get("state") != "done"],
                   "each": sorted(builds, key=lambda b: b["coordinator"])},
        "saves": {"checked": len(saves), "lost": lost_saves},
        "errors": record.errors[:100], "error_count": len(record.errors),
        "targets": targets, "pass": all(t["pass"] for t in targets),
    }


def print_report(result: dict) -> None:
    s = result["settings"]
    print(f"\n{s['users']} coordinators, {s['processes']} server processes, {result['run_seconds']:.0f} s, "
          f"one action per {s['interval_s']:g} s; {result['actions']} actions ({result['late_actions']} started "
          f">1 s late), {result['conflicts']} conflicts; requests per server {result['requests_per_server']}")
    print(f"\n{'kind':<12} {'count':>6} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'errors':>7}   "
          f"{'server median':>13} {'server p95':>10}")
    for kind, row in result["client_ms"].items():
        server = result["server_ms"].get(kind, {})
        if not row["count"] and not row["errors"]:
            continue
        print(f"{kind:<12} {row['count']:>6} {row.get('median_ms', float('nan')):>10.0f} "
              f"{row.get('p95_ms', float('nan')):>8.0f} {row.get('max_ms', float('nan')):>8.0f} {row['errors']:>7}   "
              f"{server.get('median_ms', float('nan')):>13.0f} {server.get('p95_ms', float('nan')):>10.0f}")
    print("(landing: the deck page right after signing in, before the run; print-page: the print view opened "
          "before each build;\n read-back: the lesson pages read after the run; server: the servers' request logs "
          "during the run, where page is every /edit)")
    b = result["builds"]
    print(f"\nbuilds: {b['done']} of {b['asked']} done, the latest {b['latest_after_end_s']} s after the end; "
          f"click to downloads: median {b['took_median_s']} s, max {b['took_max_s']} s")
    for build in b["failed"]:
        print(f"  not done: {build}")
    print(f"saves: {result['saves']['checked']} decks checked, {len(result['saves']['lost'])} differ")
    for save in result["saves"]["lost"][:10]:
        print(f"  lost: {save}")
    for port, died in result.get("servers_died", {}).items():
        print(f"server on port {port} stopped during the run (exit {died['exit']}); it said:")
        for line in died["said"][:12]:
            print(f"  {line}")
    if result["error_count"]:
        print(f"lost requests: {result['error_count']}, the first ones:")
        for error in result["errors"][:10]:
            print(f"  {error}")
    print()
    for target in result["targets"]:
        value = target["value"]
        shown = f"{value:.0f} ms" if isinstance(value, float) else str(value)
        print(f"{'PASS' if target['pass'] else 'FAIL'}  {target['target']}: {shown}")


# --- the whole run -------------------------------------------------------------------------------

def run(args) -> int:
    args.load_before = os.getloadavg()[0]
    people = coordinators(args.users, args.one_address)
    folder = Path(tempfile.mkdtemp(prefix="bench-serve-load-"))
    try:
        with ExitStack() as stack:
            began = time.monotonic()
            server = stack.enter_context(postgresql([folder / "postgresql.log"] if args.logs else []))
            url = server.url(server.create_database())
            data = folder / "data"
            print(f"PostgreSQL on port {server.port}; making {len(people)} accounts in "
                  f"{len({p.team for p in people})} teams and their decks …", flush=True)
            set_up(url, data, folder, people)
            ports = [free_port() for _ in range(args.processes)]
            servers = [stack.enter_context(server_process(url, data, port)) for port in ports]
            proxy = stack.enter_context(RoundRobinProxy(ports, keep_address=not args.one_address))
            base = f"http://127.0.0.1:{proxy.port}"
            print(f"set up in {time.monotonic() - began:.0f} s; {args.processes} servers behind {base}", flush=True)
            record = Record()
            crowd, seconds, saves = asyncio.run(run_crowd(people, base, args, record))
            exported = exported_statements(url, data, folder, {p.team for p in people})
            served = {port: proxy.served.count(port) for port in ports}
            stopped = {port: process.poll() for port, process in zip(ports, servers)}  # None: still up
        # the servers have stopped: their logs are complete
        logs = sorted(folder.glob("serve-*.log"))
        result = report(args, record, crowd, seconds, saves, exported, server_times(logs, record.window), served)
        result["servers_died"] = {str(port): {"exit": code, "said": not_json(folder / f"serve-{port}.log")}
                                  for port, code in stopped.items() if code is not None}
        result["targets"].append({"target": "every server up until the end",
                                  "value": f"{len(result['servers_died'])} of {len(ports)} died",
                                  "pass": not result["servers_died"]})
        result["pass"] = all(t["pass"] for t in result["targets"])
        if args.logs:
            target = Path(args.logs)
            target.mkdir(parents=True, exist_ok=True)
            for log in [*logs, folder / "postgresql.log"]:
                if log.exists():
                    shutil.copy(log, target / log.name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_report(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nJSON: {args.json}")
    return 0 if result["pass"] else 1


async def run_crowd(people, base, args, record) -> tuple[list[Person], float, list[dict]]:
    crowd, seconds = await simulate(people, base, args.minutes * 60, args.interval, args.seed, record)
    print("  run over (builds waited for); reading every saved lesson back …", flush=True)
    return crowd, seconds, await check_saves(crowd)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50, help="simulated coordinators (default 50)")
    parser.add_argument("--minutes", type=float, default=5.0, help="length of the run (default 5)")
    parser.add_argument("--processes", type=int, default=2, help="dialoogkit serve processes (default 2)")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between a coordinator's actions")
    parser.add_argument("--seed", type=int, default=23, help="random seed of offsets and build moments")
    parser.add_argument("--one-address", action="store_true",
                        help="every coordinator from 127.0.0.1, as the servers see them behind Caddy or nginx")
    parser.add_argument("--json", metavar="FILE", help="write the report as JSON to FILE")
    parser.add_argument("--logs", metavar="DIR", help="copy the servers' and PostgreSQL's logs into DIR")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
