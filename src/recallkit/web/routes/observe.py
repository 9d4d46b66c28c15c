"""The observers' view: each determination with its reason and evidence, no voter data."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from .. import queries
from ..auth import require
from ..pages import record, render, writer
from ..permissions import User

router = APIRouter()
PAGE_SIZE = 100


@router.get("/observe")
async def observe(request: Request, section: str | None = None, reason: str | None = None,
                  determination: str | None = None, page: int = Query(1, ge=1),
                  user: User = Depends(require("determinations.observe"))) -> Response:
    w = writer(request)
    data = await w.run(queries.determinations, section=section, reason=reason,
                       determination=determination, limit=PAGE_SIZE,
                       offset=(page - 1) * PAGE_SIZE)
    choices = await w.run(queries.filter_choices)
    record(request, user, "determinations", section=section, reason=reason)
    template = "_observe_table.html" if request.headers.get("hx-request") else "observe.html"
    return render(request, template, d=data, choices=choices, page=page,
                  pages=max(1, -(-data["total"] // PAGE_SIZE)),
                  f={"section": section or "", "reason": reason or "",
                     "determination": determination or ""})
