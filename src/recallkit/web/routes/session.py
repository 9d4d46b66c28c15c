"""Sign in and out."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ..auth import require, sign_in, sign_out
from ..errors import WebError
from ..pages import home_for, record, render
from ..permissions import User

router = APIRouter()


def _safe_next(target: str | None) -> str | None:
    # Only local paths, so the login page cannot send people to another site.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


@router.get("/login")
async def login_page(request: Request, next: str | None = None,
                     user: User = Depends(require("session.login"))) -> Response:
    return render(request, "login.html", next=_safe_next(next), message=None)


@router.post("/login")
async def login(request: Request, username: str = Form(...), password: str = Form(...),
                next: str | None = Form(None),
                user: User = Depends(require("session.login"))) -> Response:
    try:
        signed_in, session = sign_in(request, username.strip(), password)
    except WebError as err:
        record(request, user, "login failed", status=err.status)
        return render(request, "login.html", status_code=err.status, next=_safe_next(next),
                      message=err.message, username=username)
    record(request, signed_in, "login")
    response = RedirectResponse(_safe_next(next) or home_for(signed_in), status_code=303)
    request.app.state.sessions.set_cookie(response, session)
    return response


@router.post("/logout")
async def logout(request: Request, user: User = Depends(require("session.logout"))) -> Response:
    session = sign_out(request)
    record(request, user, "logout")
    response = RedirectResponse("/login", status_code=303)
    request.app.state.sessions.set_cookie(response, session)
    return response
