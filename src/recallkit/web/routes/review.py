"""The review queue: the screen staff live in. One line at a time, keyboard first.

Every action is one trip to the writer thread (decide, then lease the next line), so a
reviewer's keystroke costs one short queue wait plus a few small queries. Reviewers see
only lines leased to them, and the library's lease keeps two reviewers off the same line.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, Response

from .. import library
from ..auth import require
from ..errors import WebError
from ..pages import record, render, writer
from ..permissions import User
from ..review_view import REASON_LABELS, item_view, keys, next_key

router = APIRouter()

IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff", ".svg"})


# --- work done on the writer thread ----------------------------------------------------


def next_item(ws: Any, reviewer: str) -> dict[str, Any] | None:
    item = library.call("lease_next")(ws, reviewer)
    return item_view(item) if item is not None else None


def decide_and_next(ws: Any, reviewer: str, line_id: str, determination: str,
                    reason: str | None, voter_id: str | None, note: str) -> dict[str, Any]:
    det_id = library.call("decide")(ws, line_id, reviewer, determination, reason=reason,
                                    voter_id=voter_id, note=note)
    return {"decided": {"line_id": line_id, "determination": determination, "reason": reason,
                        "determination_id": det_id},
            "item": next_item(ws, reviewer)}


def undo_and_show(ws: Any, reviewer: str) -> dict[str, Any]:
    line_id = library.call("undo")(ws, reviewer)
    if line_id is None:
        return {"undone": None, "item": next_item(ws, reviewer)}
    return {"undone": line_id, "item": item_view(library.call("get_item")(ws, line_id))}


def release_all(ws: Any, reviewer: str) -> int:
    return int(library.call("release")(ws, reviewer))


def leased_to(ws: Any, line_id: str, reviewer: str) -> bool:
    row = ws.con.execute(
        "SELECT status, lease_holder FROM review_queue WHERE line_id = ?", [line_id]).fetchone()
    return bool(row) and row[0] == "leased" and row[1] in (reviewer, f"reviewer:{reviewer}")


def image_path(ws: Any, line_id: str, voter_id: str | None, reviewer: str,
               supervisor: bool) -> Path:
    """The signature image of a leased line (or of one of its candidates), in the workspace."""
    if not supervisor and not leased_to(ws, line_id, reviewer):
        raise WebError(403, "not_leased", "That line is not leased to you.")
    if voter_id is None:
        row = ws.con.execute("SELECT signature_image FROM signatures WHERE line_id = ?",
                             [line_id]).fetchone()
    else:
        row = ws.con.execute(
            "SELECT v.signature_image FROM voters v JOIN match_candidates c USING (voter_id) "
            "WHERE c.line_id = ? AND v.voter_id = ? LIMIT 1", [line_id, voter_id]).fetchone()
    if not row or not row[0]:
        raise WebError(404, "not_found", "There is no signature image for that.")
    path = Path(row[0])
    path = path if path.is_absolute() else Path(ws.path) / path
    if path.suffix.lower() not in IMAGE_TYPES or not path.is_file():
        raise WebError(404, "not_found", "The signature image file is missing.")
    return path


# --- routes ---------------------------------------------------------------------------


def _decision(key: str | None, determination: str | None,
              reason: str | None) -> tuple[str, str | None]:
    if key:
        table = library.get("review_keys")
        if key not in table:
            raise WebError(400, "invalid", f"The key {key!r} is not a decision.")
        return table[key]
    if determination not in ("valid", "invalid"):
        raise WebError(400, "invalid", "Choose valid or invalid.")
    return determination, (reason or None)


async def _act(request: Request, user: User, fn: Any, *args: Any) -> dict[str, Any]:
    """Run a review action; on the htmx screen a refusal (e.g. OTHER without a note) is
    announced in place and the reviewer stays on their line, instead of a page change."""
    try:
        return await writer(request).run(fn, *args)
    except WebError as err:
        if not request.headers.get("hx-request") or err.status >= 500:
            raise
        item = await writer(request).run(next_item, user.username)
        return {"item": item, "error": err.message}


def _screen(request: Request, data: dict[str, Any], status: int = 200) -> Response:
    partial = bool(request.headers.get("hx-request"))
    template = "_review_item.html" if partial else "review.html"
    return render(request, template, status_code=status, partial=partial, item=data.get("item"),
                  decided=data.get("decided"), undone=data.get("undone"),
                  released=data.get("released"), error=data.get("error"), keys=keys(),
                  next_key=next_key(),
                  labels=REASON_LABELS)


@router.get("/review")
async def review_page(request: Request, user: User = Depends(require("review.work"))) -> Response:
    item = await writer(request).run(next_item, user.username)
    record(request, user, "review screen", line=item["line_id"] if item else None)
    return _screen(request, {"item": item})


@router.post("/review/next")
async def review_next(request: Request, user: User = Depends(require("review.work"))) -> Response:
    item = await writer(request).run(next_item, user.username)
    record(request, user, "next", line=item["line_id"] if item else None)
    return _screen(request, {"item": item})


@router.post("/review/decide")
async def review_decide(request: Request, line_id: str = Form(...), key: str | None = Form(None),
                        determination: str | None = Form(None),
                        reason: str | None = Form(None), voter_id: str | None = Form(None),
                        note: str = Form(""),
                        user: User = Depends(require("review.work"))) -> Response:
    det, why = _decision(key, determination, reason)
    data = await _act(request, user, decide_and_next, user.username, line_id, det, why,
                      voter_id or None, note)
    record(request, user, "decide", line=line_id, determination=det, reason=why)
    return _screen(request, data)


@router.post("/review/undo")
async def review_undo(request: Request, user: User = Depends(require("review.work"))) -> Response:
    data = await _act(request, user, undo_and_show, user.username)
    record(request, user, "undo", line=data.get("undone"))
    return _screen(request, data)


@router.post("/review/release")
async def review_release(request: Request,
                         user: User = Depends(require("review.work"))) -> Response:
    released = await writer(request).run(release_all, user.username)
    record(request, user, "release", lines=released)
    return _screen(request, {"item": None, "released": released})


@router.get("/review/image/{line_id}")
async def line_image(request: Request, line_id: str,
                     user: User = Depends(require("review.work"))) -> Response:
    path = await writer(request).run(image_path, line_id, None, user.username,
                                     user.role == "supervisor")
    record(request, user, "line image", line=line_id)
    return FileResponse(path, media_type=mimetypes.guess_type(path.name)[0])


@router.get("/review/image/{line_id}/voter/{voter_id}")
async def voter_image(request: Request, line_id: str, voter_id: str,
                      user: User = Depends(require("review.work"))) -> Response:
    path = await writer(request).run(image_path, line_id, voter_id, user.username,
                                     user.role == "supervisor")
    record(request, user, "voter image", line=line_id)
    return FileResponse(path, media_type=mimetypes.guess_type(path.name)[0])
