"""The public dashboard: aggregates only, for anyone."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from .. import queries
from ..auth import require
from ..pages import cached_public, home_for, record, render
from ..permissions import User

router = APIRouter()


@router.get("/")
async def home(request: Request, user: User = Depends(require("home.view"))) -> Response:
    return RedirectResponse(home_for(user), status_code=303)


@router.get("/public")
async def dashboard(request: Request,
                    user: User = Depends(require("dashboard.view"))) -> Response:
    data = await cached_public(request, queries.public_dashboard)
    record(request, user, "dashboard")
    template = "_public_body.html" if request.headers.get("hx-request") else "public.html"
    return render(request, template, d=data)
