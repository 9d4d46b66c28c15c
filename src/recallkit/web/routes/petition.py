"""The supervisor's pages: overview, imports, seed ceremony, verification, progress,
certification."""

from __future__ import annotations

import hashlib
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response

from recallkit.explain import plain

from .. import library, queries
from ..auth import require
from ..errors import WebError
from ..pages import record, render, writer
from ..permissions import User
from ..seed import seed_from_dice

router = APIRouter()

IMPORT_KINDS = ("voters", "sections", "signatures", "withdrawals")
VERIFY_MODES = ("sample", "full")


@router.get("/petition")
async def overview(request: Request, user: User = Depends(require("petition.view"))) -> Response:
    data = await writer(request).run(queries.overview)
    record(request, user, "overview")
    return render(request, "petition.html", o=data)


# --- imports ------------------------------------------------------------------------


def save_upload(ws_path: Path, upload: UploadFile) -> Path:
    """Keep the uploaded file as WS/uploads/<time>/<its own name, made safe>."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(upload.filename or "upload.csv").name)
    folder = ws_path / "uploads" / f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    folder.mkdir(parents=True)
    target = folder / (name.lstrip(".") or "upload.csv")
    with target.open("wb") as out:
        shutil.copyfileobj(upload.file, out, length=1 << 20)
    return target


def profiles() -> list[str]:
    """Mapping profiles for county layouts (voter files); 'canonical' is our own layout."""
    from recallkit.workspace.profiles import builtin_profiles

    return ["canonical", *[p for p in builtin_profiles() if p != "canonical"]]


def run_import(ws: Any, kind: str, path: Path, actor: str, profile: str = "canonical") -> Any:
    if kind not in IMPORT_KINDS:
        raise ValueError(f"The kind of file must be one of: {', '.join(IMPORT_KINDS)}.")
    if profile not in profiles():
        raise ValueError(f"Unknown layout {profile!r}; choose one of {', '.join(profiles())}.")
    return library.call(f"import_{kind}")(ws, path, profile=profile, actor=actor)


@router.get("/imports")
async def imports_page(request: Request,
                       user: User = Depends(require("imports.view"))) -> Response:
    rows = await writer(request).run(queries.imports)
    record(request, user, "imports")
    return render(request, "imports.html", imports=rows, kinds=IMPORT_KINDS, report=None,
                  profiles=profiles())


@router.post("/imports")
async def import_file(request: Request, kind: str = Form(...), file: UploadFile = File(...),
                      profile: str = Form("canonical"),
                      user: User = Depends(require("imports.run"))) -> Response:
    path = save_upload(request.app.state.ws_path, file)
    report = await writer(request).run(run_import, kind, path, user.actor, profile)
    rows = await writer(request).run(queries.imports)
    record(request, user, "import", kind=kind)
    return render(request, "imports.html", imports=rows, kinds=IMPORT_KINDS, report=report,
                  report_kind=kind, report_file=file.filename, profiles=profiles())


@router.get("/imports/{import_id}/rejects")
async def rejects(request: Request, import_id: int,
                  user: User = Depends(require("imports.rejects"))) -> Response:
    row = await writer(request).run(queries.import_row, import_id)
    record(request, user, "rejects download", import_id=import_id)
    return rejects_response(request.app.state.ws_path, row)


def rejects_response(ws_path: Path, row: dict[str, Any]) -> FileResponse:
    if not row.get("rejects_file"):
        raise WebError(404, "not_found", "That import rejected no rows, so there is no file.")
    path = Path(row["rejects_file"])
    path = path if path.is_absolute() else ws_path / path
    # Only files inside the workspace are served.
    if not path.resolve().is_relative_to(ws_path.resolve()) or not path.is_file():
        raise WebError(404, "not_found", "The rejects file of that import is missing.")
    return FileResponse(path, media_type="text/csv", filename=path.name)


# --- the seed ceremony -------------------------------------------------------------------


@router.get("/seed")
async def seed_page(request: Request, user: User = Depends(require("sample.seed"))) -> Response:
    status = await writer(request).run(queries.seed_status)
    record(request, user, "seed page")
    return render(request, "seed.html", status=status, seed=None, message=None)


@router.post("/seed/check")
async def seed_check(request: Request, dice: str = Form(""),
                     user: User = Depends(require("sample.seed"))) -> Response:
    """Show the seed back before anything is written: people read it aloud and confirm."""
    status = await writer(request).run(queries.seed_status)
    if status is not None:
        return render(request, "seed.html", status=status, seed=None, status_code=409,
                      message="The seed is already locked; it cannot be changed (docs/sampling:"
                              " the seed is recorded before any draw and locked afterwards).")
    try:
        seed = seed_from_dice(dice)
        library.call("validate_seed")(seed)
    except ValueError as exc:
        return render(request, "seed.html", status=status, seed=None, message=str(exc),
                      dice=dice, status_code=400)
    record(request, user, "seed checked")
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()  # docs/sampling: seed_hash
    return render(request, "seed.html", status=status, seed=seed, seed_sha256=digest,
                  message=None)


@router.post("/seed/draw")
async def seed_draw(request: Request, seed: str = Form(...), size: int | None = Form(None),
                    user: User = Depends(require("sample.seed"))) -> Response:
    result = await writer(request).run(library.call("draw_sample"), seed, user.actor,
                                       size=size)
    record(request, user, "sample drawn")
    status = await writer(request).run(queries.seed_status)
    return render(request, "seed.html", status=status, seed=None, message=None, drawn=result)


# --- verification, progress, certificate ------------------------------------------------


@router.post("/verify")
async def start_verify(request: Request, mode: str = Form(...),
                       person_for_signature_identities: bool = Form(False),
                       user: User = Depends(require("verify.start"))) -> Response:
    if mode not in VERIFY_MODES:
        raise WebError(400, "invalid", "Verification mode must be sample or full.")
    settles = not person_for_signature_identities
    writer(request).start_job("verification", user.actor, library.call("verify"), mode=mode,
                              actor=user.actor, signature_identity=settles)
    record(request, user, "verification started", mode=mode, signature_identity=settles)
    return RedirectResponse("/progress", status_code=303)


def progress_data(ws: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"counts": queries.counts(ws), "stage": ws.stage,
                           "projection": queries.projection(ws)}
    if library.available("progress"):
        out["progress"] = library.call("progress")(ws)
    if library.available("queue_stats"):
        out["queue"] = library.call("queue_stats")(ws)
    return out


@router.get("/progress")
async def progress_page(request: Request,
                        user: User = Depends(require("progress.view"))) -> Response:
    w = writer(request)
    job = w.job.as_dict() if w.job else None
    data = None if job and job["state"] == "running" else await w.run(progress_data)
    record(request, user, "progress")
    template = "_progress_body.html" if request.headers.get("hx-request") else "progress.html"
    return render(request, template, job=job, p=data)


@router.get("/certify")
async def certify_page(request: Request,
                       user: User = Depends(require("certify"))) -> Response:
    data = await writer(request).run(queries.overview)
    record(request, user, "certify page")
    return render(request, "certify.html", o=data, result=None,
                  available=library.available("certify"))


@router.post("/certify")
async def certify(request: Request, official: str = Form(""),
                  official_title: str = Form("Elections Official"),
                  user: User = Depends(require("certify"))) -> Response:
    # The certificate names the supervisor's account; reports.certify checks its role.
    result = await writer(request).run(library.call("certify"), user.username,
                                       official=official.strip(),
                                       official_title=official_title.strip())
    data = await writer(request).run(queries.overview)
    record(request, user, "certified")
    return render(request, "certify.html", o=data, result=plain(result), available=True)


@router.get("/reports/{name}")
async def report_file(request: Request, name: str,
                      user: User = Depends(require("petition.view"))) -> Response:
    """A file the workspace wrote under WS/reports/ (the certificate HTML and PDF)."""
    folder = (request.app.state.ws_path / "reports").resolve()
    path = (folder / name).resolve()
    if path.parent != folder or not path.is_file():
        raise WebError(404, "not_found", "There is no such report file.")
    record(request, user, "report file", name=name)
    return FileResponse(path, filename=path.name)
