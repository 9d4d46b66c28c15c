"""The JSON API under /api/: the same actions as the pages, for scripts and other tools.

Sign in with POST /api/login, then send the session cookie and the returned csrf_token in
an `X-CSRF-Token` header on every POST. Errors always have the shape
`{"error": {"code": ..., "message": ...}}`. The OpenAPI spec is at /api/openapi.json.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from recallkit.explain import plain

from . import library, queries
from . import users as accounts
from .auth import require, sign_in, sign_out
from .errors import WebError
from .pages import cached_public, record, writer
from .permissions import User
from .routes import petition, review
from .routes.users import refresh_accounts
from .seed import seed_from_dice

router = APIRouter(prefix="/api", tags=["api"])


def ok(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(plain(data), status_code=status)


class Login(BaseModel):
    username: str
    password: str


class SeedIn(BaseModel):
    dice: str | None = Field(None, description="dice rolls as read aloud; separators ignored")
    seed: str | None = Field(None, description="the seed itself (digits)")
    size: int | None = Field(None, description="sample size; default from the rule pack")


class VerifyIn(BaseModel):
    mode: str = Field(..., pattern="^(sample|full)$")
    # false: a signature like the one on file settles no identity (a person decides)
    signature_identity: bool = True


class DecisionIn(BaseModel):
    key: str | None = None
    determination: str | None = None
    reason: str | None = None
    voter_id: str | None = None
    note: str = ""


class UserIn(BaseModel):
    username: str
    role: str
    password: str


@router.get("/openapi.json")
async def openapi(request: Request, user: User = Depends(require("api.schema"))) -> Response:
    return JSONResponse(request.app.openapi())


@router.post("/login")
async def login(request: Request, body: Login,
                user: User = Depends(require("session.login"))) -> Response:
    signed_in, session = sign_in(request, body.username.strip(), body.password)
    record(request, signed_in, "login")
    response = ok({"username": signed_in.username, "role": signed_in.role,
                   "csrf_token": session.csrf})
    request.app.state.sessions.set_cookie(response, session)
    return response


@router.post("/logout")
async def logout(request: Request, user: User = Depends(require("session.logout"))) -> Response:
    session = sign_out(request)
    record(request, user, "logout")
    response = ok({"signed_out": True})
    request.app.state.sessions.set_cookie(response, session)
    return response


@router.get("/public")
async def public(request: Request, user: User = Depends(require("dashboard.view"))) -> Response:
    data = await cached_public(request, queries.public_dashboard)
    record(request, user, "dashboard")
    return ok(data)


@router.get("/petition")
async def overview(request: Request, user: User = Depends(require("petition.view"))) -> Response:
    data = await writer(request).run(queries.overview)
    record(request, user, "overview")
    return ok(data)


@router.get("/imports")
async def imports(request: Request, user: User = Depends(require("imports.view"))) -> Response:
    data = await writer(request).run(queries.imports)
    record(request, user, "imports")
    return ok({"imports": data})


@router.post("/imports")
async def import_file(request: Request, kind: str = Form(...), file: UploadFile = File(...),
                      profile: str = Form("canonical"),
                      user: User = Depends(require("imports.run"))) -> Response:
    path = petition.save_upload(request.app.state.ws_path, file)
    report = await writer(request).run(petition.run_import, kind, path, user.actor, profile)
    record(request, user, "import", kind=kind)
    return ok({"kind": kind, "report": report}, status=201)


@router.get("/imports/{import_id}/rejects")
async def rejects(request: Request, import_id: int,
                  user: User = Depends(require("imports.rejects"))) -> Response:
    row = await writer(request).run(queries.import_row, import_id)
    record(request, user, "rejects download", import_id=import_id)
    return petition.rejects_response(request.app.state.ws_path, row)


@router.get("/seed")
async def seed_status(request: Request, user: User = Depends(require("sample.seed"))) -> Response:
    data = await writer(request).run(queries.seed_status)
    record(request, user, "seed status")
    return ok({"seed": data})


@router.post("/sample")
async def draw(request: Request, body: SeedIn,
               user: User = Depends(require("sample.seed"))) -> Response:
    try:
        seed = body.seed if body.seed is not None else seed_from_dice(body.dice or "")
        library.call("validate_seed")(seed)
    except ValueError as exc:
        raise WebError(400, "invalid_seed", str(exc)) from exc
    result = await writer(request).run(library.call("draw_sample"), seed, user.actor,
                                       size=body.size)
    record(request, user, "sample drawn")
    return ok({"seed": seed, "result": result}, status=201)


@router.post("/verify")
async def verify(request: Request, body: VerifyIn,
                 user: User = Depends(require("verify.start"))) -> Response:
    job = writer(request).start_job("verification", user.actor, library.call("verify"),
                                    mode=body.mode, actor=user.actor,
                                    signature_identity=body.signature_identity)
    record(request, user, "verification started", mode=body.mode,
           signature_identity=body.signature_identity)
    return ok({"job": job.as_dict()}, status=202)


@router.get("/progress")
async def progress(request: Request, user: User = Depends(require("progress.view"))) -> Response:
    w = writer(request)
    job = w.job.as_dict() if w.job else None
    data = None if job and job["state"] == "running" else await w.run(petition.progress_data)
    record(request, user, "progress")
    return ok({"job": job, "progress": data})


class CertifyIn(BaseModel):
    official: str = ""
    official_title: str = "Elections Official"


@router.post("/certify")
async def certify(request: Request, body: CertifyIn,
                  user: User = Depends(require("certify"))) -> Response:
    result = await writer(request).run(library.call("certify"), user.username,
                                       official=body.official.strip(),
                                       official_title=body.official_title.strip())
    record(request, user, "certified")
    return ok({"certificate": result}, status=201)


@router.get("/review/keys")
async def review_keys(request: Request, user: User = Depends(require("review.work"))) -> Response:
    data = review.keys()
    record(request, user, "keys")
    return ok({"keys": data})


@router.post("/review/next")
async def review_next(request: Request, user: User = Depends(require("review.work"))) -> Response:
    item = await writer(request).run(review.next_item, user.username)
    record(request, user, "next", line=item["line_id"] if item else None)
    return ok({"item": item})


@router.post("/review/items/{line_id}/decision")
async def review_decide(request: Request, line_id: str, body: DecisionIn,
                        user: User = Depends(require("review.work"))) -> Response:
    det, why = review._decision(body.key, body.determination, body.reason)
    data = await writer(request).run(review.decide_and_next, user.username, line_id, det, why,
                                     body.voter_id, body.note)
    record(request, user, "decide", line=line_id, determination=det, reason=why)
    return ok(data)


@router.post("/review/undo")
async def review_undo(request: Request, user: User = Depends(require("review.work"))) -> Response:
    data = await writer(request).run(review.undo_and_show, user.username)
    record(request, user, "undo", line=data["undone"])
    return ok(data)


@router.post("/review/release")
async def review_release(request: Request,
                         user: User = Depends(require("review.work"))) -> Response:
    n = await writer(request).run(review.release_all, user.username)
    record(request, user, "release", lines=n)
    return ok({"released": n})


@router.get("/determinations")
async def determinations(request: Request, section: str | None = None,
                         reason: str | None = None, determination: str | None = None,
                         limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0),
                         user: User = Depends(require("determinations.observe"))) -> Response:
    data = await writer(request).run(queries.determinations, section=section, reason=reason,
                                     determination=determination, limit=limit, offset=offset)
    record(request, user, "determinations", section=section, reason=reason)
    return ok(data)


@router.get("/users")
async def users(request: Request, user: User = Depends(require("users.view"))) -> Response:
    data = await writer(request).run(accounts.list_users)
    record(request, user, "users")
    return ok({"users": data})


@router.post("/users")
async def add_user(request: Request, body: UserIn,
                   user: User = Depends(require("users.manage"))) -> Response:
    await writer(request).run(accounts.add_user, body.username.strip(), body.role,
                              body.password, actor=user.actor)
    await refresh_accounts(request)
    record(request, user, "user added")
    return ok({"username": body.username.strip(), "role": body.role}, status=201)

