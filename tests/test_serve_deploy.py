"""For IT (issue 23, item 5): the deploy files run what the project tests, and the backup and restore
of ``deploy/README.md`` work exactly as written.

- The backup and restore blocks of ``deploy/README.md`` (marked ``<!-- tested: NAME -->``) run as
  written, with ``bash -eu``, on SQLite (the default: the database in the data folder) and on a
  throw-away PostgreSQL (``pg_dump``/``pg_restore`` from the cluster's own ``bin`` folder), while
  ``dialoogkit serve`` runs on the source. The restored database and data folder have the same
  teams, accounts (a password signs in through ``verify_sign_in``), every file version, the audit
  log, the same ``serve admin export`` bytes and the same kit files, and the real server starts on
  them and signs a person in.
- The ``Dockerfile`` installs what ``.ci/run`` installs: the same project folder with pip, the one
  documented difference (no ``test`` extra, and not editable) asserted, the test tools imported
  nowhere under ``src/``, everything ``pyproject.toml`` names copied in and not ignored by
  ``.dockerignore``; its Python satisfies ``requires-python``; its command is ``dialoogkit serve``
  on 0.0.0.0, parsed by the real command line (click), not root, a health check on ``/healthz``.
- ``deploy/compose.yaml`` builds that Dockerfile for two app servers against the PostgreSQL service,
  sharing one data volume, behind Caddy (``deploy/Caddyfile``: the two servers, ``/readyz``); the
  single sign-on example's ``--trusted-proxy`` is the proxy's address, and its Caddy route removes
  a browser's ``Remote-User`` before the sign-on portal sets it.
- ``deploy/dialoogkit.service``'s ``ExecStart`` is a valid ``dialoogkit serve`` command line with the
  hardening the brief asks for; every ``dialoogkit`` command in the READMEs parses.
Images cannot be pulled here, so the Dockerfile is not built.
"""

from __future__ import annotations

import ast
import ipaddress
import json
import os
import posixpath
import re
import shlex
import subprocess
import tarfile
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import click
import httpx
import pytest
import yaml
from click.testing import CliRunner
from pg import postgresql_server  # noqa: F401  (fixture)
from serve_support import PASSWORD, free_port, serve_process, sign_in
from sqlalchemy import select
from sqlalchemy.engine import make_url

from dialoogkit.cli import main
from dialoogkit.serve import accounts
from dialoogkit.serve.database import (
    DATABASE_FILE,
    default_database_url,
    driver_url,
    is_current,
    open_database,
)
from dialoogkit.serve.models import (
    Account,
    AuditEntry,
    FileVersion,
    Membership,
    StoredFile,
    Team,
)
from dialoogkit.serve.problems import SignInRefused

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
DECKS = ROOT / "src" / "dialoogkit" / "cards" / "data" / "decks"
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
TESTED_BLOCKS = {"backup-postgresql", "backup-sqlite", "restore-postgresql", "restore-sqlite"}
# The one difference between the image's install and CI's, and why: the image runs the server, no tests.
TEST_ONLY_EXTRAS = {"test"}


# -- the deploy README's tested blocks -------------------------------------------------------------

def readme_blocks(path: Path = DEPLOY / "README.md") -> dict[str, str]:
    """The shell blocks marked ``<!-- tested: NAME -->`` (the line right before the fence)."""
    text = path.read_text("utf-8")
    found = re.findall(r"<!-- tested: ([a-z-]+) -->\n```sh\n(.*?)\n```", text, flags=re.DOTALL)
    assert len(found) == text.count("<!-- tested:"), "a tested marker is not right before a ```sh block"
    return dict(found)


def run_block(name: str, env: dict[str, str]) -> None:
    block = readme_blocks()[name]
    result = subprocess.run(["bash", "-eu", "-o", "pipefail", "-c", block], env=env, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, f"deploy/README.md block {name} failed:\n{result.stderr}"


def admin(*args: str, options: list[str], stdin: str | None = None) -> str:
    """``dialoogkit serve admin ARGS OPTIONS`` through the real command line; its output."""
    result = CliRunner().invoke(main, ["serve", "admin", *args, *options], input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def database_state(url: str) -> dict[str, list]:
    """Everything the restore must bring back, row by row (ids included)."""
    db = open_database(url)
    try:
        with db.session(read_only=True) as session:
            return {
                "teams": session.execute(select(Team.id, Team.name, Team.created_at).order_by(Team.id)).all(),
                "accounts": session.execute(select(Account.id, Account.email, Account.password_hash)
                                            .order_by(Account.id)).all(),
                "memberships": session.execute(select(Membership.account_id, Membership.team_id, Membership.role)
                                               .order_by(Membership.account_id, Membership.team_id)).all(),
                "versions": session.execute(select(StoredFile.team_id, StoredFile.path, StoredFile.current_number,
                                                   FileVersion.number, FileVersion.author, FileVersion.saved_at,
                                                   FileVersion.sha256, FileVersion.data)
                                            .join(FileVersion, FileVersion.file_id == StoredFile.id)
                                            .order_by(StoredFile.path, FileVersion.number)).all(),
                "audit": session.execute(select(AuditEntry.team_id, AuditEntry.actor, AuditEntry.action,
                                                AuditEntry.subject).order_by(AuditEntry.id)).all(),
            }
    finally:
        db.dispose()


def files_under(folder: Path, leave_out: frozenset[str] = frozenset()) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and path.relative_to(folder).as_posix() not in leave_out}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_backup_and_restore_exactly_as_the_deploy_readme_says(kind, request, tmp_path):
    data, new_data = tmp_path / "data", tmp_path / "restored-data"
    backup = tmp_path / "backups" / "2025-03-01"
    env = {**os.environ, "DATA": str(data), "NEW_DATA": str(new_data), "BACKUP": str(backup)}
    if kind == "postgresql":
        server = request.getfixturevalue("postgresql_server")
        url, new_url = server.url(server.create_database()), server.url(server.create_database())
        env.update(DATABASE=url, NEW_DATABASE=new_url, PATH=f"{server.bin_dir}{os.pathsep}{env['PATH']}")
        options = ["--database", url, "--data", str(data)]
        new_options = ["--database", new_url, "--data", str(new_data)]
    else:  # the default: SQLite in the data folder, no --database
        url, new_url = default_database_url(data), default_database_url(new_data)
        options, new_options = ["--data", str(data)], ["--data", str(new_data)]

    # a team as IT sets it up: a beheerder and a maker with passwords, a lezer through single sign-on,
    # decks and a logo imported, then a deck changed and imported again (a second version)
    admin("create-user", "anna@example.nl", "--team", "Wijk Noord", "--role", "beheerder", "--password-stdin",
          options=options, stdin=PASSWORD + "\n")
    admin("create-user", "bob@example.nl", "--team", "Wijk Noord", "--role", "maker", "--password-stdin",
          options=options, stdin="nog-een-wachtwoord\n")
    admin("create-user", "carla@example.nl", "--team", "Wijk Noord", "--role", "lezer", options=options)
    decks = tmp_path / "decks"
    (decks / "regio").mkdir(parents=True)
    for deck in DECKS.glob("*.yaml"):
        (decks / deck.name).write_bytes(deck.read_bytes())
    (decks / "regio" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(4096))
    assert "3 file(s)" in admin("import", "Wijk Noord", str(decks), options=options)
    (decks / "standaard.yaml").write_bytes((decks / "standaard.yaml").read_bytes() + b"# na de sessie\n")
    assert "1 file(s)" in admin("import", "Wijk Noord", str(decks), options=options)
    team = accounts.find_team(open_database(url), "Wijk Noord")
    kit = data / "teams" / team.id / "kits" / ("0" * 32)  # stands for a built kit (built kits live here)
    kit.mkdir(parents=True)
    (kit / "cards-sheets.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(65536))

    # back up while the server runs (and has just signed someone in: a session and an audit entry)
    port = free_port()
    with serve_process(url, data, port):
        sign_in(f"http://127.0.0.1:{port}", "anna@example.nl").close()
        run_block(f"backup-{kind}", env)
    live = frozenset({DATABASE_FILE, DATABASE_FILE + "-wal", DATABASE_FILE + "-shm"})
    with tarfile.open(backup / "data.tar.gz") as archive:
        names = {Path(name).as_posix().removeprefix("./") for name in archive.getnames()}
    assert not names & live, "the live SQLite files must not be in the data folder's archive"
    assert "teams/" + team.id + "/kits/" + "0" * 32 + "/cards-sheets.pdf" in names

    run_block(f"restore-{kind}", env)

    # the same rows, the same data folder, the same export
    before, after = database_state(url), database_state(new_url)
    assert after == before
    assert len(after["versions"]) == 4 and {row.number for row in after["versions"]} == {1, 2}
    assert ("anna@example.nl", "sign-in") in {(row.actor, row.action) for row in after["audit"]}
    restored = open_database(new_url)
    try:
        assert is_current(restored)
        assert accounts.verify_sign_in(restored, "anna@example.nl", PASSWORD, NOW).email == "anna@example.nl"
        assert accounts.verify_sign_in(restored, "bob@example.nl", "nog-een-wachtwoord", NOW)
        with pytest.raises(SignInRefused):
            accounts.verify_sign_in(restored, "bob@example.nl", PASSWORD, NOW)
        assert accounts.account_for_remote_user(restored, "carla@example.nl").password_hash is None
        anna = accounts.verify_sign_in(restored, "anna@example.nl", PASSWORD, NOW)
        assert [(t.id, t.name, role) for t, role in accounts.teams_of(restored, anna.id)] == [
            (team.id, "Wijk Noord", "beheerder")]
    finally:
        restored.dispose()
    assert files_under(new_data, live) == files_under(data, live)
    admin("export", "Wijk Noord", str(tmp_path / "export-before"), options=options)
    admin("export", "Wijk Noord", str(tmp_path / "export-after"), options=new_options)
    exported = files_under(tmp_path / "export-after")
    assert exported == files_under(tmp_path / "export-before") == files_under(decks)

    # and the restored server runs: ready, and a person signs in with their password
    port = free_port()
    with serve_process(new_url, new_data, port):
        assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10).text == "ready"
        client = sign_in(f"http://127.0.0.1:{port}", "anna@example.nl")
        try:
            assert client.get("/").status_code == 200
        finally:
            client.close()


def test_every_tested_block_is_run_by_the_backup_test():
    blocks = readme_blocks()
    assert set(blocks) == TESTED_BLOCKS
    assert "pg_dump --format=custom" in blocks["backup-postgresql"]
    assert ".backup(" in blocks["backup-sqlite"] and "pg_restore" in blocks["restore-postgresql"]


# -- Dockerfile and .ci/run ---------------------------------------------------------------------------

def dockerfile_instructions(path: Path = ROOT / "Dockerfile") -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments left out."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in path.read_text("utf-8").splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if pending and line.lstrip().startswith("#"):
            continue  # a comment inside a continued instruction
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        keyword, _, rest = whole.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def shell_commands(script: str) -> list[list[str]]:
    """The simple commands of a shell text (comments left out), split on new lines (but not on
    continued ones), ``&&``, ``||``, ``;``, ``&`` and ``|``."""
    commands: list[list[str]] = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        current: list[str] = []
        for token in lexer:
            if token and set(token) <= set(";&|"):
                commands.append(current)
                current = []
            else:
                current.append(token)
        commands.append(current)
    return [command for command in commands if command]


def apt_packages(commands: list[list[str]]) -> set[str]:
    """The packages of every ``apt-get install`` (up to a redirection)."""
    found = set()
    for command in commands:
        if command[:2] == ["apt-get", "install"]:
            for word in command[2:]:
                if word in ("<", ">", "2"):
                    break
                if not word.startswith("-"):
                    found.add(word)
    return found


def pip_installs(commands: list[list[str]]) -> list[dict]:
    """Each ``pip install``: its targets as (path, extras), whether editable, its options."""
    found = []
    for command in commands:
        words = command[2:] if command[:2] in (["python", "-m"], ["python3", "-m"]) else command
        if not words or Path(words[0]).name not in ("pip", "pip3") or words[1:2] != ["install"]:
            continue
        targets, editable, flags = [], False, []
        for word in words[2:]:
            if word in ("-e", "--editable"):
                editable = True
            elif word.startswith("-"):
                flags.append(word)
            else:
                match = re.fullmatch(r"(.+?)(?:\[([^\]]*)\])?", word)
                targets.append((match.group(1), frozenset(e.strip() for e in (match.group(2) or "").split(",") if e)))
        found.append({"targets": targets, "editable": editable, "flags": flags})
    return found


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_the_dockerfile_installs_what_ci_installs():
    docker = dockerfile_instructions()
    docker_runs = [command for keyword, text in docker if keyword == "RUN" for command in shell_commands(text)]
    ci = shell_commands((ROOT / ".ci" / "run").read_text("utf-8"))
    image, tested = pip_installs(docker_runs), pip_installs(ci)
    assert len(image) == 1 and len(tested) == 1, (image, tested)
    [(image_target, image_extras)], [(ci_target, ci_extras)] = image[0]["targets"], tested[0]["targets"]
    # the same project, with the same extras but the documented, test-only one
    assert image_target == ci_target == "."
    assert ci_extras - image_extras == TEST_ONLY_EXTRAS and not image_extras - ci_extras
    assert TEST_ONLY_EXTRAS <= set(pyproject()["project"]["optional-dependencies"])
    assert tested[0]["editable"] and not image[0]["editable"]  # an image is not developed in
    # every dependency of pyproject.toml comes with the project: nothing skips or replaces them
    for flags in (image[0]["flags"], tested[0]["flags"]):
        assert not {"--no-deps", "--no-index", "-r", "--requirement", "-c", "--constraint"} & set(flags), flags
    assert pyproject()["project"]["dependencies"]

    # the "." of the image's pip install is laid out like the repository for every file
    # pyproject.toml builds the project from (Docker's COPY: a folder's contents go to the target)
    workdir, layout = "/", {}
    for keyword, text in docker:
        if keyword == "WORKDIR":
            workdir = posixpath.join(workdir, text)
        elif keyword == "COPY":
            *sources, target = shlex.split(text)
            destination = posixpath.normpath(posixpath.join(workdir, target))
            for source in sources:
                whole = (ROOT / source).is_file() and (target.endswith("/") or target == ".")
                layout[source.rstrip("/")] = posixpath.join(destination, Path(source).name) if whole else destination
        elif keyword == "RUN" and "pip install" in text:
            break
    project = pyproject()
    where = project["tool"]["setuptools"]["packages"]["find"]["where"]
    needed = {"pyproject.toml", project["project"]["readme"], *where}
    for name in needed:
        assert layout.get(name) == posixpath.join(workdir, name), f"{name} is not copied to {workdir}/{name}: {layout}"
    ignored = [name for name in sorted(needed) for path in _files_of(ROOT / name) if dockerignored(path)]
    assert not ignored, f".dockerignore leaves out what the image installs: {ignored[:5]}"
    assert all(dockerignored(ROOT / name) for name in (".venv/bin/python", ".git/HEAD", "deploy/.env", "tests/pg.py"))

    # the Python of the image satisfies requires-python (CI runs on this interpreter too)
    from packaging.specifiers import SpecifierSet

    base = next(text for keyword, text in docker if keyword == "FROM")
    version = re.fullmatch(r"python:(\d+\.\d+)[-.\w]*", base)
    assert version and version.group(1) in SpecifierSet(project["project"]["requires-python"])

    # the test extra is for tests only: nothing under src/ imports it, and the run time needs none of
    # the system packages .ci/run adds for the tests (Chromium, LibreOffice, the PostgreSQL server)
    test_modules = {re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].strip().lower().replace("-", "_")
                    for extra in TEST_ONLY_EXTRAS for requirement in project["project"]["optional-dependencies"][extra]}
    imported = {name.split(".")[0] for path in (ROOT / "src").rglob("*.py") for name in _imports(path)}
    assert not test_modules & imported, test_modules & imported
    programs = {text for path in (ROOT / "src").rglob("*.py") for text in _code_strings(path)
                if re.search(r"soffice|libreoffice|chrom|playwright|initdb|pg_ctl", text, flags=re.IGNORECASE)}
    assert not programs, f"src/ calls a program the image does not install: {programs}"
    ci_apt, image_apt = apt_packages(ci), apt_packages(docker_runs)
    assert ci_apt >= {"chromium", "postgresql", "libreoffice-calc-nogui"}, ci_apt
    assert not ci_apt & image_apt, ci_apt & image_apt


def test_a_plain_install_holds_every_file_of_the_package():
    """The image (and the systemd install) run ``pip install .``, which puts into site-packages the
    modules and only the other files ``[tool.setuptools.package-data]`` names; CI's editable install
    reads them all from src/ and would never notice one left out (a template, a message table)."""
    package_data = pyproject()["tool"]["setuptools"]["package-data"]

    def declared(path: Path) -> bool:
        for package, patterns in package_data.items():
            folder = ROOT / "src" / Path(*package.split("."))
            if folder in path.parents:
                relative = path.relative_to(folder).as_posix()
                if any(re.fullmatch("".join("[^/]*" if part == "*" else re.escape(part)
                                            for part in re.split(r"(\*)", pattern)), relative) for pattern in patterns):
                    return True
        return False

    left_out = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "src" / "dialoogkit").rglob("*")
                      if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
                      and not declared(path))
    assert not left_out, f"pip install . leaves these out: name them in pyproject.toml's package-data: {left_out}"


def _files_of(path: Path) -> list[Path]:
    return [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                                           and not any(part.endswith(".egg-info") for part in p.parts)]


def dockerignored(path: Path) -> bool:
    """Whether ``.dockerignore`` keeps ``path`` out of the build context (Docker's rules: the last
    matching pattern wins, ``!`` takes back, a pattern matching a folder matches what is in it)."""
    relative = path.relative_to(ROOT).as_posix()
    parts = relative.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    ignored = False
    for line in (ROOT / ".dockerignore").read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keep = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        regex = "".join(".*" if part == "**" else "[^/]*" if part == "*" else "[^/]" if part == "?" else re.escape(part)
                        for part in re.split(r"(\*\*|\*|\?)", pattern))
        regex = regex.replace(".*/", "(.*/)?")
        if any(re.fullmatch(regex, prefix) for prefix in prefixes):
            ignored = not keep
    return ignored


def _code_strings(path: Path) -> list[str]:
    """The string constants of a module that are not docstrings (a program's name would be one)."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)
                  and isinstance(node.value, ast.Constant)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def serve_context(args: list[str]) -> click.Context:
    """Parse ``dialoogkit ARGS`` with the real command line (types, ranges, choices), without
    running it; the context of the last command named."""
    context = main.make_context("dialoogkit", list(args))
    while isinstance(context.command, click.Group):
        rest = [*getattr(context, "_protected_args", []), *context.args]
        if not rest:
            break
        name, command, rest = context.command.resolve_command(context, rest)
        context = command.make_context(name, rest, parent=context)
    return context


def test_the_image_runs_dialoogkit_serve_on_every_interface():
    docker = dockerfile_instructions()
    [cmd] = [json.loads(text) for keyword, text in docker if keyword == "CMD"]
    assert cmd[:2] == ["dialoogkit", "serve"]
    context = serve_context(cmd[1:])
    assert context.command.name == "serve"
    assert context.params["host"] == "0.0.0.0" and context.params["data_dir"] == Path("/data")
    assert [text for keyword, text in docker if keyword == "EXPOSE"] == [str(context.params["port"])] == ["8080"]
    # `dialoogkit` is the venv's: the venv pip installed into is first on PATH
    [venv] = {command[command.index("venv") + 1] for keyword, text in docker if keyword == "RUN"
              for command in shell_commands(text) if command[1:3] == ["-m", "venv"]}
    assert any(text.startswith(f"PATH={venv}/bin:") for keyword, text in docker if keyword == "ENV"
               for text in shlex.split(text))
    [user] = [text for keyword, text in docker if keyword == "USER"]
    assert user.split(":")[0] not in ("root", "0")
    [health] = [text for keyword, text in docker if keyword == "HEALTHCHECK"]
    assert "http://127.0.0.1:8080/healthz" in health
    [entry] = [json.loads(text) for keyword, text in docker if keyword == "ENTRYPOINT"]
    assert entry[0] == "tini" and any("install" in text and " tini" in text for keyword, text in docker
                                      if keyword == "RUN")


# -- compose and Caddy ----------------------------------------------------------------------------

def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))


def active_caddyfile() -> str:
    return "\n".join(line for line in (DEPLOY / "Caddyfile").read_text("utf-8").splitlines()
                     if not line.lstrip().startswith("#"))


def test_compose_runs_two_app_servers_against_postgresql_behind_caddy():
    services, volumes = compose()["services"], compose()["volumes"]
    apps = {name: service for name, service in services.items() if "build" in service}
    assert set(apps) == {"app1", "app2"}
    [db] = [name for name, service in services.items() if str(service.get("image", "")).startswith("postgres:")]
    [proxy] = [name for name, service in services.items() if str(service.get("image", "")).startswith("caddy:")]
    data_volumes = set()
    for app in apps.values():
        build = app["build"]
        assert (DEPLOY / build["context"]).resolve() == ROOT and (ROOT / build["dockerfile"]).is_file()
        context = serve_context(app["command"][1:])
        assert app["command"][:2] == ["dialoogkit", "serve"] and context.command.name == "serve"
        assert context.params["host"] == "0.0.0.0"
        database = make_url(driver_url(context.params["database_url"]))
        assert database.get_backend_name() == "postgresql" and database.host == db
        assert database.password is None and "PGPASSWORD" in app["environment"]  # libpq reads it
        assert database.username == services[db]["environment"]["POSTGRES_USER"]
        assert database.database == services[db]["environment"]["POSTGRES_DB"]
        assert app["depends_on"][db]["condition"] == "service_healthy"
        [mount] = [v for v in app["volumes"] if v.split(":")[1] == str(context.params["data_dir"])]
        data_volumes.add(mount.split(":")[0])
        assert "ports" not in app  # reachable through the proxy only
    assert len(data_volumes) == 1 and data_volumes <= set(volumes)  # one shared data folder
    # PostgreSQL: the official image, a named volume, a health check
    assert any(f"{name}:/var/lib/postgresql/data" in services[db]["volumes"] for name in volumes)
    assert "pg_isready" in " ".join(services[db]["healthcheck"]["test"])
    # Caddy: the Caddyfile, HTTPS for the configured domain, both app servers, their readiness
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in services[proxy]["volumes"]
    assert any(str(port).startswith("443:443") for port in services[proxy]["ports"])
    caddyfile = active_caddyfile()
    assert "{$DIALOOGKIT_DOMAIN} {" in caddyfile and "DIALOOGKIT_DOMAIN" in services[proxy]["environment"]
    ports = {str(serve_context(app["command"][1:]).params["port"]) for app in apps.values()}
    [upstreams] = re.findall(r"^\s*reverse_proxy (.+) \{$", caddyfile, flags=re.MULTILINE)
    assert set(upstreams.split()) == {f"{name}:{port}" for name in apps for port in ports}
    assert "health_uri /readyz" in caddyfile
    assert "X-Forwarded-Proto" not in caddyfile  # Caddy sets it itself; removing or overriding it would break sign-in


def test_single_sign_on_trusts_the_proxy_and_only_it():
    text = (DEPLOY / "compose.yaml").read_text("utf-8")
    [address] = re.findall(r"#\s*- --trusted-proxy\n\s*#\s*- (\S+)", text)
    services, networks = compose()["services"], compose()["networks"]
    [(network, settings)] = [(name, value) for name, value in services["proxy"]["networks"].items()
                             if value and "ipv4_address" in value]
    assert settings["ipv4_address"] == address
    subnet = ipaddress.ip_network(networks[network]["ipam"]["config"][0]["subnet"])
    assert ipaddress.ip_address(address) in subnet
    command = [*services["app1"]["command"], "--trusted-proxy", address]
    assert serve_context(command[1:]).params["trusted"] == (address,)
    # the commented Caddy route: a browser's Remote-User is removed before the portal's is copied in
    caddy = (DEPLOY / "Caddyfile").read_text("utf-8")
    place = caddy.index("# route {")
    for step in ("request_header -Remote-User", "forward_auth", "copy_headers Remote-Email>Remote-User",
                 "reverse_proxy app1:8080 app2:8080"):
        place = caddy.index(step, place)  # ValueError when a step is missing or out of order


# -- systemd ---------------------------------------------------------------------------------------

def unit_settings(path: Path = DEPLOY / "dialoogkit.service") -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in path.read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_the_systemd_unit_runs_dialoogkit_serve_hardened():
    unit = unit_settings()
    service = unit["Service"]
    [exec_start] = service["ExecStart"]
    argv = shlex.split(exec_start)
    assert argv[0] == "/opt/dialoogkit/venv/bin/dialoogkit" and argv[1] == "serve"
    context = serve_context(argv[1:])
    assert context.command.name == "serve" and context.params["host"] == "127.0.0.1"
    data = str(context.params["data_dir"])
    assert data == "/var/lib/dialoogkit" and service["ReadWritePaths"] == [data]
    assert service["StateDirectory"] == ["dialoogkit"]  # makes /var/lib/dialoogkit for the user
    connect = make_url(driver_url(context.params["database_url"]))
    assert connect.get_backend_name() == "postgresql" and connect.password is None
    assert dict(connect.query)["host"] == "/var/run/postgresql"  # the Unix socket: peer authentication
    assert service["User"] == ["dialoogkit"] and service["Group"] == ["dialoogkit"]
    assert "ExecStartPre" not in service  # serve migrates itself
    for key, value in {"Restart": "on-failure", "NoNewPrivileges": "true", "ProtectSystem": "strict",
                       "PrivateTmp": "true", "ProtectHome": "true"}.items():
        assert service[key] == [value], key
    # the name finder's fallback cache is writable: $XDG_CACHE_HOME/dialoogkit is the CacheDirectory
    assert "XDG_CACHE_HOME=/var/cache" in service["Environment"] and service["CacheDirectory"] == ["dialoogkit"]
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


# -- the READMEs -----------------------------------------------------------------------------------

def dialoogkit_commands(markdown: str) -> list[list[str]]:
    """Every ``dialoogkit …`` command line in the ```sh blocks of a Markdown text."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", markdown, flags=re.DOTALL):
        for command in shell_commands(re.sub(r"<<'EOF'\n.*?\nEOF\n", "\n", block, flags=re.DOTALL)):
            for index, word in enumerate(command):
                program = word == "dialoogkit" or word.endswith("/bin/dialoogkit")
                if program and (index == 0 or command[index - 1] == "--" or command[index - 2:index - 1] == ["exec"]):
                    arguments = []
                    for part in command[index + 1:]:
                        if part in ("<", ">", "2>"):
                            break
                        arguments.append(part)
                    found.append(arguments)
                    break
    return found


def test_every_dialoogkit_command_in_the_readmes_parses():
    deploy = (DEPLOY / "README.md").read_text("utf-8")
    readme = (ROOT / "README.md").read_text("utf-8")
    [section] = re.findall(r"\n## For IT: .*?(?=\n## )", readme, flags=re.DOTALL)
    assert "deploy/README.md" in section
    commands = dialoogkit_commands(deploy) + dialoogkit_commands(section)
    assert len(commands) >= 3
    for arguments in commands:
        context = serve_context(arguments)
        assert context.command_path.startswith("dialoogkit serve"), arguments
