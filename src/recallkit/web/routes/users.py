"""Accounts (admin only)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from .. import users as accounts
from ..auth import require
from ..errors import WebError
from ..pages import record, render, writer
from ..permissions import User

router = APIRouter()


async def refresh_accounts(request: Request) -> None:
    request.app.state.users = await writer(request).run(accounts.accounts)


@router.get("/users")
async def users_page(request: Request, user: User = Depends(require("users.view"))) -> Response:
    rows = await writer(request).run(accounts.list_users)
    record(request, user, "users")
    return render(request, "users.html", users=rows, roles=accounts.ACCOUNT_ROLES, message=None)


@router.post("/users")
async def add_user(request: Request, username: str = Form(...), role: str = Form(...),
                   password: str = Form(...),
                   user: User = Depends(require("users.manage"))) -> Response:
    message, status = f"Added {username} as {role}.", 200
    try:
        await writer(request).run(accounts.add_user, username.strip(), role, password,
                                  actor=user.actor)
    except WebError as err:
        message, status = err.message, err.status
    await refresh_accounts(request)
    rows = await writer(request).run(accounts.list_users)
    record(request, user, "user added" if status == 200 else "user not added")
    return render(request, "users.html", status_code=status, users=rows,
                  roles=accounts.ACCOUNT_ROLES, message=message)


@router.post("/users/{username}/disable")
async def disable_user(request: Request, username: str, disabled: bool = Form(True),
                       user: User = Depends(require("users.manage"))) -> Response:
    if username == user.username and disabled:
        raise WebError(400, "invalid", "You cannot disable your own account.")
    await writer(request).run(accounts.set_disabled, username, disabled, actor=user.actor)
    await refresh_accounts(request)
    rows = await writer(request).run(accounts.list_users)
    record(request, user, "user disabled" if disabled else "user enabled")
    return render(request, "users.html", users=rows, roles=accounts.ACCOUNT_ROLES,
                  message=f"{username} is now {'disabled' if disabled else 'enabled'}.")
