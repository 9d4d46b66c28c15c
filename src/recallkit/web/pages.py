"""What every route shares: the writer, page rendering, the event record."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from .permissions import User, allowed
from .writer import Writer

events = logging.getLogger("recallkit.web.events")


def writer(request: Request) -> Writer:
    return request.app.state.writer


def render(request: Request, template: str, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    user: User | None = getattr(request.state, "user", None)
    html = request.app.state.templates.get_template(template).render(
        request=request, user=user, csrf_token=getattr(request.state, "csrf_token", ""),
        can=lambda action: user is not None and allowed(user.role, action),
        nav=_nav(user), **context)
    return HTMLResponse(html, status_code=status_code)


PUBLIC_CACHE_S = 15.0  # the public dashboard is at most this stale


async def cached_public(request: Request, fn: Callable[[Any], Any]) -> Any:
    """The public aggregates, recomputed at most every PUBLIC_CACHE_S seconds, so that
    public traffic cannot crowd the single writer that reviewers are waiting on."""
    state = request.app.state
    hit = getattr(state, "public_cache", None)
    if hit is not None and time.monotonic() - hit[0] < PUBLIC_CACHE_S:
        return hit[1]
    data = await writer(request).run(fn)
    state.public_cache = (time.monotonic(), data)
    return data


def record(request: Request, user: User, what: str, **details: Any) -> None:
    """The route's event: who did which action, where, and how long the server took.

    Library calls write their own audit entries in the same transaction as the change;
    this is the access record (no voter data in `details`).
    """
    events.info("%s %s %s %s", user.actor, request.state.action, what,
                " ".join(f"{k}={v}" for k, v in details.items()))


_NAV = (
    ("/petition", "Petition", "petition.view"),
    ("/imports", "Imports", "imports.view"),
    ("/seed", "Seed ceremony", "sample.seed"),
    ("/progress", "Progress", "progress.view"),
    ("/review", "Review queue", "review.work"),
    ("/observe", "Determinations", "determinations.observe"),
    ("/users", "Users", "users.view"),
    ("/public", "Public dashboard", "dashboard.view"),
)


def _nav(user: User | None) -> list[tuple[str, str]]:
    role = user.role if user else "public"
    return [(href, label) for href, label, action in _NAV if allowed(role, action)]


def home_for(user: User) -> str:
    """Where each role starts."""
    return {"admin": "/petition", "supervisor": "/petition", "reviewer": "/review",
            "observer": "/observe"}.get(user.role, "/public")
