"""A team's own pages on a team server: its people, its audit log and the history of its files.

In: the signed-in visitor (``studio.visitor``; the gate has already checked the role), the database,
a way to reach the team's storage, and the forms of these pages.
Out: the routes ``GET /people``, ``POST /people/add``, ``POST /people/role``, ``POST
/people/remove`` (managers), ``GET /audit`` (managers), ``GET /history?file=…[&a=…&b=…]`` (every
role: the versions of one file, and two of them compared field by field) and ``POST
/history/restore`` (makers: a restore is a new version), ``GET /export.zip`` (every role: the
team's files as a zip, byte-identical) and ``POST /import`` (makers: a zip of decks, results and
logos made elsewhere). Every change is in the audit log.
"""

from __future__ import annotations

from typing import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dialoogkit.serve import history
from dialoogkit.serve.accounts import audit_entries, create_user, members_of, record
from dialoogkit.serve.archive import ArchiveRefused, slug_of, unzip_into_team, zip_team
from dialoogkit.serve.database import Database
from dialoogkit.serve.models import ROLES, utc_now
from dialoogkit.serve.people import LastManager, remove_member, set_role
from dialoogkit.serve.problems import AccountProblem
from dialoogkit.studio.visitor import Visitor, current_visitor

MAX_PATH = 512


def team_routes(db: Database, storage_of: Callable[[str], object], render: Callable[..., Response]) -> list:
    """The routes of this module; ``storage_of(team id)`` gives the team's storage."""

    def visitor() -> Visitor:
        found = current_visitor()
        assert found is not None  # the gate lets no one here unsigned
        return found

    async def people(request: Request, message: str | None = None, status: int = 200, **values) -> Response:
        members = await run_in_threadpool(members_of, db, visitor().team_id)
        return render(request, "people.html", status=status, members=members, roles=ROLES, message=message,
                      values=values)

    async def add(request: Request) -> Response:
        form = await request.form()
        email, role = str(form.get("email", ""))[:320], str(form.get("role", ""))
        here = visitor()
        try:
            await run_in_threadpool(lambda: create_user(db, email, here.team_name, role, None, actor=here.email))
        except AccountProblem as problem:
            return await people(request, problem.format_message(), 422, email=email)
        return RedirectResponse("/people", status_code=303)

    async def change(request: Request) -> Response:
        form = await request.form()
        email, role, here = str(form.get("email", ""))[:320], str(form.get("role", "")), visitor()
        try:
            await run_in_threadpool(set_role, db, here.team_id, email, role, here.email, utc_now())
        except LastManager:
            return await people(request, "studio.people.last_manager", 409)
        except AccountProblem as problem:
            return await people(request, problem.format_message(), 422)
        return RedirectResponse("/people", status_code=303)

    async def remove(request: Request) -> Response:
        form = await request.form()
        email, here = str(form.get("email", ""))[:320], visitor()
        try:
            await run_in_threadpool(remove_member, db, here.team_id, email, here.email, utc_now())
        except LastManager:
            return await people(request, "studio.people.last_manager", 409)
        except AccountProblem as problem:
            return await people(request, problem.format_message(), 422)
        return RedirectResponse("/people", status_code=303)

    async def audit(request: Request) -> Response:
        entries = await run_in_threadpool(audit_entries, db, visitor().team_id)
        return render(request, "audit.html", entries=entries)

    async def versions(request: Request) -> Response:
        path = request.query_params.get("file", "")[:MAX_PATH]
        team_id = visitor().team_id
        listed = await run_in_threadpool(history.list_versions, db, team_id, path)
        if not listed:
            return render(request, "history.html", status=404, file=path, versions=[], changes=None, a=None, b=None)
        a, b = _number(request.query_params.get("a")), _number(request.query_params.get("b"))
        changes = None
        if a and b:
            old = await run_in_threadpool(history.version_bytes, db, team_id, path, a)
            new = await run_in_threadpool(history.version_bytes, db, team_id, path, b)
            if old is not None and new is not None:
                changes = history.compare(old, new)
        return render(request, "history.html", file=path, versions=listed, changes=changes, a=a, b=b)

    async def restore(request: Request) -> Response:
        form = await request.form()
        path, number, here = str(form.get("file", ""))[:MAX_PATH], _number(str(form.get("number", ""))), visitor()
        listed = await run_in_threadpool(history.list_versions, db, here.team_id, path)
        if not number or number not in {v.number for v in listed}:
            return render(request, "history.html", status=404, file=path, versions=listed, changes=None, a=None,
                          b=None)
        storage = storage_of(here.team_id)
        await run_in_threadpool(storage.sync)
        await run_in_threadpool(history.restore, db, storage, path, number, here.email)
        return RedirectResponse(f"/history?file={_quoted(path)}", status_code=303)

    async def export_zip(request: Request) -> Response:
        here = visitor()
        data = await run_in_threadpool(zip_team, db, here.team_id)
        await run_in_threadpool(record, db, here.team_id, here.email, "export", "", utc_now())
        name = f"dialoogkit-{slug_of(here.team_name) or 'team'}.zip"
        return Response(data, media_type="application/zip", headers={
            "content-disposition": f"attachment; filename*=UTF-8''{_quoted(name)}", "cache-control": "no-store"})

    async def import_zip(request: Request) -> Response:
        form = await request.form()
        upload = form.get("archive")
        here = visitor()
        data = await upload.read() if hasattr(upload, "read") else b""
        storage = storage_of(here.team_id)
        await run_in_threadpool(storage.sync)
        try:
            stored = await run_in_threadpool(unzip_into_team, db, storage, data, here.email)
        except ArchiveRefused as refused:
            return render(request, "refused.html", status=422, message=refused.key, fields=refused.fields)
        return RedirectResponse(f"/?imported={len(stored)}", status_code=303)

    return [Route("/people", people, methods=["GET"]), Route("/people/add", add, methods=["POST"]),
            Route("/people/role", change, methods=["POST"]), Route("/people/remove", remove, methods=["POST"]),
            Route("/audit", audit, methods=["GET"]), Route("/history", versions, methods=["GET"]),
            Route("/history/restore", restore, methods=["POST"]),
            Route("/export.zip", export_zip, methods=["GET"]), Route("/import", import_zip, methods=["POST"])]


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 9 else None


def _quoted(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="")
